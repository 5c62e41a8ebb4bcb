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
    public boolean nodeGradient(Function fn, Tensor grad) {
        return fn.retainedOutput != null && accumulate(fn.retainedOutput, grad, createGraph, false);
    }

    @Override
    public boolean leafGradient(Tensor leaf, Tensor grad, boolean mayKeep) {
        return accumulate(leaf, grad, createGraph, mayKeep);
    }

    /**
     * Adds {@code g} into {@code t.grad}, as PyTorch's AccumulateGrad: in place unless building a graph; a first
     * gradient is copied unless it is graph-building or {@code mayKeep} (the run's own buffer, which nothing else
     * references). Returns whether {@code t.grad} is now {@code g}. A first gradient that is the tensor's alone (not
     * graph-building) is marked {@link Tensor#gradUnseen}; accumulating in place keeps the mark.
     */
    private static boolean accumulate(Tensor t, Tensor g, boolean createGraph, boolean mayKeep) {
        Tensor old = t.grad;
        if (old == null) {
            t.grad = createGraph || mayKeep ? g : new Tensor(g.data.copy());
            t.gradUnseen = !createGraph;
            return t.grad == g;
        } else if (!createGraph && !old.requiresGrad) {
            old.data.binaryInPlace(BinaryOp.ADD, g.data);
        } else {
            t.grad = old.add(g);
            t.gradUnseen = false;
        }
        return false;
    }
}
