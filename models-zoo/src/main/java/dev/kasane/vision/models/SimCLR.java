package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import java.util.Objects;

/**
 * A SimCLR network (Chen et al. 2020): an encoder {@code f} whose features {@code h = f(x)} are what is kept after
 * training, followed by a projection head {@code g} (Linear - ReLU - Linear) whose output {@code z = g(h)} the
 * contrastive loss ({@code F.ntXent}) sees. State-dict keys: {@code encoder.*} and {@code projector.0.*},
 * {@code projector.2.*}.
 *
 * <pre>{@code
 * SimCLR net = new SimCLR(encoder, 128, 128, 64);     // encoder: [N, C, H, W] -> [N, 128]
 * Tensor z = net.forward(Tensor.cat(List.of(view1, view2), 0));
 * Tensor loss = F.ntXent(z.narrow(0, 0, n), z.narrow(0, n, n), 0.5);
 * Tensor h = net.features(images);                    // for linear evaluation
 * }</pre>
 */
public final class SimCLR extends Module {
    private final Module encoder;
    private final Sequential projector;
    private final int featureDim;

    /**
     * A SimCLR network over {@code encoder}, whose output must be {@code [N, featureDim]}.
     *
     * @param hiddenDim width of the projection head's hidden layer
     * @param projectionDim size of {@code z}
     * @throws IllegalArgumentException if a size is not positive
     */
    public SimCLR(Module encoder, int featureDim, int hiddenDim, int projectionDim) {
        Objects.requireNonNull(encoder, "SimCLR: encoder");
        if (featureDim < 1 || hiddenDim < 1 || projectionDim < 1) {
            throw new IllegalArgumentException("SimCLR: sizes must be positive, got featureDim " + featureDim
                    + ", hiddenDim " + hiddenDim + ", projectionDim " + projectionDim);
        }
        this.featureDim = featureDim;
        this.encoder = registerModule("encoder", encoder);
        this.projector = registerModule("projector", projectionHead(featureDim, hiddenDim, projectionDim));
    }

    /** SimCLR's projection head: Linear(in, hidden) - ReLU - Linear(hidden, out), PyTorch's default initialisation. */
    public static Sequential projectionHead(int in, int hidden, int out) {
        return new Sequential(new Linear(in, hidden), new ReLU(), new Linear(hidden, out));
    }

    /** The encoder {@code f}. */
    public Module encoder() {
        return encoder;
    }

    /** The projection head {@code g}. */
    public Sequential projector() {
        return projector;
    }

    /**
     * The features {@code h = f(x)}.
     *
     * @throws IllegalArgumentException if the encoder's output is not {@code [N, featureDim]}
     */
    public Tensor features(Tensor x) {
        Tensor h = encoder.forward(x);
        if (h.dim() != 2 || h.size(1) != featureDim) {
            throw new IllegalArgumentException("SimCLR: the encoder must give [N, " + featureDim + "] features, got "
                    + h.describe() + " for input " + x.describe());
        }
        return h;
    }

    /** The projections {@code z = g(f(x))}. */
    @Override
    public Tensor forward(Tensor x) {
        return projector.forward(features(x));
    }
}
