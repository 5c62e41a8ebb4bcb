package dev.kasane.nn;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * A lookup table: integer indices of any shape to rows of {@code weight} [num, dim], initialised N(0, 1) (the
 * {@code paddingIdx} row zero, and it receives no gradient). {@link #weight()} is the table (or its spectral
 * normalisation, see {@link SpectralNorm}).
 */
public class Embedding extends WeightLayer {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;

    /** No padding index. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, -1);
    }

    /** With a padding index ({@code -1}: none; negative values other than -1 count from the end, as PyTorch). */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        Layers.nonNegative("Embedding", "num_embeddings", numEmbeddings);
        Layers.nonNegative("Embedding", "embedding_dim", embeddingDim);
        if (paddingIdx < -1) {
            paddingIdx += numEmbeddings;
        }
        if (paddingIdx >= numEmbeddings || paddingIdx < -1) {
            throw new IllegalArgumentException("Embedding: padding_idx must be within num_embeddings " + numEmbeddings
                    + " (in [-" + numEmbeddings + ", " + numEmbeddings + ") or -1 for none)");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        Tensor w = registerParameter("weight", Tensor.zeros(Layers.floatType(), Layers.device(), numEmbeddings, embeddingDim));
        Init.normal(w, 0, 1);
        if (paddingIdx >= 0) {
            Function.array(w).select(0, paddingIdx).fillInPlace(0);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.numel() > 0 && !input.dtype().isFloating()) {
            long lo = input.min().itemLong();
            long hi = input.max().itemLong();
            if (lo < 0 || hi >= numEmbeddings) {
                throw error("index out of range [0, " + numEmbeddings + "): got values in [" + lo + ", " + hi + "]");
            }
        }
        return F.embedding(input, weight(), paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
