// Error classes named after the Python exceptions PyTorch raises, so that users who know
// PyTorch can match on `err.name` ("RuntimeError", "NotImplementedError") the way they would
// catch them in Python. Messages follow PyTorch's wording (dispatch-semantics.md).

/**
 * PyTorch's `RuntimeError`: the generic failure of an operator or of the dispatcher.
 * @example
 * try { op(x) } catch (e) { if (e instanceof RuntimeError) console.log(e.message) }
 */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeError";
  }
}

/**
 * PyTorch's `NotImplementedError`: no kernel for this operator and dispatch key.
 * @example
 * try { torch.ops.aten.add.Tensor(torch.ones([1], { device: "meta" }), torch.ones([1])) } catch (e) { console.log(e.name) } // "NotImplementedError"
 */
export class NotImplementedError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = "NotImplementedError";
  }
}

/**
 * Python's `AttributeError`: e.g. `torch.ops.myns.nope` for an operator that does not exist.
 * @example
 * try { torch.ops.aten.nope } catch (e) { e.name === "AttributeError" }
 */
export class AttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttributeError";
  }
}

/**
 * Python's `AssertionError` (PyTorch's host-side asserts, e.g. a second rule for the same class).
 * @example
 * try { hop.pyImpl(Mode, rule) } catch (e) { e.name === "AssertionError" }
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/**
 * Python's `ValueError`: a bad argument value (e.g. an unsupported library kind).
 * @example
 * try { new torch.Library("x", "BAD" as never) } catch (e) { e.name === "ValueError" }
 */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

/**
 * Python's `IndexError`: e.g. a dimension out of range.
 * @example
 * try { x.size(5) } catch (e) { e.name === "IndexError" }
 */
export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IndexError";
  }
}

/**
 * PyTorch's internal assertion failure ("... INTERNAL ASSERT FAILED ..."): a state that
 * should be impossible, such as a fallthrough kernel being executed.
 */
export function internalAssert(cond: unknown, message: string): asserts cond {
  if (!cond) {
    throw new RuntimeError(
      `0 INTERNAL ASSERT FAILED at "aten-ts", please report a bug to aten-ts. ${message}`,
    );
  }
}
