package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;

/**
 * A float {@link Conv2d} or {@link Linear} (the child {@code layer}) with an observer on its input, as
 * {@link Quantization#prepare} and {@link Quantization#prepareQat} leave it. For calibration (no fake quantization)
 * it observes every input and runs the float layer. For quantization-aware training it observes inputs in training
 * mode only, and runs the layer on the fake-quantized input with the fake-quantized weight (QUINT8 per tensor for the
 * input, QINT8 symmetric per output channel for the weight, the weight's range taken afresh at every call), so the
 * straight-through gradients of {@link QuantOps#fakeQuantize} train the float weights. A fused ReLU follows.
 */
public final class ObservedLayer extends Module {
    private final Module layer;
    private final Observer inputObserver;
    private final boolean fakeQuantize;
    private final boolean relu;

    /**
     * Wraps {@code layer}.
     *
     * @throws IllegalArgumentException if {@code layer} is neither a Conv2d nor a Linear, or a Conv2d padding in a
     *     mode quantized convolution does not support ({@link QuantizedConv2d})
     */
    public ObservedLayer(Module layer, Observer inputObserver, boolean fakeQuantize, boolean relu) {
        if (!(layer instanceof Conv2d) && !(layer instanceof Linear)) {
            throw new IllegalArgumentException("ObservedLayer: expected a Conv2d or Linear, got " + layer.getClass().getSimpleName());
        }
        if (layer instanceof Conv2d conv) {
            QuantizedConv2d.requireSupported("ObservedLayer", conv);
        }
        this.layer = registerModule("layer", layer);
        this.inputObserver = java.util.Objects.requireNonNull(inputObserver, "inputObserver");
        this.fakeQuantize = fakeQuantize;
        this.relu = relu;
    }

    /** The input's observer. */
    public Observer inputObserver() {
        return inputObserver;
    }

    /** The weight's quantization parameters: QINT8, symmetric per output channel, from its current range. */
    public QParams weightParams() {
        return weightParams(weight());
    }

    static QParams weightParams(Tensor weight) {
        MinMaxObserver o = new MinMaxObserver(QuantDtype.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, 0);
        o.observe(weight);
        return o.qparams();
    }

    private Tensor weight() {
        return layer instanceof Conv2d c ? c.weight() : ((Linear) layer).weight();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!fakeQuantize || isTraining()) {
            inputObserver.observe(input);
        }
        Tensor y;
        if (!fakeQuantize) {
            y = layer.forward(input);
        } else {
            Tensor x = QuantOps.fakeQuantize(input, inputObserver.qparams());
            Tensor w = QuantOps.fakeQuantize(weight(), weightParams());
            if (layer instanceof Conv2d c) {
                y = F.conv2d(x, w, c.bias(), c.stride(), c.padding(), c.dilation(), c.groups(), c.padMode());
            } else {
                y = F.linear(x, w, ((Linear) layer).bias());
            }
        }
        return relu ? F.relu(y) : y;
    }

    /** The int8 layer for the observed input range and the current weights. */
    QuantizedLayer convert() {
        QParams in = inputObserver.qparams();
        return layer instanceof Conv2d c ? new QuantizedConv2d(c, in, weightParams(), relu)
                : new QuantizedLinear((Linear) layer, in, weightParams(), relu);
    }

    @Override
    protected String extraRepr() {
        return (fakeQuantize ? "fake-quantized" : "observed") + (relu ? ", relu" : "");
    }
}
