package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Collate functions: how a {@link DataLoader} turns a list of samples into a batch.
 *
 * <p>{@link #stack()} is the default (PyTorch's {@code default_collate}): it accepts samples that are a
 * {@link Sample}, a {@link Tensor}, a {@link Number} or {@link Boolean}, or an array or
 * {@link List} of those (one per field), and stacks field {@code i} of every sample along a new dimension 0 into
 * field {@code i} of a {@link Batch}. Integers become I64, {@code Double}s F64, {@code Float}s F32 and
 * {@code Boolean}s BOOL; tensors are taken detached.
 */
public final class Collate {
    private Collate() {
    }

    /** The default collate function: stacks each field of the samples into a {@link Batch}. */
    public static <T> Function<List<T>, Batch> stack() {
        return Collate::stackSamples;
    }

    private static Batch stackSamples(List<?> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Collate.stack: no samples to collate");
        }
        int nFields = -1;
        List<List<Object>> byField = new ArrayList<>();
        for (int s = 0; s < samples.size(); s++) {
            List<Object> fields = fieldsOf(samples.get(s), s);
            if (nFields < 0) {
                nFields = fields.size();
                for (int i = 0; i < nFields; i++) {
                    byField.add(new ArrayList<>(samples.size()));
                }
            } else if (fields.size() != nFields) {
                throw new IllegalArgumentException("Collate.stack: sample " + s + " has " + fields.size()
                        + " fields, sample 0 has " + nFields);
            }
            for (int i = 0; i < nFields; i++) {
                byField.get(i).add(fields.get(i));
            }
        }
        Tensor[] out = new Tensor[nFields];
        for (int i = 0; i < nFields; i++) {
            out[i] = stackField(byField.get(i), i);
        }
        return new Batch(out);
    }

    private static List<Object> fieldsOf(Object sample, int s) {
        if (sample instanceof Sample) {
            return new ArrayList<>(((Sample) sample).fields());
        }
        if (sample instanceof Object[]) {
            return Arrays.asList((Object[]) sample);
        }
        if (sample instanceof List) {
            return new ArrayList<>((List<?>) sample);
        }
        if (sample == null) {
            throw new IllegalArgumentException("Collate.stack: sample " + s + " is null");
        }
        return List.of(sample);
    }

    private static Tensor stackField(List<Object> values, int field) {
        Object v0 = values.get(0);
        if (v0 instanceof Number || v0 instanceof Boolean) {
            return stackScalars(values, field);
        }
        List<Tensor> arrays = new ArrayList<>(values.size());
        for (int s = 0; s < values.size(); s++) {
            Tensor a = asTensor(values.get(s), s, field);
            Tensor a0 = arrays.isEmpty() ? a : arrays.get(0);
            if (!Arrays.equals(a.shape(), a0.shape()) || a.dtype() != a0.dtype() || !a.device().equals(a0.device())) {
                throw new IllegalArgumentException("Collate.stack: field " + field + " of sample " + s + " is "
                        + a.describe() + ", but sample 0 has " + a0.describe() + " (samples must match to be stacked)");
            }
            arrays.add(a);
        }
        return Tensor.stack(arrays, 0);
    }

    private static Tensor asTensor(Object v, int s, int field) {
        if (v instanceof Tensor) {
            return ((Tensor) v).detach();
        }
        throw new IllegalArgumentException("Collate.stack: field " + field + " of sample " + s + " is a "
                + (v == null ? "null" : v.getClass().getName()) + "; expected a Tensor, Number or Boolean");
    }

    private static Tensor stackScalars(List<Object> values, int field) {
        int n = values.size();
        Object v0 = values.get(0);
        for (int s = 0; s < n; s++) {
            Object v = values.get(s);
            if (v == null || v.getClass() != v0.getClass()) {
                throw new IllegalArgumentException("Collate.stack: field " + field + " of sample " + s + " is a "
                        + (v == null ? "null" : v.getClass().getSimpleName()) + ", sample 0 has a " + v0.getClass().getSimpleName());
            }
        }
        if (v0 instanceof Boolean) {
            boolean[] b = new boolean[n];
            for (int s = 0; s < n; s++) {
                b[s] = (Boolean) values.get(s);
            }
            return onCpu(NDArray.fromHost(toBytes(b), DType.BOOL, Device.CPU, n));
        }
        if (v0 instanceof Double) {
            double[] d = new double[n];
            for (int s = 0; s < n; s++) {
                d[s] = (Double) values.get(s);
            }
            return onCpu(NDArray.fromHost(d, DType.F64, Device.CPU, n));
        }
        if (v0 instanceof Float) {
            float[] d = new float[n];
            for (int s = 0; s < n; s++) {
                d[s] = (Float) values.get(s);
            }
            return onCpu(NDArray.fromHost(d, DType.F32, Device.CPU, n));
        }
        if (v0 instanceof Long || v0 instanceof Integer || v0 instanceof Short || v0 instanceof Byte) {
            long[] d = new long[n];
            for (int s = 0; s < n; s++) {
                d[s] = ((Number) values.get(s)).longValue();
            }
            return onCpu(NDArray.fromHost(d, DType.I64, Device.CPU, n));
        }
        throw new IllegalArgumentException("Collate.stack: field " + field + " holds a " + v0.getClass().getName()
                + "; numbers must be Integer, Long, Short, Byte, Float or Double");
    }

    /**
     * Host values as a tensor on the CPU, where the collated batch lives until the training loop moves it. Tensor
     * has no creation on an explicit device yet ({@code Tensor.of(values)} follows the default device), so this
     * wraps the array directly.
     */
    private static Tensor onCpu(NDArray hostValues) {
        return dev.kasane.autograd.Function.tensor(hostValues);
    }

    private static byte[] toBytes(boolean[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) (b[i] ? 1 : 0);
        }
        return out;
    }
}
