package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Linear;
import java.util.Arrays;

/** An int8 {@link Linear} (see {@link QuantizedLayer}): float [..., in] in, float [..., out] out. */
public final class QuantizedLinear extends QuantizedLayer {
    private final int inFeatures;

    /**
     * Quantizes {@code linear}'s weight with {@code weightParams}; inputs will be quantized with {@code inputParams}.
     *
     * @param relu whether a ReLU that followed the layer is fused into it
     */
    public QuantizedLinear(Linear linear, QParams inputParams, QParams weightParams, boolean relu) {
        super(linear.weight(), linear.bias(), inputParams, weightParams, relu);
        this.inFeatures = linear.weight().size(1);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 1 || input.size(-1) != inFeatures) {
            throw error("expected input of shape (*, " + inFeatures + "), got " + input.describe());
        }
        int rows = input.numel() / inFeatures;
        byte[] x = quantizeInput(input);
        byte[] columns = new byte[x.length];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < inFeatures; p++) {
                columns[p * rows + r] = x[r * inFeatures + p];
            }
        }
        float[] y = multiplyAndRequantize(columns, rows, inFeatures, 1, 1);
        int[] shape = input.shape();
        shape[shape.length - 1] = outFeatures();
        return output(y, input, shape);
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", " + super.extraRepr() + ", weight " + Arrays.toString(quantizedWeight().shape());
    }
}
