package dev.kasane.backend.cpu;

/**
 * The strategies that cut the work into (image, block of output rows) units, each one GEMM per group: the drivers of
 * their forward pass (the weight of each group packed once, as the A operand of every unit) and weight gradient
 * ({@link ConvWeightGrad}'s tasks over the units). Subclasses say how a block's B operand is made.
 */
abstract class RowBlockConv implements ConvStrategy {
    private final String name;

    RowBlockConv(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * Elements per output pixel that a forward block holds, for {@link Conv.Geo#rowsPerBlock}: an im2col column's
     * {@code kg}, unless a strategy holds fewer.
     */
    long forwardPixelElems(Conv.Geo gm) {
        return gm.kg;
    }

    /**
     * Elements per output pixel that a weight-gradient block holds, for {@link Conv.Geo#rowsPerBlock}: as many as a
     * forward block, unless a strategy holds fewer.
     */
    long weightGradPixelElems(Conv.Geo gm) {
        return forwardPixelElems(gm);
    }

    /**
     * Output rows {@code [oy0, oy1)} of image {@code img}, all groups, with the packed weights {@code wp}; the block's
     * GEMMs spread over {@code par}, or single-threaded when it is null (the block is then one of many units).
     */
    abstract void forwardBlock(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Conv.Geo gm, int img,
            int oy0, int oy1);

    /**
     * Columns of channels {@code [c0, c1)} of dW_g (at {@code partial[cOff]}, rows of stride kg) (+)= this block's
     * gradOut_g times its im2col rows.
     */
    abstract void weightGradBlock(GemmKernel kern, View x, View go, Object partial, int cOff, Conv.Geo gm, int img, int oy0,
            int oy1, int g, int c0, int c1, boolean accumulate);

    /** Called once per weight-gradient task after its blocks. */
    void finishWeightGradTask(Object partial, int cOff, Conv.Geo gm, int c0, int c1) {
    }

    /** What {@link #forward} packs from a weight: each group's {@code og x kg} rows, from {@code offset}. */
    private record Packing(GemmKernel kern, int offset, int groups, int og, int kg) {
    }

    @Override
    public void forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, Object out) {
        try (WeightPacks.Lease<Gemm.PackedA[]> packs = WeightPacks.lease(wt, new Packing(kern, wt.offset, gm.g, gm.og, gm.kg),
                () -> {
                    Gemm.PackedA[] p = new Gemm.PackedA[gm.g];
                    for (int g = 0; g < gm.g; g++) {
                        p[g] = Gemm.packA(par, kern, wt.data, wt.offset + g * gm.og * gm.kg, gm.kg, 1, gm.og, gm.kg);
                    }
                    return p;
                }, Gemm.PackedA::release)) {
            forward(par, kern, x, packs.value(), gm, out);
        }
    }

    private void forward(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Conv.Geo gm, Object out) {
        int rb = gm.rowsPerBlock(forwardPixelElems(gm));
        int blocks = (gm.oh + rb - 1) / rb;
        int units = gm.n * blocks;
        if (units < ConvChooser.MIN_UNITS && !Conv.serial(gm)) {
            // Too few units to share (one image: ResNet-50's 1x1 convolutions at batch 1 made one, its 7x7 stage one
            // per layer): the units run one after the other, each GEMM spread over the threads.
            for (int u = 0; u < units; u++) {
                int oy0 = (u % blocks) * rb;
                forwardBlock(par, kern, x, wp, out, gm, u / blocks, oy0, Math.min(gm.oh, oy0 + rb));
            }
            return;
        }
        Conv.runUnits(par, gm, units, u -> {
            int oy0 = (u % blocks) * rb;
            forwardBlock(null, kern, x, wp, out, gm, u / blocks, oy0, Math.min(gm.oh, oy0 + rb));
        });
    }

    @Override
    public void weightGrad(Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm, Object out) {
        int rb = gm.rowsPerBlock(weightGradPixelElems(gm));
        int blocks = (gm.oh + rb - 1) / rb;
        ConvWeightGrad.run(par, gm, x.dtype, out, gm.n * blocks, (partial, cOff, g, c0, c1, u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int oy0 = (u % blocks) * rb;
                weightGradBlock(kern, x, go, partial, cOff, gm, u / blocks, oy0, Math.min(gm.oh, oy0 + rb), g, c0, c1, u > u0);
            }
            finishWeightGradTask(partial, cOff, gm, c0, c1);
        });
    }
}
