"""Writes the PyTorch parity fixtures of Kasane's GAN building blocks (issue 19).

Run with a Python that has torch (here: /usr/bin/python3):

    /usr/bin/python3 nn-layers/src/test/python/gen_gan_fixtures.py

Each case becomes nn-layers/src/test/resources/nn/gan_<case>.txt in the plain text format of
dev.kasane.nn.Fixtures, written by gen_nn_fixtures.py's writer. The Java side is GanParityTest.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import write as write_nn  # noqa: E402


def write(case, tensors):
    write_nn("gan_" + case, tensors)


def backward_random(out, y):
    """Backpropagates sum(y * grad_output) for a random grad_output, which it records."""
    go = torch.randn_like(y)
    (y * go).sum().backward()
    out["grad_output"] = go


def state(module, prefix="state."):
    return {prefix + k: v.clone() for k, v in module.state_dict().items()}


def reparametrized(case, module, input_shape, steps=3):
    """Loads nothing: records the initial state, `steps` training forwards (outputs, and the state after each),
    the parameter gradients of the last one, and an evaluation forward."""
    out = state(module)
    for s in range(steps):
        x = torch.randn(*input_shape)
        y = module(x)
        out["input%d" % s] = x
        out["output%d" % s] = y
        out.update(state(module, "after%d." % s))
    backward_random(out, y)
    for k, p in module.named_parameters():
        out["grad." + k] = p.grad
    module.eval()
    x = torch.randn(*input_shape)
    out["eval_input"] = x
    out["eval_output"] = module(x)
    out.update(state(module, "eval_after."))
    write(case, out)


def spectral_and_weight_norm():
    reparametrized("sn_linear", nn.utils.spectral_norm(nn.Linear(5, 4)), (3, 5))
    reparametrized("sn_conv2d", nn.utils.spectral_norm(nn.Conv2d(3, 4, 3, padding=1), n_power_iterations=2),
                   (2, 3, 5, 5))
    reparametrized("sn_conv_transpose2d", nn.utils.spectral_norm(nn.ConvTranspose2d(4, 3, 4, 2, 1)), (2, 4, 3, 3))
    emb = nn.utils.spectral_norm(nn.Embedding(6, 4))
    out = state(emb)
    idx = torch.tensor([[0, 5, 2], [2, 2, 1]])
    for s in range(2):
        y = emb(idx)
        out["output%d" % s] = y
        out.update(state(emb, "after%d." % s))
    out["input"] = idx
    write("sn_embedding", out)
    reparametrized("wn_linear", nn.utils.weight_norm(nn.Linear(5, 4)), (3, 5), steps=1)
    reparametrized("wn_conv2d_dim1", nn.utils.weight_norm(nn.Conv2d(3, 4, 3), dim=1), (2, 3, 5, 5), steps=1)
    reparametrized("wn_conv2d_whole", nn.utils.weight_norm(nn.Conv2d(3, 4, 3), dim=None), (2, 3, 5, 5), steps=1)


def small_critic():
    """The critic of the penalty cases: conv 1->2 3x3, tanh, flatten, linear 18->1 (input 1x5x5)."""
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.Tanh(), nn.Flatten(), nn.Linear(18, 1))


def losses():
    real = torch.randn(6, 1) * 2
    fake = torch.randn(6, 1) * 2
    pairs = {
        "hinge": (lambda r, f: F.relu(1 - r).mean() + F.relu(1 + f).mean(), lambda f: -f.mean()),
        "non_saturating": (lambda r, f: F.binary_cross_entropy_with_logits(r, torch.ones_like(r))
                           + F.binary_cross_entropy_with_logits(f, torch.zeros_like(f)),
                           lambda f: F.binary_cross_entropy_with_logits(f, torch.ones_like(f))),
        "least_squares": (lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f ** 2).mean(),
                          lambda f: 0.5 * ((f - 1) ** 2).mean()),
        "wasserstein": (lambda r, f: f.mean() - r.mean(), lambda f: -f.mean()),
    }
    out = {"real": real, "fake": fake}
    for name, (d, g) in pairs.items():
        r = real.clone().requires_grad_(True)
        f = fake.clone().requires_grad_(True)
        ld = d(r, f)
        ld.backward()
        out[name + ".d"] = ld
        out[name + ".d_grad_real"] = r.grad
        out[name + ".d_grad_fake"] = f.grad
        f2 = fake.clone().requires_grad_(True)
        lg = g(f2)
        lg.backward()
        out[name + ".g"] = lg
        out[name + ".g_grad_fake"] = f2.grad
    write("losses", out)

    for name in ("r1", "gp"):
        critic = small_critic()
        x = (torch.randn(4, 1, 5, 5) * 0.5).requires_grad_(True)
        grad, = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        sq = grad.pow(2).sum([1, 2, 3])
        penalty = sq.mean() if name == "r1" else ((sq + 1e-12).sqrt() - 1).pow(2).mean()
        penalty.backward()
        case = state(critic)
        case["input"] = x
        case["penalty"] = penalty
        for k, p in critic.named_parameters():
            if p.grad is not None:  # the final bias does not reach the input gradient: its grad stays None
                case["grad." + k] = p.grad
        write(name, case)


class ClassConditionalBatchNorm(nn.Module):
    """BigGAN's ccbn: bn(x) * (1 + gain(c)) + bias(c), gain and bias Embedding tables or bias-free Linear maps."""

    def __init__(self, channels, gain, bias):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, affine=False)
        self.gain = gain
        self.bias = bias

    def forward(self, x, c):
        n = x.shape[0]
        return self.bn(x) * (1 + self.gain(c)).view(n, -1, 1, 1) + self.bias(c).view(n, -1, 1, 1)


class ProjectionHead(nn.Module):
    """Miyato and Koyama's projection: linear(h) + <embed(y), h>, both spectrally normalised."""

    def __init__(self, features, classes):
        super().__init__()
        self.linear = nn.utils.spectral_norm(nn.Linear(features, 1))
        self.embed = nn.utils.spectral_norm(nn.Embedding(classes, features))

    def forward(self, h, y):
        return self.linear(h).squeeze(1) + (self.embed(y) * h).sum(1)


def conditional(case, module, x, c, steps=2):
    with torch.no_grad():
        for k, p in module.named_parameters():
            if "gain" in k or "bias" in k:
                p.copy_(torch.randn_like(p) * 0.3)
    out = state(module)
    out["condition"] = c
    for s in range(steps):
        xs = (x + s).clone().requires_grad_(True)
        y = module(xs, c)
        out["input%d" % s] = xs
        out["output%d" % s] = y
        out.update(state(module, "after%d." % s))
    backward_random(out, y)
    out["grad_input"] = xs.grad
    for k, p in module.named_parameters():
        out["grad." + k] = p.grad
    write(case, out)


def conditioning():
    labels = torch.tensor([0, 2, 1, 2])
    conditional("ccbn_classes", ClassConditionalBatchNorm(3, nn.Embedding(4, 3), nn.Embedding(4, 3)),
                torch.randn(4, 3, 2, 3), labels)
    conditional("ccbn_vector", ClassConditionalBatchNorm(3, nn.Linear(5, 3, bias=False), nn.Linear(5, 3, bias=False)),
                torch.randn(4, 3, 2, 3), torch.randn(4, 5))
    conditional("projection", ProjectionHead(6, 4), torch.randn(4, 6), labels)


if __name__ == "__main__":
    torch.manual_seed(19)
    spectral_and_weight_norm()
    losses()
    conditioning()
