package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;

/** Helpers shared by the layers: the dtype and device of new parameters, and PyTorch's default initialisation. */
final class Layers {
    private Layers() {
    }

    /** The layout of a batch of images or one image, for errors. */
    static final String IMAGE_LAYOUT = "(N, C, H, W) or (C, H, W)";

    /** The ranks of {@link #IMAGE_LAYOUT}. */
    static final int[] IMAGE_RANKS = {3, 4};

    /** New parameters are F32. */
    static DType floatType() {
        return DType.F32;
    }

    /** New parameters are created on the default device. */
    static Device device() {
        return Device.getDefault();
    }

    /**
     * PyTorch's default for Linear and convolutions: weight Kaiming-uniform with {@code a = sqrt(5)}, bias
     * U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with the weight's fan-in.
     */
    static void defaultInit(Tensor weight, Tensor bias) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
        if (bias != null) {
            int fanIn = Init.fans(weight.shape())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform(bias, -bound, bound);
        }
    }

    /**
     * Registers a normalization layer's affine parameters if {@code affine}: {@code weight} (ones) and {@code bias}
     * (zeros) of the given shape, PyTorch's initialisation.
     */
    static void registerAffine(Module layer, boolean affine, int... shape) {
        if (affine) {
            layer.registerParameter("weight", Tensor.ones(floatType(), device(), shape));
            layer.registerParameter("bias", Tensor.zeros(floatType(), device(), shape));
        }
    }

    /**
     * Registers a normalization layer's running statistics if {@code trackRunningStats}, PyTorch's buffers and initial
     * values: {@code running_mean} (zeros) and {@code running_var} (ones) of shape [numFeatures], and
     * {@code num_batches_tracked} (an I64 scalar zero).
     */
    static void registerRunningStats(Module layer, boolean trackRunningStats, int numFeatures) {
        if (trackRunningStats) {
            layer.registerBuffer("running_mean", Tensor.zeros(floatType(), device(), numFeatures));
            layer.registerBuffer("running_var", Tensor.ones(floatType(), device(), numFeatures));
            layer.registerBuffer("num_batches_tracked", Tensor.zeros(DType.I64, device()));
        }
    }

    /**
     * {@code value}, checked to be positive: the error names the layer and the argument (PyTorch's name for it).
     *
     * @throws IllegalArgumentException if {@code value <= 0}
     */
    static int positive(String layer, String argument, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layer + ": " + argument + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * Checks that {@code whole} and then {@code parts} are positive and that {@code parts} divides {@code whole}
     * (GroupNorm's channels into groups, attention's embedding into heads).
     */
    static void divisible(String layer, String wholeName, int whole, String partsName, int parts) {
        positive(layer, wholeName, whole);
        positive(layer, partsName, parts);
        if (whole % parts != 0) {
            throw new IllegalArgumentException(layer + ": " + wholeName + " " + whole + " must be divisible by " + partsName
                    + " " + parts);
        }
    }

    /** Each of {@code values}, checked with {@link #positive(String, String, int)}; returns a copy. */
    static int[] positive(String layer, String argument, int[] values) {
        for (int v : values) {
            if (v <= 0) {
                throw new IllegalArgumentException(layer + ": " + argument + " must be positive, got " + tuple(values));
            }
        }
        return values.clone();
    }

    /**
     * {@code value}, checked not to be negative: the error names the layer and the argument.
     *
     * @throws IllegalArgumentException if {@code value < 0}
     */
    static int nonNegative(String layer, String argument, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(layer + ": " + argument + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Each of {@code values}, checked with {@link #nonNegative(String, String, int)}; returns a copy. */
    static int[] nonNegative(String layer, String argument, int[] values) {
        for (int v : values) {
            if (v < 0) {
                throw new IllegalArgumentException(layer + ": " + argument + " must be >= 0, got " + tuple(values));
            }
        }
        return values.clone();
    }

    /** {@code (a, b)} as PyTorch prints tuples. */
    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(v[i]);
        }
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }
}
