"""Writes event files with PyTorch's own SummaryWriter, the reference that Kasane's SummaryWriter is tested against.

Needs torch and the tensorboard package (a venv that sees Debian's python3-torch):

    /usr/bin/python3 -m venv --system-site-packages /tmp/tbsys
    /tmp/tbsys/bin/pip install --no-deps tensorboard protobuf absl-py
    /tmp/tbsys/bin/python nn-layers/src/test/python/gen_tensorboard_fixtures.py

Each event file is copied to nn-layers/src/test/resources/tensorboard/<run>.tfevents (run "main" for the log
directory itself; subdirectory names otherwise). TensorBoardParityTest (Java) rebuilds every record with Kasane's
encoder, from the wall time and step stored in it, and compares.
"""
import glob
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import torch.utils.tensorboard.summary as tb_summary
from torch.utils.tensorboard import SummaryWriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "tensorboard")
sys.dont_write_bytecode = True


class _NumpyWithGreaterFix:
    """numpy for torch 1.13's make_histogram, whose np.greater(counts, 0, dtype=np.int32) newer numpy rejects: the
    same 0/1 mask, computed as bool and cast to int32."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def greater(a, b, dtype=None):
        return np.greater(a, b).astype(dtype) if dtype is not None else np.greater(a, b)


tb_summary.np = _NumpyWithGreaterFix()


def main():
    tmp = tempfile.mkdtemp()
    w = SummaryWriter(log_dir=tmp)
    w.add_scalar("loss/train", 0.25, 3, walltime=100.5)
    w.add_scalar("zero", 0.0, 0, walltime=101.0)
    w.add_scalar("big", 123456.789, 2 ** 40, walltime=101.25)
    # exactly representable values: every summation order gives the same sum and sum of squares
    values = torch.tensor([-1.0, -0.5, 0.0, 0.25, 0.25, 2.0, 3.5], dtype=torch.float64)
    w.add_histogram("weights", values, 5, bins=4, walltime=102.0)
    w.add_histogram("sparse", torch.tensor([0.0, 0.0, 8.0], dtype=torch.float64), 6, bins=8, walltime=102.5)
    w.add_histogram("constant", torch.tensor([2.0, 2.0], dtype=torch.float64), 7, bins=3, walltime=102.75)
    rgb = torch.tensor([[[0.0, 0.5, 1.0], [0.2, 0.4, 0.6]],
                        [[1.0, 0.0, 0.3], [0.9, 0.1, 0.7]],
                        [[0.25, 0.75, 0.05], [0.999, 0.001, 0.5]]])  # [3, 2, 3]
    w.add_image("rgb", rgb, 8, walltime=103.0)
    w.add_image("grey", rgb[:1], 9, walltime=103.5)
    batch = torch.stack([rgb, rgb.flip(2), 1 - rgb])  # [3, 3, 2, 3]: one row of three in the grid
    w.add_images("batch", batch, 10, walltime=104.0)
    w.add_text("note", "hello *world*, \u00fc", 1, walltime=105.0)
    w.add_scalars("loss", {"train": 1.5, "val": 2.5}, 11, walltime=106.0)
    # no boolean: torch 1.13 writes True as the number 1 (bool is an int in Python), Kasane as a bool_value
    w.add_hparams({"layers": 3, "lr": 0.01, "opt": "adam"}, {"acc": 0.75}, run_name="run1")
    w.close()
    os.makedirs(OUT, exist_ok=True)
    for old in glob.glob(os.path.join(OUT, "*.tfevents")):
        os.remove(old)
    for path in sorted(glob.glob(os.path.join(tmp, "**", "events.out.tfevents.*"), recursive=True)):
        run = os.path.relpath(os.path.dirname(path), tmp)
        name = "main" if run == "." else run.replace(os.sep, "_")
        shutil.copy(path, os.path.join(OUT, name + ".tfevents"))
        print("wrote", name + ".tfevents", os.path.getsize(path), "bytes")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
