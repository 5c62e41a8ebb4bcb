package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import java.util.Map;
import java.util.Objects;

/**
 * Quantization-aware training of a {@code Conv2d} followed by a {@code BatchNorm2d} (and a fused ReLU) that keeps
 * training the batch norm instead of folding it first, as PyTorch's {@code torch.ao.nn.intrinsic.qat.ConvBn2d} /
 * {@code ConvBnReLU2d} do ({@code _forward_approximate}): the weight is scaled per output channel by
 * {@code f = gamma / sqrt(running_var + eps)} and fake-quantized (QINT8, symmetric per output channel, from its
 * current range), the fake-quantized input (QUINT8 per tensor, observed in training mode) is convolved with it
 * without bias, the result is divided by {@code f} and the convolution's bias added, and the batch norm follows: with
 * the batch's statistics, updating the running ones, in training mode until {@link #freezeBnStats}, and with the
 * running statistics after that or in eval mode. So the weight trains in the scale the folded layer will have.
 * {@link Quantization#prepareQat} creates these for unfolded conv + batch norm pairs, {@link Quantization#convert}
 * folds the running statistics into the convolution ({@link Quantization#fuseConvBn}) and quantizes it.
 */
public final class QatConvBn2d extends Module {
    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final Observer inputObserver;
    private final boolean relu;
    private boolean bnFrozen;

    /**
     * Wraps {@code conv} and {@code bn}, observing the input with {@code inputObserver}.
     *
     * @param relu whether a ReLU that followed the batch norm is fused
     * @throws IllegalArgumentException if the channel counts differ, the batch norm keeps no running statistics, or
     *     the convolution pads in a mode quantized convolution does not support
     */
    public QatConvBn2d(Conv2d conv, BatchNorm2d bn, Observer inputObserver, boolean relu) {
        QuantizedConv2d.requireSupported("QatConvBn2d", conv);
        if (bn.numFeatures() != conv.outChannels() || !bn.namedBuffers().containsKey("running_var")) {
            throw new IllegalArgumentException("QatConvBn2d: " + conv + " and " + bn + " do not fit (channels "
                    + conv.outChannels() + " and " + bn.numFeatures() + ", running statistics needed)");
        }
        this.conv = registerModule("conv", conv);
        this.bn = registerModule("bn", bn);
        this.inputObserver = Objects.requireNonNull(inputObserver, "inputObserver");
        this.relu = relu;
    }

    /**
     * Stops updating the batch norm's running statistics and normalizes with them from now on, also in training
     * mode ({@code torch.ao.nn.intrinsic.qat.freeze_bn_stats}); typically done for the last epochs of QAT.
     */
    public void freezeBnStats() {
        bnFrozen = true;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (isTraining()) {
            inputObserver.observe(input);
        }
        Tensor x = QuantOps.fakeQuantize(input, inputObserver.qparams());
        Map<String, Tensor> parameters = bn.namedParameters();
        Map<String, Tensor> buffers = bn.namedBuffers();
        Tensor runningVar = buffers.get("running_var");
        Tensor gamma = parameters.containsKey("weight") ? parameters.get("weight") : runningVar.onesLike();
        int out = conv.outChannels();
        Tensor factor = gamma.div(runningVar.add(bn.eps()).sqrt());
        Tensor scaled = conv.weight().mul(factor.reshape(out, 1, 1, 1));
        Tensor w = QuantOps.fakeQuantize(scaled, ObservedLayer.weightParams(scaled));
        Tensor y = F.conv2d(x, w, null, conv.stride(), conv.padding(), conv.dilation(), conv.groups(), conv.padMode())
                .div(factor.reshape(1, out, 1, 1));
        if (conv.bias() != null) {
            y = y.add(conv.bias().reshape(1, out, 1, 1));
        }
        y = F.batchNorm(y, buffers.get("running_mean"), runningVar, parameters.get("weight"), parameters.get("bias"),
                isTraining() && !bnFrozen, bn.momentum(), bn.eps());
        return relu ? F.relu(y) : y;
    }

    /** The int8 layer: the batch norm's running statistics folded into the convolution, then quantized. */
    QuantizedConv2d convert() {
        Conv2d folded = Quantization.fuseConvBn(conv, bn);
        return new QuantizedConv2d(folded, inputObserver.qparams(), ObservedLayer.weightParams(folded.weight()), relu);
    }

    @Override
    protected String extraRepr() {
        return "fake-quantized" + (relu ? ", relu" : "") + (bnFrozen ? ", bn stats frozen" : "");
    }
}
