package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.AttentionResult;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.Arrays;

/**
 * Multi-head attention on batch-first inputs (PyTorch's {@code batch_first=True}): query [N, L, E], key and value
 * [N, S, E]. Parameters (PyTorch's keys): {@code in_proj_weight} [3E, E] (Xavier-uniform), {@code in_proj_bias}
 * [3E] (zeros), and the output projection {@code out_proj.weight}, {@code out_proj.bias} (zeros).
 *
 * <p>Masks follow {@code nn.MultiheadAttention}: a BOOL mask is true where attention is <em>not</em> allowed, a
 * float mask is added to the scores. {@code attnMask} is [L, S] or [N * heads, L, S]; {@code keyPaddingMask} is
 * [N, S].
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final Linear outProj;

    /** No dropout, with biases. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true);
    }

    /** Every option. */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias) {
        Layers.divisible("MultiheadAttention", "embed_dim", embedDim, "num_heads", numHeads);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        Tensor w = registerParameter("in_proj_weight", Tensor.zeros(Layers.floatType(), Layers.device(), 3 * embedDim, embedDim));
        Init.xavierUniform(w, 1);
        if (bias) {
            registerParameter("in_proj_bias", Tensor.zeros(Layers.floatType(), Layers.device(), 3 * embedDim));
        }
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        if (bias) {
            Init.zeros(outProj.bias());
        }
    }

    /** Self-attention {@code forward(x, x, x)} without masks; returns only the output. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, input, input, null, null, false, true).output();
    }

    /**
     * Attention of {@code query} over {@code key}/{@code value}.
     *
     * @param keyPaddingMask   [N, S]: BOOL true (or float -inf) for keys to ignore; may be null
     * @param attnMask         [L, S] or [N * heads, L, S]: BOOL true where not allowed, or float added; may be null
     * @param needWeights      also return the attention weights
     * @param averageWeights   average the returned weights over heads ([N, L, S]) instead of [N, heads, L, S]
     */
    public AttentionResult forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
                                   boolean needWeights, boolean averageWeights) {
        String layout = "(N, L, " + embedDim + ")";
        requireRank(query, layout, 3);
        requireRank(key, "(N, S, " + embedDim + ")", 3);
        requireRank(value, "(N, S, " + embedDim + ")", 3);
        requireSize(query, 2, embedDim, "features", layout);
        requireSize(key, 2, embedDim, "features", "(N, S, " + embedDim + ")");
        requireSize(value, 2, embedDim, "features", "(N, S, " + embedDim + ")");
        int n = query.size(0);
        int l = query.size(1);
        int s = key.size(1);
        if (key.size(0) != n || value.size(0) != n || value.size(1) != s) {
            throw error("query " + Arrays.toString(query.shape()) + ", key " + Arrays.toString(key.shape()) + " and value "
                    + Arrays.toString(value.shape()) + " must agree in batch size, and key and value in length");
        }
        Tensor w = param("in_proj_weight");
        Tensor b = paramOrNull("in_proj_bias");
        Tensor q = heads(project(query, w, b, 0), n, l);
        Tensor k = heads(project(key, w, b, 1), n, s);
        Tensor v = heads(project(value, w, b, 2), n, s);
        Tensor mask = combinedMask(keyPaddingMask, attnMask, n, l, s, query);
        AttentionResult r = F.scaledDotProductAttentionWithWeights(q, k, v, mask, isTraining() ? dropout : 0, false);
        Tensor out = outProj.forward(r.output().transpose(1, 2).reshape(n, l, embedDim));
        Tensor weights = !needWeights ? null : averageWeights ? r.weights().mean(new int[] {1}, false) : r.weights();
        return new AttentionResult(out, weights);
    }

    private Tensor project(Tensor x, Tensor w, Tensor b, int which) {
        return F.linear(x, w.narrow(0, which * embedDim, embedDim), b == null ? null : b.narrow(0, which * embedDim, embedDim));
    }

    /** [N, T, E] to [N, heads, T, E / heads]. */
    private Tensor heads(Tensor x, int n, int t) {
        return x.view(n, t, numHeads, embedDim / numHeads).transpose(1, 2);
    }

    /** Both masks as one additive float mask broadcastable to [N, heads, L, S], or null. */
    private Tensor combinedMask(Tensor keyPadding, Tensor attn, int n, int l, int s, Tensor like) {
        Tensor m = null;
        if (attn != null) {
            Tensor a = additive(attn, like);
            if (a.dim() == 2 && a.size(0) == l && a.size(1) == s) {
                m = a.view(1, 1, l, s);
            } else if (a.dim() == 3 && a.size(0) == n * numHeads && a.size(1) == l && a.size(2) == s) {
                m = a.view(n, numHeads, l, s);
            } else {
                throw error("attn_mask must be [" + l + ", " + s + "] or [" + n * numHeads + ", " + l + ", " + s + "], got "
                        + Arrays.toString(attn.shape()));
            }
        }
        if (keyPadding != null) {
            if (keyPadding.dim() != 2 || keyPadding.size(0) != n || keyPadding.size(1) != s) {
                throw error("key_padding_mask must be [" + n + ", " + s + "], got " + Arrays.toString(keyPadding.shape()));
            }
            Tensor kp = additive(keyPadding, like).view(n, 1, 1, s);
            m = m == null ? kp : m.add(kp);
        }
        return m;
    }

    private static Tensor additive(Tensor mask, Tensor like) {
        if (mask.dtype() == DType.BOOL) {
            return Tensor.zeros(like.dtype(), like.device(), mask.shape()).maskedFill(mask, Double.NEGATIVE_INFINITY);
        }
        return mask.toType(like.dtype());
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + (dropout > 0 ? ", dropout=" + dropout : "");
    }
}
