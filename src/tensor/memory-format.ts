// Memory formats as users and handlers see them (torch.contiguous_format, torch.preserve_format...):
// objects that print like PyTorch's. Kernels receive aten's integer codes (as schema defaults
// are), converted at the argument checker; handlers get the objects back.

/** A memory format: prints as `torch.preserve_format`. */
export interface MemoryFormatValue {
  readonly name: "contiguous_format" | "preserve_format" | "channels_last" | "channels_last_3d";
  /** aten's MemoryFormat code: Contiguous 0, Preserve 1, ChannelsLast 2, ChannelsLast3d 3. */
  readonly code: number;
  toString(): string;
  toJSON(): string;
}

function make(name: MemoryFormatValue["name"], code: number): MemoryFormatValue {
  const printed = `torch.${name}`;
  return Object.freeze({ name, code, toString: () => printed, toJSON: () => printed });
}

/** `torch.contiguous_format` */
export const contiguousFormat = make("contiguous_format", 0);
/** `torch.preserve_format` */
export const preserveFormat = make("preserve_format", 1);
/** `torch.channels_last` */
export const channelsLast = make("channels_last", 2);
/** `torch.channels_last_3d` */
export const channelsLast3d = make("channels_last_3d", 3);

const BY_CODE = [contiguousFormat, preserveFormat, channelsLast, channelsLast3d];

/**
 * The aten code of a memory format given as an object, a code, or a name (`"channels_last"`,
 * `"torch.channels_last"`); undefined when it is none of these.
 * @example
 * memoryFormatCode(preserveFormat) // 1
 */
export function memoryFormatCode(v: unknown): number | undefined {
  if (typeof v === "number") return BY_CODE[v] ? v : undefined;
  if (typeof v === "string") {
    const s = v.startsWith("torch.") ? v.slice(6) : v;
    return BY_CODE.find((f) => f.name === s)?.code;
  }
  if (typeof v === "object" && v !== null && BY_CODE.includes(v as MemoryFormatValue)) return (v as MemoryFormatValue).code;
  return undefined;
}

/**
 * The object of a code (what a handler sees).
 * @example
 * String(memoryFormatOf(1)) // "torch.preserve_format"
 */
export function memoryFormatOf(code: unknown): unknown {
  return typeof code === "number" && BY_CODE[code] ? BY_CODE[code] : code;
}
