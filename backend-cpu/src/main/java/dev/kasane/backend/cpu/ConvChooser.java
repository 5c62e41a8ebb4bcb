package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The cost model of the CPU convolutions, in one place: picks the {@link ConvStrategy} of each pass (forward, input
 * gradient, weight gradient) as a pure function of the geometry, the dtype and the GEMM kernel's tile width (plus
 * whether the Winograd kernel is present and, for the forward pass, whether the caller holds the weight fixed), so that
 * a geometry always runs the same way. The choice is a few integer operations, made per call.
 *
 * <ul>
 *   <li>Depthwise convolutions (one input channel per group, more than one group) take {@link DepthwiseConv} for all
 *       three passes (their GEMMs would be only {@code kH * kW} deep); the input gradient of a stride-1 one with one
 *       output channel per input channel as the depthwise forward pass of its transposed geometry.
 *   <li>Forward: {@link WinogradConv} where it {@linkplain Winograd#fits fits} (on smaller planes when the caller
 *       holds the weight fixed, so that its transform is made once); else {@link InPlaceTapsConv} where the
 *       taps read in place cost less than im2col ({@link #inPlaceTaps}); else {@link ImagesConv} for planes too small
 *       to fill the GEMM's panels ({@link #imagesPerUnit}); else {@link InPlaceTapsConv} for stride 2 from the input's
 *       phases where that costs less ({@link #phasedTaps}); else {@link PointwiseConv} for 1x1 unpadded kernels
 *       (subsampled first when strided); else {@link Im2colConv}.
 *   <li>Input gradient: for stride 1 ({@link Conv.Geo#transposed}), the forward pass of the transposed geometry
 *       ({@link TransposedConv}) when Winograd fits it, for 1x1 kernels, when it reads its taps in place, or when its
 *       im2col moves at most 1.5 times the data of col2im; else col2im after a GEMM, over several images
 *       ({@link ImagesConv}) or one ({@link Im2colConv}).
 *   <li>Weight gradient: {@link InPlaceTapsConv}, {@link ImagesConv} (without the forward pass's spreading over
 *       units), {@link PointwiseConv} or {@link Im2colConv}, by the same tests.
 * </ul>
 */
final class ConvChooser {
    /** Target size (elements) of one im2col block: about 1 MB of F32, so it stays in L2. */
    static final int BLOCK_ELEMS = Integer.getInteger("kasane.cpu.conv.block", 1 << 18);
    /** Columns that a convolution's GEMM should have at least; smaller planes are batched (see imagesPerUnit). */
    private static final int MIN_GEMM_COLS = 256;
    /** Cost of moving one element through im2col, in cycles of the FMA units (see {@link #inPlaceTaps}). */
    private static final int IM2COL_COST = 4;
    /** Aim for at least this many units of work (forward pass with several images per unit, input gradient). */
    static final int MIN_UNITS = 8;

    private ConvChooser() {
    }

    /** The three passes' strategies of one geometry, for tests and logs. */
    record Plan(ConvStrategy forward, ConvStrategy inputGrad, ConvStrategy weightGrad) {
        /** E.g. {@code "im2col images2 images4"}: the three strategies' names. */
        String describe() {
            return forward.name() + " " + inputGrad.name() + " " + weightGrad.name();
        }
    }

    /** The forward pass's strategy for {@code gm} in {@code dt} with {@code kern}, its weight fixed or being trained. */
    static ConvStrategy forward(Conv.Geo gm, DType dt, GemmKernel kern, boolean fixedWeight) {
        return forward(gm, kern.nr, Winograd.available(dt), fixedWeight);
    }

    /** The input gradient's strategy for {@code gm} in {@code dt} with {@code kern}. */
    static ConvStrategy inputGrad(Conv.Geo gm, DType dt, GemmKernel kern) {
        return inputGrad(gm, kern.nr, Winograd.available(dt));
    }

    /** The weight gradient's strategy for {@code gm} with {@code kern} (no dtype has a path of its own). */
    static ConvStrategy weightGrad(Conv.Geo gm, GemmKernel kern) {
        return weightGrad(gm, kern.nr);
    }

    /**
     * All three passes' strategies of a trained weight for a kernel of tile width {@code nr}, with or without the
     * Winograd kernel.
     */
    static Plan plan(Conv.Geo gm, int nr, boolean winograd) {
        return new Plan(forward(gm, nr, winograd, false), inputGrad(gm, nr, winograd), weightGrad(gm, nr));
    }

    static ConvStrategy forward(Conv.Geo gm, int nr, boolean winograd, boolean fixedWeight) {
        if (DepthwiseConv.fits(gm)) {
            return DepthwiseConv.INSTANCE;
        }
        if (winograd && Winograd.fits(gm, fixedWeight)) {
            return WinogradConv.INSTANCE;
        }
        if (inPlaceTaps(gm, nr)) {
            return InPlaceTapsConv.INSTANCE;
        }
        int ni = spreadImages(gm, nr, imagesPerUnit(gm));
        if (ni > 1) {
            return new ImagesConv(ni);
        }
        if (phasedTaps(gm, nr)) {
            return InPlaceTapsConv.INSTANCE;
        }
        return gm.pointwise() || gm.subsampling() ? PointwiseConv.INSTANCE : Im2colConv.INSTANCE;
    }

    static ConvStrategy inputGrad(Conv.Geo gm, int nr, boolean winograd) {
        Conv.Geo t = gm.transposed();
        if (DepthwiseConv.fits(gm)) {
            // stride 1, channel multiplier 1 (MobileNet's and EfficientNet's): the depthwise forward pass of the flipped
            // kernel, whose taps are summed in registers, not added into the input planes one pass per tap
            return t != null && DepthwiseConv.fits(t) ? new TransposedConv(DepthwiseConv.INSTANCE) : DepthwiseConv.INSTANCE;
        }
        // The forward form's im2col spans O x kh x kw rows over the H x W input plane, col2im's C x kh x kw rows over
        // the output plane: take the forward form unless it moves clearly more data (few input channels make a thin
        // GEMM and a large im2col), or when it reads its taps in place (no im2col).
        if (t != null && ((winograd && Winograd.fits(t, false)) || gm.pointwise() || inPlaceTaps(t, nr)
                || 2L * gm.o * gm.h * gm.w <= 3L * gm.c * gm.l)) {
            return new TransposedConv(forward(t, nr, winograd, false));
        }
        // 1x1 stride-1 unpadded kernels always take the forward form above.
        int ni = spreadImages(gm, nr, imagesPerUnit(gm));
        return ni > 1 ? new ImagesConv(ni) : Im2colConv.INSTANCE;
    }

    static ConvStrategy weightGrad(Conv.Geo gm, int nr) {
        if (DepthwiseConv.fits(gm)) {
            return DepthwiseConv.INSTANCE;
        }
        if (inPlaceTaps(gm, nr)) {
            return InPlaceTapsConv.INSTANCE;
        }
        int ni = imagesPerUnit(gm);
        if (ni > 1) {
            return new ImagesConv(ni);
        }
        return gm.pointwise() ? PointwiseConv.INSTANCE : Im2colConv.INSTANCE;
    }

    /**
     * Whether the forward pass and the weight gradient read the taps in place from the padded input
     * ({@link InPlaceTapsConv}) rather than through im2col: for stride-1 convolutions when the extra columns cost less
     * than im2col would. im2col moves each element of the {@code kg x pixels} matrix once, about {@link #IM2COL_COST}
     * cycles; in place, a plane of {@code oh * ow} pixels takes {@code (oh - 1) * wp + ow} columns rounded up to the
     * kernel's {@code nr}, each costing {@code og / 32} cycles per tap (two 16-lane FMAs per cycle). So: always for a
     * few output channels, with many only on wide rows.
     */
    static boolean inPlaceTaps(Conv.Geo gm, int nr) {
        if (gm.sh != 1 || gm.sw != 1 || gm.pointwise()) {
            return false;
        }
        return extraColumnsCostLess(gm, nr, gm.ow + (long) (gm.kw - 1) * gm.dw);
    }

    /**
     * Whether the forward pass of a stride-2 convolution reads its taps in place from the four phases of its input
     * ({@link Im2colPack.Phased}, {@link InPlaceTapsConv}) rather than through im2col: by the same cost test as
     * {@link #inPlaceTaps}, with rows {@code ow + (kw - 1) / 2} wide. Copying the phases moves each input element once,
     * where im2col moves it about {@code kh * kw / 4} times. Taken after {@link ImagesConv} (whose several images per
     * unit fill the GEMM's panels without extra columns): ResNet-18's first 3x3 stride-2 layer at batch 16 and batch-1
     * ResNet-50's 3x3 stride-2 layers and 7x7 stem. Measured 2026-12-07 (2-core AVX-512 machine, JDK 25, interleaved
     * fresh processes): ResNet-18's training step 0.337/0.308/0.373 s before, 0.288/0.293/0.315 s after.
     */
    static boolean phasedTaps(Conv.Geo gm, int nr) {
        return Im2colPack.Phased.fits(gm) && extraColumnsCostLess(gm, nr, gm.ow + (gm.kw - 1) / 2);
    }

    /** The cost test of {@link #inPlaceTaps} for output rows computed {@code wp} columns wide. */
    private static boolean extraColumnsCostLess(Conv.Geo gm, int nr, long wp) {
        long useful = (long) gm.oh * gm.ow;
        long cols = ((gm.oh - 1) * wp + gm.ow + nr - 1) / nr * nr;
        return gm.og * (cols - useful) < 32L * IM2COL_COST * useful;
    }

    /**
     * Fewer images per unit than {@code ni} when that gives {@link #MIN_UNITS} units, as long as each unit still fills
     * one panel of the micro-kernel's columns: units that split the output channels instead would each generate the
     * same im2col panels again.
     */
    private static int spreadImages(Conv.Geo gm, int nr, int ni) {
        return ni <= 1 ? ni : Math.min(ni, Math.max((gm.n + MIN_UNITS - 1) / MIN_UNITS, (nr + gm.l - 1) / gm.l));
    }

    /**
     * Images per work unit when the output planes are small: their im2col matrices side by side give the GEMM at
     * least {@link #MIN_GEMM_COLS} columns (a 4x4 plane alone would use half of a 32-wide micro-kernel).
     */
    private static int imagesPerUnit(Conv.Geo gm) {
        if (gm.l >= MIN_GEMM_COLS || gm.n == 1) {
            return 1;
        }
        int want = (MIN_GEMM_COLS + gm.l - 1) / gm.l;
        int cap = (int) Math.max(1, 4L * BLOCK_ELEMS / ((long) gm.kg * gm.l));
        return Math.max(1, Math.min(gm.n, Math.min(want, cap)));
    }
}
