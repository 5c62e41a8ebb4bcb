package dev.kasane.autograd;

/**
 * Where one backward run delivers its gradients, and therefore which part of the graph it must run:
 * {@link LeafAccumulation} ({@link Tensor#backward}) runs everything and accumulates into leaves' {@code .grad};
 * {@link GradTargets} ({@link Autograd#grad}) runs only the nodes between the outputs and its inputs.
 */
interface GradSink {
    /**
     * Decides whether {@code node} must run and which of its inputs need a gradient ({@link GraphTask.Node#mask},
     * null for all). Called children first, so the nodes below {@code node} are already decided.
     */
    void prune(GraphTask.Node node, GraphTask task);

    /** Whether the gradient of {@code leaf} (an input of a node, or an output that is a leaf) is wanted. */
    boolean wantsLeaf(Tensor leaf);

    /**
     * Receives the summed gradient of a node's output, after its hooks, before its backward runs.
     *
     * @return whether the sink keeps {@code grad} itself (then the run must not recycle its memory)
     */
    boolean nodeGradient(Function fn, Tensor grad);

    /**
     * Receives the summed gradient of a leaf, after its hooks.
     *
     * @param mayKeep whether the run gives {@code grad} away (only the run references it, and it is dense), so that
     *                the sink may keep it without a copy
     * @return whether the sink keeps {@code grad} itself (else the run recycles it if it can)
     */
    boolean leafGradient(Tensor leaf, Tensor grad, boolean mayKeep);
}
