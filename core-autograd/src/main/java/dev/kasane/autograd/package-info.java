/**
 * Reverse-mode automatic differentiation over {@link dev.kasane.tensor.NDArray}.
 *
 * <ul>
 *   <li>{@link dev.kasane.autograd.Tensor}: an NDArray plus {@code requiresGrad}, {@code grad} and {@code gradFn};
 *       every differentiable op of the tensor core, with PyTorch's names and gradient rules.</li>
 *   <li>{@link dev.kasane.autograd.Function}: one op and one graph node (forward, backward, saveForBackward,
 *       needsInputGrad). The built-in ops are small final subclasses grouped by family (ElementwiseOps,
 *       ReductionOps, ViewOps, ShapeCopyOps, LinalgOps, IndexingOps); users extend it the same way.</li>
 *   <li>{@link dev.kasane.autograd.Autograd}: grad mode ({@code noGrad}, {@code enableGrad}), {@code grad} for
 *       gradients without touching {@code .grad} (and gradients of gradients), anomaly detection.</li>
 *   <li>{@link dev.kasane.autograd.GradCheck}: analytic gradients against central differences in F64, first and
 *       second order.</li>
 * </ul>
 *
 * <p>The engine walks the graph iteratively (no recursion, so graphs of any depth work), sums the gradients flowing
 * into each node before running its backward, frees saved tensors afterwards unless {@code retainGraph}, and refuses
 * saved tensors modified in place since they were saved. Backward formulas are written with Tensor ops: with
 * {@code createGraph} they are recorded, so they can be differentiated again.
 */
package dev.kasane.autograd;
