package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.PadMode;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.Arrays;

/**
 * The functional API, as PyTorch's {@code torch.nn.functional}: stateless, differentiable versions of every layer
 * and loss. Arguments follow PyTorch's order and defaults; int arrays of length 1 or 2 stand for "int or pair".
 *
 * <pre>{@code
 * Tensor y = F.maxPool2d(F.relu(F.conv2d(x, w, b, 1, 2)), 2);
 * Tensor loss = F.crossEntropy(logits, labels);
 * }</pre>
 */
public final class F {
    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};

    private F() {
    }

    // ------------------------------------------------------------------------------------------ linear

    /** {@code x W^T + b} for x [..., in], weight [out, in], bias [out] (or null). */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || input.dim() < 1 || input.size(input.dim() - 1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: expected input [..., " + (weight.dim() == 2 ? weight.size(1) : "?")
                    + "] for weight " + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(input.shape()));
        }
        Tensor y = input.matmul(weight.t()); // rounds both operands inside an autocast scope
        return bias == null ? y : y.add(bias);
    }

    /** Merges dims {@code startDim..endDim} (negative dims count from the end). */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        return input.flatten(startDim, endDim);
    }

    // ------------------------------------------------------------------------------------------ convolution

    /** 2-D convolution with square stride and zero padding (no dilation, one group). */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride}, Padding.of(padding), ONE, 1, PadMode.CONSTANT);
    }

    /**
     * 2-D convolution of [N, C, H, W] with weight [O, C/groups, kH, kW] and optional bias [O].
     *
     * @param padMode how padding is filled: CONSTANT (zeros), REFLECT, REPLICATE or CIRCULAR
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, Padding padding, int[] dilation,
                                int groups, PadMode padMode) {
        return Convolutions.conv2d(input, weight, bias, stride, padding, dilation, groups, padMode);
    }

    /** 1-D convolution of [N, C, L] with weight [O, C/groups, k] and optional bias [O]. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, Padding padding, int dilation, int groups,
                                PadMode padMode) {
        return Convolutions.conv1d(input, weight, bias, stride, padding, dilation, groups, padMode);
    }

    /** 2-D transposed convolution with square stride and padding. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(input, weight, bias, new int[] {stride}, new int[] {padding}, ZERO, 1, ONE);
    }

    /**
     * 2-D transposed convolution of [N, Cin, H, W] with weight [Cin, Cout/groups, kH, kW]: the gradient of a
     * convolution with respect to its input. Output size {@code (H - 1) stride - 2 padding + dilation (kH - 1) +
     * outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return Convolutions.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    // ------------------------------------------------------------------------------------------ pooling

    /** Max pooling with a square kernel and stride equal to it. */
    public static Tensor maxPool2d(Tensor input, int kernel) {
        return maxPool2d(input, kernel, kernel, 0);
    }

    /** Max pooling with square kernel, stride and padding. */
    public static Tensor maxPool2d(Tensor input, int kernel, int stride, int padding) {
        return Pooling.maxPool2dValues(input, new int[] {kernel}, new int[] {stride}, new int[] {padding}, ONE, false);
    }

    /** Max pooling; {@code stride} null or empty means the kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2dValues(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** Max pooling that also returns the flat {@code h * W + w} index of each maximum (PyTorch's return_indices). */
    public static PoolResult maxPool2dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                  boolean ceilMode) {
        return Pooling.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** Average pooling with a square kernel and stride equal to it. */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return avgPool2d(input, new int[] {kernel}, null, ZERO, false, true);
    }

    /**
     * Average pooling; {@code stride} null or empty means the kernel size. With {@code countIncludePad} the
     * divisor counts zero padding, otherwise only input elements.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return Pooling.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** Adaptive average pooling to {@code outH x outW} (1 x 1: global average pooling). */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return Pooling.adaptiveAvgPool2d(input, outH, outW);
    }

    /** Adaptive average pooling to a square output. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outSize) {
        return adaptiveAvgPool2d(input, outSize, outSize);
    }

    /** Adaptive max pooling to {@code outH x outW}. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outH, int outW) {
        return Pooling.adaptiveMaxPool2d(input, outH, outW);
    }

    // ------------------------------------------------------------------------------------------ normalization

    /**
     * Batch normalization of [N, C, ...]. In training, batch statistics are used and the running statistics (if
     * not null) are updated in place with {@code momentum} and the unbiased variance; otherwise the running
     * statistics are used. {@code runningMean}/{@code runningVar} (buffers of shape [C] that do not require grad)
     * and {@code weight}/{@code bias} may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Inference-mode batch normalization written over {@code input}, then plus {@code residual} when it is not null,
     * then a ReLU when {@code relu}: the values of {@code batchNorm(input, runningMean, runningVar, weight, bias, false,
     * 0, eps)} (followed by {@code .add(residual)} and {@link #relu}), bit for bit, in one pass without a new array, as
     * inference engines fuse BN, a residual sum and ReLU into a convolution's output. For inference code that owns
     * {@code input} and reads it no more (the zoo's models use it under {@link dev.kasane.autograd.Autograd#noGrad}
     * through {@link dev.kasane.nn.Intermediates}). Bumps input's version counter and returns it.
     *
     * @param runningMean {@code [C]}, not null
     * @param runningVar {@code [C]}, not null
     * @param weight {@code [C]} or null
     * @param bias {@code [C]} or null
     * @param residual input's shape and dtype, not sharing its memory, or null
     * @throws IllegalStateException when it would have to record a graph (input, weight, bias or residual requiring
     *     grad in grad mode)
     * @throws IllegalArgumentException on shapes, or when the statistics, parameters or residual are not of input's dtype
     */
    public static Tensor batchNormInPlace(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            double eps, Tensor residual, boolean relu) {
        return Normalization.batchNormInPlace(input, runningMean, runningVar, weight, bias, eps, residual, relu);
    }

    /** Layer normalization over the trailing dims {@code normalizedShape}; weight and bias may be null. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /** Group normalization of [N, C, ...] with per-channel weight and bias (may be null). */
    public static Tensor groupNorm(Tensor input, int groups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(input, groups, weight, bias, eps);
    }

    /** Instance normalization of [N, C, ...] (statistics per sample and channel); weight and bias may be null. */
    public static Tensor instanceNorm(Tensor input, Tensor weight, Tensor bias, double eps) {
        return Normalization.instanceNorm(input, weight, bias, eps);
    }

    /**
     * Instance normalization with running statistics, as PyTorch's {@code F.instance_norm}: with
     * {@code useInputStats} each sample's own statistics normalize and {@code runningMean}/{@code runningVar} (if
     * not null, [C] buffers) are updated in place with {@code momentum}, from the batch mean of the per-sample
     * statistics (unbiased variance); otherwise the running statistics normalize.
     */
    public static Tensor instanceNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean useInputStats, double momentum, double eps) {
        return Normalization.instanceNorm(input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    // ------------------------------------------------------------------------------------------ StyleGAN

    /**
     * StyleGAN2's modulated convolution as one grouped convolution: per sample {@code i}, the weight [O, C, k, k]
     * scaled by the styles [N, C] along its input channels, then (if {@code demodulate}) each output filter divided
     * by {@code sqrt(sum of its squares + 1e-8)}, convolved with stride 1 and zero padding k/2 (odd kernels).
     *
     * @param input [N, C, H, W]
     * @param weight [O, C, kH, kW], already scaled (equalized learning rate)
     * @param styles [N, C]
     * @return [N, O, H, W]
     */
    public static Tensor modulatedConv2d(Tensor input, Tensor weight, Tensor styles, boolean demodulate) {
        return StyleOps.modulatedConv2d(input, weight, styles, demodulate);
    }

    /**
     * The minibatch standard deviation of StyleGAN's discriminator: the batch split in groups of
     * {@code min(groupSize, N)} (samples {@code i} and {@code i + N/G} share a group), per group the standard deviation
     * of each feature over the group, averaged over {@code C / channels} channels and all positions into
     * {@code channels} values, appended to every sample of the group as {@code channels} constant maps.
     *
     * @param input [N, C, H, W], N a multiple of the group size, C of {@code channels}
     * @return [N, C + channels, H, W]
     */
    public static Tensor minibatchStdDev(Tensor input, int groupSize, int channels) {
        return StyleOps.minibatchStdDev(input, groupSize, channels);
    }

    /** Pixel norm: {@code x / sqrt(mean over dim 1 of x^2 + eps)} (StyleGAN's normalization of latents, eps 1e-8). */
    public static Tensor pixelNorm(Tensor input, double eps) {
        return StyleOps.pixelNorm(input, eps);
    }

    // ------------------------------------------------------------------------------------------ dropout

    /** Zeroes elements with probability {@code p} and scales the rest by {@code 1 / (1 - p)}; identity unless training. */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return dropout(input, p, training, Generator.global());
    }

    /** {@link #dropout(Tensor, double, boolean)} drawing from {@code gen}. */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator gen) {
        return dropoutWithMask(input, p, training, gen, input.shape(), "dropout");
    }

    /** Zeroes whole channels of [N, C, ...] with probability {@code p}, scaling the rest; identity unless training. */
    public static Tensor dropout2d(Tensor input, double p, boolean training) {
        if (input.dim() < 3) {
            throw new IllegalArgumentException("dropout2d: input must be (N, C, H, W) or (C, H, W), got " + Arrays.toString(input.shape()));
        }
        int[] maskShape = input.shape();
        for (int i = input.dim() == 3 ? 1 : 2; i < maskShape.length; i++) {
            maskShape[i] = 1;
        }
        return dropoutWithMask(input, p, training, Generator.global(), maskShape, "dropout2d");
    }

    /**
     * Stochastic depth, as torchvision's {@code ops.stochastic_depth}: in training, zeroes {@code input} with probability
     * {@code p}, each sample of dim 0 on its own ({@link StochasticDepthMode#ROW}) or all of it at once
     * ({@link StochasticDepthMode#BATCH}), and scales what it keeps by {@code 1 / (1 - p)}; identity unless training.
     */
    public static Tensor stochasticDepth(Tensor input, double p, StochasticDepthMode mode, boolean training) {
        return stochasticDepth(input, p, mode, training, Generator.global());
    }

    /** {@link #stochasticDepth(Tensor, double, StochasticDepthMode, boolean)} drawing from {@code gen}. */
    public static Tensor stochasticDepth(Tensor input, double p, StochasticDepthMode mode, boolean training, Generator gen) {
        java.util.Objects.requireNonNull(mode, "stochasticDepth: mode");
        if (mode == StochasticDepthMode.ROW && input.dim() == 0) {
            throw new IllegalArgumentException("stochasticDepth: ROW mode needs a batch dim, got a scalar " + input.dtype()
                    + " on " + input.device());
        }
        int[] maskShape = new int[input.dim()];
        Arrays.fill(maskShape, 1);
        if (mode == StochasticDepthMode.ROW) {
            maskShape[0] = input.size(0);
        }
        return dropoutWithMask(input, p, training, gen, maskShape, "stochasticDepth");
    }

    private static Tensor dropoutWithMask(Tensor input, double p, boolean training, Generator gen, int[] maskShape, String op) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0);
        }
        NDArray keep = NDArray.uniform(gen, 0, 1, input.dtype(), input.device(), maskShape).binary(BinaryOp.GE, p);
        return input.mul(Function.tensor(keep.toType(input.dtype()).binary(BinaryOp.MUL, 1 / (1 - p))));
    }

    // ------------------------------------------------------------------------------------------ resampling

    /** Resizes [N, C, H, W] to {@code size} ({h, w} or {s}) without antialiasing; alignCorners is for BILINEAR and BICUBIC. */
    public static Tensor interpolate(Tensor input, int[] size, InterpolationMode mode, boolean alignCorners) {
        return interpolate(input, size, mode, alignCorners, false);
    }

    /** Resizes [N, C, H, W] by {@code scaleFactor} ({fh, fw} or {f}) without antialiasing; output size {@code floor(in * f)}. */
    public static Tensor interpolate(Tensor input, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return interpolate(input, scaleFactor, mode, alignCorners, false);
    }

    /**
     * Resizes [N, C, H, W] to {@code size} ({h, w} or {s}), as PyTorch's {@code F.interpolate(input, size, mode=...,
     * align_corners=..., antialias=...)}.
     *
     * @param alignCorners for BILINEAR and BICUBIC: the corner pixels' centres of input and output coincide
     * @param antialias for BILINEAR and BICUBIC: when downscaling, the filter widens with the scale so that every input
     *     pixel contributes (PyTorch's {@code antialias=True}, the separable filter of PIL's resize); when upscaling it
     *     changes only BICUBIC's cubic parameter (-0.5 instead of -0.75) and the border weights
     * @throws IllegalArgumentException if the input is not 4-D floating point, a size is not positive, or
     *     alignCorners or antialias is given for NEAREST
     */
    public static Tensor interpolate(Tensor input, int[] size, InterpolationMode mode, boolean alignCorners, boolean antialias) {
        return Resampling.interpolate(input, size, null, mode, alignCorners, antialias);
    }

    /**
     * Resizes [N, C, H, W] by {@code scaleFactor} ({fh, fw} or {f}); output size {@code floor(in * f)}, samples placed
     * with the given factor (PyTorch's {@code recompute_scale_factor=False}). See {@link #interpolate(Tensor, int[],
     * InterpolationMode, boolean, boolean)} for the options.
     */
    public static Tensor interpolate(Tensor input, double[] scaleFactor, InterpolationMode mode, boolean alignCorners,
                                     boolean antialias) {
        return Resampling.interpolate(input, null, scaleFactor, mode, alignCorners, antialias);
    }

    /** [N, C r^2, H, W] to [N, C, H r, W r]. */
    public static Tensor pixelShuffle(Tensor input, int upscaleFactor) {
        return Resampling.pixelShuffle(input, upscaleFactor);
    }

    /** [N, C, H r, W r] to [N, C r^2, H, W]. */
    public static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) {
        return Resampling.pixelUnshuffle(input, downscaleFactor);
    }

    // ------------------------------------------------------------------------------------------ activations

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** {@code min(max(x, 0), 6)}. */
    public static Tensor relu6(Tensor x) {
        return x.clamp(0, 6);
    }

    /** {@code x} for positive x, {@code slope x} otherwise. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    /** {@code x} for positive x, {@code alpha (exp(x) - 1)} otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        return Activations.elu(x, alpha);
    }

    /** The self-normalizing {@code scale * elu(x, alpha)} with PyTorch's constants. */
    public static Tensor selu(Tensor x) {
        return Activations.selu(x);
    }

    /** The exact GELU {@code x Phi(x)}. */
    public static Tensor gelu(Tensor x) {
        return Activations.gelu(x, false);
    }

    /** GELU, exact or with the tanh approximation (PyTorch's {@code approximate="tanh"}). */
    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        return Activations.gelu(x, tanhApproximation);
    }

    /** {@code x sigmoid(x)} (swish). */
    public static Tensor silu(Tensor x) {
        return Activations.silu(x);
    }

    /** {@code x tanh(softplus(x))}. */
    public static Tensor mish(Tensor x) {
        return Activations.mish(x);
    }

    /** Hyperbolic tangent. */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** Logistic sigmoid. */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** {@code log(sigmoid(x))}, computed stably. */
    public static Tensor logSigmoid(Tensor x) {
        return Activations.logSigmoid(x);
    }

    /** {@code clamp(x, min, max)}. */
    public static Tensor hardtanh(Tensor x, double min, double max) {
        return x.clamp(min, max);
    }

    /** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return Activations.softplus(x, beta, threshold);
    }

    /** Softmax along {@code dim}. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /** Log-softmax along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    // ------------------------------------------------------------------------------------------ embedding, attention

    /** Rows of {@code weight} [num, dim] picked by the integer {@code indices}: shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding(indices, weight, -1);
    }

    /**
     * {@link #embedding(Tensor, Tensor)} where positions holding {@code paddingIdx} (if &gt;= 0) pass no gradient
     * to the weight.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        String op = "embedding";
        if (indices.dtype().isFloating() || indices.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": indices must be integers, got " + Function.array(indices).describe());
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(op + ": weight must be 2-D (num_embeddings, dim), got " + Arrays.toString(weight.shape()));
        }
        int num = weight.size(0);
        NDArray idx = Function.array(indices);
        if (idx.numel() > 0 && (idx.reduce(ReduceOp.MIN).itemLong() < 0 || idx.reduce(ReduceOp.MAX).itemLong() >= num)) {
            throw new IllegalArgumentException(op + ": index out of range [0, " + num + "): got values in [" + idx.reduce(ReduceOp.MIN).itemLong()
                    + ", " + idx.reduce(ReduceOp.MAX).itemLong() + "]");
        }
        int[] outShape = Arrays.copyOf(idx.shape(), idx.dim() + 1);
        outShape[idx.dim()] = weight.size(1);
        Tensor out = weight.indexSelect(0, Function.tensor(idx.flatten().toType(DType.I64))).reshape(outShape);
        if (paddingIdx >= 0 && weight.requiresGrad()) {
            Tensor isPad = Function.tensor(idx.binary(BinaryOp.EQ, paddingIdx).unsqueeze(-1));
            out = Tensor.where(isPad, out.detach(), out);
        }
        return out;
    }

    /**
     * {@code softmax(q k^T / sqrt(E) + mask) v}. A BOOL {@code attnMask} is true where attention is allowed
     * (PyTorch's convention for this function); a float mask is added. Returns only the output.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP,
                                                   boolean isCausal) {
        return Attention.sdpa(q, k, v, attnMask, dropoutP, isCausal, Double.NaN, Generator.global()).output();
    }

    /** {@link #scaledDotProductAttention} returning the attention weights too. */
    public static AttentionResult scaledDotProductAttentionWithWeights(Tensor q, Tensor k, Tensor v, Tensor attnMask,
                                                                       double dropoutP, boolean isCausal) {
        return Attention.sdpa(q, k, v, attnMask, dropoutP, isCausal, Double.NaN, Generator.global());
    }

    // ------------------------------------------------------------------------------------------ losses

    /** Mean squared error. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Losses.mse(input, target, Reduction.MEAN);
    }

    /** Squared error with a reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mse(input, target, reduction);
    }

    /** Absolute error with a reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1(input, target, reduction);
    }

    /** {@code 0.5 d^2 / beta} where {@code |d| < beta}, {@code |d| - beta / 2} elsewhere. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1(input, target, reduction, beta);
    }

    /** {@code 0.5 d^2} where {@code |d| < delta}, {@code delta (|d| - delta / 2)} elsewhere. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Losses.huber(input, target, reduction, delta);
    }

    /** Mean cross entropy of logits [N, C, ...] with integer class indices [N, ...] or probabilities. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, null, -100, Reduction.MEAN, 0);
    }

    /**
     * Cross entropy of logits [N, C, ...] (or [C]) with integer class indices [N, ...] or class probabilities of
     * the input's shape.
     *
     * @param weight         per-class weights [C], or null
     * @param ignoreIndex    a target value that contributes nothing (PyTorch's default: -100)
     * @param labelSmoothing mixes the target with the uniform distribution by this amount
     * @throws IllegalArgumentException for a class index outside [0, C) other than ignoreIndex
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** Negative log likelihood of log-probabilities [N, C, ...] at integer class indices [N, ...]. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** Binary cross entropy of probabilities in [0, 1]; weight (broadcast) may be null. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.bce(input, target, weight, reduction);
    }

    /** Mean binary cross entropy of logits. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy of logits, numerically stable; {@code posWeight} (broadcast over the last dim, may be
     * null) weighs positive examples, {@code weight} (may be null) every element.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }

    /**
     * SimCLR's NT-Xent (normalized temperature-scaled cross entropy, Chen et al. 2020) of two views' embeddings
     * {@code z1}, {@code z2} {@code [N, D]}: the 2N rows are scaled to unit length, {@code sim(i, j)} is their dot
     * product divided by {@code temperature}, and the loss is the mean over all 2N rows of
     * {@code -log(exp(sim(i, p(i))) / sum_{k != i} exp(sim(i, k)))}, where {@code p(i)} is the other view of the same
     * sample. Rows are divided by {@code max(||z||, 1e-12)}, as {@code F.normalize} does.
     *
     * @param temperature the softmax temperature tau (SimCLR: 0.1 to 0.5)
     * @throws IllegalArgumentException if the shapes differ or are not [N, D] with {@code N, D >= 1}, the dtypes are not one
     *     floating type, the devices differ, or the temperature is not positive and finite
     */
    public static Tensor ntXent(Tensor z1, Tensor z2, double temperature) {
        return Contrastive.ntXent(z1, z2, temperature);
    }

    /**
     * KL divergence {@code target (log target - input)} with {@code input} log-probabilities; with
     * {@code logTarget} the target is given as log-probabilities. Use {@link Reduction#BATCHMEAN} for the true KL.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }

    /**
     * Knowledge-distillation loss (Hinton et al. 2015): {@code alpha T^2 KL(p_t || p_s) + (1 - alpha) CE(s, target)}
     * with {@code p_s = softmax(s / T)}, {@code p_t = softmax(t / T)}, the KL averaged over the batch
     * ({@code F.kl_div(F.log_softmax(s / T), F.softmax(t / T), reduction="batchmean")}) and the cross entropy averaged
     * over the batch. The teacher's logits are detached (no gradient reaches the teacher); compute them in eval mode
     * under {@code Autograd.noGrad()}.
     *
     * @param student     the student's logits [N, C]
     * @param teacher     the teacher's logits [N, C]
     * @param target      class indices [N]
     * @param temperature T, positive
     * @param alpha       the weight of the soft term, in [0, 1]
     * @throws IllegalArgumentException if the shapes differ or are not [N, C] and [N], T is not positive or alpha is
     *     outside [0, 1]
     */
    public static Tensor distillationLoss(Tensor student, Tensor teacher, Tensor target, double temperature, double alpha) {
        return Losses.distillation(student, teacher, target, temperature, alpha);
    }
}
