package dev.kasane.nn.quantization;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.AbstractBatchNorm;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Identity;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.ModuleList;
import dev.kasane.nn.ReLU;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Post-training static quantization and quantization-aware training of models built from {@code Sequential}
 * containers (PyTorch's eager mode: layers are swapped inside their containers, so every {@code Conv2d} and
 * {@code Linear} must be an element of a {@link ModuleList} or {@code Sequential}).
 *
 * <pre>{@code
 * Quantization.fuse(model);                                   // conv + bn (+ relu) folded, in eval mode
 * Quantization.prepare(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
 * for (Tensor batch : calibration) model.forward(batch);      // observers record the inputs' ranges
 * Quantization.convert(model);                                // Conv2d, Linear -> QuantizedConv2d, QuantizedLinear
 * Quantization.save(model, Path.of("model-int8.safetensors"));
 * }</pre>
 *
 * <p>Checkpoints: {@link #save} writes the model's state dict as safetensors with the int8 weights as I8 (the keys
 * of {@link QuantizedLayer}); {@link #load} rebuilds the quantized structure on a float model of the same
 * architecture and loads it.
 */
public final class Quantization {
    private Quantization() {
    }

    /**
     * Folds every {@code Conv2d} followed by a {@code BatchNorm2d} in a container into one convolution with bias
     * ({@link #fuseConvBn}) and puts an {@code Identity} in the batch norm's place; a ReLU after them stays and is
     * fused by {@link #prepare}. Uses the running statistics, so call it on a trained model; returns the model.
     */
    public static Module fuse(Module model) {
        for (Module m : model.modules()) {
            if (m instanceof ModuleList list) {
                for (int i = 0; i + 1 < list.size(); i++) {
                    if (list.get(i) instanceof Conv2d conv && list.get(i + 1) instanceof BatchNorm2d bn) {
                        list.set(i, fuseConvBn(conv, bn));
                        list.set(i + 1, new Identity());
                    }
                }
            }
        }
        return model;
    }

    /**
     * The convolution equal to {@code bn(conv(x))} with {@code bn} in eval mode ({@code fuse_conv_bn_eval}):
     * {@code w' = w g / sqrt(var + eps)} per output channel and {@code b' = (b - mean) g / sqrt(var + eps) + beta}.
     *
     * @throws IllegalArgumentException if the channel counts differ or the batch norm keeps no running statistics
     */
    public static Conv2d fuseConvBn(Conv2d conv, BatchNorm2d bn) {
        Map<String, Tensor> state = bn.stateDict();
        if (bn.numFeatures() != conv.outChannels() || !state.containsKey("running_var")) {
            throw new IllegalArgumentException("fuseConvBn: " + conv + " and " + bn + " do not fit (channels "
                    + conv.outChannels() + " and " + bn.numFeatures() + ", running statistics needed)");
        }
        int out = conv.outChannels();
        Conv2d fused = new Conv2d(conv.inChannels(), out, conv.kernelSize(), conv.stride(), conv.padding(), conv.dilation(),
                conv.groups(), true, conv.padMode());
        try (var g = Autograd.noGrad()) {
            Tensor var = state.get("running_var");
            Tensor gamma = state.containsKey("weight") ? state.get("weight") : Tensor.ones(out);
            Tensor beta = state.containsKey("bias") ? state.get("bias") : Tensor.zeros(out);
            Tensor factor = gamma.div(var.add(((AbstractBatchNorm) bn).eps()).sqrt());
            Tensor bias = conv.bias() == null ? Tensor.zeros(out) : conv.bias().detach();
            fused.to(conv.weight().device()).to(conv.weight().dtype());
            fused.weight().copyFrom(conv.weight().detach().mul(factor.reshape(out, 1, 1, 1)));
            fused.bias().copyFrom(bias.sub(state.get("running_mean")).mul(factor).add(beta));
        }
        return fused;
    }

    /**
     * Wraps every {@code Conv2d} and {@code Linear} in an {@link ObservedLayer} with a new observer from
     * {@code observers} on its input, fusing a {@code ReLU} that follows it (after nothing but {@code Identity}
     * modules, such as a folded batch norm's slot) into it; the ReLU's slot becomes an {@code Identity}. Run calibration batches through the model (in eval mode), then {@link #convert}.
     *
     * @throws IllegalArgumentException if a Conv2d or Linear is not an element of a container
     */
    public static Module prepare(Module model, Supplier<Observer> observers) {
        return wrap(model, observers, false);
    }

    /**
     * As {@link #prepare}, for quantization-aware training: the layers run on fake-quantized inputs and weights
     * (see {@link ObservedLayer}); then train, and {@link #convert}. A {@code Conv2d} directly followed by a
     * {@code BatchNorm2d} becomes one {@link QatConvBn2d} that keeps training the batch norm (PyTorch's
     * {@code fuse_modules_qat} + {@code prepare_qat}; see {@link #freezeBnStats}), the batch norm's slot an
     * {@code Identity}; call {@link #fuse} first to fold the batch norms before training instead.
     */
    public static Module prepareQat(Module model, Supplier<Observer> observers) {
        return wrap(model, observers, true);
    }

    private static Module wrap(Module model, Supplier<Observer> observers, boolean fakeQuantize) {
        requireSwappable("prepare", model);
        for (Module m : model.modules()) {
            if (m instanceof ModuleList list) {
                for (int i = 0; i < list.size(); i++) {
                    Module layer = list.get(i);
                    if (layer instanceof Conv2d || layer instanceof Linear) {
                        boolean withBn = fakeQuantize && layer instanceof Conv2d && i + 1 < list.size()
                                && list.get(i + 1) instanceof BatchNorm2d;
                        int next = withBn ? i + 2 : i + 1;
                        while (next < list.size() && list.get(next) instanceof Identity) {
                            next++;
                        }
                        boolean relu = next < list.size() && list.get(next) instanceof ReLU;
                        if (withBn) {
                            list.set(i, new QatConvBn2d((Conv2d) layer, (BatchNorm2d) list.get(i + 1), observers.get(), relu));
                            list.set(i + 1, new Identity());
                        } else {
                            list.set(i, new ObservedLayer(layer, observers.get(), fakeQuantize, relu));
                        }
                        if (relu) {
                            list.set(next, new Identity());
                        }
                    }
                }
            }
        }
        return model;
    }

    /**
     * Replaces every {@link ObservedLayer} and {@link QatConvBn2d} by its int8 layer ({@link QuantizedConv2d},
     * {@link QuantizedLinear}) and puts the model in eval mode; returns it.
     *
     * @throws IllegalStateException if an observer has seen no input
     */
    public static Module convert(Module model) {
        for (Module m : model.modules()) {
            if (m instanceof ModuleList list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof ObservedLayer o) {
                        list.set(i, o.convert());
                    } else if (list.get(i) instanceof QatConvBn2d c) {
                        list.set(i, c.convert());
                    }
                }
            }
        }
        return model.eval();
    }

    /**
     * Freezes the batch-norm statistics of every {@link QatConvBn2d} in {@code model}
     * ({@link QatConvBn2d#freezeBnStats}); returns the model.
     */
    public static Module freezeBnStats(Module model) {
        for (Module m : model.modules()) {
            if (m instanceof QatConvBn2d c) {
                c.freezeBnStats();
            }
        }
        return model;
    }

    /**
     * Writes the state dict of a converted model to {@code file} as safetensors, the int8 weights of its
     * {@link QuantizedLayer}s as I8.
     */
    public static void save(Module model, Path file) throws IOException {
        Set<String> int8 = new LinkedHashSet<>();
        model.namedModules().forEach((path, m) -> {
            if (m instanceof QuantizedLayer) {
                int8.add(path.isEmpty() ? "weight" : path + ".weight");
            }
        });
        Safetensors.save(model.stateDict(), null, int8, file);
    }

    /**
     * Loads a checkpoint written by {@link #save} into {@code model}, a float model of the same architecture:
     * batch norms are fused ({@link #fuse}) and the layers replaced by int8 layers (as {@link #convert} would)
     * before the state is loaded strictly. Returns the model, in eval mode.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     * @throws IllegalArgumentException if the file's keys or shapes do not match the model
     */
    public static Module load(Module model, Path file) throws IOException {
        Map<String, Tensor> state = Safetensors.load(file);
        fuse(model.eval());
        prepare(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        for (Module m : model.modules()) {
            if (m instanceof ObservedLayer o) {
                o.inputObserver().observe(Tensor.zeros(1));
            }
        }
        convert(model);
        model.loadStateDict(state, true);
        return model;
    }

    /** Checks that every Conv2d and Linear of {@code model} sits in a container. */
    private static void requireSwappable(String op, Module model) {
        for (Module parent : model.modules()) {
            if (parent instanceof ModuleList || parent instanceof ObservedLayer || parent instanceof QatConvBn2d) {
                continue;
            }
            parent.namedChildren().forEach((name, child) -> {
                if (child instanceof Conv2d || child instanceof Linear) {
                    throw new IllegalArgumentException("Quantization." + op + ": " + child.getClass().getSimpleName() + " '"
                            + child.path() + "' is a field of " + parent.getClass().getSimpleName()
                            + "; layers are swapped inside Sequential / ModuleList containers only");
                }
            });
        }
    }
}
