package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import java.util.List;

/**
 * The fixed list of tensors that {@link Sample} and {@link Batch} hold, by convention the input first and the
 * target second, with the accessors and the text both share. Errors name the holder ({@code Sample.get: ...}).
 */
abstract class Fields {
    private final String kind;
    private final Tensor[] fields;

    /**
     * Holds {@code fields} (the array is copied, the tensors are not).
     *
     * @param kind    the holder's class name, for errors and {@link #toString()}
     * @param creator the creating method, for errors ({@code Sample.of})
     * @throws IllegalArgumentException if there are no fields or one is null
     */
    Fields(String kind, String creator, Tensor[] fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException(creator + ": a " + kind.toLowerCase() + " needs at least one field");
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null) {
                throw new IllegalArgumentException(creator + ": field " + i + " is null");
            }
        }
        this.kind = kind;
        this.fields = fields.clone();
    }

    /** The first field: the input. */
    public Tensor input() {
        return fields[0];
    }

    /**
     * The second field: the target.
     *
     * @throws IllegalStateException if there is a single field
     */
    public Tensor target() {
        if (fields.length < 2) {
            throw new IllegalStateException(kind + ".target: this " + kind.toLowerCase() + " has only one field");
        }
        return fields[1];
    }

    /**
     * Field {@code i}.
     *
     * @throws IndexOutOfBoundsException if there is no field {@code i}
     */
    public Tensor get(int i) {
        if (i < 0 || i >= fields.length) {
            throw new IndexOutOfBoundsException(kind + ".get: field " + i + " of a " + kind.toLowerCase() + " with "
                    + fields.length + " fields");
        }
        return fields[i];
    }

    /** Number of fields. */
    public int numFields() {
        return fields.length;
    }

    /** The fields, in order (unmodifiable). */
    public List<Tensor> fields() {
        return List.of(fields);
    }

    /** The fields' shapes, dtypes and devices, e.g. {@code Batch([64, 1, 28, 28] F32 cpu, [64] I64 cpu)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind).append('(');
        for (int i = 0; i < fields.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(fields[i].describe());
        }
        return sb.append(')').toString();
    }
}
