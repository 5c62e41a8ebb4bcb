package dev.kasane.autograd;

import java.util.IdentityHashMap;

/**
 * The sink of {@link Autograd#grad}: the inputs whose gradients are returned. Leaves are matched by identity, non-leaf
 * inputs by their {@code gradFn}; a node runs only if some target lies below it, and computes only the inputs that
 * lead to one.
 */
final class GradTargets implements GradSink {
    private final String op;
    private final Tensor[] inputs;
    private final IdentityHashMap<Tensor, Integer> leafIndex = new IdentityHashMap<>();
    private final IdentityHashMap<Function, Integer> nodeIndex = new IdentityHashMap<>();
    private final Tensor[] results;
    private final boolean[] reachable;

    /** Checks that every input is non-null and requires grad. */
    GradTargets(String op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
        this.results = new Tensor[inputs.length];
        this.reachable = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                throw new IllegalArgumentException(op + ": input " + i + " is null");
            }
            if (!t.requiresGrad) {
                throw new IllegalArgumentException(op + ": input " + i + " " + t.data.describe() + " does not require grad");
            }
            if (t.gradFn == null) {
                leafIndex.put(t, i);
            } else {
                nodeIndex.put(t.gradFn, i);
            }
        }
    }

    @Override
    public void prune(GraphTask.Node node, GraphTask task) {
        Function f = node.fn;
        Integer captured = nodeIndex.get(f);
        boolean needed = captured != null;
        if (captured != null) {
            reachable[captured] = true;
        }
        boolean[] mask = new boolean[f.nextFns.length];
        for (int i = 0; i < mask.length; i++) {
            Function c = f.nextFns[i];
            if (c != null) {
                mask[i] = task.node(c).needed;
            } else if (f.nextLeaves[i] != null) {
                mask[i] = wantsLeaf(f.nextLeaves[i]);
            }
            needed |= mask[i];
        }
        node.needed = needed;
        node.mask = mask;
    }

    @Override
    public boolean wantsLeaf(Tensor leaf) {
        Integer i = leafIndex.get(leaf);
        if (i == null) {
            return false;
        }
        reachable[i] = true;
        return true;
    }

    @Override
    public boolean nodeGradient(Function fn, Tensor grad) {
        Integer i = nodeIndex.get(fn);
        if (i != null) {
            results[i] = grad;
        }
        return i != null;
    }

    @Override
    public boolean leafGradient(Tensor leaf, Tensor grad, boolean mayKeep) {
        results[leafIndex.get(leaf)] = grad;
        return true;
    }

    /**
     * One gradient per input: zeros for an input that was reached but received none, null for an unreachable one
     * when {@code allowUnused}.
     *
     * @throws IllegalArgumentException for an unreachable input unless {@code allowUnused}
     */
    Tensor[] results(boolean allowUnused) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null) {
                continue;
            }
            if (!reachable[i]) {
                if (!allowUnused) {
                    throw new IllegalArgumentException(op + ": input " + i + " " + inputs[i].data.describe() + " was not used "
                            + "to compute the outputs; pass allowUnused=true to get null for it");
                }
                continue;
            }
            results[i] = new Tensor(inputs[i].data.zerosLike());
        }
        return results;
    }
}
