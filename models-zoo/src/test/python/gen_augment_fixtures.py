#!/usr/bin/python3
"""Reference outputs of torchvision 0.14's functional image ops on fixed parameters, for AugmentationsParityTest
(the SimCLR augmentations: resized crop, colour adjustments, grayscale, Gaussian blur).

Run with the interpreter that has torch and torchvision (here /usr/bin/python3, PyTorch 1.13, torchvision 0.14):

    /usr/bin/python3 models-zoo/src/test/python/gen_augment_fixtures.py

Writes models-zoo/src/test/resources/fixtures/augment.safetensors (F32 arrays): the inputs "rgb" [3, 9, 11],
"gray" [1, 9, 11] and "batch" [2, 3, 6, 7] (uniform in [0, 1], with some pixels whose channels are equal or
share their maximum, to reach every branch of the HSV conversion), and one output per case named below.
"""
import os
import sys

import torch
import torchvision
import torchvision.transforms.functional as TF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "fixtures", "augment.safetensors")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402  (its save_safetensors writes the fixture)


def inputs():
    g = torch.Generator().manual_seed(2314)
    rgb = torch.rand(3, 9, 11, generator=g)
    rgb[:, 0, 0] = 0.5            # r = g = b: hue and saturation 0
    rgb[:, 0, 1] = 0.0            # black
    rgb[:, 0, 2] = torch.tensor([0.7, 0.7, 0.2])  # max shared by r and g
    rgb[:, 0, 3] = torch.tensor([0.3, 0.8, 0.8])  # max shared by g and b
    rgb[:, 0, 4] = torch.tensor([0.9, 0.1, 0.9])  # max shared by r and b
    rgb[:, 0, 5] = 1.0            # white
    gray = torch.rand(1, 9, 11, generator=g)
    batch = torch.rand(2, 3, 6, 7, generator=g)
    return rgb, gray, batch


def main():
    assert torchvision.__version__.startswith("0.14"), torchvision.__version__
    rgb, gray, batch = inputs()
    out = {"rgb": rgb, "gray": gray, "batch": batch}
    # resized crop (bilinear, antialias off: the tensor default of torchvision 0.14)
    out["resized_crop_up"] = TF.resized_crop(rgb, 2, 3, 5, 6, [9, 11])
    out["resized_crop_down"] = TF.resized_crop(gray, 1, 0, 8, 11, [4, 5])
    out["resized_crop_batch"] = TF.resized_crop(batch, 0, 1, 4, 6, [6, 7])
    # colour adjustments
    for name, img in (("rgb", rgb), ("gray", gray), ("batch", batch)):
        out[f"brightness_{name}"] = TF.adjust_brightness(img, 1.3)
        out[f"brightness_dark_{name}"] = TF.adjust_brightness(img, 0.45)
        out[f"contrast_{name}"] = TF.adjust_contrast(img, 0.6)
        out[f"contrast_high_{name}"] = TF.adjust_contrast(img, 1.7)
    for name, img in (("rgb", rgb), ("batch", batch)):
        out[f"saturation_{name}"] = TF.adjust_saturation(img, 0.3)
        out[f"saturation_high_{name}"] = TF.adjust_saturation(img, 1.8)
        out[f"hue_{name}"] = TF.adjust_hue(img, 0.23)
        out[f"hue_neg_{name}"] = TF.adjust_hue(img, -0.41)
        out[f"grayscale1_{name}"] = TF.rgb_to_grayscale(img, 1)
        out[f"grayscale3_{name}"] = TF.rgb_to_grayscale(img, 3)
    # a ColorJitter draw with its order fixed: hue, brightness, saturation, contrast
    j = TF.adjust_hue(rgb, 0.08)
    j = TF.adjust_brightness(j, 0.7)
    j = TF.adjust_saturation(j, 1.4)
    out["jitter_rgb"] = TF.adjust_contrast(j, 1.2)
    # Gaussian blur: kernel_size is [width, height], sigma [x, y]; reflect padding
    out["blur_rgb"] = TF.gaussian_blur(rgb, [3, 3], [0.7, 0.7])
    out["blur_rgb_aniso"] = TF.gaussian_blur(rgb, [5, 3], [1.2, 0.5])
    out["blur_gray"] = TF.gaussian_blur(gray, [7, 7], [1.9, 1.9])
    out["blur_batch"] = TF.gaussian_blur(batch, [3, 5], [0.4, 1.1])
    R.save_safetensors(OUT, {k: v.contiguous() for k, v in out.items()})
    print("wrote", OUT, len(out), "arrays")


if __name__ == "__main__":
    main()
