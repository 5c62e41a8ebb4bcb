package dev.kasane.distributed.spark;

import dev.kasane.nn.Module;
import java.io.Serializable;

/** Builds the model on every executor (and once on the driver); a lambda such as {@code () -> new LeNet5(10)}. */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new model (its initial weights do not matter: every replica starts from the driver's copy). */
    Module create();
}
