"""PyTorch parity fixtures of the layers the CycleGAN and StyleGAN parts need (issue 19).

Run with a Python that has torch (here: /usr/bin/python3):

    /usr/bin/python3 nn-layers/src/test/python/gen_stylecycle_fixtures.py

Writes nn-layers/src/test/resources/nn/stylecycle/<case>.txt in the format and with the contents of
gen_nn_fixtures.py's layer cases (state., input, output, grad_output, grad_input, grad., after.), read by
StyleCycleParityTest.
"""
import os
import sys

import torch
import torch.nn as nn

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


if __name__ == "__main__":
    torch.manual_seed(19)
    cyclegan_layers()
