#!/usr/bin/python3
"""Parity fixtures for the zoo's super-resolution models (SRCNN, ESPCN, EDSR), with their PyTorch definitions.

Run with the interpreter that has PyTorch (here /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 models-zoo/src/test/python/gen_superres_fixtures.py

Writes models-zoo/src/test/resources/fixtures/zoo_<name>.safetensors in the layout of gen_zoo_fixtures.py (whose
run() it uses), with the PyTorch-initialised weights stored as w.<key>, so the Java test loads them strict and
checks the state-dict keys and shapes too. The definitions below are the reference: SRCNN 9-1-5 (Dong et al.
2014) with "same" padding, ESPCN (Shi et al. 2016) with tanh, and EDSR (Lim et al. 2017) with the authors' module
names but without the mean-shift layers.
"""
import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from gen_zoo_fixtures import formula_input, run  # noqa: E402


class SRCNN(nn.Module):
    def __init__(self, channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 64, 9, padding=4)
        self.conv2 = nn.Conv2d(64, 32, 1)
        self.conv3 = nn.Conv2d(32, channels, 5, padding=2)

    def forward(self, x):
        return self.conv3(torch.relu(self.conv2(torch.relu(self.conv1(x)))))


class ESPCN(nn.Module):
    def __init__(self, scale, channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 64, 5, padding=2)
        self.conv2 = nn.Conv2d(64, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, channels * scale * scale, 3, padding=1)
        self.pixel_shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        return self.pixel_shuffle(self.conv3(torch.tanh(self.conv2(torch.tanh(self.conv1(x))))))


def conv(a, b):
    return nn.Conv2d(a, b, 3, padding=1)


class ResBlock(nn.Module):
    def __init__(self, features, res_scale):
        super().__init__()
        self.body = nn.Sequential(conv(features, features), nn.ReLU(True), conv(features, features))
        self.res_scale = res_scale

    def forward(self, x):
        return self.body(x).mul(self.res_scale) + x


class Upsampler(nn.Sequential):
    def __init__(self, scale, features):
        m = []
        if scale & (scale - 1) == 0:
            for _ in range(int(math.log2(scale))):
                m += [conv(features, 4 * features), nn.PixelShuffle(2)]
        elif scale == 3:
            m += [conv(features, 9 * features), nn.PixelShuffle(3)]
        else:
            raise ValueError(scale)
        super().__init__(*m)


class EDSR(nn.Module):
    def __init__(self, scale, channels=3, features=64, blocks=16, res_scale=1.0):
        super().__init__()
        self.head = nn.Sequential(conv(channels, features))
        self.body = nn.Sequential(*[ResBlock(features, res_scale) for _ in range(blocks)], conv(features, features))
        self.tail = nn.Sequential(Upsampler(scale, features), conv(features, channels))

    def forward(self, x):
        x = self.head(x)
        return self.tail(self.body(x) + x)


def main():
    torch.manual_seed(18)
    run("srcnn", SRCNN(1), formula_input((2, 1, 12, 11), 0.2), True)
    run("espcn_x3", ESPCN(3, 1), formula_input((2, 1, 6, 5), 0.4), True)
    run("edsr_x2", EDSR(2, 1, 8, 2, 0.1), formula_input((2, 1, 6, 7), 0.6), True)
    run("edsr_x3", EDSR(3, 3, 8, 2, 1.0), formula_input((1, 3, 5, 6), 0.8), True)
    run("edsr_x4", EDSR(4, 1, 6, 1, 0.5), formula_input((2, 1, 4, 5), 1.0), True)


if __name__ == "__main__":
    main()
