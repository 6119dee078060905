// Tensor benchmarks beside TensorFlow.js's CPU backend in the same run: per-op end-to-end cost on
// tiny tensors (plain, under a pass-through mode, through a pass-through wrapper subclass), and
// kernels (matmul, add 1M, sum 16M, softmax).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { bench, group } from "mitata";
import * as torch from "../src/index.js";
import type { OpOverload, Tensor } from "../src/index.js";

await tf.setBackend("cpu");
torch.manualSeed(0);

/** Pairs [aten-ts case, TF.js case] whose ratio run.ts prints. */
export const pairs: Array<[string, string]> = [];
/** Pairs [slower case, baseline case] for overhead ratios. */
export const overheads: Array<[string, string]> = [];

function both(name: string, ours: () => unknown, theirs: () => unknown): void {
  bench(`aten-ts ${name}`, ours);
  bench(`tfjs-cpu ${name}`, theirs);
  pairs.push([`aten-ts ${name}`, `tfjs-cpu ${name}`]);
}

const r = (shape: number[]) => torch.rand(shape);
const tr = (shape: number[]) => tf.randomUniform(shape);

class PassThrough extends torch.TorchDispatchMode {}
class Wrapper extends torch.Tensor {
  inner!: Tensor;
  static wrap(t: Tensor): Wrapper {
    const w = torch.Tensor.makeWrapperSubclass(Wrapper, t.shape, { dtype: t.dtype });
    w.inner = t;
    return w;
  }
  static override torchDispatch(func: OpOverload, _t: readonly unknown[], args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
    const out = func(...args.map((a) => (a instanceof Wrapper ? a.inner : a)), { ...kwargs });
    return out instanceof torch.Tensor ? Wrapper.wrap(out) : out;
  }
}

const a16 = r([16]);
const b16 = r([16]);
const ta16 = tr([16]);
const tb16 = tr([16]);
group("tiny ops (per op, result freed)", () => {
  both("add [16] f32", () => a16.add(b16), () => tf.add(ta16, tb16).dispose());
  both("relu [16] f32", () => a16.relu(), () => tf.relu(ta16).dispose());
});

const mode = new PassThrough();
const wa = Wrapper.wrap(a16);
const wb = Wrapper.wrap(b16);
group("Python-key overhead (add [16])", () => {
  bench("add [16] plain", () => a16.add(b16));
  bench("add [16] under a pass-through mode", () => mode.run(() => a16.add(b16)));
  bench("add [16] through a pass-through wrapper subclass", () => wa.add(wb));
  overheads.push(["add [16] under a pass-through mode", "add [16] plain"], ["add [16] through a pass-through wrapper subclass", "add [16] plain"]);
});

const m256 = [r([256, 256]), r([256, 256])] as const;
const t256 = [tr([256, 256]), tr([256, 256])] as const;
const m512 = [r([512, 512]), r([512, 512])] as const;
const t512 = [tr([512, 512]), tr([512, 512])] as const;
const a1m = [r([1 << 20]), r([1 << 20])] as const;
const t1m = [tr([1 << 20]), tr([1 << 20])] as const;
const s16m = r([1 << 24]);
const ts16m = tr([1 << 24]);
const sm = r([1024, 1024]);
const tsm = tr([1024, 1024]);
group("kernels", () => {
  both("matmul 256 f32", () => m256[0].matmul(m256[1]), () => tf.matMul(t256[0], t256[1]).dispose());
  both("matmul 512 f32", () => m512[0].matmul(m512[1]), () => tf.matMul(t512[0], t512[1]).dispose());
  both("add 1M f32", () => a1m[0].add(a1m[1]), () => tf.add(t1m[0], t1m[1]).dispose());
  both("sum 16M f32", () => s16m.sum(), () => tf.sum(ts16m).dispose());
  both("softmax [1024, 1024] f32", () => sm.softmax(-1), () => tf.softmax(tsm).dispose());
});
