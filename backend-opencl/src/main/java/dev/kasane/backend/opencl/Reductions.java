package dev.kasane.backend.opencl;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reductions: splits the source's dimensions into kept ones (one output each) and reduced ones, and runs either one
 * work item per output (many outputs or short reductions) or one work-group per output with a local-memory tree
 * (few, long reductions).
 */
final class Reductions {
    /** The kernel family (in reduce.cl) of each kind of reduction. */
    private static final Map<ReduceOp.Kind, String> FAMILIES = new EnumMap<>(Map.of(
            ReduceOp.Kind.ACCUMULATE, "reduce_acc", ReduceOp.Kind.EXTREMUM, "reduce_mm", ReduceOp.Kind.INDEX, "reduce_arg"));

    private Reductions() {
    }

    static void reduce(OpenClContext ctx, ReduceOp op, NDArray src, NDArray dst) {
        int rank = src.dim();
        int nk = 0;
        int nr = 0;
        boolean[] reduced = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            reduced[d] = dst.size(d) == 1 && src.size(d) != 1;
            if (reduced[d]) {
                nr++;
            } else {
                nk++;
            }
        }
        int[] kShape = new int[nk];
        int[][] kStrides = new int[2][nk];
        int[] rShape = new int[nr];
        int[][] rStrides = new int[1][nr];
        int k = 0;
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                rShape[r] = src.size(d);
                rStrides[0][r++] = src.stride(d);
            } else {
                kShape[k] = src.size(d);
                kStrides[0][k] = src.stride(d);
                kStrides[1][k++] = dst.stride(d);
            }
        }
        Layout kept = Layout.collapsed("reduce", kShape, kStrides, new int[] {src.offset(), dst.offset()});
        Layout red = Layout.collapsed("reduce", rShape, rStrides, new int[] {0});
        int nOut = kept.numel();
        int nRed = red.numel();
        if (nOut == 0) {
            return;
        }
        String family = FAMILIES.get(op.kind());
        int group = ctx.programs.reduceGroup;
        boolean tree = nRed >= 64 && group > 1 && (ctx.isGpu() || nOut < 4 * ctx.info.computeUnits());
        Launch launch = new Launch(ctx, ctx.programs.kernel(Programs.Family.TENSOR, src.dtype(), family + (tree ? "_tree" : "_serial")))
                .buf(Elementwise.storage(src)).buf(Elementwise.storage(dst)).layout(kept).layout(red)
                .i32(nOut).i32(nRed).i32(OpSource.code(op));
        if (tree) {
            launch.run(new long[] {(long) nOut * group}, new long[] {group});
        } else {
            launch.run1d(nOut);
        }
    }
}
