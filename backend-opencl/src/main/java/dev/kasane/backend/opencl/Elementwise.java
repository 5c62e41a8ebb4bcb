package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.HalfFloats;
import dev.kasane.tensor.spi.UnaryOp;
import java.lang.ref.Reference;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.Pointer;

/**
 * Unary, binary, where and copy/convert: picks the contiguous kernel when every operand collapses to one dense run,
 * else the strided kernel over a {@link Layout}.
 */
final class Elementwise {
    private Elementwise() {
    }

    static void unary(OpenClContext ctx, UnaryOp op, NDArray src, NDArray dst) {
        run(ctx, "unary", src.dtype(), Layout.of("unary", src, dst), OpSource.code(op), src, dst);
    }

    static void binary(OpenClContext ctx, BinaryOp op, NDArray a, NDArray b, NDArray dst) {
        String kernel = op.isComparison() ? "compare" : "binary";
        run(ctx, kernel, a.dtype(), Layout.of("binary", a, b, dst), OpSource.code(op), a, b, dst);
    }

    static void where(OpenClContext ctx, NDArray cond, NDArray a, NDArray b, NDArray dst) {
        run(ctx, "where", a.dtype(), Layout.of("where", cond, a, b, dst), NO_OP, cond, a, b, dst);
    }

    /** The {@code op} argument of kernels that take none. */
    private static final int NO_OP = Integer.MIN_VALUE;

    /**
     * Launches {@code kernel_contig} (each operand's buffer and offset) when every operand is one dense run, else
     * {@code kernel_strided} (the buffers, then the layout); both then take the element count and, unless
     * {@code op} is {@link #NO_OP}, the op code.
     */
    private static void run(OpenClContext ctx, String kernel, DType t, Layout l, int op, NDArray... operands) {
        int n = l.numel();
        if (n == 0) {
            return;
        }
        boolean contig = l.contiguous();
        Launch launch = new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, t, kernel + (contig ? "_contig" : "_strided")));
        for (int q = 0; q < operands.length; q++) {
            launch.buf(storage(operands[q]));
            if (contig) {
                launch.i32(l.off[q]);
            }
        }
        if (!contig) {
            launch.layout(l);
        }
        launch.i32(n);
        if (op != NO_OP) {
            launch.i32(op);
        }
        launch.run1d(contig ? n : l.runItems(ctx.programs.elementRun));
    }

    /** {@code dst = convert(src)}; a same-dtype dense copy is a buffer copy. */
    static void copy(OpenClContext ctx, NDArray src, NDArray dst) {
        Layout l = Layout.of("copy", src, dst);
        copy(ctx, storage(src), src.dtype(), storage(dst), dst.dtype(), l);
    }

    /** Copies between two storages along {@code l} (operand 0 source, operand 1 destination). */
    static void copy(OpenClContext ctx, OpenClStorage src, DType srcType, OpenClStorage dst, DType dstType, Layout l) {
        int n = l.numel();
        if (n == 0) {
            return;
        }
        if (srcType == dstType && l.contiguous()) {
            if (src == dst && l.off[0] == l.off[1]) {
                return;
            }
            int bs = srcType.byteSize();
            ctx.lock.lock();
            try {
                CL.clEnqueueCopyBuffer(ctx.queue, src.mem(), dst.mem(), (long) l.off[0] * bs, (long) l.off[1] * bs,
                        (long) n * bs, 0, null, null);
                ctx.launched();
            } finally {
                ctx.lock.unlock();
                Reference.reachabilityFence(src);
                Reference.reachabilityFence(dst);
            }
            return;
        }
        new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, srcType, "convert_" + suffix(dstType)))
                .buf(src).buf(dst).layout(l).i32(n).run1d(l.runItems(ctx.programs.elementRun));
    }

    /**
     * {@code dst[i] = value} where {@code bits} is the value already converted to {@code dst}'s dtype, as a bit
     * pattern ({@link #bitsOf(DType, double)}): a dense same-dtype fill is {@code clEnqueueFillBuffer}, anything
     * else the {@code fill_strided} kernel with the value as an argument. No host array is transferred.
     */
    static void fill(OpenClContext ctx, NDArray dst, long bits) {
        Layout l = Layout.of("fill", dst);
        int n = l.numel();
        if (n == 0) {
            return;
        }
        DType t = dst.dtype();
        OpenClStorage s = storage(dst);
        if (l.contiguous()) {
            int bs = t.byteSize();
            Pointer pattern;
            switch (bs) {
                case 1: pattern = Pointer.to(new byte[] {(byte) bits}); break;
                case 2: pattern = Pointer.to(new short[] {(short) bits}); break;
                case 4: pattern = Pointer.to(new int[] {(int) bits}); break;
                default: pattern = Pointer.to(new long[] {bits}); break;
            }
            ctx.lock.lock();
            try {
                CL.clEnqueueFillBuffer(ctx.queue, s.mem(), pattern, bs, (long) l.off[0] * bs, (long) n * bs, 0, null, null);
                ctx.launched();
            } finally {
                ctx.lock.unlock();
                Reference.reachabilityFence(s);
            }
            return;
        }
        new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, t, "fill_strided"))
                .buf(s).layout(l).i32(n).i64(bits).run1d(l.runItems(ctx.programs.elementRun));
    }

    /** The bit pattern of {@code v} converted to {@code t} with the F64 conversion rules of {@code copy}. */
    static long bitsOf(DType t, double v) {
        switch (t) {
            case F32: return Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
            case F64: return Double.doubleToRawLongBits(v);
            case BF16: case F16: return HalfFloats.fromF32(t, (float) v) & 0xFFFF;
            case I32: return (int) v;
            case I64: return (long) v;
            case U8: return (byte) (long) v & 0xFF;
            default: return v != 0 ? 1 : 0;
        }
    }

    /** The bit pattern of {@code v} converted to {@code t} with the I64 conversion rules of {@code copy}. */
    static long bitsOf(DType t, long v) {
        switch (t) {
            case F32: return Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
            case F64: return Double.doubleToRawLongBits((double) v);
            case BF16: case F16: return HalfFloats.fromF32(t, (float) v) & 0xFFFF;
            case I32: return (int) v;
            case I64: return v;
            case U8: return v & 0xFF;
            default: return v != 0 ? 1 : 0;
        }
    }

    /** Kernel-name suffix of a dtype: f32, f64, i32, i64, u8, bool, bf16, f16. */
    static String suffix(DType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    static OpenClStorage storage(NDArray a) {
        return (OpenClStorage) a.storage();
    }
}
