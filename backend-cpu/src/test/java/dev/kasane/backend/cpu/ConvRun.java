package dev.kasane.backend.cpu;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Convolution;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Runs convolution and pooling kernels (a backend's, the composite's of {@link Convolution}, or one
 * {@link ConvStrategy}'s) into fresh outputs for the tests. Every output starts filled with NaN, so a kernel that leaves
 * an element unwritten (the destination's contents on entry are unspecified) fails the comparison.
 */
final class ConvRun {
    private ConvRun() {
    }

    /** Runs {@code composite} when {@code be} is null, else {@code kernel}; returns {@code out}. */
    private static <T> T either(CpuBackend be, Runnable composite, Runnable kernel, T out) {
        (be == null ? composite : kernel).run();
        return out;
    }

    /** {@code be}'s conv2d, or the composite when {@code be} is null. */
    static NDArray conv2d(CpuBackend be, NDArray x, NDArray wt, Conv2dSpec spec) {
        return conv2d(be, x, wt, spec, nans(x.dtype(), x.size(0), wt.size(0), spec.outHeight(x.size(2), wt.size(2)),
                spec.outWidth(x.size(3), wt.size(3))));
    }

    /** {@link #conv2d(CpuBackend, NDArray, NDArray, Conv2dSpec)} into {@code y}; returns {@code y}. */
    static NDArray conv2d(CpuBackend be, NDArray x, NDArray wt, Conv2dSpec spec, NDArray y) {
        return either(be, () -> Convolution.conv2d(x, wt, spec, y), () -> be.conv2d(x, wt, spec, false, y), y);
    }

    /** {@code be}'s conv2dInputGrad for an input of {@code h x w}, or the composite's when {@code be} is null. */
    static NDArray inputGrad(CpuBackend be, NDArray go, NDArray wt, int h, int w, Conv2dSpec spec) {
        return inputGrad(be, go, wt, spec, nans(go.dtype(), go.size(0), wt.size(1) * spec.groups(), h, w));
    }

    /** {@link #inputGrad(CpuBackend, NDArray, NDArray, int, int, Conv2dSpec)} into {@code dx}; returns {@code dx}. */
    static NDArray inputGrad(CpuBackend be, NDArray go, NDArray wt, Conv2dSpec spec, NDArray dx) {
        return either(be, () -> Convolution.conv2dInputGrad(go, wt, spec, dx), () -> be.conv2dInputGrad(go, wt, spec, dx),
                dx);
    }

    /** {@code be}'s conv2dWeightGrad for a {@code kh x kw} kernel, or the composite's when {@code be} is null. */
    static NDArray weightGrad(CpuBackend be, NDArray x, NDArray go, int kh, int kw, Conv2dSpec spec) {
        NDArray dw = nans(x.dtype(), go.size(1), x.size(1) / spec.groups(), kh, kw);
        return either(be, () -> Convolution.conv2dWeightGrad(x, go, spec, dw), () -> be.conv2dWeightGrad(x, go, spec, dw),
                dw);
    }

    /** {@code be}'s maxPool2d {values, indices}, or the composite's when {@code be} is null. */
    static NDArray[] maxPool2d(CpuBackend be, NDArray x, int kh, int kw, Conv2dSpec spec, boolean ceil) {
        int[] shape = x.maxPool2d(kh, kw, spec, ceil)[0].shape();
        return maxPool2d(be, x, kh, kw, spec, nans(x.dtype(), shape), NDArray.full(-7, DType.I64, Device.CPU, shape));
    }

    /** {@link #maxPool2d(CpuBackend, NDArray, int, int, Conv2dSpec, boolean)} into {@code values} and {@code indices}. */
    static NDArray[] maxPool2d(CpuBackend be, NDArray x, int kh, int kw, Conv2dSpec spec, NDArray values, NDArray indices) {
        return either(be, () -> Convolution.maxPool2d(x, kh, kw, spec, values, indices),
                () -> be.maxPool2d(x, kh, kw, spec, values, indices), new NDArray[] {values, indices});
    }

    /** One strategy's forward pass of {@code gm}: [n, o, oh, ow]. */
    static NDArray forward(ConvStrategy s, Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm) {
        return pass(x.dtype, out -> s.forward(par, kern, x, wt, gm, out), gm.n, gm.o, gm.oh, gm.ow);
    }

    /** One strategy's input gradient of {@code gm}: [n, c, h, w]. */
    static NDArray inputGrad(ConvStrategy s, Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm) {
        return pass(go.dtype, out -> s.inputGrad(par, kern, go, wt, gm, out), gm.n, gm.c, gm.h, gm.w);
    }

    /** One strategy's weight gradient of {@code gm}: [o, cg, kh, kw]. */
    static NDArray weightGrad(ConvStrategy s, Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm) {
        return pass(x.dtype, out -> s.weightGrad(par, kern, x, go, gm, out), gm.o, gm.cg, gm.kh, gm.kw);
    }

    /** Runs {@code kernel} on a NaN-filled host array of {@code shape} and wraps the result. */
    static NDArray pass(DType dt, Consumer<Object> kernel, int... shape) {
        NDArray out = nans(dt, shape);
        Object host = dt == DType.F32 ? out.toFloatArray() : out.toDoubleArray();
        kernel.accept(host);
        return NDArray.fromHost(host, dt, Device.CPU, shape);
    }

    private static NDArray nans(DType dt, int... shape) {
        return NDArray.full(Double.NaN, dt, Device.CPU, Arrays.copyOf(shape, shape.length));
    }
}
