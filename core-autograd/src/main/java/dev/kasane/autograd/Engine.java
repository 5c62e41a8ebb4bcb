package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The backward engine: discovers the graph below the outputs with an iterative depth-first search, counts
 * dependencies, then runs each node's backward once all gradients flowing into it have been summed. Never recurses,
 * so graphs of any depth work.
 */
final class Engine {
    private Engine() {
    }

    /** Per-node bookkeeping for one backward run. */
    private static final class Info {
        int deps;
        boolean needed;
        boolean[] mask;
        Tensor grad;
    }

    /**
     * Runs backward from {@code outputs}.
     *
     * @param inputs null to accumulate into the {@code .grad} of leaves ({@link Tensor#backward}); otherwise the
     *               tensors whose gradients are returned ({@link Autograd#grad}), leaving {@code .grad} untouched
     */
    static Tensor[] run(String op, Tensor[] outputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph,
                        Tensor[] inputs, boolean allowUnused) {
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
        boolean gradMode = inputs != null;
        IdentityHashMap<Tensor, Integer> leafIndex = null;
        IdentityHashMap<Function, Integer> captureIndex = null;
        Tensor[] results = null;
        boolean[] reachable = null;
        if (gradMode) {
            leafIndex = new IdentityHashMap<>();
            captureIndex = new IdentityHashMap<>();
            results = new Tensor[inputs.length];
            reachable = new boolean[inputs.length];
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
                    captureIndex.put(t.gradFn, i);
                }
            }
        }

        // 1. discover the graph (post-order: children before parents)
        IdentityHashMap<Function, Info> infos = new IdentityHashMap<>();
        List<Function> order = new ArrayList<>();
        ArrayList<Function> stack = new ArrayList<>();
        int[] pos = new int[16];
        for (Tensor o : outputs) {
            Function root = o.gradFn;
            if (root == null || infos.containsKey(root)) {
                continue;
            }
            infos.put(root, new Info());
            stack.add(root);
            pos[0] = 0;
            while (!stack.isEmpty()) {
                int top = stack.size() - 1;
                Function f = stack.get(top);
                Function[] next = f.nextFns;
                if (pos[top] < next.length) {
                    Function c = next[pos[top]++];
                    if (c != null && !infos.containsKey(c)) {
                        infos.put(c, new Info());
                        if (stack.size() == pos.length) {
                            pos = Arrays.copyOf(pos, pos.length * 2);
                        }
                        pos[stack.size()] = 0;
                        stack.add(c);
                    }
                } else {
                    stack.remove(top);
                    order.add(f);
                }
            }
        }

        // 2. which nodes must run, and with which inputs (Autograd.grad prunes the rest)
        for (Function f : order) {
            Info info = infos.get(f);
            if (!gradMode) {
                info.needed = true;
                continue;
            }
            Integer cap = captureIndex.get(f);
            boolean needed = cap != null;
            if (cap != null) {
                reachable[cap] = true;
            }
            boolean[] mask = new boolean[f.nextFns.length];
            for (int i = 0; i < mask.length; i++) {
                Function c = f.nextFns[i];
                if (c != null) {
                    mask[i] = infos.get(c).needed;
                } else if (f.nextLeaves[i] != null) {
                    Integer li = leafIndex.get(f.nextLeaves[i]);
                    if (li != null) {
                        mask[i] = true;
                        reachable[li] = true;
                    }
                }
                needed |= mask[i];
            }
            info.needed = needed;
            info.mask = mask;
        }
        for (Function f : order) {
            if (!infos.get(f).needed) {
                continue;
            }
            for (Function c : f.nextFns) {
                if (c != null) {
                    Info ci = infos.get(c);
                    if (ci.needed) {
                        ci.deps++;
                    }
                }
            }
        }

        // 3. seed the outputs' gradients
        IdentityHashMap<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
        List<Tensor> leafOrder = new ArrayList<>();
        GradMode mode = GradMode.current();
        boolean previousMode = mode.enabled;
        mode.enabled = createGraph;
        try {
            for (int i = 0; i < nOut; i++) {
                Tensor o = outputs[i];
                if (o.gradFn == null) {
                    if (gradMode) {
                        Integer li = leafIndex.get(o);
                        if (li == null) {
                            continue;
                        }
                        reachable[li] = true;
                    }
                    accumulateLeaf(leafGrads, leafOrder, o, seeds[i]);
                } else {
                    Info info = infos.get(o.gradFn);
                    info.grad = info.grad == null ? seeds[i] : info.grad.add(seeds[i]);
                }
            }
            ArrayDeque<Function> ready = new ArrayDeque<>();
            for (Tensor o : outputs) {
                Function r = o.gradFn;
                if (r != null) {
                    Info info = infos.get(r);
                    if (info.needed && info.deps == 0) {
                        info.deps = -1; // queued
                        ready.push(r);
                    }
                }
            }

            // 4. run the nodes in dependency order
            while (!ready.isEmpty()) {
                Function f = ready.pop();
                Info info = infos.get(f);
                Tensor g = info.grad;
                info.grad = null;
                if (g != null) {
                    g = runHooks(f.outputHooks, g, f.name());
                    if (!gradMode && f.retainedOutput != null) {
                        retain(f.retainedOutput, g, createGraph);
                    }
                    if (gradMode) {
                        Integer cap = captureIndex.get(f);
                        if (cap != null) {
                            results[cap] = g;
                        }
                    }
                    boolean run = !gradMode;
                    if (gradMode) {
                        for (boolean m : info.mask) {
                            run |= m;
                        }
                    }
                    if (run) {
                        execute(f, info, g, infos, leafGrads, leafOrder, retainGraph);
                    }
                }
                for (Function c : f.nextFns) {
                    if (c != null) {
                        Info ci = infos.get(c);
                        if (ci.needed && --ci.deps == 0) {
                            ci.deps = -1;
                            ready.push(c);
                        }
                    }
                }
            }

            // 5. leaves: hooks, then accumulate into .grad (backward) or return (Autograd.grad)
            for (Tensor leaf : leafOrder) {
                Tensor g = runHooks(leaf.hooks, leafGrads.get(leaf), "leaf tensor");
                if (gradMode) {
                    results[leafIndex.get(leaf)] = g;
                } else {
                    accumulateGrad(leaf, g, createGraph);
                }
            }
        } finally {
            mode.enabled = previousMode;
        }
        if (gradMode) {
            for (int i = 0; i < results.length; i++) {
                if (results[i] != null) {
                    continue;
                }
                if (!allowUnused && !reachable[i]) {
                    throw new IllegalArgumentException(op + ": input " + i + " " + inputs[i].data.describe() + " was not used "
                            + "to compute the outputs; pass allowUnused=true to get null for it");
                }
                if (reachable[i]) {
                    results[i] = new Tensor(inputs[i].data.zerosLike());
                }
            }
        }
        return results;
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

    private static void execute(Function f, Info info, Tensor g, IdentityHashMap<Function, Info> infos,
                                IdentityHashMap<Tensor, Tensor> leafGrads, List<Tensor> leafOrder, boolean retainGraph) {
        f.checkSaved();
        Tensor[] gin;
        f.execMask = info.mask;
        try {
            gin = f.backward(g);
        } finally {
            f.execMask = null;
        }
        int n = f.nextFns.length;
        if (gin == null || gin.length != n) {
            throw new IllegalStateException(f.name() + ".backward returned " + (gin == null ? "null" : gin.length + " gradients")
                    + " but the op has " + n + " inputs");
        }
        for (int i = 0; i < n; i++) {
            Tensor gi = gin[i];
            if (gi == null || (info.mask != null && !info.mask[i])) {
                continue;
            }
            Function c = f.nextFns[i];
            Tensor leaf = f.nextLeaves[i];
            if (c == null && leaf == null) {
                continue;
            }
            gi = validate(f, i, gi);
            if (Autograd.anomalyDetection && !gi.data.isFinite().all()) {
                throw new IllegalStateException("anomaly detected: the backward of " + f.name() + " returned NaN or Inf in its "
                        + "gradient for input " + i + " of shape " + Arrays.toString(gi.data.shape()) + "; the cause shows "
                        + "where the forward op " + f.name() + " was called", f.anomalyTrace);
            }
            if (c != null) {
                Info ci = infos.get(c);
                ci.grad = ci.grad == null ? gi : ci.grad.add(gi);
            } else {
                accumulateLeaf(leafGrads, leafOrder, leaf, gi);
            }
        }
        if (!retainGraph) {
            f.release();
        }
    }

    private static Tensor validate(Function f, int i, Tensor g) {
        NDArray d = g.data;
        int[] want = f.inputShapes[i];
        int[] have = d.shape();
        if (!Arrays.equals(have, want)) {
            if (!Dims.broadcastsTo(want, have)) {
                throw new IllegalStateException(f.name() + ".backward returned a gradient of shape " + Arrays.toString(have)
                        + " for input " + i + " of shape " + Arrays.toString(want));
            }
            g = g.sumTo(want);
        }
        if (!g.data.device().equals(f.inputDevices[i])) {
            throw new IllegalStateException(f.name() + ".backward returned a gradient on " + g.data.device() + " for input " + i
                    + " on " + f.inputDevices[i]);
        }
        if (g.data.dtype() != f.inputTypes[i]) {
            g = g.toType(f.inputTypes[i]);
        }
        return g;
    }

    private static Tensor runHooks(List<GradHook> hooks, Tensor g, String what) {
        if (hooks == null || hooks.isEmpty()) {
            return g;
        }
        for (GradHook h : hooks.toArray(new GradHook[0])) {
            Tensor r = h.apply(g);
            if (r != null) {
                if (!Arrays.equals(r.data.shape(), g.data.shape())) {
                    throw new IllegalStateException("a gradient hook on a " + what + " returned shape "
                            + Arrays.toString(r.data.shape()) + " instead of " + Arrays.toString(g.data.shape()));
                }
                g = r;
            }
        }
        return g;
    }

    private static void accumulateLeaf(IdentityHashMap<Tensor, Tensor> leafGrads, List<Tensor> leafOrder, Tensor leaf, Tensor g) {
        Tensor prev = leafGrads.get(leaf);
        if (prev == null) {
            leafOrder.add(leaf);
            leafGrads.put(leaf, g);
        } else {
            leafGrads.put(leaf, prev.add(g));
        }
    }

    /** Adds {@code g} into {@code t.grad}, as PyTorch's AccumulateGrad: in place unless building a graph. */
    static void accumulateGrad(Tensor t, Tensor g, boolean createGraph) {
        Tensor old = t.grad;
        if (old == null) {
            t.grad = createGraph ? g : new Tensor(g.data.copy());
        } else if (!createGraph && !old.requiresGrad) {
            old.data.addInPlace(g.data);
        } else {
            t.grad = old.add(g);
        }
    }

    private static void retain(Tensor t, Tensor g, boolean createGraph) {
        accumulateGrad(t, g, createGraph);
    }
}
