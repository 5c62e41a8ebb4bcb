package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;

/**
 * The output of a max pooling with {@code return_indices}.
 *
 * @param values  the pooled values
 * @param indices I64, for every output element the flat index {@code h * W + w} of its maximum in its input plane
 */
public record PoolResult(Tensor values, Tensor indices) {
}
