"""Writes the PyTorch parity fixtures of Kasane's HistogramObserver (HistogramObserverTest).

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_histogram_observer_fixtures.py

Same format as gen_nn_fixtures.py (whose writer it uses): each case becomes nn-layers/src/test/resources/nn/<case>.txt
with the batches, the observer's final min_val, max_val and histogram, and the scale and zero point of
calculate_qparams().

PyTorch 1.13's HistogramObserver.forward passes int(min) and int(max) to torch.histc, which drops the values outside
the truncated range (pytorch/pytorch#83672, fixed in later releases). Kasane bins over the true range, so most cases
use FixedHistogramObserver below: PyTorch 1.13's observer with only that cast removed (everything else, including the
parameter search, is PyTorch's own code). The "hist_stock_*" cases use the unmodified observer on batches whose ranges
have integer ends, where the cast changes nothing; the script checks that both observers agree there.
"""
import os
import sys

import torch
from torch.ao.quantization.observer import HistogramObserver

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import write  # noqa: E402


class FixedHistogramObserver(HistogramObserver):
    """HistogramObserver.forward of PyTorch 1.13 with torch.histc given the float range instead of int(min), int(max)."""

    def forward(self, x_orig):
        if x_orig.numel() == 0:
            return x_orig
        x = x_orig.detach()
        min_val = self.min_val
        max_val = self.max_val
        same_values = min_val.item() == max_val.item()
        is_uninitialized = min_val == float("inf") and max_val == float("-inf")
        if is_uninitialized or same_values:
            min_val, max_val = torch.aminmax(x)
            self.min_val.resize_(min_val.shape)
            self.min_val.copy_(min_val)
            self.max_val.resize_(max_val.shape)
            self.max_val.copy_(max_val)
            torch.histc(x, self.bins, min=min_val.item(), max=max_val.item(), out=self.histogram)
        else:
            new_min, new_max = torch.aminmax(x)
            combined_min = torch.min(new_min, min_val)
            combined_max = torch.max(new_max, max_val)
            combined_min, combined_max, downsample_rate, start_idx = self._adjust_min_max(
                combined_min, combined_max, self.upsample_rate)
            combined_histogram = torch.histc(x, self.bins, min=combined_min.item(), max=combined_max.item())
            if combined_min == min_val and combined_max == max_val:
                combined_histogram += self.histogram
            else:
                combined_histogram = self._combine_histograms(
                    combined_histogram, self.histogram, self.upsample_rate, downsample_rate, start_idx, self.bins)
            self.histogram.detach_().resize_(combined_histogram.shape)
            self.histogram.copy_(combined_histogram)
            self.min_val.detach_().resize_(combined_min.shape)
            self.min_val.copy_(combined_min)
            self.max_val.detach_().resize_(combined_max.shape)
            self.max_val.copy_(combined_max)
        return x_orig


def run(observer, batches):
    for b in batches:
        observer(b)
    scale, zp = observer.calculate_qparams()
    return scale.reshape(-1).float(), zp.reshape(-1).long()


def case(name, dtype, qscheme, batches, stock=False):
    fixed = FixedHistogramObserver(dtype=dtype, qscheme=qscheme)
    scale, zp = run(fixed, batches)
    if stock:
        original = HistogramObserver(dtype=dtype, qscheme=qscheme)
        stock_scale, stock_zp = run(original, batches)
        assert torch.equal(stock_scale, scale) and torch.equal(stock_zp, zp), name
        assert torch.equal(original.histogram, fixed.histogram), name
    out = {"batch%d" % i: b for i, b in enumerate(batches)}
    out.update({"min": fixed.min_val.reshape(1), "max": fixed.max_val.reshape(1), "histogram": fixed.histogram,
                "scale": scale, "zero_point": zp})
    write(name, out)


def with_outliers(n, scale, shift, outliers):
    x = torch.randn(n) * scale + shift
    x[: len(outliers)] = torch.tensor(outliers)
    return x[torch.randperm(n)]


def main():
    torch.manual_seed(29)
    affine = (torch.quint8, torch.per_tensor_affine)
    symmetric = (torch.qint8, torch.per_tensor_symmetric)
    # one batch: a normal bulk with a few far outliers the search clips away
    case("hist_one_batch", *affine, [with_outliers(3000, 1.0, 0.4, [9.5, -7.25, 12.0])])
    # the range widens twice: the old histogram is resampled into the new bins
    case("hist_growing", *affine, [torch.randn(2, 500) * 0.5, torch.randn(2, 500) * 2 - 0.7,
                                   with_outliers(1000, 1.5, 1.0, [15.3])])
    # ReLU-like activations, symmetric qint8, a batch inside the range (histograms add, then resample)
    relu = torch.relu(torch.randn(1500) * 2)
    case("hist_symmetric", *symmetric, [relu, torch.relu(torch.randn(800)), torch.relu(torch.randn(800) * 3)])
    # a constant first batch (single-value range, replaced by the next batch), then a skewed one
    case("hist_constant_first", *affine, [torch.full((40,), 0.75), torch.rand(2000) ** 3 * 6 - 1])
    # unmodified PyTorch 1.13 where int(min), int(max) are exact: integer ends, ranges growing by powers of two
    ints = with_outliers(2000, 0.6, 0.5, [-2.0, 4.0])
    ints = ints.clamp(-2, 4)
    wide = with_outliers(2000, 1.5, 1.0, [-4.0, 8.0]).clamp(-4, 8)
    case("hist_stock_integer_ends", *affine, [ints, wide], stock=True)
    # heavy tails (Cauchy): the search clips the far tail that min-max keeps
    case("hist_heavy_tails", *affine, [torch.distributions.Cauchy(0.0, 1.0).sample((4000,))])


if __name__ == "__main__":
    main()
