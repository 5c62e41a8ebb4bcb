package dev.kasane.optim;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's state for one parameter: the number of steps taken and named buffers shaped like the parameter
 * (PyTorch's {@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}, ...). Buffers are plain tensors that do
 * not require grad; the optimizer updates them in place.
 */
public final class ParamState {
    private long step;
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

    /** Number of steps taken for this parameter. */
    public long step() {
        return step;
    }

    /** Sets the step count. */
    public void setStep(long step) {
        this.step = step;
    }

    /** Buffer {@code name}, or null if it does not exist yet. */
    public Tensor get(String name) {
        return buffers.get(name);
    }

    /**
     * Stores buffer {@code name}.
     *
     * @throws IllegalArgumentException if {@code buffer} requires grad (state is never part of a graph)
     */
    public void put(String name, Tensor buffer) {
        Objects.requireNonNull(name, "ParamState.put: name");
        Objects.requireNonNull(buffer, "ParamState.put: buffer");
        if (buffer.requiresGrad()) {
            throw new IllegalArgumentException("ParamState.put: buffer '" + name + "' " + Function.array(buffer).describe()
                    + " requires grad; optimizer state must be a plain tensor (detach it)");
        }
        buffers.put(name, buffer);
    }

    /** The buffers by name (unmodifiable view). */
    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** The array of buffer {@code name}, or null: what the update kernels work on. */
    NDArray array(String name) {
        Tensor t = buffers.get(name);
        return t == null ? null : Function.array(t);
    }

    /** Stores {@code array} as buffer {@code name}; returns it. */
    NDArray putArray(String name, NDArray array) {
        buffers.put(name, Function.tensor(array));
        return array;
    }

    /** The array of buffer {@code name}, created as zeros shaped like {@code like} if it does not exist yet. */
    NDArray zerosIfAbsent(String name, NDArray like) {
        NDArray a = array(name);
        return a != null ? a : putArray(name, like.zerosLike());
    }

    /**
     * Updates buffer {@code name} (zeros shaped like {@code param} at first) to the running average of {@code x * x},
     * {@code decay * avg + (1 - decay) * x * x}, and returns it (RMSprop's and Adadelta's {@code square_avg}).
     */
    NDArray squareAverage(String name, NDArray param, NDArray x, double decay) {
        NDArray avg = zerosIfAbsent(name, param);
        avg.binaryInPlace(BinaryOp.MUL, decay);
        avg.addcmulInPlace(x, x, 1 - decay);
        return avg;
    }

    /**
     * Updates buffer {@code momentum_buffer} with this step's direction {@code d} and returns it: a copy of {@code d}
     * at the first step, afterwards {@code momentum * buf + (1 - dampening) * d} (PyTorch's SGD momentum).
     */
    NDArray momentumBuffer(NDArray d, double momentum, double dampening) {
        NDArray buf = array("momentum_buffer");
        if (buf == null) {
            return putArray("momentum_buffer", d.copy());
        }
        buf.binaryInPlace(BinaryOp.MUL, momentum);
        buf.addInPlace(d, 1 - dampening);
        return buf;
    }
}
