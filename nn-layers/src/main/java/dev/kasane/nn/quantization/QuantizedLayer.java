package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.stream.IntStream;

/**
 * What the int8 layers share: their state (saved by {@link Quantization#save}) and the integer forward pass. The
 * input is quantized to QUINT8 with the calibrated per-tensor {@code input_scale} and {@code input_zero_point}; the
 * weight holds QINT8 values with one symmetric scale per output channel; the subclass lays the input out as the
 * rows of an int8 matrix; {@link Int8Gemm} accumulates the products in int32; and each accumulator is requantized
 * to float: {@code y = (acc - zp_in sum_p w[o][p]) s_in s_w[o] + bias[o]}, then clamped at 0 when a ReLU was fused.
 *
 * <p>Buffers (state-dict keys under the layer's path): {@code weight} (the int8 values, held as I32 and saved as
 * I8), {@code weight_scale} F32 [out], {@code weight_zero_point} I64 [out] (all 0), {@code bias} F32 [out],
 * {@code input_scale} F32 [] and {@code input_zero_point} I64 [].
 */
public abstract class QuantizedLayer extends Module {
    private final boolean relu;
    private final int outFeatures;

    /**
     * Registers the state of a layer with {@code weight} [out, ...] float weights quantized per output channel with
     * {@code weightParams}, the input quantized with {@code inputParams}.
     *
     * @throws IllegalArgumentException if the input parameters are not per-tensor QUINT8 or the weight parameters
     *     not symmetric per output channel
     */
    protected QuantizedLayer(Tensor weight, Tensor bias, QParams inputParams, QParams weightParams, boolean relu) {
        this.relu = relu;
        this.outFeatures = weight.size(0);
        if (inputParams.isPerChannel() || inputParams.quantMin() != 0 || inputParams.quantMax() != 255) {
            throw new IllegalArgumentException(typeName() + ": the input must be quantized per tensor to [0, 255], got "
                    + inputParams);
        }
        if (weightParams.axis() != 0 || weightParams.scale().length != outFeatures || weightParams.quantMin() < -128
                || weightParams.quantMax() > 127 || java.util.Arrays.stream(weightParams.zeroPoint()).anyMatch(z -> z != 0)) {
            throw new IllegalArgumentException(typeName() + ": the weight " + weight.describe()
                    + " must be quantized symmetrically to int8 per output channel (axis 0, zero point 0), got " + weightParams);
        }
        registerBuffer("weight", QuantOps.quantize(weight.to(Device.CPU), weightParams));
        registerBuffer("weight_scale", Tensor.of(weightParams.scale(), outFeatures));
        registerBuffer("weight_zero_point", Tensor.zeros(DType.I64, outFeatures));
        registerBuffer("bias", bias == null ? Tensor.zeros(DType.F32, outFeatures)
                : bias.detach().to(Device.CPU).toType(DType.F32).clone());
        registerBuffer("input_scale", Tensor.scalar(inputParams.scale()[0], DType.F32, Device.CPU));
        registerBuffer("input_zero_point", Tensor.scalar(inputParams.zeroPoint()[0], DType.I64, Device.CPU));
    }

    /** Whether a ReLU is fused into the output. */
    public final boolean fusedRelu() {
        return relu;
    }

    /** The calibrated input parameters. */
    public final QParams inputParams() {
        return QParams.perTensor((float) buffer("input_scale").item(), (int) buffer("input_zero_point").itemLong(),
                QuantDtype.QUINT8);
    }

    /** The weight's int8 values as I32 [out, ...]. */
    public final Tensor quantizedWeight() {
        return buffer("weight");
    }

    /** The weight's per-channel parameters. */
    public final QParams weightParams() {
        int[] zero = new int[outFeatures];
        return new QParams(buffer("weight_scale").toFloatArray(), zero, 0, -128, 127);
    }

    /**
     * The input quantized to QUINT8 and shifted by -128 into signed bytes, so that the kernel multiplies int8 by
     * int8; the zero point shifts with it.
     */
    final byte[] quantizeInput(Tensor x) {
        QParams p = inputParams();
        float[] v = x.detach().toFloatArray();
        byte[] out = new byte[v.length];
        float inv = 1.0f / p.scaleAt(0);
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) (QuantOps.quantize(v[i], inv, p.zeroPointAt(0), 0, 255) - 128);
        }
        return out;
    }

    /** The input zero point in the shifted (signed) representation: the byte that stands for 0.0. */
    final byte shiftedInputZero() {
        return (byte) (buffer("input_zero_point").itemLong() - 128);
    }

    /**
     * Multiplies the int8 input {@code columns} [k, images * plane] (one column per output position) by the weight
     * and requantizes into {@code [images, out, plane]} floats (NCHW for a convolution, [rows, out] for a linear
     * layer with {@code plane = 1}).
     */
    final float[] multiplyAndRequantize(byte[] columns, int rows, int k, int plane) {
        int[] w = buffer("weight").toIntArray();
        byte[] wb = new byte[w.length];
        int[] wsum = new int[outFeatures];
        for (int i = 0; i < w.length; i++) {
            wb[i] = (byte) w[i];
            wsum[i / k] += w[i];
        }
        int[] acc = new int[rows * outFeatures];
        Int8Gemm.multiply(columns, rows, k, wb, outFeatures, acc);
        float inScale = (float) buffer("input_scale").item();
        int zp = shiftedInputZero();
        float[] ws = buffer("weight_scale").toFloatArray();
        float[] bias = buffer("bias").toFloatArray();
        float[] y = new float[acc.length];
        int images = rows / plane;
        IntStream.range(0, outFeatures).parallel().forEach(o -> {
            int offset = zp * wsum[o];
            float multiplier = inScale * ws[o];
            for (int b = 0; b < images; b++) {
                int src = o * rows + b * plane;
                int dst = (b * outFeatures + o) * plane;
                for (int p = 0; p < plane; p++) {
                    float v = (acc[src + p] - offset) * multiplier + bias[o];
                    y[dst + p] = relu && v < 0 ? 0 : v;
                }
            }
        });
        return y;
    }

    /** The number of output channels or features. */
    public final int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "out=" + outFeatures + (relu ? ", relu" : "") + ", input " + inputParams();
    }
}
