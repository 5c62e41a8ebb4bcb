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
 * A snapshot of an optimizer, from {@link Optimizer#stateDict()}: the per-parameter state as tensors and the
 * parameter groups' options as strings under PyTorch's keys, shaped to fit a safetensors file.
 *
 * <p>{@code tensors} holds {@code state.<i>.<buffer>} (e.g. {@code state.0.exp_avg}) and {@code state.<i>.step}
 * (a 0-d I64 tensor), where {@code i} numbers the parameters across the groups in order, as PyTorch does.
 * {@code params} holds {@code optimizer} (the class name), {@code param_groups} (their count),
 * {@code param_groups.<g>.params} (the comma-separated parameter numbers), {@code param_groups.<g>.<option>} (each
 * option under its PyTorch key, as the optimizer's {@link OptionSchema} writes it: Adam's betas as {@code beta1} and
 * {@code beta2}, flags as 1.0 or 0.0) and {@code param_groups.<g>.initial_lr} once a scheduler has set it.
 *
 * @param tensors state tensors by key (copies that do not require grad, detached from the optimizer)
 * @param params optimizer name and group options by key
 */
public record OptimizerStateDict(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> params) {
    /** Checks for nulls. */
    public OptimizerStateDict {
        Objects.requireNonNull(tensors, "OptimizerStateDict: tensors");
        Objects.requireNonNull(params, "OptimizerStateDict: params");
    }

    /** Writes this state to a safetensors file: the tensors, and {@code params} as the metadata. */
    public void save(Path file) throws IOException {
        Safetensors.save(tensors, params, file);
    }

    /** Reads a state written by {@link #save(Path)}. */
    public static OptimizerStateDict load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.loadWithMetadata(file);
        return new OptimizerStateDict(new LinkedHashMap<>(f.tensors()), new LinkedHashMap<>(f.metadata()));
    }

    /** A state from a tensor map and a metadata map (e.g. parts of a larger checkpoint). */
    public static OptimizerStateDict of(Map<String, Tensor> tensors, Map<String, String> params) {
        return new OptimizerStateDict(new LinkedHashMap<>(tensors), new LinkedHashMap<>(params));
    }
}
