package dev.kasane.autograd;

import java.util.Arrays;

/**
 * Entry points of the backward engine: {@link #backward} accumulates into the {@code .grad} of leaves (with hooks
 * and {@code retainGrad}), {@link #grad} returns the gradients with respect to given inputs and leaves {@code .grad}
 * untouched. Both validate the outputs and their seed gradients here, then hand one {@link GraphTask} a
 * {@link GradSink} that says where gradients go.
 */
final class Engine {
    private Engine() {
    }

    /**
     * Backpropagates from {@code outputs} into the {@code .grad} of every leaf that requires grad.
     *
     * @param op          the caller's name in error messages
     * @param gradOutputs one seed per output (null, or null entries, for one-element outputs: ones)
     */
    static void backward(String op, Tensor[] outputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph) {
        Tensor[] seeds = seeds(op, outputs, gradOutputs);
        GraphTask.run(outputs, seeds, new LeafAccumulation(createGraph), retainGraph, createGraph);
    }

    /**
     * Returns the gradients of {@code outputs} with respect to {@code inputs}, running only the part of the graph
     * between them.
     *
     * @param allowUnused return null for an input the outputs do not depend on instead of throwing
     */
    static Tensor[] grad(String op, Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                         boolean createGraph, boolean allowUnused) {
        Tensor[] seeds = seeds(op, outputs, gradOutputs);
        GradTargets targets = new GradTargets(op, inputs);
        GraphTask.run(outputs, seeds, targets, retainGraph, createGraph);
        return targets.results(allowUnused);
    }

    /** Checks the outputs and returns one seed gradient per output, of its shape, dtype and device. */
    private static Tensor[] seeds(String op, Tensor[] outputs, Tensor[] gradOutputs) {
        int nOut = outputs.length;
        if (gradOutputs != null && gradOutputs.length != nOut) {
            throw new IllegalArgumentException(op + ": got " + nOut + " outputs but " + gradOutputs.length + " gradients");
        }
        Tensor[] seeds = new Tensor[nOut];
        for (int i = 0; i < nOut; i++) {
            Tensor o = outputs[i];
            if (o == null) {
                throw new IllegalArgumentException(op + ": output " + i + " is null");
            }
            if (!o.requiresGrad) {
                throw new IllegalArgumentException(op + ": " + (nOut == 1 ? "the tensor" : "output " + i) + " " + o.data.describe()
                        + " does not require grad and has no gradFn; nothing to differentiate");
            }
            seeds[i] = seed(op, o, gradOutputs == null ? null : gradOutputs[i], nOut == 1 ? "" : " " + i);
        }
        return seeds;
    }

    private static Tensor seed(String op, Tensor o, Tensor grad, String which) {
        if (grad == null) {
            if (o.data.numel() != 1) {
                throw new IllegalArgumentException(op + ": a gradient can be created implicitly only for a one-element output; "
                        + "output" + which + " has shape " + Arrays.toString(o.data.shape()) + ", pass a gradient of that shape");
            }
            return new Tensor(o.data.onesLike());
        }
        if (!Arrays.equals(grad.data.shape(), o.data.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Arrays.toString(grad.data.shape())
                    + " does not match output" + which + " of shape " + Arrays.toString(o.data.shape()));
        }
        if (!grad.data.device().equals(o.data.device())) {
            throw new IllegalArgumentException(op + ": gradient " + grad.data.describe() + " is on a different device than output"
                    + which + " " + o.data.describe());
        }
        return grad.data.dtype() == o.data.dtype() ? grad : grad.toType(o.data.dtype());
    }
}
