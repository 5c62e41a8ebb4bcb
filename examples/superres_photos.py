#!/usr/bin/python3
"""Builds the larger training folder of the superres example from Debian packages (apt only, no other download).

The default `superres` run trains on 8 of scikit-image's photographs. This script gathers 46 photographs for
training, from packages any Debian mirror serves, plus the same 3 held-out images (chelsea, coffee,
motorcycle_left), and writes them as one folder with the `--images` list in `images.txt`:

  - scikit-image's photographs (python3-skimage) and SciPy's `face` and `ascent` (python3-scipy), as in README;
  - OpenCV's sample photographs (opencv-doc: baboon, building, butterfly, fruits, ...) and scikit-learn's two
    sample photographs (python3-sklearn: china, flower), copied as they are;
  - 19 photographs from desktop wallpaper packages (lomiri-wallpapers-16.04, lomiri-wallpapers-20.04,
    plasma-workspace-wallpapers), shrunk to at most 640 pixels on their long side (Lanczos), which leaves them as
    sharp per pixel as the others (at 2,560 to 6,000 pixels they are soft and carry JPEG noise).

Usage, in an empty working folder (needs python3-pil, python3-numpy and python3-scipy):

  apt-get download python3-skimage opencv-doc python3-sklearn lomiri-wallpapers-16.04 \\
      lomiri-wallpapers-20.04 plasma-workspace-wallpapers
  for f in *.deb; do dpkg -x "$f" x; done
  python3 superres_photos.py x photos
  java ... -jar examples.jar superres --data photos --images "$(cat photos/images.txt)" ...
"""
import os
import shutil
import sys
import warnings

import numpy as np
import scipy.misc
from PIL import Image

SKIMAGE = "usr/lib/python3/dist-packages/skimage/data"
OPENCV = "usr/share/doc/opencv-doc/examples/data"
SKLEARN = "usr/lib/python3/dist-packages/sklearn/datasets/images"
LOMIRI = "usr/share/backgrounds"
PLASMA = "usr/share/wallpapers"

SKIMAGE_TRAIN = ["astronaut.png", "camera.png", "coins.png", "grass.png", "gravel.png", "brick.png", "moon.png",
                 "rocket.jpg", "ihc.png"]
HELD_OUT = ["chelsea.png", "coffee.png", "motorcycle_left.png"]
OPENCV_PHOTOS = ["baboon.jpg", "building.jpg", "butterfly.jpg", "fruits.jpg", "home.jpg", "leuvenA.jpg", "messi5.jpg",
                 "squirrel_cls.jpg", "graf1.png", "aloeL.jpg", "board.jpg", "rubberwhale1.png", "aero1.jpg",
                 "stuff.jpg"]
SKLEARN_PHOTOS = ["china.jpg", "flower.jpg"]
LOMIRI_PHOTOS = ["Dragonfly_by_Bolly.jpg", "Kleiber_by_Lukas_Baubkus.jpg", "Picture_0B_by_freespace.jpg",
                 "Picture_1A_by_freespace.jpg", "Wine_by_Jakkub_Mede.jpg", "aitzgorri_by_Aitzol_Berasategi.jpg",
                 "free_by_Peter_Nerlich.jpg", "friends_by_Aitzol_Berasategi.jpg", "greentock_by_Peter_Nerlich.jpg",
                 "life_by_Aitzol_Berasategi.jpg", "picosdeeuropa_by_Aitzol_Berasategi.jpg",
                 "sunset_by_Aitzol_Berasategi.jpg"]
PLASMA_PHOTOS = ["BytheWater", "ColdRipple", "ColorfulCups", "EveningGlow", "Grey", "OneStandsOut", "Path"]
LONG_SIDE = 640


def shrunk(src, dst):
    """Saves src shrunk to LONG_SIDE pixels on its long side as the PNG dst."""
    im = Image.open(src).convert("RGB")
    w, h = im.size
    s = LONG_SIDE / max(w, h)
    im.resize((round(w * s), round(h * s)), Image.LANCZOS).save(dst)


def main(root, out):
    os.makedirs(out, exist_ok=True)
    names = []

    def copy(folder, file):
        src = os.path.join(root, folder, file)
        if not os.path.isfile(src):
            sys.exit(f"superres_photos: missing {src}: unpack the packages named in this script's docstring")
        shutil.copyfile(src, os.path.join(out, file))
        names.append(os.path.splitext(file)[0])

    for f in SKIMAGE_TRAIN:
        copy(SKIMAGE, f)
    # scipy.misc (SciPy 1.10 in Debian 12) bundles these two; scipy.datasets, its successor, downloads them
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    Image.fromarray(scipy.misc.face()).save(os.path.join(out, "face.png"))
    Image.fromarray(scipy.misc.ascent().astype(np.uint8)).save(os.path.join(out, "ascent.png"))
    names += ["face", "ascent"]
    for f in OPENCV_PHOTOS:
        copy(OPENCV, f)
    for f in SKLEARN_PHOTOS:
        copy(SKLEARN, f)
    for f in LOMIRI_PHOTOS:
        name = "wp_" + f.split("_by_")[0]
        shrunk(os.path.join(root, LOMIRI, f), os.path.join(out, name + ".png"))
        names.append(name)
    for d in PLASMA_PHOTOS:
        name = "wp_" + d
        shrunk(os.path.join(root, PLASMA, d, "contents/images/2560x1600.jpg"), os.path.join(out, name + ".png"))
        names.append(name)
    for f in HELD_OUT:
        copy(SKIMAGE, f)
    with open(os.path.join(out, "images.txt"), "w") as f:
        f.write(",".join(names) + "\n")
    print(f"superres_photos: {len(names) - len(HELD_OUT)} training and {len(HELD_OUT)} held-out images in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: superres_photos.py UNPACKED_DEBS_FOLDER OUT_FOLDER")
    main(sys.argv[1], sys.argv[2])
