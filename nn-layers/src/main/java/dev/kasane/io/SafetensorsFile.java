package dev.kasane.io;

import dev.kasane.autograd.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a safetensors file: its tensors (on the CPU, not requiring grad, in header order) and the free-form string map
 * stored under the header's {@code __metadata__} key (empty when the file has none).
 *
 * @param tensors the tensors by name, in the order of the file's header
 * @param metadata the {@code __metadata__} entries, unmodifiable
 */
public record SafetensorsFile(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
    /** Checks for nulls and makes the metadata unmodifiable. */
    public SafetensorsFile {
        Objects.requireNonNull(tensors, "tensors");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }
}
