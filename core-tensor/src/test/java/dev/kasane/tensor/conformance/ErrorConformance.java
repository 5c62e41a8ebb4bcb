package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.PadMode;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input: every op throws {@link IllegalArgumentException} whose message names the op and the shapes, dtypes and
 * device involved. Mixed devices cannot be produced with one device and are not tested here.
 */
public abstract class ErrorConformance extends ConformanceBase {

    /** Asserts an IllegalArgumentException whose message contains every fragment. */
    protected static String assertIae(Executable e, String... fragments) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        String m = x.getMessage();
        for (String f : fragments) {
            assertTrue(m != null && m.contains(f), "message should contain '" + f + "': " + m);
        }
        return m;
    }

    private String dev() {
        return device().toString();
    }

    private NDArray f32(int... shape) {
        return NDArray.zeros(DType.F32, device(), shape);
    }

    @Test
    void notBroadcastable() {
        NDArray a = f32(2, 3);
        NDArray b = f32(4);
        String d = dev();
        assertIae(() -> a.binary(BinaryOp.ADD, b), "add", "not broadcastable", "[2, 3] F32 " + d, "[4] F32 " + d);
        assertIae(() -> a.binary(BinaryOp.MUL, b), "mul", "[2, 3] F32 " + d, "[4] F32 " + d);
        assertIae(() -> a.binary(BinaryOp.LT, b), "lt", "[2, 3]", "[4]");
        assertIae(() -> a.binary(BinaryOp.MAXIMUM, f32(3, 3)), "maximum", "[2, 3]", "[3, 3]");
        assertIae(() -> NDArray.where(NDArray.zeros(DType.BOOL, device(), 5), a, a), "where", "[5] BOOL", "[2, 3] F32");
        assertIae(() -> a.maskedFill(NDArray.zeros(DType.BOOL, device(), 2, 1, 3), 0), "maskedFill", "[2, 1, 3] BOOL");
        assertIae(() -> a.binaryInPlace(BinaryOp.ADD, f32(3, 3)), "addInPlace", "[2, 3]", "[3, 3]");
        assertIae(() -> a.copyFrom(f32(2, 4)), "copyFrom", "[2, 4]");
        assertIae(() -> a.binaryInPlace(BinaryOp.ADD, f32(4, 2, 3)), "addInPlace", "[4, 2, 3]", "[2, 3]");
    }

    @Test
    void dimensionOutOfRange() {
        NDArray a = f32(2, 3);
        assertIae(() -> a.reduce(ReduceOp.SUM, 2, false), "sum", "dimension 2", "[2, 3] F32 " + dev());
        assertIae(() -> a.reduce(ReduceOp.SUM, -3, false), "sum", "-3", "[2, 3]");
        assertIae(() -> a.reduce(ReduceOp.MAX, 5, false), "max", "5", "[2, 3]");
        assertIae(() -> a.reduce(ReduceOp.ARGMAX, 2, false), "argmax", "[2, 3]");
        assertIae(() -> a.transpose(0, 2), "transpose", "[2, 3]");
        assertIae(() -> a.select(2, 0), "select", "[2, 3]");
        assertIae(() -> a.narrow(-3, 0, 1), "narrow", "[2, 3]");
        assertIae(() -> a.slice(3, 0, 1), "slice", "[2, 3]");
        assertIae(() -> a.unsqueeze(3), "unsqueeze", "[2, 3]");
        assertIae(() -> a.flip(2), "flip", "[2, 3]");
        assertIae(() -> a.gather(2, NDArray.zeros(DType.I64, device(), 2, 3)), "gather", "[2, 3]");
        assertIae(() -> NDArray.cat(List.of(a, a), 2), "cat", "[2, 3]");
        assertIae(() -> a.reduce(ReduceOp.SUM, new int[] {0, -2}, false), "sum", "twice");
        assertIae(() -> a.size(2), "size", "[2, 3]");
    }

    @Test
    void compositeOpsNameThemselves() {
        // ops composed above the SPI must report their own name, not the name of the primitive they call
        NDArray a = f32(2, 3);
        Failures f = new Failures();
        f.check("indexSelect", () -> assertIae(() -> a.indexSelect(1, NDArray.fromHost(new long[] {5}, DType.I64, device(), 1)),
                "indexSelect", "5"));
        f.done();
    }

    @Test
    void indexOutOfRange() {
        NDArray a = f32(2, 3);
        assertIae(() -> a.select(0, 2), "select", "index 2", "size 2", "[2, 3] F32 " + dev());
        assertIae(() -> a.narrow(1, 2, 2), "narrow", "[2, 3]");
        assertIae(() -> a.get(0, 3), "select", "index 3");
        assertIae(() -> a.gather(1, NDArray.fromHost(new long[] {0, 3}, DType.I64, device(), 1, 2)), "gather", "3",
                "out of range");
        assertIae(() -> a.scatterAdd(0, NDArray.fromHost(new int[] {2}, DType.I32, device(), 1, 1), f32(1, 1)),
                "scatterAdd", "2", "out of range");
        assertIae(() -> a.indexSelect(1, NDArray.fromHost(new long[] {5}, DType.I64, device(), 1)), "out of range");
        assertIae(() -> a.item(), "item", "[2, 3]");
    }

    @Test
    void wrongDtype() {
        NDArray a = f32(2, 3);
        String d = dev();
        assertIae(() -> a.gather(1, f32(2, 3)), "gather", "index", "F32");
        assertIae(() -> a.indexSelect(0, f32(1)), "indexSelect", "F32");
        assertIae(() -> a.scatterAdd(0, f32(2, 3), a), "scatterAdd", "F32");
        assertIae(() -> a.scatterAdd(0, NDArray.zeros(DType.I64, device(), 2, 3), NDArray.zeros(DType.F64, device(), 2, 3)),
                "scatterAdd", "F64");
        NDArray b = NDArray.zeros(DType.BOOL, device(), 3);
        assertIae(() -> b.binary(BinaryOp.ADD, b), "add", "BOOL", "[3] BOOL " + d);
        assertIae(() -> b.unary(UnaryOp.NEG), "neg", "BOOL");
        assertIae(() -> b.unary(UnaryOp.ABS), "abs", "BOOL");
        NDArray i = NDArray.zeros(DType.I32, device(), 2, 2);
        assertIae(() -> i.matmul(i), "matmul", "I32", "[2, 2] I32 " + d);
        assertIae(() -> a.matmul(NDArray.zeros(DType.F64, device(), 3, 2)), "matmul", "F32", "F64");
        assertIae(() -> i.mean(), "mean", "I32");
        assertIae(() -> NDArray.where(a, a, a), "where", "BOOL", "F32");
        assertIae(() -> a.maskedFill(a, 0), "maskedFill", "BOOL", "F32");
        assertIae(() -> i.binaryInPlace(BinaryOp.DIV, i), "divInPlace", "I32");
        assertIae(() -> i.binaryInPlace(BinaryOp.ADD, a), "addInPlace", "F32", "I32");
        assertIae(() -> i.bernoulli(), "bernoulli", "I32");
        assertIae(() -> NDArray.uniform(new dev.kasane.tensor.Generator(1), 0, 1, DType.I64, device(), 2), "uniform", "I64");
        assertIae(() -> NDArray.fromHost(new float[2], DType.I32, device(), 2), "fromHost", "I32");
    }

    @Test
    void viewImpossible() {
        NDArray t = f32(2, 3).t();
        assertIae(() -> t.view(6), "view", "[3, 2] F32 " + dev(), "[6]", "reshape");
        assertIae(() -> f32(2, 3).view(4, 2), "view", "[4, 2]", "6");
        assertIae(() -> f32(2, 3).reshape(-1, -1), "reshape", "-1");
        assertIae(() -> f32(2, 3).expand(3, 3), "expand", "[2, 3]", "[3, 3]");
        assertIae(() -> f32(2, 3).permute(1, 1), "permute");
        assertIae(() -> f32(2, 2, 2).t(), "t", "[2, 2, 2]");
        assertIae(() -> f32(6).asStrided(new int[] {4}, new int[] {2}, 0), "asStrided", "[4]", "[2]");
        assertIae(() -> f32(1, 3).expand(2, 3).binaryInPlace(BinaryOp.ADD, f32(2, 3)), "addInPlace", "broadcast", "[2, 3] F32 " + dev());
    }

    @Test
    void negativeSizes() {
        assertIae(() -> NDArray.zeros(DType.F32, device(), 2, -1), "negative", "[2, -1]");
        assertIae(() -> NDArray.empty(DType.F32, device(), -3), "empty", "negative", "[-3]");
        assertIae(() -> NDArray.full(1, DType.I64, device(), -2), "negative");
        assertIae(() -> f32(4).narrow(0, 0, -1), "narrow", "-1");
        assertIae(() -> f32(4).view(-2, -2), "view", "-2");
        assertIae(() -> f32(4).repeat(-1), "repeat", "-1");
        assertIae(() -> f32(4).split(new int[] {5, -1}, 0), "split", "-1");
        assertIae(() -> NDArray.linspace(0, 1, -1), "linspace", "-1");
        assertIae(() -> NDArray.eye(2, -1, DType.F32, device()), "eye", "-1");
        assertIae(() -> NDArray.randperm(new dev.kasane.tensor.Generator(1), -1, device()), "randperm", "-1");
    }

    @Test
    void badPad() {
        NDArray a = f32(2, 3);
        assertIae(() -> a.pad(new int[] {1, 1, 1}, PadMode.CONSTANT, 0), "pad", "[1, 1, 1]", "[2, 3] F32 " + dev());
        assertIae(() -> a.pad(new int[] {1, 1, 1, 1, 1, 1}, PadMode.CONSTANT, 0), "pad", "[2, 3]");
        assertIae(() -> a.pad(new int[] {3, 0}, PadMode.REFLECT, 0), "pad", "REFLECT", "[2, 3]");
        assertIae(() -> a.pad(new int[] {-1, 0}, PadMode.REPLICATE, 0), "pad", "negative", "[2, 3]");
        assertIae(() -> a.pad(new int[] {4, 0}, PadMode.CIRCULAR, 0), "pad", "CIRCULAR", "[2, 3]");
        assertIae(() -> a.pad(new int[] {-2, -2}, PadMode.CONSTANT, 0), "pad", "[2, 3]");
    }

    @Test
    void emptyReductionAndBadArguments() {
        assertIae(() -> f32(0, 3).reduce(ReduceOp.MAX), "max", "[0, 3] F32 " + dev());
        assertIae(() -> f32(0, 3).reduce(ReduceOp.ARGMIN, 0, false), "argmin", "[0, 3]");
        assertIae(() -> f32(3).clamp(2, 1), "clamp", "[3] F32");
        assertIae(() -> f32(3).slice(0, 0, 3, 0), "slice", "step");
        assertIae(() -> f32(3).split(0, 0), "split", "[3]");
        assertIae(() -> f32(3).chunk(0, 0), "chunk");
        assertIae(() -> f32(3).matmul(f32(4)), "matmul", "[3]", "[4]");
        assertIae(() -> f32(2, 3).matmul(f32(2, 3)), "matmul", "[2, 3]");
        assertIae(() -> f32(2, 3).bmm(f32(2, 3)), "bmm", "[2, 3]");
        assertIae(() -> NDArray.scalar(1, DType.F32, device()).matmul(f32(1)), "matmul", "[] F32");
        assertIae(() -> NDArray.cat(List.of(f32(2, 3), f32(3, 2)), 0), "cat", "[2, 3]", "[3, 2]");
        assertIae(() -> NDArray.cat(List.of(), 0), "cat");
        assertIae(() -> NDArray.stack(List.of(f32(2), f32(3)), 0), "stack", "[2]", "[3]");
        assertIae(() -> f32(2, 3).gather(0, NDArray.zeros(DType.I64, device(), 3)), "gather", "[3] I64", "[2, 3]");
        assertIae(() -> NDArray.fromHost(new float[5], DType.F32, device(), 2, 3), "fromHost", "[2, 3]", "5");
        assertIae(() -> NDArray.arange(0, 1, 0), "arange", "step");
        assertIae(() -> NDArray.randint(new dev.kasane.tensor.Generator(1), 3, 3, device(), 1), "randint", "3");
        assertIae(() -> f32(2).expand(2, 2).fillInPlace(1), "fillInPlace", "broadcast");
    }
}
