// The README's training loop against PyTorch 2.14: an MLP 8-16-3 from manualSeed(0), 20 steps of
// SGD (momentum) + CrossEntropyLoss and of Adam + a squared error; losses and final weights equal
// PyTorch's to float tolerance, and a logging mode sees PyTorch's ops.
import { describe, expect, it } from "vitest";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import * as optim from "../../src/optim/index.js";
import { Log, batch, close, flat, fx } from "./fixture.js";

function mlp(): nn.Sequential {
  torch.manualSeed(0);
  return new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
}

function train(net: nn.Module, opt: optim.Optimizer<object, object>, lossFn: (out: Tensor) => Tensor, steps = 20): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = lossFn(net.call(batch().x) as Tensor);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
  }
  return losses;
}

function expectFinal(net: nn.Module, want: Record<string, number[]>): void {
  for (const [name, p] of net.namedParameters()) close(flat(p), want[name]!, 1e-4, 1e-6);
}

describe("training loops match PyTorch", () => {
  it("SGD (lr 0.1, momentum 0.9) + CrossEntropyLoss: the loss curve and final weights", () => {
    const net = mlp();
    const { target } = batch();
    const lossFn = new nn.CrossEntropyLoss();
    const losses = train(net, new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 }), (out) => lossFn.call(out, target));
    close(losses, fx.sgd_ce.losses, 1e-4, 0);
    expect(losses[19]!).toBeLessThan(losses[0]! * 0.7);
    losses.slice(1).forEach((l, i) => expect(l).toBeLessThan(losses[i]!));
    expectFinal(net, fx.sgd_ce.final);
  });

  it("Adam (lr 0.01) + squared error written with sub/pow/mean: the loss curve and final weights", () => {
    const net = mlp();
    const { y } = batch();
    const losses = train(net, new optim.Adam(net.parameters(), { lr: 0.01 }), (out) => out.sub(y).pow(2).mean());
    close(losses, fx.adam_sq_err.losses, 1e-4, 0);
    expect(losses[19]!).toBeLessThan(losses[0]!);
    expectFinal(net, fx.adam_sq_err.final);
  });

  it("Adam (lr 0.01) + MSELoss: the loss curve and final weights", () => {
    const net = mlp();
    const { y } = batch();
    const lossFn = new nn.MSELoss();
    const losses = train(net, new optim.Adam(net.parameters(), { lr: 0.01 }), (out) => lossFn.call(out, y));
    close(losses, fx.adam_mse.losses, 1e-4, 0);
    expectFinal(net, fx.adam_mse.final);
  });

  it("a closure passed to step() computes the loss with grad enabled and returns it", () => {
    const net = mlp();
    const { x, target } = batch();
    const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    const lossFn = new nn.CrossEntropyLoss();
    const loss = torch.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = lossFn.call(net.call(x), target);
        l.backward();
        return l;
      }),
    );
    expect(loss?.item()).toBe(fx.sgd_ce.losses[0]);
  });
});

describe("one training step under a logging mode", () => {
  const noProfiler = (calls: string[]) => calls.filter((c) => !c.startsWith("profiler."));

  it("forward + CrossEntropyLoss, backward and two SGD steps see PyTorch's ops", () => {
    const net = mlp();
    const { x, target } = batch();
    const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    const want = fx.ops_sgd_ce;
    for (let i = 1; i <= 2; i++) {
      opt.zeroGrad();
      const f = new Log();
      const loss = f.run(() => new nn.CrossEntropyLoss().call(net.call(x), target));
      const b = new Log();
      b.run(() => loss.backward());
      const s = new Log();
      s.run(() => opt.step());
      if (i === 1) {
        expect(f.calls).toEqual(want.forward);
        expect(b.calls).toEqual(want.backward);
      }
      expect(s.calls).toEqual(noProfiler(want[`step${i}`]!));
    }
  });

  it("forward + MSELoss and its backward see PyTorch's ops", () => {
    const net = mlp();
    const { x, y } = batch();
    const f = new Log();
    const loss = f.run(() => new nn.MSELoss().call(net.call(x), y));
    const b = new Log();
    b.run(() => loss.backward());
    expect(f.calls).toEqual(fx.ops_adam_mse.forward);
    expect(b.calls).toEqual(fx.ops_adam_mse.backward);
  });

  it("an Adam step sees PyTorch's ops", () => {
    const net = mlp();
    const { x, y } = batch();
    const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
    for (let i = 1; i <= 2; i++) {
      opt.zeroGrad();
      net.call(x).sub(y).pow(2).mean().backward();
      const s = new Log();
      s.run(() => opt.step());
      expect(s.calls).toEqual(noProfiler(fx.ops_adam_mse[`step${i}`]!));
    }
  });
});
