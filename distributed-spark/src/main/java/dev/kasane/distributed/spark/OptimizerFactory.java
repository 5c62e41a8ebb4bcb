package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/** Builds each replica's optimizer over its model's parameters; e.g. {@code p -> new SGD(p, 0.1)}. */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer over {@code parameters} (the model's, in {@code Module.parameters()} order). */
    Optimizer<?> create(List<Tensor> parameters);
}
