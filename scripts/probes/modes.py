# Probe: what a TorchDispatchMode sees (argument normalisation, wrapped numbers, TLS inside a handler).
import torch
from torch.utils._python_dispatch import TorchDispatchMode
class M(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        print(str(func), types, [type(a).__name__ if isinstance(a, torch.Tensor) else a for a in args], kwargs)
        return func(*args, **(kwargs or {}))
x = torch.ones(2)
with M():
    x + 2
    x.add(x, alpha=2)
    x.add(3)
    torch.add(x, 2.5)
    x * 2
    x.sum(0, keepdim=True)
    torch.empty(2, dtype=torch.float64)
    torch.zeros(2)
    torch.tensor([1.0, 2.0])
    x.to(torch.float64)
    x.view(2, 1)
    x.relu_()
    torch.ops.aten.add.Tensor(x, 2)
    x.item()
    torch.randn(2)
    x.clone()
    torch.full((2,), 7)
    x[0]
    x.T if x.dim() == 2 else x.t()
print(torch._C._dispatch_tls_local_include_set())
class N(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        print("inside", torch._C._dispatch_tls_local_include_set(), torch._C._dispatch_tls_local_exclude_set())
        return func(*args, **(kwargs or {}))
with N():
    print("mode on", torch._C._dispatch_tls_local_include_set())
    x.neg()
