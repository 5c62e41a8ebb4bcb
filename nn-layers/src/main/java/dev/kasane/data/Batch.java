package dev.kasane.data;

import dev.kasane.autograd.Tensor;

/**
 * A batch of samples as produced by the default collate function of {@link DataLoader}: each field of the samples
 * stacked along a new dimension 0, as tensors that do not require grad.
 *
 * <pre>{@code
 * for (Batch batch : loader) {
 *     Tensor logits = model.forward(batch.input());   // e.g. [64, 1, 28, 28] F32
 *     Tensor loss = F.crossEntropy(logits, batch.target()); // [64] I64
 * }
 * }</pre>
 */
public final class Batch extends Fields {
    /**
     * A batch holding {@code fields} (not copied).
     *
     * @throws IllegalArgumentException if there are no fields, one is null, or their sizes along dimension 0 differ
     */
    public Batch(Tensor... fields) {
        super("Batch", "Batch", fields);
        BatchDim.requireShared("Batch", "field", fields);
    }

    /** Number of samples (the size of dimension 0). */
    public int batchSize() {
        return input().size(0);
    }
}
