package dev.kasane.nn.quantization;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
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
    /** Elements per parallel task of the elementwise loops. */
    private static final int CHUNK = 1 << 14;

    private final boolean relu;
    private final int outFeatures;
    /** The weight as bytes, cached across forward passes (see {@link #packedWeight}). */
    private PackedWeight packed;

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
        int zp = p.zeroPointAt(0);
        int chunks = (v.length + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            for (int i = c * CHUNK, end = Math.min(v.length, i + CHUNK); i < end; i++) {
                out[i] = (byte) (QuantOps.quantize(v[i], inv, zp, 0, 255) - 128);
            }
        });
        return out;
    }

    /** The input zero point in the shifted (signed) representation: the byte that stands for 0.0. */
    final byte shiftedInputZero() {
        return (byte) (buffer("input_zero_point").itemLong() - 128);
    }

    /** The weight as bytes [out, k] and each output channel's sum of them, for one version of the weight buffer. */
    private record PackedWeight(Tensor source, int version, byte[] bytes, int[] sums) {
    }

    /** The packed weight, rebuilt when the weight buffer is replaced or written (e.g. by loadStateDict). */
    private PackedWeight packedWeight() {
        Tensor weight = buffer("weight");
        int version = Function.array(weight).version();
        PackedWeight p = packed;
        if (p == null || p.source != weight || p.version != version) {
            int[] w = weight.toIntArray();
            int k = w.length / outFeatures;
            byte[] bytes = new byte[w.length];
            int[] sums = new int[outFeatures];
            for (int i = 0; i < w.length; i++) {
                bytes[i] = (byte) w[i];
                sums[i / k] += w[i];
            }
            p = new PackedWeight(weight, version, bytes, sums);
            packed = p;
        }
        return p;
    }

    /**
     * Multiplies the int8 input {@code columns} [k, images * plane] (one column per output position) by the weight
     * and requantizes into {@code [images, out, plane]} floats (NCHW for a convolution, [rows, out] for a linear
     * layer with {@code plane = 1}). With {@code groups > 1} the rows of {@code columns} and the output channels
     * split into that many equal, consecutive groups, and group {@code g}'s outputs see only its rows (each weight
     * row then has {@code k / groups} entries).
     */
    final float[] multiplyAndRequantize(byte[] columns, int rows, int k, int plane, int groups) {
        PackedWeight weight = packedWeight();
        int rowLength = k / groups;
        int outPerGroup = outFeatures / groups;
        int[] acc = new int[rows * outFeatures];
        for (int g = 0; g < groups; g++) {
            Int8Gemm.multiply(columns, g * rowLength * rows, rows, rowLength, weight.bytes, g * outPerGroup * rowLength,
                    outPerGroup, acc, g * outPerGroup * rows);
        }
        float inScale = (float) buffer("input_scale").item();
        int zp = shiftedInputZero();
        float[] ws = buffer("weight_scale").toFloatArray();
        float[] bias = buffer("bias").toFloatArray();
        float[] y = new float[acc.length];
        int images = rows / plane;
        IntStream.range(0, outFeatures).parallel().forEach(o -> {
            int offset = zp * weight.sums[o];
            float multiplier = inScale * ws[o];
            float shift = bias[o];
            for (int b = 0; b < images; b++) {
                int src = o * rows + b * plane;
                int dst = (b * outFeatures + o) * plane;
                for (int p = 0; p < plane; p++) {
                    y[dst + p] = (acc[src + p] - offset) * multiplier + shift;
                }
                if (relu) {
                    for (int p = dst; p < dst + plane; p++) {
                        y[p] = y[p] < 0 ? 0 : y[p];
                    }
                }
            }
        });
        return y;
    }

    /**
     * The requantized output {@code y} as a tensor of {@code shape} on the input's device and in its dtype, without
     * another copy of {@code y} (which must not be used afterwards).
     */
    static Tensor output(float[] y, Tensor input, int... shape) {
        return Function.tensor(NDArray.fromHost(y, DType.F32, input.device(), shape)).toType(input.dtype());
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
