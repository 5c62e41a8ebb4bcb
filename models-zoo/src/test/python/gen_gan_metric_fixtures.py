#!/usr/bin/python3
"""Reference values for dev.kasane.vision.metrics.InceptionScore and PrecisionRecall, in NumPy.

    /usr/bin/python3 models-zoo/src/test/python/gen_gan_metric_fixtures.py

Writes models-zoo/src/test/resources/fixtures/gan_metrics.safetensors (F64):
- is.p [N, C] class probabilities, is.mean and is.std: inception_score.py of openai/improved-gan (10 splits of
  consecutive rows, each scored with its own marginal, mean and np.std of the splits), with 0 log 0 = 0;
- pr.real [N, D], pr.fake [M, D], pr.precision and pr.recall for k = 3, and pr.precision_k5 / pr.recall_k5: the
  k-NN manifolds of Kynkaenniemi et al. 2019 as their precision_recall.py computes them (radius: the k-th smallest
  distance to the set including the point itself at index 0, np.partition; inside: distance <= radius).
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402


def inception_score(preds, splits=10):
    scores = []
    n = preds.shape[0]
    for i in range(splits):
        part = preds[(i * n // splits):((i + 1) * n // splits), :]
        marginal = np.mean(part, 0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(marginal)), 0.0)
        scores.append(np.exp(np.mean(np.sum(kl, 1))))
    return np.mean(scores), np.std(scores)


def distances(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


def precision_recall(real, fake, k):
    real_radii = np.partition(distances(real, real), k, axis=1)[:, k]
    fake_radii = np.partition(distances(fake, fake), k, axis=1)[:, k]
    d = distances(real, fake)   # [N, M]
    precision = (d <= real_radii[:, None]).any(axis=0).mean()
    recall = (d <= fake_radii[None, :]).any(axis=1).mean()
    return precision, recall


def main():
    rng = np.random.default_rng(1919)
    out = {}
    logits = rng.normal(size=(103, 7)) * 2.0
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    mean, std = inception_score(p)
    out["is.p"] = p
    out["is.mean"] = np.array(mean)
    out["is.std"] = np.array(std)
    print("IS", mean, std)
    # overlapping clouds: the fake one shifted and narrower, so precision and recall are both strictly between 0 and 1
    real = rng.normal(size=(80, 5))
    fake = rng.normal(size=(60, 5)) * 0.7 + 1.2
    out["pr.real"] = real
    out["pr.fake"] = fake
    for k, suffix in ((3, ""), (5, "_k5")):
        precision, recall = precision_recall(real, fake, k)
        out["pr.precision" + suffix] = np.array(precision)
        out["pr.recall" + suffix] = np.array(recall)
        print("PR k", k, precision, recall)
    R.save_safetensors(os.path.join(HERE, "..", "resources", "fixtures", "gan_metrics.safetensors"),
                       {name: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float64)) for name, v in out.items()})


if __name__ == "__main__":
    main()
