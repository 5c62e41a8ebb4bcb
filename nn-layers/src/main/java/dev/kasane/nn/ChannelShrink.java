package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import java.util.Map;
import java.util.stream.IntStream;

/** {@link Prune#shrinkChannels}: rebuilds the layers of a container around the live channels of each convolution. */
final class ChannelShrink {
    private ChannelShrink() {
    }

    static int shrink(ModuleList model) {
        int removed = 0;
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i) instanceof Conv2d conv && conv.groups() == 1) {
                int[] keep = liveChannels(conv.weight().detach());
                if (keep.length == conv.outChannels()) {
                    continue;
                }
                if (keep.length == 0) {
                    throw new IllegalArgumentException("Prune.shrinkChannels: every output channel of " + conv.label()
                            + " is pruned");
                }
                removed += conv.outChannels() - keep.length;
                rebuildConsumers(model, i, keep, conv.outChannels());
                model.set(i, conv(conv, keep, null));
            }
        }
        return removed;
    }

    /** The output channels with a nonzero weight. */
    private static int[] liveChannels(Tensor weight) {
        float[] w = weight.toFloatArray();
        int channels = weight.size(0);
        int per = w.length / channels;
        return IntStream.range(0, channels)
                .filter(c -> IntStream.range(c * per, (c + 1) * per).anyMatch(j -> w[j] != 0)).toArray();
    }

    /**
     * The index of the layer that takes the channels of the conv at {@code convAt}: the next {@code Conv2d} (one
     * group), or the next {@code Linear} after a {@code Flatten}, with only batch norms and channel-wise modules
     * (ReLU, pooling, dropout, Identity) in between; -1 if another module comes first or none follows.
     */
    static int consumer(ModuleList model, int convAt) {
        boolean flattened = false;
        for (int j = convAt + 1; j < model.size(); j++) {
            Module m = model.get(j);
            if (!flattened && m instanceof Conv2d next && next.groups() == 1 || flattened && m instanceof Linear) {
                return j;
            }
            if (m instanceof Flatten && !flattened) {
                flattened = true;
            } else if (!(m instanceof BatchNorm2d && !flattened || m instanceof ReLU || m instanceof MaxPool2d
                    || m instanceof AvgPool2d || m instanceof Identity || m instanceof AbstractDropout)) {
                return -1;
            }
        }
        return -1;
    }

    private static void rebuildConsumers(ModuleList model, int convAt, int[] keep, int channels) {
        int at = consumer(model, convAt);
        if (at < 0) {
            throw new IllegalArgumentException("Prune.shrinkChannels: the channels of " + model.get(convAt).label()
                    + " do not reach a Conv2d, or a Linear after a Flatten, through batch norms and channel-wise modules"
                    + " only; they cannot be removed");
        }
        for (int j = convAt + 1; j < at; j++) {
            if (model.get(j) instanceof BatchNorm2d bn) {
                model.set(j, batchNorm(bn, keep));
            }
        }
        if (model.get(at) instanceof Conv2d next) {
            model.set(at, conv(next, null, keep));
        } else {
            Linear lin = (Linear) model.get(at);
            int per = lin.weight().size(1) / channels;
            int[] columns = IntStream.range(0, keep.length * per).map(k -> keep[k / per] * per + k % per).toArray();
            Linear out = new Linear(columns.length, lin.weight().size(0), lin.bias() != null);
            copy(out, lin.weight().detach().indexSelect(1, indices(columns)), lin.bias());
            model.set(at, out);
        }
    }

    /** A copy of {@code conv} keeping output channels {@code out} and input channels {@code in} (null: all). */
    private static Conv2d conv(Conv2d conv, int[] out, int[] in) {
        Tensor w = conv.weight().detach();
        Tensor b = conv.bias() == null ? null : conv.bias().detach();
        if (out != null) {
            w = w.indexSelect(0, indices(out));
            b = b == null ? null : b.indexSelect(0, indices(out));
        }
        if (in != null) {
            w = w.indexSelect(1, indices(in));
        }
        Conv2d copy = new Conv2d(w.size(1), w.size(0), conv.kernelSize(), conv.stride(), conv.padding(), conv.dilation(), 1,
                b != null, conv.padMode());
        copy(copy, w, b);
        return copy;
    }

    private static BatchNorm2d batchNorm(BatchNorm2d bn, int[] keep) {
        BatchNorm2d out = new BatchNorm2d(keep.length, bn.eps(), bn.momentum(), true, true);
        Map<String, Tensor> state = bn.stateDict();
        if (!state.containsKey("weight") || !state.containsKey("running_mean")) {
            throw new IllegalArgumentException("Prune.shrinkChannels: " + bn.label()
                    + " must be affine and track running statistics");
        }
        state.replaceAll((k, v) -> v.dim() == 0 ? v : v.indexSelect(0, indices(keep)));
        out.loadStateDict(state, true);
        out.train(bn.isTraining());
        return out;
    }

    private static void copy(WeightBiasLayer layer, Tensor weight, Tensor bias) {
        try (var g = Autograd.noGrad()) {
            layer.to(weight.device()).to(weight.dtype());
            layer.weight().copyFrom(weight);
            if (bias != null) {
                layer.bias().copyFrom(bias);
            }
        }
    }

    private static Tensor indices(int[] values) {
        long[] l = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            l[i] = values[i];
        }
        return Tensor.of(l, l.length);
    }
}
