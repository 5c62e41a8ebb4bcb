package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of a module's weights, kept in a shadow module of the same architecture (the
 * common {@code ema} helper of GAN code, e.g. for the generator whose samples are evaluated): after each
 * optimizer step, {@link #update()} sets every floating shadow parameter to
 * {@code decay * shadow + (1 - decay) * source} and copies the buffers (batch norm's running statistics) as they are.
 *
 * <pre>{@code
 * Module g = makeGenerator();
 * EMA ema = new EMA(g, makeGenerator(), 0.999);  // the shadow starts as a copy of g
 * // ... after each generator step:
 * ema.update();
 * Tensor samples = ema.shadow().forward(z);
 * }</pre>
 *
 * <p>The shadow's parameters stop requiring grad. Both modules must stay on one device and dtype.
 */
public final class EMA {
    private final Module shadow;
    private final double decay;
    private final List<Pair> params;
    private final List<Pair> buffers;

    /** A tensor of the source and the shadow's tensor of the same name. */
    private record Pair(Tensor source, Tensor shadow) {
    }

    /**
     * Starts an average of {@code source} in {@code shadow}, which receives a copy of {@code source}'s state now.
     *
     * @param decay in [0, 1]: the weight of the old average at each update
     * @throws IllegalArgumentException if {@code decay} is out of range, the modules are one, or their state dicts
     *                                  differ in keys or shapes
     */
    public EMA(Module source, Module shadow, double decay) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(shadow, "shadow");
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("EMA: decay must be in [0, 1], got " + decay);
        }
        if (source == shadow) {
            throw new IllegalArgumentException("EMA: the shadow must be a second module of the source's architecture, got the source itself");
        }
        shadow.loadStateDict(source.stateDict(), true);
        shadow.requiresGrad(false);
        this.shadow = shadow;
        this.decay = decay;
        this.params = pairs("parameters", source.namedParameters(), shadow.namedParameters());
        this.buffers = pairs("buffers", source.namedBuffers(), shadow.namedBuffers());
    }

    /** The tensors of {@code source} with those of {@code shadow} of the same names. */
    private static List<Pair> pairs(String what, Map<String, Tensor> source, Map<String, Tensor> shadow) {
        if (!source.keySet().equals(shadow.keySet())) {
            throw new IllegalArgumentException("EMA: the shadow's " + what + " " + shadow.keySet()
                    + " differ from the source's " + source.keySet());
        }
        List<Pair> out = new ArrayList<>();
        source.forEach((name, t) -> out.add(new Pair(t, shadow.get(name))));
        return out;
    }

    /** The decay. */
    public double decay() {
        return decay;
    }

    /** The module holding the average. */
    public Module shadow() {
        return shadow;
    }

    /** Moves the average towards the source's current parameters and copies its buffers. */
    @SuppressWarnings("try") // the guard is only opened and closed
    public void update() {
        try (var g = Autograd.noGrad()) {
            for (Pair p : params) {
                p.shadow().copyFrom(p.shadow().mul(decay).add(p.source().detach().mul(1 - decay)));
            }
            for (Pair b : buffers) {
                b.shadow().copyFrom(b.source());
            }
        }
    }

    /** Copies the average (the shadow's state dict) into {@code target}, e.g. the source itself before sampling. */
    public void copyTo(Module target) {
        target.loadStateDict(shadow.stateDict(), true);
    }
}
