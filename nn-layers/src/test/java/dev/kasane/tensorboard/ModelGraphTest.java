package dev.kasane.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.tensor.DType;
import dev.kasane.tensorboard.EventReader.Msg;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SummaryWriter#addGraph}: the GraphDef read back with the tests' own decoder. */
class ModelGraphTest {
    @TempDir
    Path dir;

    /** conv1 (1 -> 2, 3x3) -> relu -> flatten -> fc (32 -> 3). */
    static final class Net extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 2, 3));
        final Linear fc = registerModule("fc", new Linear(32, 3));

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(conv1.forward(x).relu().flatten(1));
        }
    }

    /** The graph's nodes by name: {op, inputs, shape}, in file order. */
    private Map<String, Object[]> nodes(Msg graph) {
        Map<String, Object[]> out = new LinkedHashMap<>();
        for (Msg node : graph.messages(1)) {
            int[] shape = null;
            for (Msg attr : node.messages(5)) {
                assertEquals("_output_shapes", attr.string(1));
                List<Msg> dims = attr.message(2).message(1).message(7).messages(2);
                shape = dims.stream().mapToInt(d -> (int) d.varint(1)).toArray();
            }
            out.put(node.string(1), new Object[] {node.string(2), node.strings(3), shape});
        }
        return out;
    }

    @Test
    void graphOfAModelNamesItsNodesByModulePathInDependencyOrder() throws IOException {
        Net net = new Net();
        net.fc.namedParameters().get("bias").requiresGrad(false);
        Tensor x = Tensor.randn(4, 1, 6, 6);
        try (var tb = new SummaryWriter(dir)) {
            tb.addGraph(net, x);
        }
        List<Msg> events = EventReader.events(EventReader.eventFile(dir));
        assertEquals(2, events.size(), "the file version event and the graph");
        Msg event = events.get(1);
        assertEquals(0, event.varint(2), "step");
        Msg graph = Msg.parse(event.bytes(4));
        assertEquals(ModelGraph.PRODUCER, graph.message(4).varint(1), "versions.producer");

        Map<String, Object[]> nodes = nodes(graph);
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Object[]> e : nodes.entrySet()) {
            for (String in : inputs(nodes, e.getKey())) {
                assertTrue(seen.contains(in), e.getKey() + " reads " + in + ", which is not written before it");
            }
            seen.add(e.getKey());
        }
        for (String leaf : List.of("Net/conv1/weight", "Net/conv1/bias", "Net/fc/weight", "Net/fc/bias")) {
            assertEquals("Parameter", nodes.get(leaf)[0], leaf);
        }
        assertArrayEquals(new int[] {2, 1, 3, 3}, (int[]) nodes.get("Net/conv1/weight")[2]);
        assertEquals("IO Node", nodes.get("input/input.0")[0]);
        assertArrayEquals(new int[] {4, 1, 6, 6}, (int[]) nodes.get("input/input.0")[2]);

        List<String> convOps = ops(nodes, "Net/conv1/");
        assertEquals(1, convOps.size(), "conv1's ops: " + convOps);
        String conv = convOps.get(0);
        assertTrue(inputs(nodes, conv).containsAll(List.of("input/input.0", "Net/conv1/weight")),
                "conv reads " + inputs(nodes, conv));
        assertArrayEquals(new int[] {4, 2, 4, 4}, (int[]) nodes.get(conv)[2], "the convolution's output shape");
        // linear is a few ops (the weight's transpose, a matmul, the bias's add): all in fc's scope
        List<String> fcOps = ops(nodes, "Net/fc/");
        for (String param : List.of("Net/fc/weight", "Net/fc/bias")) {
            assertTrue(fcOps.stream().anyMatch(op -> inputs(nodes, op).contains(param)), param + " is read in fc: " + fcOps);
        }
        List<String> out = inputs(nodes, "output/output.0");
        assertEquals(1, out.size());
        assertTrue(fcOps.contains(out.get(0)), "the output is fc's last op: " + out);
        assertArrayEquals(new int[] {4, 3}, (int[]) nodes.get("output/output.0")[2]);
        List<String> top = nodes.keySet().stream().filter(n -> n.matches("Net/[A-Za-z0-9]+_\\d+")).toList();
        assertTrue(top.stream().anyMatch(op -> inputs(nodes, op).contains(conv)), "relu (top scope) reads conv: " + top);

        assertTrue(net.isTraining(), "training mode restored");
        assertFalse(net.fc.namedParameters().get("bias").requiresGrad(), "a frozen parameter stays frozen");
        assertNull(net.conv1.namedParameters().get("weight").grad(), "no gradient computed");
    }

    /** The op nodes directly in {@code scope} (not parameters). */
    private static List<String> ops(Map<String, Object[]> nodes, String scope) {
        return nodes.entrySet().stream()
                .filter(e -> e.getKey().startsWith(scope) && !"Parameter".equals(e.getValue()[0]))
                .map(Map.Entry::getKey).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> inputs(Map<String, Object[]> nodes, String node) {
        return (List<String>) nodes.get(node)[1];
    }

    @Test
    void anIntegerInputIsRefusedWithTheOpShapeAndDtype() throws IOException {
        try (var tb = new SummaryWriter(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tb.addGraph(new Net(), Tensor.zeros(DType.I64, 4, 1, 6, 6)));
            assertTrue(e.getMessage().startsWith("addGraph:") && e.getMessage().contains("I64")
                    && e.getMessage().contains("[4, 1, 6, 6]"), e.getMessage());
        }
    }
}
