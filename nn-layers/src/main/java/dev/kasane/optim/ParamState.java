package dev.kasane.optim;

import dev.kasane.tensor.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state for one parameter: the number of steps taken and named buffers shaped like the parameter
 * (PyTorch's {@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}, ...).
 */
public final class ParamState {
    private long step;
    private final LinkedHashMap<String, NDArray> buffers = new LinkedHashMap<>();

    /** Number of steps taken for this parameter. */
    public long step() {
        return step;
    }

    /** Sets the step count. */
    public void setStep(long step) {
        this.step = step;
    }

    /** Buffer {@code name}, or null if it does not exist yet. */
    public NDArray get(String name) {
        return buffers.get(name);
    }

    /** Stores buffer {@code name}. */
    public void put(String name, NDArray buffer) {
        buffers.put(name, buffer);
    }

    /** The buffers by name (unmodifiable view). */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }
}
