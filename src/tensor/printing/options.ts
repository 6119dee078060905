// Print options for tensor repr: the equivalent of torch.set_printoptions / torch.get_printoptions
// (torch/_tensor_str.py, PRINT_OPTS), process-wide like PyTorch's.

/** How tensors print; the fields of torch's PRINT_OPTS. */
export interface PrintOptions {
  /** Digits after the point (fixed) or of the mantissa (scientific); default 4. */
  precision: number;
  /** Element count above which a tensor is summarized with `...`; default 1000 (Infinity for "full"). */
  threshold: number;
  /** Items kept at each end of each dimension when summarizing; default 3. */
  edgeitems: number;
  /** Characters per line before wrapping; default 80. */
  linewidth: number;
  /** Force (true) or forbid (false) scientific notation; null lets each tensor choose. */
  sciMode: boolean | null;
}

/**
 * PyTorch's default print options.
 * @example defaultPrintOptions.precision // 4
 */
export const defaultPrintOptions: PrintOptions = Object.freeze({
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
});

const current: PrintOptions = { ...defaultPrintOptions };

const profiles: Record<"default" | "short" | "full", Omit<PrintOptions, "sciMode">> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

/**
 * Sets the process-wide print options as torch.set_printoptions does: the profile first, then each given
 * field. As in PyTorch, `sciMode` is always reset: to the given value, or to null when it is not given.
 * @example
 * setPrintOptions({ precision: 2 });   // tensor([1.12])
 * setPrintOptions({ profile: "default" });
 */
export function setPrintOptions(
  opts: Partial<PrintOptions> & { profile?: "default" | "short" | "full" },
): void {
  if (opts.profile !== undefined) Object.assign(current, profiles[opts.profile]);
  if (opts.precision !== undefined) current.precision = opts.precision;
  if (opts.threshold !== undefined) current.threshold = opts.threshold;
  if (opts.edgeitems !== undefined) current.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined) current.linewidth = opts.linewidth;
  current.sciMode = opts.sciMode ?? null;
}

/**
 * A copy of the process-wide print options.
 * @example getPrintOptions().threshold // 1000
 */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}
