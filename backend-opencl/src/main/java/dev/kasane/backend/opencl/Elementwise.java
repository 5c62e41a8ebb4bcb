package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
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
        Layout l = Layout.of("unary", src, dst);
        int n = l.numel();
        if (n == 0) {
            return;
        }
        Programs.Family f = Programs.Family.TENSOR;
        if (l.contiguous()) {
            new Launch(ctx, ctx.programs.kernel(f, src.dtype(), "unary_contig"))
                    .buf(storage(src)).i32(l.off[0]).buf(storage(dst)).i32(l.off[1]).i32(n).i32(OpSource.code(op)).run1d(n);
        } else {
            new Launch(ctx, ctx.programs.kernel(f, src.dtype(), "unary_strided"))
                    .buf(storage(src)).buf(storage(dst)).layout(l).i32(n).i32(OpSource.code(op)).run1d(n);
        }
    }

    static void binary(OpenClContext ctx, BinaryOp op, NDArray a, NDArray b, NDArray dst) {
        Layout l = Layout.of("binary", a, b, dst);
        int n = l.numel();
        if (n == 0) {
            return;
        }
        String base = op.isComparison() ? "compare" : "binary";
        Programs.Family f = Programs.Family.TENSOR;
        if (l.contiguous()) {
            new Launch(ctx, ctx.programs.kernel(f, a.dtype(), base + "_contig"))
                    .buf(storage(a)).i32(l.off[0]).buf(storage(b)).i32(l.off[1]).buf(storage(dst)).i32(l.off[2])
                    .i32(n).i32(OpSource.code(op)).run1d(n);
        } else {
            new Launch(ctx, ctx.programs.kernel(f, a.dtype(), base + "_strided"))
                    .buf(storage(a)).buf(storage(b)).buf(storage(dst)).layout(l).i32(n).i32(OpSource.code(op)).run1d(n);
        }
    }

    static void where(OpenClContext ctx, NDArray cond, NDArray a, NDArray b, NDArray dst) {
        Layout l = Layout.of("where", cond, a, b, dst);
        int n = l.numel();
        if (n == 0) {
            return;
        }
        Programs.Family f = Programs.Family.TENSOR;
        if (l.contiguous()) {
            new Launch(ctx, ctx.programs.kernel(f, a.dtype(), "where_contig"))
                    .buf(storage(cond)).i32(l.off[0]).buf(storage(a)).i32(l.off[1]).buf(storage(b)).i32(l.off[2])
                    .buf(storage(dst)).i32(l.off[3]).i32(n).run1d(n);
        } else {
            new Launch(ctx, ctx.programs.kernel(f, a.dtype(), "where_strided"))
                    .buf(storage(cond)).buf(storage(a)).buf(storage(b)).buf(storage(dst)).layout(l).i32(n).run1d(n);
        }
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
                .buf(src).buf(dst).layout(l).i32(n).run1d(n);
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
                .buf(s).layout(l).i32(n).i64(bits).run1d(n);
    }

    /** The bit pattern of {@code v} converted to {@code t} with the F64 conversion rules of {@code copy}. */
    static long bitsOf(DType t, double v) {
        switch (t) {
            case F32: return Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
            case F64: return Double.doubleToRawLongBits(v);
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
            case I32: return (int) v;
            case I64: return v;
            case U8: return v & 0xFF;
            default: return v != 0 ? 1 : 0;
        }
    }

    /** Kernel-name suffix of a dtype: f32, f64, i32, i64, u8, bool. */
    static String suffix(DType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    static OpenClStorage storage(NDArray a) {
        return (OpenClStorage) a.storage();
    }
}
