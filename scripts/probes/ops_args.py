# Probe: torch.ops argument matching and its error texts in PyTorch 2.x.
import torch
x = torch.ones(2)
def show(title, fn):
    print("=====", title)
    try:
        r = fn(); print(repr(r))
    except Exception as e:
        print(type(e).__name__ + ": " + str(e))
show("too many", lambda: torch.ops.aten.add.Tensor(x, x, 1, 2))
show("missing", lambda: torch.ops.aten.add.Tensor(x))
show("wrong type", lambda: torch.ops.aten.add.Tensor(x, "a"))
show("scalar for tensor overload", lambda: torch.ops.aten.add.Tensor(x, 2))
show("unknown kw", lambda: torch.ops.aten.add.Tensor(x, x, beta=2))
show("dup kw", lambda: torch.ops.aten.add.Tensor(x, x, other=x))
show("kwonly positional", lambda: torch.ops.aten.add.Tensor(x, x, 2))
show("packet no match", lambda: torch.ops.aten.add(x, "a"))
show("packet scalar", lambda: torch.ops.aten.mul(x, 2))
show("int for float", lambda: torch.ops.aten.clamp.default(x, 1))
show("float for int", lambda: torch.ops.aten.sum.dim_IntList(x, [0.5]))
show("int N broadcast", lambda: torch.ops.aten.max_pool2d.default(torch.ones(1,1,4,4), 2).shape)
show("bool for int", lambda: torch.ops.aten.sum.dim_IntList(x, [True]))
show("list for tensor", lambda: torch.ops.aten.add.Tensor(x, [1.0, 2.0]))
show("none for tensor", lambda: torch.ops.aten.add.Tensor(x, None))
show("int for bool", lambda: torch.ops.aten.sum.dim_IntList(x, [0], 1))
show("dtype", lambda: torch.ops.aten.sum.default(x, dtype=torch.float64).dtype)
show("packet names", lambda: torch.ops.aten.add.overloads())
show("str packet", lambda: str(torch.ops.aten.add))
show("overload name default", lambda: (torch.ops.aten.zeros.default.name(), torch.ops.aten.zeros.default._overloadname, str(torch.ops.aten.zeros.default)))
