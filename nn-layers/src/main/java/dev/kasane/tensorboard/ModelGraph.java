package dev.kasane.tensorboard;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TensorFlow {@code GraphDef} that TensorBoard's Graphs tab draws, built from the autograd graph of one forward
 * pass: a node per leaf (the input, each parameter) and per recorded op, and one for the output. Names are scoped by
 * module path, as PyTorch's {@code add_graph} scopes them: a parameter {@code conv1.weight} of a model {@code LeNet5}
 * is {@code LeNet5/conv1/weight}, an op sits in the scope of the module whose parameters it reads (else at the top,
 * {@code LeNet5}), the input is {@code input/input.0} and the result {@code output/output.0}. Every node carries
 * {@code _output_shapes}, which TensorBoard writes on the edges.
 */
final class ModelGraph {
    /** The GraphDef version PyTorch's writer declares. */
    static final int PRODUCER = 22;

    private final String root;
    private final Map<Tensor, String> leafNames = new IdentityHashMap<>();
    private final Map<Function, String> opNames = new IdentityHashMap<>();
    private final Map<Function, int[]> opShapes = new IdentityHashMap<>();
    private final Set<Tensor> writtenLeaves = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ProtoWriter graph = new ProtoWriter();

    private ModelGraph(String root) {
        this.root = root;
    }

    /**
     * The encoded {@code GraphDef} of {@code output} computed from {@code input} (a leaf that requires grad) by a model
     * named {@code root} with these named parameters.
     */
    static byte[] of(String root, Map<String, Tensor> parameters, Tensor input, Tensor output) {
        ModelGraph g = new ModelGraph(root);
        g.leafNames.put(input, "input/input.0");
        parameters.forEach((path, p) -> g.leafNames.putIfAbsent(p, root + "/" + path.replace('.', '/')));
        String last = output.gradFn() == null ? g.leaf(output) : g.ops(output.gradFn(), output.shape());
        g.node("output/output.0", "IO Node", List.of(last), output.shape());
        return g.graph.message(4, new ProtoWriter().int64(1, PRODUCER)).toByteArray();
    }

    /**
     * Writes every op that {@code top} depends on, inputs first, then {@code top} (whose result has {@code topShape});
     * returns {@code top}'s name. An op's result shape is the shape its consumers recorded for that input.
     */
    private String ops(Function top, int[] topShape) {
        List<Function> order = postOrder(top);
        opShapes.put(top, topShape);
        for (Function f : order) {
            for (Function.Input in : f.inputs()) {
                if (in.producer() != null) {
                    opShapes.putIfAbsent(in.producer(), in.shape());
                }
            }
        }
        Map<Function, String> scopes = scopes(order);
        for (Function f : order) {
            List<String> inputs = new ArrayList<>();
            for (Function.Input in : f.inputs()) {
                if (in.producer() != null) {
                    inputs.add(opNames.get(in.producer()));
                } else if (in.leaf() != null) {
                    inputs.add(leaf(in.leaf()));
                }
            }
            String name = scopes.get(f) + "/" + f.name() + "_" + opNames.size();
            opNames.put(f, name);
            node(name, f.name(), inputs, opShapes.get(f));
        }
        return opNames.get(top);
    }

    /**
     * Each op's scope: the module of a parameter it reads; else the module that all its consumers sit in, when it also
     * reads something of that module (the inner ops of a layer written as several ops: linear's matmul between the
     * weight's transpose and the bias's add); else the top.
     */
    private Map<Function, String> scopes(List<Function> order) {
        Map<Function, String> scope = new IdentityHashMap<>();
        Map<Function, List<Function>> consumers = new IdentityHashMap<>();
        for (Function f : order) {
            scope.put(f, root);
            for (Function.Input in : f.inputs()) {
                if (in.producer() != null) {
                    consumers.computeIfAbsent(in.producer(), k -> new ArrayList<>()).add(f);
                } else if (in.leaf() != null && leafNames.containsKey(in.leaf())) {
                    String name = leafNames.get(in.leaf());
                    if (name.startsWith(root + "/")) {
                        scope.put(f, name.substring(0, name.lastIndexOf('/')));
                    }
                }
            }
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Function f : order) {
                List<Function> users = consumers.getOrDefault(f, List.of());
                if (!scope.get(f).equals(root) || users.isEmpty()) {
                    continue;
                }
                String s = scope.get(users.get(0));
                boolean shared = !s.equals(root) && users.stream().allMatch(u -> scope.get(u).equals(s));
                boolean reads = f.inputs().stream().anyMatch(in -> in.producer() != null && scope.get(in.producer()).equals(s));
                if (shared && reads) {
                    scope.put(f, s);
                    changed = true;
                }
            }
        }
        return scope;
    }

    /** The ops {@code top} depends on and {@code top} itself, each after all the ops it reads. */
    private static List<Function> postOrder(Function top) {
        List<Function> order = new ArrayList<>();
        Map<Function, Boolean> seen = new IdentityHashMap<>();
        Deque<Function> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Function f = stack.peek();
            if (seen.putIfAbsent(f, Boolean.FALSE) == null) {
                for (Function.Input in : f.inputs()) {
                    if (in.producer() != null && !seen.containsKey(in.producer())) {
                        stack.push(in.producer());
                    }
                }
            } else {
                stack.pop();
                if (!seen.get(f)) {
                    seen.put(f, Boolean.TRUE);
                    order.add(f);
                }
            }
        }
        return order;
    }

    /** The node of a leaf, written on first use: a parameter, the input, or an unnamed tensor (a constant). */
    private String leaf(Tensor t) {
        String name = leafNames.computeIfAbsent(t, k -> root + "/tensor." + leafNames.size());
        if (writtenLeaves.add(t)) {
            node(name, name.startsWith("input/") ? "IO Node" : "Parameter", List.of(), t.shape());
        }
        return name;
    }

    /**
     * {@code NodeDef {name = 1, op = 2, input = 3, attr = 5 {"_output_shapes": AttrValue {list = 1 {shape = 7}}}}},
     * the shape as {@code TensorShapeProto {dim = 2 {size = 1}}}.
     */
    private void node(String name, String op, List<String> inputs, int[] shape) {
        ProtoWriter node = new ProtoWriter().string(1, name).string(2, op);
        inputs.forEach(in -> node.oneofString(3, in));
        if (shape != null) {
            ProtoWriter dims = new ProtoWriter();
            for (int d : shape) {
                dims.message(2, new ProtoWriter().int64(1, d));
            }
            ProtoWriter value = new ProtoWriter().message(1, new ProtoWriter().message(7, dims));
            node.message(5, new ProtoWriter().string(1, "_output_shapes").message(2, value));
        }
        graph.message(1, node);
    }
}
