package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.OptimizerStateDict;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.data.Datasets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker's copy of the model with its own optimizer, and the flat float vectors that the trainers exchange: the
 * gradients, the floating-point buffers (BatchNorm's running statistics) and the whole state (parameters and every
 * buffer, integer ones as floats).
 */
final class Replica {
    private final Module model;
    private final Optimizer<?> optimizer;
    private final LossFunction loss;
    private final SampleShape shape;
    private final List<Tensor> parameters;
    private final List<Tensor> floatBuffers = new ArrayList<>();
    private final List<Tensor> state = new ArrayList<>();

    /** A replica of the config's model holding the model state {@code modelState} (a state dict). */
    Replica(TrainingConfig config, Map<String, Tensor> modelState) {
        this.model = config.model().create();
        model.loadStateDict(modelState, true);
        model.train();
        this.parameters = model.parameters();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            if (e.getValue().dtype() != DType.F32) {
                throw new IllegalArgumentException("SparkTrainer: parameter " + e.getKey() + " is "
                        + e.getValue().dtype() + "; distributed training exchanges F32 parameters only");
            }
        }
        for (Tensor b : model.buffers()) {
            if (b.dtype() == DType.F32) {
                floatBuffers.add(b);
            }
        }
        state.addAll(parameters);
        state.addAll(model.buffers());
        this.optimizer = config.optimizer().create(parameters);
        this.loss = config.loss();
        this.shape = config.shape();
    }

    Module model() {
        return model;
    }

    /** The model's state dict in a map of its own (copies). */
    LinkedHashMap<String, Tensor> modelState() {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.detach().clone()));
        return copy;
    }

    OptimizerStateDict optimizerState() {
        return optimizer.stateDict();
    }

    void loadOptimizerState(OptimizerStateDict sd) {
        optimizer.loadStateDict(sd);
    }

    /**
     * Forward and backward on the batch {@code data[order[from]], ..., data[order[to - 1]]}; leaves the gradients
     * in the parameters and returns the loss.
     */
    float computeGradients(List<Example> data, int[] order, int from, int to) {
        Tensor[] batch = shape.batch(data, order, from, to);
        optimizer.zeroGrad();
        Tensor l = loss.apply(model.forward(batch[0]), batch[1]);
        if (l.numel() != 1) {
            throw new IllegalArgumentException("SparkTrainer: the loss must be a scalar, got shape "
                    + java.util.Arrays.toString(l.shape()));
        }
        l.backward();
        return (float) l.item();
    }

    /** One optimizer step with the gradients now in the parameters. */
    void step() {
        optimizer.step();
    }

    /** Length of {@link #gradientsInto}'s part: every parameter's elements. */
    int gradientLength() {
        return count(parameters);
    }

    /** Length of {@link #floatBuffersInto}'s part: every F32 buffer's elements. */
    int floatBufferLength() {
        return count(floatBuffers);
    }

    /** Length of {@link #stateInto}'s vector: every parameter's and every buffer's elements. */
    int stateLength() {
        return count(state);
    }

    void gradientsInto(float[] dst, int offset) {
        int at = offset;
        for (Tensor p : parameters) {
            Tensor g = p.grad();
            if (g != null) {
                float[] v = g.toFloatArray();
                System.arraycopy(v, 0, dst, at, v.length);
            } else {
                java.util.Arrays.fill(dst, at, at + p.numel(), 0f);
            }
            at += p.numel();
        }
    }

    /** Sets every parameter's gradient to {@code scale * src[...]}. */
    void setGradients(float[] src, int offset, float scale) {
        int at = offset;
        for (Tensor p : parameters) {
            p.setGrad(tensor(scaled(src, at, p.numel(), scale), p.shape()));
            at += p.numel();
        }
    }

    void floatBuffersInto(float[] dst, int offset) {
        into(floatBuffers, dst, offset);
    }

    /** Sets every F32 buffer to {@code scale * src[...]}. */
    void setFloatBuffers(float[] src, int offset, float scale) {
        load(floatBuffers, src, offset, scale);
    }

    void stateInto(float[] dst, int offset) {
        into(state, dst, offset);
    }

    /** Sets every parameter and buffer to {@code scale * src[...]} (converted to the buffer's dtype). */
    void setState(float[] src, int offset, float scale) {
        load(state, src, offset, scale);
    }

    /** The order of a worker's local samples in an epoch: a permutation seeded by (seed, epoch, rank). */
    static int[] epochOrder(int size, long seed, int epoch, int rank, boolean shuffle) {
        if (!shuffle) {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            return order;
        }
        long mixed = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + rank * 0x165667B19E3779F9L;
        return Datasets.permutation(size, new Generator(mixed));
    }

    private static int count(List<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.numel();
        }
        return Math.toIntExact(n);
    }

    private static void into(List<Tensor> tensors, float[] dst, int offset) {
        int at = offset;
        for (Tensor t : tensors) {
            float[] v = t.dtype() == DType.F32 ? t.toFloatArray() : toFloats(t);
            System.arraycopy(v, 0, dst, at, v.length);
            at += v.length;
        }
    }

    private static float[] toFloats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static void load(List<Tensor> tensors, float[] src, int offset, float scale) {
        int at = offset;
        for (Tensor t : tensors) {
            t.detach().copyFrom(tensor(scaled(src, at, t.numel(), scale), t.shape()));
            at += t.numel();
        }
    }

    /** An F32 tensor of {@code values} shaped {@code shape} (0-d when {@code shape} is empty). */
    private static Tensor tensor(float[] values, int[] shape) {
        return shape.length == 0 ? Tensor.of(values).reshape() : Tensor.of(values, shape);
    }

    private static float[] scaled(float[] src, int from, int length, float scale) {
        float[] v = new float[length];
        if (scale == 1f) {
            System.arraycopy(src, from, v, 0, length);
        } else {
            for (int i = 0; i < length; i++) {
                v[i] = src[from + i] * scale;
            }
        }
        return v;
    }
}
