package dev.kasane.nn.functional;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;

/** Loss functions; every one takes a {@link Reduction}. */
final class Losses {
    private Losses() {
    }

    static Tensor mse(Tensor input, Tensor target, Reduction r) {
        String op = "mseLoss";
        sameShape(op, input, target);
        return r.apply(op, input.sub(target).square());
    }

    static Tensor l1(Tensor input, Tensor target, Reduction r) {
        String op = "l1Loss";
        sameShape(op, input, target);
        return r.apply(op, input.sub(target).abs());
    }

    static Tensor smoothL1(Tensor input, Tensor target, Reduction r, double beta) {
        String op = "smoothL1Loss";
        sameShape(op, input, target);
        if (beta < 0) {
            throw new IllegalArgumentException(op + ": beta must be >= 0, got " + beta);
        }
        Tensor d = input.sub(target).abs();
        if (beta == 0) {
            return r.apply(op, d);
        }
        return r.apply(op, Tensor.where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta)));
    }

    static Tensor huber(Tensor input, Tensor target, Reduction r, double delta) {
        String op = "huberLoss";
        sameShape(op, input, target);
        if (delta <= 0) {
            throw new IllegalArgumentException(op + ": delta must be > 0, got " + delta);
        }
        Tensor d = input.sub(target).abs();
        return r.apply(op, Tensor.where(d.lt(delta), d.square().mul(0.5), d.sub(0.5 * delta).mul(delta)));
    }

    /**
     * Cross entropy of logits [N, C, ...] (or [C]) with class indices [N, ...] (integer) or class probabilities of
     * the input's shape (float).
     */
    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction r, double labelSmoothing) {
        String op = "crossEntropy";
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException(op + ": label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (input.dim() == 1) {
            return unbatched(crossEntropy(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, r, labelSmoothing), r);
        }
        if (input.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be (N, C, ...) logits, got " + Arrays.toString(input.shape()));
        }
        int c = input.size(1);
        checkWeight(op, weight, c);
        Tensor logp = input.logSoftmax(1);
        if (target.dtype().isFloating()) {
            return softCrossEntropy(op, logp, target, weight, r, labelSmoothing);
        }
        Tensor nll = nll(op, logp, target, weight, ignoreIndex, r);
        if (labelSmoothing == 0) {
            return nll;
        }
        NDArray keep = Function.array(target).binary(BinaryOp.NE, ignoreIndex);
        Tensor weighted = weight == null ? logp : logp.mul(weight.view(channelShape(logp.dim(), c)));
        Tensor smooth = weighted.sum(1).neg().maskedFill(Function.tensor(keep.unary(UnaryOp.NOT)), 0);
        Tensor ret;
        switch (r) {
            case NONE:
                ret = smooth;
                break;
            case SUM:
                ret = smooth.sum();
                break;
            case MEAN:
                ret = smooth.sum().div(Function.tensor(targetWeights(Function.array(target), keep, weight, input).reduce(ReduceOp.SUM)));
                break;
            default:
                throw new IllegalArgumentException(op + ": reduction " + r + " is not supported");
        }
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / c));
    }

    private static Tensor softCrossEntropy(String op, Tensor logp, Tensor target, Tensor weight, Reduction r, double smoothing) {
        if (!Arrays.equals(logp.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": class-probability target " + Arrays.toString(target.shape())
                    + " must have the input's shape " + Arrays.toString(logp.shape()) + " (class indices must be an integer tensor)");
        }
        int c = logp.size(1);
        Tensor t = smoothing == 0 ? target : target.mul(1 - smoothing).add(smoothing / c);
        Tensor prod = logp.mul(t);
        if (weight != null) {
            prod = prod.mul(weight.view(channelShape(logp.dim(), c)));
        }
        Tensor loss = prod.sum(1).neg();
        return r == Reduction.MEAN ? loss.mean() : r.apply(op, loss);
    }

    /** Negative log likelihood of log-probabilities [N, C, ...] at class indices [N, ...]. */
    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction r) {
        String op = "nllLoss";
        if (input.dim() == 1) {
            return unbatched(nllLoss(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, r), r);
        }
        if (input.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be (N, C, ...) log-probabilities, got "
                    + Arrays.toString(input.shape()));
        }
        checkWeight(op, weight, input.size(1));
        return nll(op, input, target, weight, ignoreIndex, r);
    }

    private static Tensor nll(String op, Tensor logp, Tensor target, Tensor weight, int ignoreIndex, Reduction r) {
        int c = logp.size(1);
        int[] expected = new int[logp.dim() - 1];
        expected[0] = logp.size(0);
        for (int i = 2; i < logp.dim(); i++) {
            expected[i - 1] = logp.size(i);
        }
        NDArray t = Function.array(target);
        if (t.dtype().isFloating() || t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": target must hold integer class indices, got " + t.describe());
        }
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": target " + Arrays.toString(t.shape()) + " does not match input "
                    + Arrays.toString(logp.shape()) + " (expected target shape " + Arrays.toString(expected) + ")");
        }
        if (t.device().isCpu()) {
            // A host-side check with a precise message; on other devices it would cost a blocking read per call, so
            // there the gather below reports an out-of-range class ("gather: index ... out of range ...").
            checkClassRange(op, t, c, ignoreIndex);
        }
        NDArray keep = t.binary(BinaryOp.NE, ignoreIndex);
        NDArray safe = NDArray.where(keep, t, NDArray.scalar(0L, t.device())).toType(DType.I64);
        Tensor picked = logp.gather(1, Function.tensor(safe.unsqueeze(1))).squeeze(1);
        NDArray w = targetWeights(safe, keep, weight, logp);
        Tensor loss = picked.neg().mul(Function.tensor(w));
        // the weighted mean divides by the weights of the counted targets, not by their number
        return r == Reduction.MEAN ? loss.sum().div(Function.tensor(w.reduce(ReduceOp.SUM))) : r.apply(op, loss);
    }

    /** The weight of each target's class (1 without weights), zero where the target is ignored. */
    private static NDArray targetWeights(NDArray target, NDArray keep, Tensor weight, Tensor like) {
        NDArray k = keep.toType(like.dtype());
        if (weight == null) {
            return k;
        }
        NDArray safe = NDArray.where(keep, target, NDArray.scalar(0L, target.device())).toType(DType.I64);
        return Function.array(weight).toType(like.dtype()).indexSelect(0, safe.flatten()).view(safe.shape()).binary(BinaryOp.MUL, k);
    }

    private static void checkClassRange(String op, NDArray t, int c, int ignoreIndex) {
        NDArray bad = t.binary(BinaryOp.LT, 0L).binary(BinaryOp.OR, t.binary(BinaryOp.GE, (long) c))
                .binary(BinaryOp.AND, t.binary(BinaryOp.NE, ignoreIndex));
        if (Function.tensor(bad).any().item() != 0) {
            long[] v = t.toLongArray();
            boolean[] b = bad.toBooleanArray();
            for (int i = 0; i < v.length; i++) {
                if (b[i]) {
                    throw new IllegalArgumentException(op + ": target class " + v[i] + " (at flat position " + i
                            + ") is out of range for " + c + " classes [0, " + c + ")"
                            + (ignoreIndex < 0 || ignoreIndex >= c ? " (ignore_index " + ignoreIndex + ")" : ""));
                }
            }
        }
    }

    private static void checkWeight(String op, Tensor weight, int c) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException(op + ": weight must have one value per class, shape [" + c + "], got "
                    + Arrays.toString(weight.shape()));
        }
    }

    /** {@code -w (y log x + (1 - y) log(1 - x))} with the logs clamped at -100, as PyTorch. */
    static Tensor bce(Tensor input, Tensor target, Tensor weight, Reduction r) {
        String op = "binaryCrossEntropy";
        sameShape(op, input, target);
        NDArray x = Function.array(input);
        if (input.lt(0).logicalOr(input.gt(1)).any().item() != 0) {
            throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1 (probabilities; use "
                    + "binaryCrossEntropyWithLogits for logits), got values outside in " + x.describe());
        }
        Tensor logX = input.log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor log1mX = input.rsub(1).log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor loss = target.mul(logX).add(target.rsub(1).mul(log1mX)).neg();
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return r.apply(op, loss);
    }

    /**
     * Binary cross entropy on logits, stable for any magnitude:
     * {@code (1 - y) x + (1 + (p - 1) y) softplus(-x)} with {@code p} the positive weight.
     */
    static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction r) {
        String op = "binaryCrossEntropyWithLogits";
        sameShape(op, input, target);
        Tensor softTerm = Activations.softplus(input.neg());
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1).mul(target).add(1);
        Tensor loss = target.rsub(1).mul(input).add(logWeight == null ? softTerm : softTerm.mul(logWeight));
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return r.apply(op, loss);
    }

    /** KL divergence with {@code input} log-probabilities; {@code target} probabilities or, with logTarget, log-probabilities. */
    static Tensor klDiv(Tensor input, Tensor target, Reduction r, boolean logTarget) {
        String op = "klDiv";
        sameShape(op, input, target);
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            Tensor safeLog = Tensor.where(target.gt(0), target, Function.tensor(NDArray.scalar(1, target.dtype(), target.device())))
                    .log();
            loss = target.mul(safeLog.sub(input));
        }
        if (r == Reduction.BATCHMEAN) {
            return input.dim() == 0 ? loss.sum() : loss.sum().div(input.size(0));
        }
        return r.apply(op, loss);
    }

    static Tensor distillation(Tensor student, Tensor teacher, Tensor target, double temperature, double alpha) {
        String op = "distillationLoss";
        if (student.dim() != 2) {
            throw new IllegalArgumentException(op + ": student logits must be [N, C], got " + student.describe());
        }
        sameShape(op, student, teacher);
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(op + ": temperature must be positive, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(op + ": alpha must be in [0, 1], got " + alpha);
        }
        Tensor soft = klDiv(student.div(temperature).logSoftmax(1), teacher.detach().div(temperature).softmax(1),
                Reduction.BATCHMEAN, false);
        Tensor hard = crossEntropy(student, target, null, -100, Reduction.MEAN, 0);
        return soft.mul(alpha * temperature * temperature).add(hard.mul(1 - alpha));
    }

    private static Tensor unbatched(Tensor loss, Reduction r) {
        return r == Reduction.NONE ? loss.squeeze(0) : loss;
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.shape()) + " and target "
                    + Arrays.toString(target.shape()) + " must have the same shape");
        }
    }

    private static int[] channelShape(int rank, int c) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }
}
