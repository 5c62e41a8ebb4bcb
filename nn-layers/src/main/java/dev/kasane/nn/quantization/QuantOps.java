package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.util.Objects;

/**
 * Quantize, dequantize and fake-quantize with PyTorch's arithmetic: {@code q = clamp(rint(x * (1 / scale)) + zp,
 * quant_min, quant_max)} in float32, rounding half to even ({@code torch.quantize_per_tensor},
 * {@code torch.quantize_per_channel}), and {@code x = (q - zp) * scale}.
 *
 * <pre>{@code
 * QParams p = QParams.perTensor(0.1f, 3, QuantDtype.QUINT8);
 * Tensor q = QuantOps.quantize(x, p);          // I32 values in [0, 255]
 * Tensor y = QuantOps.fakeQuantize(x, p);      // dequantize(quantize(x)), gradient 1 inside the range, 0 outside
 * }</pre>
 */
public final class QuantOps {
    private QuantOps() {
    }

    /**
     * The quantized values of {@code x} as an I32 tensor (PyTorch's {@code int_repr()} of
     * {@code quantize_per_tensor} / {@code quantize_per_channel}).
     *
     * @throws IllegalArgumentException if {@code x} is not floating or its shape does not fit {@code p}'s channels
     */
    public static Tensor quantize(Tensor x, QParams p) {
        int inner = check("quantize", x, p);
        float[] v = x.detach().toFloatArray();
        int[] q = new int[v.length];
        int channels = p.scale().length;
        for (int i = 0; i < v.length; i++) {
            int c = p.isPerChannel() ? (i / inner) % channels : 0;
            q[i] = quantize(v[i], 1.0f / p.scaleAt(c), p.zeroPointAt(c), p.quantMin(), p.quantMax());
        }
        return Tensor.fromHost(q, DType.I32, x.device(), x.shape());
    }

    /** One value: {@code clamp(rint(v * invScale) + zeroPoint, qmin, qmax)} in float32. */
    static int quantize(float v, float invScale, int zeroPoint, int qmin, int qmax) {
        float r = (float) Math.rint(v * invScale) + zeroPoint;
        return r <= qmin ? qmin : r >= qmax ? qmax : (int) r;
    }

    /**
     * {@code (q - zero_point) * scale} as an F32 tensor.
     *
     * @throws IllegalArgumentException if {@code q} is floating or its shape does not fit {@code p}'s channels
     */
    public static Tensor dequantize(Tensor q, QParams p) {
        Objects.requireNonNull(q, "dequantize: q");
        if (q.dtype().isFloating()) {
            throw new IllegalArgumentException("dequantize: expected integer values, got " + q.describe());
        }
        int inner = channelInner("dequantize", q, p);
        int[] v = q.toIntArray();
        float[] out = new float[v.length];
        int channels = p.scale().length;
        for (int i = 0; i < v.length; i++) {
            int c = p.isPerChannel() ? (i / inner) % channels : 0;
            out[i] = (v[i] - p.zeroPointAt(c)) * p.scaleAt(c);
        }
        return Tensor.fromHost(out, DType.F32, q.device(), q.shape());
    }

    /**
     * {@code dequantize(quantize(x))} in {@code x}'s dtype, with the straight-through gradient of
     * {@code torch.fake_quantize_per_tensor_affine} / {@code _per_channel_affine}: the output's gradient passes
     * where {@code rint(x / scale) + zp} lies in [quant_min, quant_max] and is 0 where it was clamped.
     *
     * @throws IllegalArgumentException if {@code x} is not floating or its shape does not fit {@code p}'s channels
     */
    public static Tensor fakeQuantize(Tensor x, QParams p) {
        check("fakeQuantize", x, p);
        Tensor scale = channelTensor(x, p, p.scale());
        float[] inv = p.scale();
        int[] zp = p.zeroPoint();
        float[] zpf = new float[zp.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0f / inv[i];
            zpf[i] = zp[i];
        }
        Tensor zero = channelTensor(x, p, zpf);
        Tensor xd = x.detach();
        Tensor q = xd.mul(channelTensor(x, p, inv)).round().add(zero);
        Tensor inside = q.ge(p.quantMin()).logicalAnd(q.le(p.quantMax())).toType(x.dtype());
        Tensor value = q.clamp(p.quantMin(), p.quantMax()).sub(zero).mul(scale);
        Tensor passed = x.mul(inside);
        return value.add(passed.sub(passed.detach()));
    }

    /** {@code values} shaped to broadcast along {@code p}'s axis of {@code x}, in {@code x}'s dtype and device. */
    private static Tensor channelTensor(Tensor x, QParams p, float[] values) {
        int[] shape = new int[Math.max(x.dim(), 1)];
        java.util.Arrays.fill(shape, 1);
        if (p.isPerChannel()) {
            shape[p.axis()] = values.length;
        }
        return Tensor.of(values, shape).to(x.device()).toType(x.dtype());
    }

    private static int check(String op, Tensor x, QParams p) {
        Objects.requireNonNull(x, op + ": x");
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating tensor, got " + x.describe());
        }
        return channelInner(op, x, p);
    }

    /** The number of elements per step along {@code p}'s axis (1 per tensor), after checking the channel count. */
    private static int channelInner(String op, Tensor x, QParams p) {
        Objects.requireNonNull(p, op + ": qparams");
        if (!p.isPerChannel()) {
            return 1;
        }
        if (p.axis() >= x.dim() || x.size(p.axis()) != p.scale().length) {
            throw new IllegalArgumentException(op + ": " + p.scale().length + " per-channel scales along axis " + p.axis()
                    + " do not fit " + x.describe());
        }
        int inner = 1;
        for (int d = p.axis() + 1; d < x.dim(); d++) {
            inner *= x.size(d);
        }
        return inner;
    }
}
