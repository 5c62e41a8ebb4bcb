package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A layer without weights that applies one function of {@link dev.kasane.nn.functional.F} with fixed hyperparameters
 * (ELU's alpha, Softmax's dim, PixelShuffle's factor), printed as its PyTorch extra repr ({@code alpha=1.0}), after
 * an optional check of the input's rank that names the layer. A subclass is its constructors:
 * {@code super(x -> F.elu(x, alpha), "alpha=" + alpha)}.
 */
abstract class FunctionLayer extends Module {
    private static final int[] ANY_RANK = {};

    private final UnaryOperator<Tensor> function;
    private final String extraRepr;
    private final String layout;
    private final int[] ranks;

    /**
     * @param function the layer's forward, with the hyperparameters bound
     * @param extraRepr the hyperparameters as PyTorch prints them, or "" for none
     */
    FunctionLayer(UnaryOperator<Tensor> function, String extraRepr) {
        this(function, extraRepr, "", ANY_RANK);
    }

    /**
     * @param function the layer's forward, with the hyperparameters bound
     * @param extraRepr the hyperparameters as PyTorch prints them, or "" for none
     * @param layout the accepted layout for the error, e.g. {@code "(N, C, H, W)"}
     * @param ranks the accepted input ranks
     */
    FunctionLayer(UnaryOperator<Tensor> function, String extraRepr, String layout, int... ranks) {
        this.function = Objects.requireNonNull(function, "function");
        this.extraRepr = Objects.requireNonNull(extraRepr, "extraRepr");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.ranks = ranks.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (ranks.length > 0) {
            requireRank(input, layout, ranks);
        }
        return function.apply(input);
    }

    @Override
    protected String extraRepr() {
        return extraRepr;
    }
}
