package dev.kasane.autograd;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks analytic gradients against central finite differences, in F64.
 *
 * <p>Float inputs are converted to F64 copies (keeping a non-contiguous layout, so strided code paths are
 * exercised); those that {@link Tensor#requiresGrad() require grad} are checked. The function's output is reduced
 * with fixed random weights {@code L = sum(w * f(x))}, and {@code dL/dx} from {@link Autograd#grad} is compared
 * element by element with {@code (L(x + eps) - L(x - eps)) / 2eps}: they must satisfy
 * {@code |analytic - numerical| <= atol + rtol * |numerical|}. A mismatch throws an {@link AssertionError}
 * naming the first bad element and both values.
 *
 * <p>The finite-difference evaluations run under {@link Autograd#noGrad()}; a function that needs gradients
 * internally (e.g. a gradient penalty calling {@link Autograd#grad}) must open {@link Autograd#enableGrad()} itself.
 *
 * <pre>{@code
 * Tensor a = Tensor.randn(3, 4).requiresGrad(true);
 * Tensor b = Tensor.randn(4).requiresGrad(true);
 * GradCheck.check(x -> x[0].mul(x[1]).tanh(), a, b);            // first order
 * GradCheck.checkSecondOrder(x -> x[0].mul(x[1]).tanh(), a, b); // gradients of gradients
 * }</pre>
 */
@SuppressWarnings("try") // try (var g = Autograd.noGrad()) {...}: the guard is only closed
public final class GradCheck {
    private GradCheck() {
    }

    /** The function under test: a pure function of its inputs returning one float tensor. */
    @FunctionalInterface
    public interface Fn {
        /** Computes the output from {@code inputs} (F64 versions of the tensors given to the check). */
        Tensor apply(Tensor... inputs);
    }

    /** Tolerances and the perturbation; immutable, change with the {@code with...} methods. */
    public static final class Options {
        private final double eps;
        private final double atol;
        private final double rtol;
        private final long seed;

        private Options(double eps, double atol, double rtol, long seed) {
            this.eps = eps;
            this.atol = atol;
            this.rtol = rtol;
            this.seed = seed;
        }

        /** The finite-difference step (default 1e-6). */
        public Options withEps(double e) {
            return new Options(e, atol, rtol, seed);
        }

        /** The absolute tolerance (default 1e-5). */
        public Options withAtol(double a) {
            return new Options(eps, a, rtol, seed);
        }

        /** The relative tolerance (default 1e-3). */
        public Options withRtol(double r) {
            return new Options(eps, atol, r, seed);
        }

        /** The seed of the random output weights (default 0). */
        public Options withSeed(long s) {
            return new Options(eps, atol, rtol, s);
        }
    }

    /** The defaults: eps 1e-6, atol 1e-5, rtol 1e-3 (PyTorch's gradcheck defaults). */
    public static Options options() {
        return new Options(1e-6, 1e-5, 1e-3, 0);
    }

    /** {@link #check(Fn, Options, Tensor...)} with the default options. */
    public static boolean check(Fn f, Tensor... inputs) {
        return check(f, options(), inputs);
    }

    /**
     * Compares the gradients of {@code f} with respect to each input that requires grad with central differences.
     *
     * @return true (a mismatch throws)
     * @throws AssertionError naming the first mismatching element with the analytic and numerical values
     */
    public static boolean check(Fn f, Options o, Tensor... inputs) {
        Tensor[] x = prepare(inputs);
        Generator gen = new Generator(o.seed);
        Tensor out;
        try (var g = Autograd.enableGrad()) {
            out = f.apply(x);
        }
        requireFloat(out);
        NDArray w = random(gen, out.data.shape(), out.data.device());
        List<Integer> which = requiringGrad(x);
        List<Tensor> diff = which.stream().map(i -> x[i]).toList();
        if (diff.isEmpty()) {
            throw new IllegalArgumentException("GradCheck: no input requires grad; nothing to check");
        }
        Tensor[] analytic = new Tensor[diff.size()];
        if (out.requiresGrad) {
            Tensor loss;
            try (var g = Autograd.enableGrad()) {
                loss = out.mul(new Tensor(w)).sum();
            }
            analytic = Autograd.grad(List.of(loss), diff, null, false, false, true);
        }
        for (int k = 0; k < diff.size(); k++) {
            NDArray xd = diff.get(k).data;
            double[] a = analytic[k] == null ? new double[xd.numel()] : analytic[k].data.toDoubleArray();
            int[] shape = xd.shape();
            int[] idx = new int[shape.length];
            for (int j = 0; j < a.length; j++) {
                NDArray e = element(xd, idx);
                double orig = e.item();
                e.fillInPlace(orig + o.eps);
                double lp = eval(f, x, w);
                e.fillInPlace(orig - o.eps);
                double lm = eval(f, x, w);
                e.fillInPlace(orig);
                double num = (lp - lm) / (2 * o.eps);
                if (!(Math.abs(a[j] - num) <= o.atol + o.rtol * Math.abs(num)) && !(Double.isNaN(a[j]) && Double.isNaN(num))) {
                    throw new AssertionError("GradCheck: gradient mismatch for input " + which.get(k) + " (shape "
                            + Arrays.toString(shape) + ") at index " + Arrays.toString(idx) + ": analytic " + a[j]
                            + ", numerical " + num + " (atol " + o.atol + ", rtol " + o.rtol + ", eps " + o.eps + ")");
                }
                increment(idx, shape);
            }
        }
        return true;
    }

    /** {@link #checkSecondOrder(Fn, Options, Tensor...)} with the default options. */
    public static boolean checkSecondOrder(Fn f, Tensor... inputs) {
        return checkSecondOrder(f, options(), inputs);
    }

    /**
     * Checks gradients of gradients: the function {@code x -> sum_k(v_k * dL/dx_k)} with {@code L = sum(w * f(x))}
     * and fixed random {@code w}, {@code v_k} (its gradient needs the backward of f's backward, recorded with
     * {@code createGraph}) is checked with {@link #check(Fn, Options, Tensor...)}.
     */
    public static boolean checkSecondOrder(Fn f, Options o, Tensor... inputs) {
        Tensor[] x = prepare(inputs);
        Generator gen = new Generator(o.seed + 1);
        NDArray[] w = new NDArray[1];
        NDArray[] v = new NDArray[x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i].requiresGrad) {
                v[i] = random(gen, x[i].data.shape(), x[i].data.device());
            }
        }
        Fn gradOfF = in -> {
            try (var g = Autograd.enableGrad()) {
                Tensor out = f.apply(in);
                requireFloat(out);
                if (w[0] == null) {
                    w[0] = random(gen, out.data.shape(), out.data.device());
                }
                List<Integer> which = requiringGrad(in);
                List<Tensor> diff = which.stream().map(i -> in[i]).toList();
                Tensor s = new Tensor(NDArray.scalar(0, DType.F64, out.data.device()));
                if (!out.requiresGrad) {
                    return s;
                }
                Tensor loss = out.mul(new Tensor(w[0])).sum();
                Tensor[] grads = Autograd.grad(List.of(loss), diff, null, true, true, true);
                for (int k = 0; k < grads.length; k++) {
                    if (grads[k] != null) {
                        s = s.add(grads[k].mul(new Tensor(v[which.get(k)])).sum());
                    }
                }
                return s;
            }
        };
        return check(gradOfF, o, x);
    }

    /** The positions of the inputs that require grad, in order. */
    private static List<Integer> requiringGrad(Tensor[] x) {
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i].requiresGrad) {
                which.add(i);
            }
        }
        return which;
    }

    private static void requireFloat(Tensor out) {
        if (out == null || !out.data.dtype().isFloating()) {
            throw new IllegalArgumentException("GradCheck: the function must return a float tensor, got "
                    + (out == null ? "null" : out.data.describe()));
        }
    }

    private static double eval(Fn f, Tensor[] x, NDArray w) {
        try (var g = Autograd.noGrad()) {
            Tensor out = f.apply(x);
            return out.data.toType(DType.F64).binary(BinaryOp.MUL, w).reduce(ReduceOp.SUM).item();
        }
    }

    private static NDArray random(Generator gen, int[] shape, dev.kasane.tensor.Device device) {
        double[] v = new double[Dims.numel(shape)];
        gen.fillUniform(v, 0.5, 1.5);
        for (int i = 0; i < v.length; i++) {
            if ((i & 1) == 1) {
                v[i] = -v[i];
            }
        }
        return NDArray.fromHost(v, DType.F64, device, shape);
    }

    /** F64 copies: float inputs keep their strides (when not broadcast), other inputs pass through. */
    private static Tensor[] prepare(Tensor[] inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (!t.data.dtype().isFloating()) {
                x[i] = t;
                continue;
            }
            NDArray d = t.data;
            NDArray c;
            if (d.isContiguous() || hasBroadcastDim(d)) {
                c = d.toType(DType.F64);
                c = c == d ? d.copy() : c;
            } else {
                NDArray base = NDArray.zeros(DType.F64, d.device(), d.storage().size());
                c = base.asStrided(d.shape(), d.strides(), d.offset());
                c.copyFrom(d);
            }
            x[i] = new Tensor(c).requiresGrad(t.requiresGrad);
        }
        return x;
    }

    private static boolean hasBroadcastDim(NDArray d) {
        for (int i = 0; i < d.dim(); i++) {
            if (d.stride(i) == 0 && d.size(i) > 1) {
                return true;
            }
        }
        return false;
    }

    private static NDArray element(NDArray a, int[] idx) {
        NDArray e = a;
        for (int i : idx) {
            e = e.select(0, i);
        }
        return e;
    }

    private static void increment(int[] idx, int[] shape) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
