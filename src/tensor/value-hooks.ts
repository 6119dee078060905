// Teaches the dispatcher's argument checker about tensors and the tensor-layer argument types
// (ScalarType as dtype names, Device, Layout, MemoryFormat), and how to wrap numbers given for
// Tensor arguments.

import { setValueHooks } from "../dispatcher/argument-parser.js";
import { isDType, toDType } from "./dtype.js";
import { memoryFormatCode } from "./memory-format.js";
import { Tensor } from "./tensor.js";
import { wrapScalar } from "./wrap.js";

const DEVICES = new Set(["cpu", "meta"]);

/** Installs the hooks (idempotent). */
export function installValueHooks(): void {
  setValueHooks({
    isTensor: (v) => v instanceof Tensor,
    scalarToTensor: (v) => wrapScalar(v),
    convert(typeName, v) {
      switch (typeName) {
        case "ScalarType":
          if (isDType(v)) return { ok: true, value: v };
          try {
            return { ok: true, value: toDType(v) };
          } catch {
            return { ok: false };
          }
        case "Device":
          return typeof v === "string" && DEVICES.has(v) ? { ok: true, value: v } : { ok: false };
        case "Layout":
          return v === 0 || v === "strided" ? { ok: true, value: 0 } : { ok: false };
        case "MemoryFormat": {
          const code = memoryFormatCode(v);
          return code === undefined ? { ok: false } : { ok: true, value: code };
        }
        default:
          return v === undefined ? { ok: false } : { ok: true, value: v };
      }
    },
  });
}
