package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import java.util.List;

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
public final class Batch {
    private final Tensor[] fields;

    /**
     * A batch holding {@code fields} (not copied).
     *
     * @throws IllegalArgumentException if there are no fields, one is null, or their sizes along dimension 0 differ
     */
    public Batch(Tensor... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("Batch: a batch needs at least one field");
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null) {
                throw new IllegalArgumentException("Batch: field " + i + " is null");
            }
            if (fields[i].dim() == 0 || fields[i].size(0) != fields[0].size(0)) {
                throw new IllegalArgumentException("Batch: every field must have the batch size as dimension 0; field " + i
                        + " is " + fields[i].data().describe() + ", field 0 is " + fields[0].data().describe());
            }
        }
        this.fields = fields.clone();
    }

    /** The first field: the inputs. */
    public Tensor input() {
        return fields[0];
    }

    /**
     * The second field: the targets.
     *
     * @throws IllegalStateException if the batch has a single field
     */
    public Tensor target() {
        if (fields.length < 2) {
            throw new IllegalStateException("Batch.target: this batch has only one field");
        }
        return fields[1];
    }

    /** Field {@code i}. */
    public Tensor get(int i) {
        if (i < 0 || i >= fields.length) {
            throw new IndexOutOfBoundsException("Batch.get: field " + i + " of a batch with " + fields.length + " fields");
        }
        return fields[i];
    }

    /** Number of fields. */
    public int numFields() {
        return fields.length;
    }

    /** Number of samples (the size of dimension 0). */
    public int batchSize() {
        return fields[0].size(0);
    }

    /** The fields, in order (unmodifiable). */
    public List<Tensor> fields() {
        return List.of(fields);
    }

    /** The fields' shapes and dtypes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Batch(");
        for (int i = 0; i < fields.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(fields[i].data().describe());
        }
        return sb.append(')').toString();
    }
}
