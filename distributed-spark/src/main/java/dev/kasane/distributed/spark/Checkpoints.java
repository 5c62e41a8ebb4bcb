package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.SafetensorsFile;
import dev.kasane.optim.OptimizerStateDict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout of a distributed checkpoint, that of Kasane's example checkpoints: tensor {@code model.<key>} for each
 * state-dict entry of the model, tensor {@code <optimizer>.<key>} for each optimizer state array and metadata
 * {@code <optimizer>.<param>} for its groups' options. Synchronous SGD stores one optimizer, {@code opt} (every
 * replica's is the same); parameter averaging stores each replica's, {@code opt.<rank>}.
 */
final class Checkpoints {
    static final String MODEL = "model";
    static final String OPTIMIZER = "opt";

    private Checkpoints() {
    }

    /** The tensors of a checkpoint of {@code model} and {@code optimizers} (by name). */
    static LinkedHashMap<String, Tensor> tensors(Map<String, Tensor> model, Map<String, OptimizerStateDict> optimizers) {
        LinkedHashMap<String, Tensor> all = new LinkedHashMap<>();
        model.forEach((k, v) -> all.put(MODEL + "." + k, v));
        optimizers.forEach((name, sd) -> sd.tensors().forEach((k, v) -> all.put(name + "." + k, v)));
        return all;
    }

    /** The metadata of a checkpoint of {@code optimizers} (by name). */
    static LinkedHashMap<String, String> metadata(Map<String, OptimizerStateDict> optimizers) {
        LinkedHashMap<String, String> all = new LinkedHashMap<>();
        optimizers.forEach((name, sd) -> sd.params().forEach((k, v) -> all.put(name + "." + k, v)));
        return all;
    }

    /** The model's state dict in a checkpoint. */
    static LinkedHashMap<String, Tensor> modelState(SafetensorsFile checkpoint) {
        return strip(checkpoint.tensors(), MODEL + ".");
    }

    /** Optimizer {@code name}'s state in a checkpoint. */
    static OptimizerStateDict optimizerState(SafetensorsFile checkpoint, String name) {
        String prefix = name + ".";
        LinkedHashMap<String, Tensor> tensors = strip(checkpoint.tensors(), prefix);
        LinkedHashMap<String, String> params = strip(checkpoint.metadata(), prefix);
        if (params.isEmpty()) {
            throw new IllegalArgumentException("SparkTrainer: the checkpoint holds no optimizer '" + name + "'");
        }
        return OptimizerStateDict.of(tensors, params);
    }

    private static <V> LinkedHashMap<String, V> strip(Map<String, V> map, String prefix) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
