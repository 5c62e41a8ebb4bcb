package dev.kasane.vision.models;

import dev.kasane.nn.Linear;
import java.util.List;

/** An {@link ImageClassifier} whose head is one {@link Linear} layer under one name (LeNet-5's fc3, ResNet's fc). */
abstract class SingleHeadClassifier extends ImageClassifier {
    private final String headName;
    private Linear headLayer;

    /**
     * @param numClasses outputs of the head
     * @param headName the head's name in the state dict
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    SingleHeadClassifier(int numClasses, String headName) {
        super(numClasses);
        this.headName = headName;
    }

    /** Registers the head (where the model's other layers put it in the state-dict order). */
    final void registerHead(Linear layer) {
        headLayer = registerModule(headName, layer);
    }

    /** The head layer. */
    final Linear headLayer() {
        return headLayer;
    }

    /** The head layer, alone. */
    @Override
    public final List<Linear> head() {
        return List.of(headLayer);
    }

    @Override
    protected final void setHead(int index, Linear layer) {
        headLayer = replaceModule(headName, layer);
    }
}
