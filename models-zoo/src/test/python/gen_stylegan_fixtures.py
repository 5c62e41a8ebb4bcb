#!/usr/bin/python3
"""Parity fixtures for dev.kasane.vision.models.StyleGenerator and StyleDiscriminator: a small StyleGAN2-style
generator (mapping network, constant 4x4 input, modulated/demodulated 3x3 convolutions with noise inputs, bilinear
upsampling, toRGB skip connections) and a residual discriminator with minibatch standard deviation, written below
over the layers of nn-layers' gen_stylecycle_fixtures.py (the reference for the Java layers).

Run with the interpreter that has PyTorch (here /usr/bin/python3):

    /usr/bin/python3 models-zoo/src/test/python/gen_stylegan_fixtures.py

stylegan_g.safetensors (float32): w.<key> (the state dict, seeded default initialisation, noise strengths and w_avg
randomised), z1, z2 [N, z_dim], noise.<k> [N, 1, H, W] per noise input, output: the eval-mode synthesis from
mix(truncate(mapping(z1), 0.7), truncate(mapping(z2), 0.7), crossover 3), r, grad.<key>: d sum(output * r) / d param.
stylegan_d.safetensors: w.<key>, input, output, r, grad_input, grad.<key>.
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
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "nn-layers", "src", "test", "python"))
import reference_models as R  # noqa: E402  (its save_safetensors)
from gen_stylecycle_fixtures import (EqualConv2d, EqualLinear, MappingNetwork, MinibatchStdDev,  # noqa: E402
                                     ModulatedConv2d, NoiseInjection, lrelu)

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))


def up2(x):
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class StyledConv(nn.Module):
    def __init__(self, i, o, w_dim, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(i, o, 3, w_dim)
        self.noise = NoiseInjection(o)
        self.bias = nn.Parameter(torch.zeros(o))
        self.upsample = upsample

    def forward(self, x, w, noise):
        if self.upsample:
            x = up2(x)
        return lrelu(self.noise(self.conv(x, w), noise) + self.bias.view(1, -1, 1, 1))


class ToRGB(nn.Module):
    def __init__(self, i, o, w_dim):
        super().__init__()
        self.conv = ModulatedConv2d(i, o, 1, w_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(o))

    def forward(self, x, w, skip=None):
        y = self.conv(x, w) + self.bias.view(1, -1, 1, 1)
        return y if skip is None else y + up2(skip)


class StyleGenerator(nn.Module):
    def __init__(self, z_dim, w_dim, n_mlp, img_channels, channels):
        super().__init__()
        self.mapping = MappingNetwork(z_dim, w_dim, n_mlp)
        self.input = nn.Parameter(torch.randn(1, channels[0], 4, 4))
        self.conv1 = StyledConv(channels[0], channels[0], w_dim)
        self.to_rgb1 = ToRGB(channels[0], img_channels, w_dim)
        self.convs = nn.ModuleList()
        self.to_rgbs = nn.ModuleList()
        for a, b in zip(channels[:-1], channels[1:]):
            self.convs.append(StyledConv(a, b, w_dim, upsample=True))
            self.convs.append(StyledConv(b, b, w_dim))
            self.to_rgbs.append(ToRGB(b, img_channels, w_dim))
        self.num_ws = 2 * len(channels)

    def synthesis(self, ws, noise):
        x = self.input.repeat(ws.shape[0], 1, 1, 1)
        x = self.conv1(x, ws[:, 0], noise[0])
        rgb = self.to_rgb1(x, ws[:, 1])
        for j, to_rgb in enumerate(self.to_rgbs):
            x = self.convs[2 * j](x, ws[:, 2 * j + 1], noise[2 * j + 1])
            x = self.convs[2 * j + 1](x, ws[:, 2 * j + 2], noise[2 * j + 2])
            rgb = to_rgb(x, ws[:, 2 * j + 3], rgb)
        return rgb


class DBlock(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv1 = EqualConv2d(i, i, 3, padding=1)
        self.conv2 = EqualConv2d(i, o, 3, padding=1)
        self.skip = EqualConv2d(i, o, 1, bias=False)

    def forward(self, x):
        y = F.avg_pool2d(lrelu(self.conv2(lrelu(self.conv1(x)))), 2)
        return (y + self.skip(F.avg_pool2d(x, 2))) / math.sqrt(2)


class StyleDiscriminator(nn.Module):
    def __init__(self, img_channels, channels, mbstd_group=4):
        super().__init__()
        self.from_rgb = EqualConv2d(img_channels, channels[-1], 1)
        self.blocks = nn.ModuleList([DBlock(channels[j], channels[j - 1]) for j in range(len(channels) - 1, 0, -1)])
        self.mbstd = MinibatchStdDev(mbstd_group, 1)
        self.final_conv = EqualConv2d(channels[0] + 1, channels[0], 3, padding=1)
        self.final_linear = EqualLinear(channels[0] * 16, channels[0])
        self.out = EqualLinear(channels[0], 1)

    def forward(self, x):
        x = lrelu(self.from_rgb(x))
        for b in self.blocks:
            x = b(x)
        x = lrelu(self.final_conv(self.mbstd(x)))
        return self.out(lrelu(self.final_linear(x.flatten(1))))


def grads(t, model):
    for k, p in model.named_parameters():
        t["grad." + k] = p.grad if p.grad is not None else torch.zeros_like(p)


def generator_case():
    g = StyleGenerator(8, 6, 2, 1, [6, 5, 4])
    with torch.no_grad():
        for k, p in g.named_parameters():
            if k.endswith("noise.weight") or k.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.3 + (1 if k.endswith("modulation.bias") else 0))
        g.mapping.w_avg.copy_(torch.randn(6) * 0.5)
    g.eval()
    n = 3
    z1, z2 = torch.randn(n, 8), torch.randn(n, 8)
    noise = [torch.randn(n, 1, 4, 4)] + [torch.randn(n, 1, s, s) for s in (8, 8, 16, 16)]
    ws1 = g.mapping.truncate(g.mapping(z1), 0.7).unsqueeze(1).repeat(1, g.num_ws, 1)
    ws2 = g.mapping.truncate(g.mapping(z2), 0.7).unsqueeze(1).repeat(1, g.num_ws, 1)
    ws = torch.cat([ws1[:, :3], ws2[:, 3:]], 1)
    y = g.synthesis(ws, noise)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    t = {"w." + k: v for k, v in g.state_dict().items()}
    t.update({"z1": z1, "z2": z2, "output": y, "r": r})
    for k, v in enumerate(noise):
        t["noise.%d" % k] = v
    grads(t, g)
    R.save_safetensors(os.path.join(OUT, "stylegan_g.safetensors"), t)


def discriminator_case():
    d = StyleDiscriminator(1, [6, 5, 4], mbstd_group=2)
    with torch.no_grad():
        for k, p in d.named_parameters():
            if k.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.3)
    x = torch.randn(4, 1, 16, 16, requires_grad=True)
    y = d(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    t = {"w." + k: v for k, v in d.state_dict().items()}
    t.update({"input": x, "output": y, "r": r, "grad_input": x.grad})
    grads(t, d)
    R.save_safetensors(os.path.join(OUT, "stylegan_d.safetensors"), t)


if __name__ == "__main__":
    torch.manual_seed(23)
    generator_case()
    discriminator_case()
