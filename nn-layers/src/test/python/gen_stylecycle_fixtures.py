"""PyTorch parity fixtures of the layers the CycleGAN and StyleGAN parts need (issue 19).

Run with a Python that has torch (here: /usr/bin/python3):

    /usr/bin/python3 nn-layers/src/test/python/gen_stylecycle_fixtures.py

Writes nn-layers/src/test/resources/nn/stylecycle/<case>.txt in the format and with the contents of
gen_nn_fixtures.py's layer cases (state., input, output, grad_output, grad_input, grad., after.), read by
StyleCycleParityTest.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import gen_nn_fixtures as G  # noqa: E402

G.OUT = os.path.join(HERE, "..", "resources", "nn", "stylecycle")


def r(*shape):
    return torch.randn(*shape)


def cyclegan_layers():
    G.layer("reflection_pad_3", nn.ReflectionPad2d(3), r(2, 2, 5, 6))
    G.layer("reflection_pad_asym_3d", nn.ReflectionPad2d((1, 2, 0, 3)), r(2, 4, 5))
    G.layer("instancenorm_track_train", nn.InstanceNorm2d(3, affine=True, track_running_stats=True), r(2, 3, 4, 5) * 2 + 1)
    G.layer("instancenorm_track_eval", nn.InstanceNorm2d(3, affine=True, track_running_stats=True), r(2, 3, 4, 5),
            train=False)
    G.layer("instancenorm_track_momentum_noaffine",
            nn.InstanceNorm2d(2, momentum=0.3, track_running_stats=True), r(3, 2, 3, 3) - 0.5)


# ---------------------------------------------------------------- StyleGAN layers (the reference for the Java ones)

def lrelu(x):
    """StyleGAN's activation: leaky ReLU (slope 0.2) times sqrt(2), which keeps the variance of its input."""
    return F.leaky_relu(x, 0.2) * math.sqrt(2)


class EqualLinear(nn.Module):
    """Equalized learning rate: weight N(0, 1) / lr_mul, used as weight * lr_mul / sqrt(in); bias used as bias * lr_mul."""

    def __init__(self, i, o, bias=True, bias_init=0.0, lr_mul=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i) / lr_mul)
        self.bias = nn.Parameter(torch.full((o,), float(bias_init))) if bias else None
        self.scale = lr_mul / math.sqrt(i)
        self.lr_mul = lr_mul

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, None if self.bias is None else self.bias * self.lr_mul)


class EqualConv2d(nn.Module):
    def __init__(self, i, o, k, stride=1, padding=0, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i, k, k))
        self.bias = nn.Parameter(torch.zeros(o)) if bias else None
        self.scale = 1 / math.sqrt(i * k * k)
        self.stride, self.padding = stride, padding

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, stride=self.stride, padding=self.padding)


class ModulatedConv2d(nn.Module):
    """StyleGAN2's modulated convolution as one grouped convolution: weight [o, i, k, k] N(0, 1) scaled by 1/sqrt(i k k),
    styles s = modulation(w) (bias initialised to 1), per-sample weights W * s, demodulated by rsqrt(sum W'^2 + 1e-8)."""

    def __init__(self, i, o, k, style_dim, demodulate=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i, k, k))
        self.modulation = EqualLinear(style_dim, i, bias_init=1.0)
        self.scale = 1 / math.sqrt(i * k * k)
        self.demodulate = demodulate

    def forward(self, x, w):
        n, c, h, wd = x.shape
        o, _, k, _ = self.weight.shape
        s = self.modulation(w)
        weight = self.scale * self.weight.unsqueeze(0) * s.view(n, 1, c, 1, 1)
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8).view(n, o, 1, 1, 1)
        out = F.conv2d(x.reshape(1, n * c, h, wd), weight.view(n * o, c, k, k), padding=k // 2, groups=n)
        return out.view(n, o, h, wd)


class NoiseInjection(nn.Module):
    """x + strength[c] * noise, one noise map [N, 1, H, W] shared by the channels, strength per channel (zeros)."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(channels))

    def forward(self, x, noise):
        return x + self.weight.view(1, -1, 1, 1) * noise


def pixel_norm(x):
    return x * torch.rsqrt(x.pow(2).mean(1, keepdim=True) + 1e-8)


class MappingNetwork(nn.Module):
    """z -> w: pixel norm, then n EqualLinear(lr_mul) + lrelu; w_avg tracks the mean w in training (beta 0.995)."""

    def __init__(self, z_dim, w_dim, n, lr_mul=0.01, w_avg_beta=0.995):
        super().__init__()
        self.layers = nn.ModuleList([EqualLinear(z_dim if j == 0 else w_dim, w_dim, lr_mul=lr_mul) for j in range(n)])
        self.register_buffer("w_avg", torch.zeros(w_dim))
        self.beta = w_avg_beta

    def forward(self, z):
        x = pixel_norm(z)
        for layer in self.layers:
            x = lrelu(layer(x))
        if self.training:
            self.w_avg.copy_(x.detach().mean(0).lerp(self.w_avg, self.beta))
        return x

    def truncate(self, w, psi):
        return self.w_avg.lerp(w, psi)


def minibatch_stddev(x, group_size=4, channels=1):
    n, c, h, w = x.shape
    g = min(group_size, n)
    y = x.reshape(g, -1, channels, c // channels, h, w)
    y = y - y.mean(0)
    y = y.square().mean(0)
    y = (y + 1e-8).sqrt()
    y = y.mean([2, 3, 4])
    y = y.reshape(-1, channels, 1, 1)
    y = y.repeat(g, 1, h, w)
    return torch.cat([x, y], 1)


class MinibatchStdDev(nn.Module):
    def __init__(self, group_size=4, channels=1):
        super().__init__()
        self.group_size, self.channels = group_size, channels

    def forward(self, x):
        return minibatch_stddev(x, self.group_size, self.channels)



def two_input_case(case, module, x, other, other_name, train=True):
    """A layer with a second input (style or noise): its state, both inputs, output, grads of both inputs and params."""
    module.train(train)
    state = {k: v.clone() for k, v in module.state_dict().items()}
    x = x.clone().requires_grad_(True)
    other = other.clone().requires_grad_(True)
    y = module(x, other)
    gy = torch.randn_like(y)
    y.backward(gy)
    t = {"state." + k: v for k, v in state.items()}
    t.update({"input": x, other_name: other, "output": y, "grad_output": gy, "grad_input": x.grad,
              "grad_" + other_name: other.grad})
    for k, p in module.named_parameters():
        t["grad." + k] = p.grad
    G.write(case, t)


def stylegan_layers():
    torch.manual_seed(20)
    G.layer("equal_linear", EqualLinear(5, 3, bias_init=0.3), r(4, 5))
    G.layer("equal_linear_lrmul", EqualLinear(6, 4, lr_mul=0.01), r(3, 6))
    with torch.no_grad():
        conv = EqualConv2d(3, 4, 3, stride=2, padding=1)
        conv.bias.copy_(torch.randn(4))
    G.layer("equal_conv2d", conv, r(2, 3, 7, 6))
    G.layer("equal_conv2d_nobias", EqualConv2d(2, 3, 1, bias=False), r(2, 2, 4, 4))
    two_input_case("modulated_conv_demod", ModulatedConv2d(3, 4, 3, 5), r(2, 3, 6, 5), r(2, 5), "style")
    two_input_case("modulated_conv_nodemod_1x1", ModulatedConv2d(4, 2, 1, 3, demodulate=False), r(3, 4, 4, 4), r(3, 3),
                   "style")
    noise = NoiseInjection(3)
    with torch.no_grad():
        noise.weight.copy_(torch.randn(3))
    two_input_case("noise_injection", noise, r(2, 3, 4, 5), r(2, 1, 4, 5), "noise")
    mapping = MappingNetwork(6, 5, 3)
    with torch.no_grad():
        mapping.w_avg.copy_(torch.randn(5))
    G.layer("mapping_train", mapping, r(4, 6))
    mapping.zero_grad(set_to_none=True)  # the gradients of this case alone
    G.layer("mapping_eval", mapping, r(3, 6), train=False)
    G.layer("minibatch_stddev_g2_c2", MinibatchStdDev(2, 2), r(4, 4, 3, 3))
    G.layer("minibatch_stddev_small_batch", MinibatchStdDev(4, 1), r(3, 2, 2, 2))
    w = r(3, 5)
    t = {"w_avg": mapping.w_avg, "w": w, "psi": torch.tensor(0.7), "output": mapping.truncate(w, 0.7)}
    G.write("truncation", t)


if __name__ == "__main__":
    torch.manual_seed(19)
    cyclegan_layers()
    stylegan_layers()
