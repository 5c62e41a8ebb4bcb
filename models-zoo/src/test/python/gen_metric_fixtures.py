#!/usr/bin/python3
"""Reference values for dev.kasane.vision.metrics and transforms tests (PSNR, SSIM, their super-resolution
variants on the BT.601 luma with a shaved border, and bilinear resize).

Run with the interpreter that has PyTorch and NumPy (here /usr/bin/python3):

    /usr/bin/python3 models-zoo/src/test/python/gen_metric_fixtures.py

Writes models-zoo/src/test/resources/fixtures/vision_metrics.safetensors (F64 arrays).
The inputs are defined by formulas over the flat index that VisionFixtureTest.java repeats,
so only the inputs of the resize check and the expected outputs are stored.

SSIM is Wang, Bovik, Sheikh and Simoncelli (2004), "Image quality assessment: from error
visibility to structural similarity", with the authors' ssim_index.m choices: 11x11 Gaussian
window, sigma 1.5, normalised to sum 1; K1 = 0.01, K2 = 0.03, C1 = (K1 L)^2, C2 = (K2 L)^2;
"valid" filtering (no padding); local statistics with population (biased) variance; the mean of
the SSIM map, here averaged over all channels and images.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402  (its save_safetensors writes the fixture)


def image_a(shape):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    return (0.5 + 0.45 * np.sin(0.37 * i) * np.cos(0.011 * i)).reshape(shape)


def image_b(shape):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    return np.clip(image_a(shape).ravel() + 0.08 * np.sin(1.3 * i + 0.5), 0.0, 1.0).reshape(shape)


def gaussian(size=11, sigma=1.5):
    d = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-d * d / (2 * sigma * sigma))
    return g / g.sum()


def filter_valid(p, g):
    k = len(g)
    h, w = p.shape
    rows = np.stack([sum(g[t] * p[:, j + t] for t in range(k)) for j in range(w - k + 1)], axis=1)
    return np.stack([sum(g[t] * rows[i + t, :] for t in range(k)) for i in range(h - k + 1)], axis=0)


def ssim(a, b, data_range):
    h, w = a.shape[-2:]
    a = a.reshape(-1, h, w)
    b = b.reshape(-1, h, w)
    g = gaussian()
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    vals = []
    for x, y in zip(a, b):
        mx, my = filter_valid(x, g), filter_valid(y, g)
        sxx = filter_valid(x * x, g) - mx * mx
        syy = filter_valid(y * y, g) - my * my
        sxy = filter_valid(x * y, g) - mx * my
        m = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
        vals.append(m.mean())
    return float(np.mean(vals))


def ssim_torch(a, b, data_range):
    """Independent check of ssim() with a 2-D conv of the outer-product window."""
    g = torch.tensor(gaussian())
    win = torch.outer(g, g)[None, None]
    h, w = a.shape[-2:]
    x = torch.tensor(a).reshape(-1, 1, h, w)
    y = torch.tensor(b).reshape(-1, 1, h, w)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mx, my = F.conv2d(x, win), F.conv2d(y, win)
    sxx = F.conv2d(x * x, win) - mx ** 2
    syy = F.conv2d(y * y, win) - my ** 2
    sxy = F.conv2d(x * y, win) - mx * my
    m = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (sxx + syy + c2))
    return float(m.mean(dim=(1, 2, 3)).mean())


def psnr(a, b, data_range):
    return float(10 * np.log10(data_range ** 2 / np.mean((a - b) ** 2)))


def luma(rgb):
    """ITU-R BT.601 Y of RGB in [0, 1] (channel axis -3), in [16, 235] / 255, as skimage.color.rgb2ycbcr / 255."""
    r, g, b = rgb[..., 0, :, :], rgb[..., 1, :, :], rgb[..., 2, :, :]
    return ((16 + 65.481 * r + 128.553 * g + 24.966 * b) / 255.0)[..., None, :, :]


def main():
    out = {}
    shape = (2, 3, 16, 20)
    a, b = image_a(shape), image_b(shape)
    out["psnr"] = np.array(psnr(a, b, 1.0))
    out["ssim"] = np.array(ssim(a, b, 1.0))
    assert abs(out["ssim"] - ssim_torch(a, b, 1.0)) < 1e-12
    # the same images on a 0..255 scale
    out["ssim255"] = np.array(ssim(a * 255, b * 255, 255.0))
    out["psnr255"] = np.array(psnr(a * 255, b * 255, 255.0))
    # a single grey image [H, W] larger than the window in one direction only
    s2 = (11, 30)
    out["ssim_hw"] = np.array(ssim(image_a(s2), image_b(s2), 1.0))

    # super-resolution measures: Y channel, a border of 3 pixels shaved
    s3 = (2, 3, 24, 26)
    ya, yb = luma(image_a(s3)), luma(image_b(s3))
    out["luma"] = ya
    out["psnr_y_shave3"] = np.array(psnr(ya[..., 3:-3, 3:-3], yb[..., 3:-3, 3:-3], 1.0))
    out["ssim_y_shave3"] = np.array(ssim(ya[..., 3:-3, 3:-3], yb[..., 3:-3, 3:-3], 1.0))

    # bilinear resize as F.interpolate(align_corners=False, antialias=False)
    x = image_a((1, 3, 7, 9))
    out["resize_in"] = x
    for (h, w) in [(12, 5), (4, 13), (7, 9), (3, 3)]:
        y = F.interpolate(torch.tensor(x), size=(h, w), mode="bilinear", align_corners=False)
        out[f"resize_{h}x{w}"] = y.numpy()
    dest = os.path.join(HERE, "..", "resources", "fixtures", "vision_metrics.safetensors")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    R.save_safetensors(dest, {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in out.items()})
    print("wrote", os.path.normpath(dest), {k: (v.shape if v.ndim else float(v)) for k, v in out.items()})


if __name__ == "__main__":
    main()
