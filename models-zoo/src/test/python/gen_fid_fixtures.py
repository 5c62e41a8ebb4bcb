#!/usr/bin/python3
"""Reference Frechet distances for dev.kasane.vision.metrics.FrechetDistance, computed as pytorch-fid does
(np.mean, np.cov(rowvar=False), scipy.linalg.sqrtm of sigma1 @ sigma2, its real part's trace).

    apt-get install -y python3-scipy
    /usr/bin/python3 models-zoo/src/test/python/gen_fid_fixtures.py

Writes models-zoo/src/test/resources/fixtures/fid.safetensors (F64): for each case, the two feature sets
<case>.a and <case>.b and the distance <case>.fid, plus the reference's tr(sqrtm(s1 s2)) as <case>.tr_sqrt.
"""
import os
import sys

import numpy as np
import torch
from scipy import linalg

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402


def frechet(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    covmean = covmean.real
    diff = mu1 - mu2
    tr = np.trace(covmean)
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * tr, tr


def main():
    rng = np.random.default_rng(19)
    out = {}
    mix = rng.normal(size=(24, 24))
    cases = {
        # correlated features, more samples than dims
        "full": (rng.normal(size=(300, 24)) @ mix * 0.3, rng.normal(size=(250, 24)) @ (mix + 0.2) * 0.35 + 0.1),
        # one set against a shifted copy of itself: only the mean term remains
        "shift": None,
        # fewer samples than dims: singular covariances
        "singular": (rng.normal(size=(12, 24)), rng.normal(size=(15, 24)) * 1.5 + 0.3),
    }
    base = rng.normal(size=(200, 8)) @ rng.normal(size=(8, 8))
    cases["shift"] = (base, base + 0.5)
    for name, (a, b) in cases.items():
        fid, tr = frechet(a, b)
        out[name + ".a"] = torch.from_numpy(np.ascontiguousarray(a))
        out[name + ".b"] = torch.from_numpy(np.ascontiguousarray(b))
        out[name + ".fid"] = torch.tensor(fid, dtype=torch.float64)
        out[name + ".tr_sqrt"] = torch.tensor(tr, dtype=torch.float64)
        print(name, fid, tr)
    R.save_safetensors(os.path.join(HERE, "..", "resources", "fixtures", "fid.safetensors"), out)


if __name__ == "__main__":
    main()
