# Probe: how make_fx graphs print (single and tuple outputs, constants, kwargs).
import torch
from torch.fx.experimental.proxy_tensor import make_fx
a = torch.tensor([0.5, 1.0]); b = torch.tensor([2.0, -1.0]); c = torch.tensor([10.0, 20.0])
print(make_fx(lambda a, b: a.mul(b).add(a, alpha=2).exp())(a, b).graph)
print(make_fx(lambda a: (a.relu(), a.sum(0)))(a).graph)
print(make_fx(lambda a: a.add(c))(a).graph)
print(make_fx(lambda a: torch.max(a.view(2, 1), 0))(a).graph)
