package dev.kasane.autograd;

import dev.kasane.tensor.DType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * One backward run, in phases: {@link #discover} the graph below the outputs (iterative depth-first search, so
 * graphs of any depth work), {@link #prune} it to what the {@link GradSink} needs, {@link #countDependencies}, then
 * {@link #execute} each node once all gradients flowing into it have been summed, and deliver the leaves' sums.
 * Gradient buffers that only the run references are recycled as soon as they are consumed ({@link GradientBuffers}).
 */
final class GraphTask {
    /** Per-node bookkeeping for one run. */
    static final class Node {
        final Function fn;
        /** Needed consumers whose gradient has not arrived yet; -1 once queued. */
        int deps;
        /** Whether the node runs (or at least receives its gradient) in this run. */
        boolean needed;
        /** Which inputs need a gradient in this run; null: all. */
        boolean[] mask;
        /** The gradient of the node's output summed so far. */
        Tensor grad;

        Node(Function fn) {
            this.fn = fn;
        }

        boolean computesAnyInput() {
            if (mask == null) {
                return true;
            }
            for (boolean m : mask) {
                if (m) {
                    return true;
                }
            }
            return false;
        }
    }

    private final GradSink sink;
    private final boolean retainGraph;
    private final GradientBuffers buffers;
    private final IdentityHashMap<Function, Node> nodes = new IdentityHashMap<>();
    /** Children before parents. */
    private final List<Node> postOrder = new ArrayList<>();
    private final IdentityHashMap<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
    private final List<Tensor> leafOrder = new ArrayList<>();

    private GraphTask(GradSink sink, boolean retainGraph, boolean createGraph) {
        this.sink = sink;
        this.retainGraph = retainGraph;
        this.buffers = new GradientBuffers(!createGraph);
    }

    /**
     * Runs backward from {@code outputs} with one seed gradient each, recording the backward computation when
     * {@code createGraph}, freeing saved tensors unless {@code retainGraph}.
     */
    static void run(Tensor[] outputs, Tensor[] seeds, GradSink sink, boolean retainGraph, boolean createGraph) {
        GraphTask task = new GraphTask(sink, retainGraph, createGraph);
        task.discover(outputs);
        task.prune();
        task.countDependencies();
        GradMode mode = GradMode.current();
        boolean previousMode = mode.enabled;
        DType previousAutocast = mode.autocast;
        mode.enabled = createGraph;
        mode.autocast = null; // backward computes in the dtypes forward left (its roundings' backward rounds)
        try {
            task.seed(outputs, seeds);
            task.execute(outputs);
            task.deliverLeafGradients();
        } finally {
            mode.enabled = previousMode;
            mode.autocast = previousAutocast;
        }
    }

    /** The bookkeeping of a discovered node. */
    Node node(Function fn) {
        return nodes.get(fn);
    }

    /** Phase 1: every node reachable from the outputs, in post-order. */
    private void discover(Tensor[] outputs) {
        ArrayList<Function> stack = new ArrayList<>();
        int[] childPos = new int[16];
        for (Tensor o : outputs) {
            Function root = o.gradFn;
            if (root == null || nodes.containsKey(root)) {
                continue;
            }
            nodes.put(root, new Node(root));
            stack.add(root);
            childPos[0] = 0;
            while (!stack.isEmpty()) {
                int top = stack.size() - 1;
                Function f = stack.get(top);
                if (childPos[top] < f.nextFns.length) {
                    Function c = f.nextFns[childPos[top]++];
                    if (c != null && !nodes.containsKey(c)) {
                        nodes.put(c, new Node(c));
                        if (stack.size() == childPos.length) {
                            childPos = Arrays.copyOf(childPos, childPos.length * 2);
                        }
                        childPos[stack.size()] = 0;
                        stack.add(c);
                    }
                } else {
                    stack.remove(top);
                    postOrder.add(nodes.get(f));
                }
            }
        }
    }

    /** Phase 2: which nodes run, and with which inputs, decided by the sink children first. */
    private void prune() {
        for (Node n : postOrder) {
            sink.prune(n, this);
        }
    }

    /** Phase 3: for every needed node, how many needed nodes feed it a gradient. */
    private void countDependencies() {
        for (Node n : postOrder) {
            if (!n.needed) {
                continue;
            }
            for (Function c : n.fn.nextFns) {
                if (c != null) {
                    Node child = nodes.get(c);
                    if (child.needed) {
                        child.deps++;
                    }
                }
            }
        }
    }

    /** Phase 4a: the outputs' seed gradients go to their nodes (or, for a leaf output, to the leaf sums). */
    private void seed(Tensor[] outputs, Tensor[] seeds) {
        for (int i = 0; i < outputs.length; i++) {
            Tensor o = outputs[i];
            if (o.gradFn != null) {
                addTo(nodes.get(o.gradFn), seeds[i]);
            } else if (sink.wantsLeaf(o)) {
                addToLeaf(o, seeds[i]);
            }
        }
    }

    /** Phase 4b: runs the needed nodes, each once all its consumers have run (a node's gradient is then complete). */
    private void execute(Tensor[] outputs) {
        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Tensor o : outputs) {
            if (o.gradFn != null) {
                enqueueIfReady(ready, nodes.get(o.gradFn));
            }
        }
        while (!ready.isEmpty()) {
            Node n = ready.pop();
            Tensor g = n.grad;
            n.grad = null;
            if (g != null) {
                g = hooked(n.fn.outputHooks, g, n.fn.name());
                if (sink.nodeGradient(n.fn, g)) {
                    buffers.disown(g);
                }
                if (n.computesAnyInput()) {
                    propagate(n, g);
                } else {
                    buffers.release(g);
                }
            }
            for (Function c : n.fn.nextFns) {
                if (c != null) {
                    Node child = nodes.get(c);
                    if (child.needed && --child.deps == 0) {
                        enqueueIfReady(ready, child);
                    }
                }
            }
        }
    }

    private static void enqueueIfReady(ArrayDeque<Node> ready, Node n) {
        if (n.needed && n.deps == 0) {
            n.deps = -1;
            ready.push(n);
        }
    }

    /** Runs one node's backward and routes each input gradient to the node or leaf that produced the input. */
    private void propagate(Node n, Tensor g) {
        Function f = n.fn;
        long mark = buffers.mark();
        Tensor[] gin = NodeBackward.call(f, n.mask, g);
        buffers.consumed(f, g, gin, mark);
        for (int i = 0; i < gin.length; i++) {
            if (gin[i] == null) {
                continue;
            }
            Function c = f.nextFns[i];
            if (c != null) {
                addTo(nodes.get(c), gin[i]);
            } else {
                addToLeaf(f.nextLeaves[i], gin[i]);
            }
        }
        if (!retainGraph) {
            f.release();
        }
    }

    /** Phase 5: each leaf's summed gradient, through the leaf's hooks, to the sink. */
    private void deliverLeafGradients() {
        for (Tensor leaf : leafOrder) {
            Tensor g = hooked(leaf.hooks, leafGrads.get(leaf), "leaf tensor");
            if (sink.leafGradient(leaf, g, buffers.canHandOver(g))) {
                buffers.disown(g);
            } else {
                buffers.release(g);
            }
        }
    }

    private void addTo(Node n, Tensor g) {
        n.grad = n.grad == null ? g : buffers.sum(n.grad, g);
    }

    private void addToLeaf(Tensor leaf, Tensor g) {
        Tensor prev = leafGrads.get(leaf);
        if (prev == null) {
            leafOrder.add(leaf);
            leafGrads.put(leaf, g);
        } else {
            leafGrads.put(leaf, buffers.sum(prev, g));
        }
    }

    /** {@code g} through {@code hooks}; a gradient a hook saw is no longer the run's to recycle. */
    private Tensor hooked(List<GradHook> hooks, Tensor g, String what) {
        if (hooks == null || hooks.isEmpty()) {
            return g;
        }
        buffers.disown(g);
        for (GradHook h : hooks.toArray(new GradHook[0])) {
            Tensor r = h.apply(g);
            if (r != null) {
                String differs = GradientMatch.difference(r.data, g.data);
                if (differs != null) {
                    throw new IllegalStateException("a gradient hook on a " + what + " returned " + r.data.describe()
                            + ", of a different " + differs + " than the gradient " + g.data.describe()
                            + "; a hook must return a gradient of the same shape, dtype and device");
                }
                g = r;
            }
        }
        return g;
    }
}
