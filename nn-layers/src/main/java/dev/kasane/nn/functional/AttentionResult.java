package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;

/**
 * The output of an attention and its attention weights.
 *
 * @param output  the attended values
 * @param weights the softmax weights ([N, L, S] averaged over heads, [N, heads, L, S] per head), or null when not
 *                requested
 */
public record AttentionResult(Tensor output, Tensor weights) {
}
