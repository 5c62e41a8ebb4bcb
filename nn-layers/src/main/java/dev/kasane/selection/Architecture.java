package dev.kasane.selection;

import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A CNN of an {@link ArchitectureSpace}: stages of blocks, each stage but the last followed by 2x2 max pooling, then
 * global average pooling and a linear classifier. Immutable; {@link #build} makes a fresh, randomly initialised
 * model from the global generator.
 *
 * @param stages the stages, from the input on
 */
public record Architecture(List<Stage> stages) {
    /**
     * One stage: {@code depth} blocks of {@code op}, the first from the previous stage's width to {@code width}
     * channels.
     *
     * @param op the blocks' operation
     * @param width output channels of each block
     * @param depth number of blocks
     */
    public record Stage(CellOp op, int width, int depth) {
        /**
         * @throws IllegalArgumentException if {@code width} or {@code depth} is below 1
         */
        public Stage {
            Objects.requireNonNull(op, "Architecture.Stage: op");
            if (width < 1 || depth < 1) {
                throw new IllegalArgumentException("Architecture.Stage: width and depth must be >= 1, got width " + width
                        + ", depth " + depth);
            }
        }

        /** "sep3x3:32x2": operation, width, depth. */
        @Override
        public String toString() {
            return op.label() + ":" + width + "x" + depth;
        }
    }

    /**
     * @throws IllegalArgumentException if there is no stage
     */
    public Architecture {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("Architecture: needs at least one stage");
        }
    }

    /** A new model for images of {@code inChannels} channels and {@code classes} classes. */
    public Module build(int inChannels, int classes) {
        Sequential net = new Sequential();
        int c = inChannels;
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            for (int b = 0; b < st.depth(); b++) {
                net.add(st.op().block(c, st.width()));
                c = st.width();
            }
            if (s < stages.size() - 1) {
                net.add(new MaxPool2d(2));
            }
        }
        return net.add(new AdaptiveAvgPool2d(1)).add(new Flatten()).add(new Linear(c, classes));
    }

    /**
     * Number of parameters of {@link #build}'s model, counted without building it (so without drawing initial weights
     * from the global generator).
     */
    public long parameters(int inChannels, int classes) {
        long n = 0;
        int c = inChannels;
        for (Stage st : stages) {
            for (int b = 0; b < st.depth(); b++) {
                n += st.op().parameters(c, st.width());
                c = st.width();
            }
        }
        return n + (long) c * classes + classes;
    }

    /** "conv3x3:16x1 > sep3x3:32x2": the stages in order (no "|", so that it fits in a Markdown table). */
    @Override
    public String toString() {
        return stages.stream().map(Stage::toString).collect(Collectors.joining(" > "));
    }
}
