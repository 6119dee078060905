// Training-step benchmarks beside TensorFlow.js's CPU backend in the same run: one step of an MLP
// 784-256-10 on a batch of 64 (forward, cross entropy, backward, SGD with momentum), and the
// cost autograd adds to a tiny op (add [16] with and without requiresGrad inputs).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { buildSync } from "esbuild";
import { bench, group } from "mitata";
import { unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as torch from "../src/index.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";

/**
 * tfjs-core registers no gradients itself (the union package @tensorflow/tfjs imports
 * register_all_gradients, shipped only as unbundled ESM): bundle that file with esbuild and load
 * it; its registrations land in tfjs's global gradient registry, which the CJS build shares.
 */
async function registerTfGradients(): Promise<void> {
  const req = createRequire(import.meta.url);
  const entry = join(req.resolve("@tensorflow/tfjs-core/package.json"), "../dist/register_all_gradients.js");
  const out = buildSync({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", write: false, logLevel: "silent" });
  const file = join(tmpdir(), `aten-ts-tfjs-gradients-${process.pid}.mjs`);
  writeFileSync(file, out.outputFiles[0]!.text);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    unlinkSync(file);
  }
}

await registerTfGradients();
await tf.setBackend("cpu");
torch.manualSeed(0);

/** Pairs [aten-ts case, TF.js case] whose ratio run.ts prints. */
export const trainPairs: Array<[string, string]> = [];
/** Pairs [slower case, baseline case] for overhead ratios (autograd recording). */
export const gradOverheads: Array<[string, string]> = [];

const BATCH = 64;
const net = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const x = torch.rand([BATCH, 784]);
const target = torch.randint(0, 10, [BATCH]);

// the same network in TF.js: weights [in, out], as tf.layers.dense keeps them
const bound = (fanIn: number) => 1 / Math.sqrt(fanIn);
const w1 = tf.variable(tf.randomUniform([784, 256], -bound(784), bound(784)));
const b1 = tf.variable(tf.randomUniform([256], -bound(784), bound(784)));
const w2 = tf.variable(tf.randomUniform([256, 10], -bound(256), bound(256)));
const b2 = tf.variable(tf.randomUniform([10], -bound(256), bound(256)));
const tfOpt = tf.train.momentum(0.1, 0.9);
const tx = tf.randomUniform([BATCH, 784]);
const ty = tf.oneHot(tf.tensor1d(target.tolist() as number[], "int32"), 10);
const tfLoss = () => tf.losses.softmaxCrossEntropy(ty, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, w1), b1)), w2), b2)) as tf.Scalar;

function atenStep(): void {
  opt.zeroGrad();
  const loss = lossFn.call(net.call(x), target);
  loss.backward();
  opt.step();
}
function tfStep(): void {
  tfOpt.minimize(tfLoss, true)?.dispose();
}

const a16 = torch.rand([16]);
const b16 = torch.rand([16]);
const ga16 = torch.rand([16], { requiresGrad: true });
const gb16 = torch.rand([16], { requiresGrad: true });
group("autograd recording (add [16])", () => {
  bench("add [16] without requiresGrad", () => a16.add(b16));
  bench("add [16] with requiresGrad inputs", () => ga16.add(gb16));
  bench("add [16] with requiresGrad inputs under noGrad", () => torch.noGrad(() => ga16.add(gb16)));
  gradOverheads.push(
    ["add [16] with requiresGrad inputs", "add [16] without requiresGrad"],
    ["add [16] with requiresGrad inputs under noGrad", "add [16] without requiresGrad"],
  );
});

group("training step: MLP 784-256-10, batch 64, SGD momentum", () => {
  const name = "train step MLP 784-256-10 b64";
  bench(`aten-ts ${name}`, atenStep);
  bench(`tfjs-cpu ${name}`, tfStep);
  trainPairs.push([`aten-ts ${name}`, `tfjs-cpu ${name}`]);
  bench(`aten-ts forward + loss only (no grad) MLP b64`, () => torch.noGrad(() => lossFn.call(net.call(x), target)));
});
