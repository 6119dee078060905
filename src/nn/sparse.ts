// nn.Embedding, after torch/nn/modules/sparse.py: a [numEmbeddings, embeddingDim] table drawn
// from N(0, 1) as PyTorch's reset_parameters does, with the padding row zeroed.

import { AssertionError } from "../core/errors.js";
import { empty } from "../tensor/creation.js";
import type { DType } from "../tensor/dtype.js";
import type { Device, Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/api.js";
import { embedding } from "./functional-layers.js";
import { normal_ } from "./init.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

/** Options of Embedding. */
export interface EmbeddingLayerOptions {
  /** This row is zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Scales gradients by the inverse frequency of the words in the batch. */
  scaleGradByFreq?: boolean;
  dtype?: DType;
  device?: Device;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (`aten::embedding`).
 * @example
 * torch.manualSeed(0);
 * const emb = new nn.Embedding(10, 3);
 * emb.call(torch.tensor([[1n, 2n], [4n, 9n]])).shape // [2, 2, 3]
 */
export class Embedding extends Module {
  declare weight: Parameter;
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly scaleGradByFreq: boolean;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingLayerOptions = {}) {
    super();
    let paddingIdx = opts.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx > 0 && !(paddingIdx < numEmbeddings)) throw new AssertionError("Padding_idx must be within num_embeddings");
      if (paddingIdx < 0) {
        if (!(paddingIdx >= -numEmbeddings)) throw new AssertionError("Padding_idx must be within num_embeddings");
        paddingIdx = numEmbeddings + paddingIdx;
      }
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    this.scaleGradByFreq = opts.scaleGradByFreq ?? false;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype, device: opts.device }));
    this.resetParameters();
  }

  /** weight ~ N(0, 1), padding row zeroed (PyTorch's reset_parameters). */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, scaleGradByFreq: this.scaleGradByFreq });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    return s;
  }
}
