# Probe: exact texts of registry errors, dumps and warnings in PyTorch 2.x (run with ../shared/tools/torch2.sh).
import torch, warnings, traceback
from torch.library import Library

def show(title, fn):
    print("=====", title)
    try:
        r = fn()
        if r is not None: print(r)
    except Exception as e:
        print(type(e).__name__ + ": " + str(e))

lib = Library("myns", "DEF")
lib.define("foo(Tensor x) -> Tensor")
show("dup DEF", lambda: Library("myns", "DEF"))
show("dup define fragment", lambda: Library("myns", "FRAGMENT").define("foo(Tensor x) -> Tensor"))
show("bad kind", lambda: Library("myns2", "XYZ"))
show("prim", lambda: Library("prim", "DEF"))
show("fragment _", lambda: Library("_", "FRAGMENT"))
show("def in IMPL", lambda: Library("myns", "IMPL").define("bar(Tensor x) -> Tensor"))
show("def other ns", lambda: Library("myns", "FRAGMENT").define("otherns::bar(Tensor x) -> Tensor"))
show("impl other ns", lambda: Library("myns", "IMPL").impl("otherns::foo", lambda x: x, "CPU"))
show("impl key mismatch", lambda: Library("myns", "IMPL", "CPU").impl("foo", lambda x: x, "Meta"))
show("fallback ns", lambda: Library("myns", "IMPL").fallback(lambda *a: None, "PrivateUse1"))
show("fallback def", lambda: Library("_", "DEF").fallback(lambda *a: None, "PrivateUse1"))
show("non callable", lambda: Library("myns", "IMPL").impl("foo", 3, "CPU"))
show("bad overload", lambda: torch._C.parse_schema("myns::foo.default(Tensor x) -> Tensor"))
show("bad overload __", lambda: Library("myns", "FRAGMENT").define("foo.__x(Tensor x) -> Tensor"))
l1 = Library("myns", "IMPL")
l1.impl("foo", lambda x: x + 1, "CPU")
show("state", lambda: torch._C._dispatch_dump("myns::foo"))
show("table", lambda: torch._C._dispatch_dump_table("myns::foo"))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    l2 = Library("myns", "IMPL")
    l2.impl("foo", lambda x: x + 2, "CPU")
    for x in w: print("WARN", x.category.__name__, repr(str(x.message)))
show("state2", lambda: torch._C._dispatch_dump("myns::foo"))
show("meta call", lambda: torch.ops.myns.foo(torch.empty(2, device="meta")))
lib.define("bar(Tensor[] xs) -> Tensor")
Library("myns", "IMPL").impl("bar", lambda xs: xs[0], "CPU")
show("empty list", lambda: torch.ops.myns.bar([]))
lib.define("amb(Tensor x) -> Tensor")
l3 = Library("myns", "IMPL")
l3.impl("amb", lambda x: x, "FPGA")
l3.impl("amb", lambda x: x, "CompositeImplicitAutograd")
show("amb table", lambda: torch._C._dispatch_dump_table("myns::amb"))
def amb_call():
    with torch._C._ExcludeDispatchKeyGuard(torch._C.DispatchKeySet(torch._C.DispatchKey.AutogradFunctionality)):
        g = torch._C._IncludeDispatchKeyGuard(torch._C.DispatchKey.AutogradOther)
        g.__enter__()
        try:
            return torch.ops.myns.amb(torch.ones(1))
        finally:
            g.__exit__(None, None, None)
show("amb call", amb_call)
lib.define("pu(Tensor x) -> Tensor")
Library("myns", "IMPL").impl("pu", lambda x: x, "CPU")
def pu_call():
    g = torch._C._IncludeDispatchKeyGuard(torch._C.DispatchKey.PrivateUse1); g.__enter__()
    try: return torch.ops.myns.pu(torch.ones(1))
    finally: g.__exit__(None, None, None)
show("privateuse1 call", pu_call)
show("fallback twice python", lambda: Library("_", "IMPL").fallback(lambda *a: None, "Python"))
fl = Library("_", "IMPL"); fl.fallback(lambda *a: None, "PrivateUse1")
show("fallback twice pu1", lambda: Library("_", "IMPL").fallback(lambda *a: None, "PrivateUse1"))
show("add table", lambda: torch._C._dispatch_dump_table("aten::add.Tensor"))
show("ops attr", lambda: torch.ops.myns.foo.bar)
show("ops ns attr", lambda: torch.ops.myns.nope)
show("ops packet on scalar", lambda: torch.ops.aten.add(torch.ones(2), 2))
show("fallthrough direct", lambda: None)
show("keyset x", lambda: torch._C._dispatch_keys(torch.ones(2)))
show("tls", lambda: (torch._C._dispatch_tls_local_include_set(), torch._C._dispatch_tls_local_exclude_set()))
show("full after autogradcpu", lambda: torch._C.DispatchKeySet(torch._C._dispatch_keyset_full_after(torch._C.DispatchKey.AutogradCPU)) if hasattr(torch._C, '_dispatch_keyset_full_after') else None)
