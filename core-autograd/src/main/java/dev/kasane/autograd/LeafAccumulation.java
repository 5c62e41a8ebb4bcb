package dev.kasane.autograd;

import dev.kasane.tensor.spi.BinaryOp;

/**
 * The sink of {@link Tensor#backward}: every node runs with every input, leaves accumulate into {@code .grad}, and a
 * non-leaf marked with {@link Tensor#retainGrad} keeps its gradient too.
 */
final class LeafAccumulation implements GradSink {
    private final boolean createGraph;

    LeafAccumulation(boolean createGraph) {
        this.createGraph = createGraph;
    }

    @Override
    public void prune(GraphTask.Node node, GraphTask task) {
        node.needed = true;
    }

    @Override
    public boolean wantsLeaf(Tensor leaf) {
        return true;
    }

    @Override
    public void nodeGradient(Function fn, Tensor grad) {
        if (fn.retainedOutput != null) {
            accumulate(fn.retainedOutput, grad, createGraph);
        }
    }

    @Override
    public void leafGradient(Tensor leaf, Tensor grad) {
        accumulate(leaf, grad, createGraph);
    }

    /** Adds {@code g} into {@code t.grad}, as PyTorch's AccumulateGrad: in place unless building a graph. */
    private static void accumulate(Tensor t, Tensor g, boolean createGraph) {
        Tensor old = t.grad;
        if (old == null) {
            t.grad = createGraph ? g : new Tensor(g.data.copy());
        } else if (!createGraph && !old.requiresGrad) {
            old.data.binaryInPlace(BinaryOp.ADD, g.data);
        } else {
            t.grad = old.add(g);
        }
    }
}
