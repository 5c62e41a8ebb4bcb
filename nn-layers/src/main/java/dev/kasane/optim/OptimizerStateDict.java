package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.io.SafetensorsFile;
import dev.kasane.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an optimizer, from {@link Optimizer#stateDict()}: the per-parameter state as arrays and the
 * parameter groups' options as strings, shaped to fit a safetensors file.
 *
 * <p>{@code tensors} holds {@code state.<i>.<buffer>} (e.g. {@code state.0.exp_avg}) and {@code state.<i>.step}
 * (a 0-d I64 array), where {@code i} numbers the parameters across the groups in order, as PyTorch does.
 * {@code params} holds {@code optimizer} (the class name), {@code param_groups} (their count),
 * {@code param_groups.<g>.params} (the comma-separated parameter numbers) and {@code param_groups.<g>.<option>}
 * (each option, written so that it parses back to the same double).
 *
 * @param tensors state arrays by key (copies, detached from the optimizer)
 * @param params optimizer name and group options by key
 */
public record OptimizerStateDict(LinkedHashMap<String, NDArray> tensors, LinkedHashMap<String, String> params) {
    /** Checks for nulls. */
    public OptimizerStateDict {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(params, "params");
    }

    /** Writes this state to a safetensors file: the arrays as tensors, {@code params} as the metadata. */
    public void save(Path file) throws IOException {
        LinkedHashMap<String, Tensor> asTensors = new LinkedHashMap<>();
        tensors.forEach((k, v) -> asTensors.put(k, Tensor.of(v)));
        Safetensors.save(asTensors, params, file);
    }

    /** Reads a state written by {@link #save(Path)}. */
    public static OptimizerStateDict load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.loadWithMetadata(file);
        LinkedHashMap<String, NDArray> arrays = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> arrays.put(k, v.data()));
        return new OptimizerStateDict(arrays, new LinkedHashMap<>(f.metadata()));
    }

    /** A state from a tensor map and a metadata map (e.g. parts of a larger checkpoint). */
    public static OptimizerStateDict of(Map<String, NDArray> tensors, Map<String, String> params) {
        return new OptimizerStateDict(new LinkedHashMap<>(tensors), new LinkedHashMap<>(params));
    }
}
