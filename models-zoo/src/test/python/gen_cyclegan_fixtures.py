#!/usr/bin/python3
"""Parity fixtures for dev.kasane.vision.models.CycleGAN: the ResNet generator and the PatchGAN discriminator of
pytorch-CycleGAN-and-pix2pix (models/networks.py, with its defaults: instance norm without affine parameters or
running statistics, so every convolution has a bias; no dropout; reflection padding), written out below.

Run with the interpreter that has PyTorch (here /usr/bin/python3):

    /usr/bin/python3 models-zoo/src/test/python/gen_cyclegan_fixtures.py

For each case, models-zoo/src/test/resources/fixtures/cyclegan_<case>.safetensors holds (float32):
  w.<key>      the state dict (PyTorch's default initialisation, seeded)
  input        the input batch
  output       the output (train mode; instance norm has no running statistics, so eval is the same)
  r            a random tensor of the output's shape; the loss is sum(output * r)
  grad_input   d loss / d input
  grad.<key>   d loss / d parameter, for every parameter
"""
import functools
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402  (its save_safetensors)

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))
norm_layer = functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)


class ResnetBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), norm_layer(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), norm_layer(dim))

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, n_blocks=6):
        super().__init__()
        model = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=True), norm_layer(ngf),
                 nn.ReLU(True)]
        n_downsampling = 2
        for i in range(n_downsampling):
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, bias=True),
                      norm_layer(ngf * mult * 2), nn.ReLU(True)]
        mult = 2 ** n_downsampling
        for i in range(n_blocks):
            model += [ResnetBlock(ngf * mult)]
        for i in range(n_downsampling):
            mult = 2 ** (n_downsampling - i)
            model += [nn.ConvTranspose2d(ngf * mult, int(ngf * mult / 2), kernel_size=3, stride=2, padding=1,
                                         output_padding=1, bias=True),
                      norm_layer(int(ngf * mult / 2)), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3)]
        model += [nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0)]
        model += [nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf=64, n_layers=3):
        super().__init__()
        kw, padw = 4, 1
        sequence = [nn.Conv2d(input_nc, ndf, kernel_size=kw, stride=2, padding=padw), nn.LeakyReLU(0.2, True)]
        nf_mult = 1
        for n in range(1, n_layers):
            nf_mult_prev = nf_mult
            nf_mult = min(2 ** n, 8)
            sequence += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, kernel_size=kw, stride=2, padding=padw, bias=True),
                         norm_layer(ndf * nf_mult), nn.LeakyReLU(0.2, True)]
        nf_mult_prev = nf_mult
        nf_mult = min(2 ** n_layers, 8)
        sequence += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, kernel_size=kw, stride=1, padding=padw, bias=True),
                     norm_layer(ndf * nf_mult), nn.LeakyReLU(0.2, True)]
        sequence += [nn.Conv2d(ndf * nf_mult, 1, kernel_size=kw, stride=1, padding=padw)]
        self.model = nn.Sequential(*sequence)

    def forward(self, x):
        return self.model(x)


def case(name, model, x):
    x = x.clone().requires_grad_(True)
    y = model(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    t = {"w." + k: v for k, v in model.state_dict().items()}
    t.update({"input": x, "output": y, "r": r, "grad_input": x.grad})
    for k, p in model.named_parameters():
        t["grad." + k] = p.grad
    R.save_safetensors(os.path.join(OUT, "cyclegan_" + name + ".safetensors"), t)


if __name__ == "__main__":
    torch.manual_seed(7)
    case("resnet_g_ngf4_b2", ResnetGenerator(1, 2, ngf=4, n_blocks=2), torch.randn(2, 1, 12, 16))
    case("patch_d_ndf4_l3", NLayerDiscriminator(2, ndf=4, n_layers=3), torch.randn(2, 2, 32, 36))
    case("patch_d_ndf3_l2", NLayerDiscriminator(1, ndf=3, n_layers=2), torch.randn(1, 1, 28, 28))
    case("patch_d_ndf2_l4", NLayerDiscriminator(1, ndf=2, n_layers=4), torch.randn(1, 1, 64, 64))
