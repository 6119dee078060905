// The error a call raises, as [name, message] (null when it returns): how the tests compare
// errors with PyTorch's (the fixtures store [type(e).__name__, str(e)]).

/** [error name, message] of what `fn` throws, or null. */
export function errorOf(fn: () => unknown): [string, string] | null {
  try {
    fn();
    return null;
  } catch (e) {
    const err = e as Error;
    return [err.name, err.message];
  }
}
