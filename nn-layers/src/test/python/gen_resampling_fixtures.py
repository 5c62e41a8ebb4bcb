"""Writes the PyTorch parity fixtures of Kasane's bicubic and antialiased interpolation (ResamplingParityTest).

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_resampling_fixtures.py

Same format and case layout as gen_nn_fixtures.py (whose helpers it uses): each case becomes
nn-layers/src/test/resources/nn/<case>.txt with input, output, grad_output and grad_input. Seeded on its own, so
adding cases here changes no fixture of gen_nn_fixtures.py.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import layer, r  # noqa: E402


def interp(case, x, **kw):
    layer(case, nn.Identity(), x, call=lambda m, t: F.interpolate(t, **kw))


def main():
    torch.manual_seed(18)
    # plain bicubic (A = -0.75, border pixels repeated) through nn.Upsample
    layer("upsample_bicubic_x2", nn.Upsample(scale_factor=2, mode="bicubic", align_corners=False), r(1, 2, 4, 5))
    layer("upsample_bicubic_align", nn.Upsample(size=(5, 7), mode="bicubic", align_corners=True), r(1, 2, 3, 4))
    layer("upsample_bicubic_down", nn.Upsample(size=(3, 2), mode="bicubic", align_corners=False), r(2, 1, 7, 5))
    layer("upsample_bicubic_frac", nn.Upsample(scale_factor=(1.5, 2.25), mode="bicubic", align_corners=False),
          r(1, 2, 4, 4))
    # antialiased downscaling (and upscaling, where only the bicubic filter's A differs)
    interp("interp_bilinear_aa_down", r(1, 2, 9, 13), size=(3, 4), mode="bilinear", antialias=True)
    interp("interp_bilinear_aa_align", r(1, 1, 10, 11), size=(4, 3), mode="bilinear", align_corners=True, antialias=True)
    interp("interp_bicubic_aa_down", r(2, 1, 12, 10), scale_factor=1 / 3, mode="bicubic", antialias=True)
    interp("interp_bicubic_aa_down_size", r(1, 2, 11, 16), size=(5, 4), mode="bicubic", antialias=True)
    interp("interp_bicubic_aa_align", r(1, 1, 9, 12), size=(4, 5), mode="bicubic", align_corners=True, antialias=True)
    interp("interp_bicubic_aa_up", r(1, 2, 4, 5), size=(7, 9), mode="bicubic", antialias=True)
    interp("interp_bicubic_mixed", r(1, 1, 6, 5), size=(13, 2), mode="bicubic", align_corners=False)


if __name__ == "__main__":
    main()
