/**
 * What every example shares; an example is a class with a static {@code parser()} (its command line) and
 * {@code run(Args, PrintStream)}, declared as an {@link dev.kasane.examples.common.Example} that
 * {@link dev.kasane.examples.Main} registers.
 *
 * <ul>
 *   <li>{@link dev.kasane.examples.common.Args}: the command line ({@code --epochs --batch-size --lr --device --out
 *       --data --resume --overwrite --seed --limit --log-every --verbose}, less those an example drops, plus the
 *       example's own options) and its {@code --help}; bad input and {@code --help} throw
 *       {@link dev.kasane.examples.common.UsageException}. {@code Main} prints help with status 0 and every error
 *       as one line, {@code error: ...}, with status 2.</li>
 *   <li>{@link dev.kasane.examples.common.Progress}: epoch, step, loss, throughput and ETA on one redrawn line on a
 *       terminal, plain lines in logs, and an epoch summary line.</li>
 *   <li>{@link dev.kasane.examples.common.Checkpoint}: named modules, optimizers and schedulers, the epoch, the
 *       seed and string metadata in one atomically written safetensors file; {@code --resume}, which also finishes
 *       a run killed after its last checkpoint.</li>
 *   <li>{@link dev.kasane.examples.common.Seeds}: every epoch's randomness derived from (seed, epoch), so that a
 *       resumed run reproduces an uninterrupted one.</li>
 *   <li>{@link dev.kasane.examples.common.History}: per-epoch metrics, as CSV, as a line chart, and in the
 *       checkpoint.</li>
 *   <li>{@link dev.kasane.examples.common.ImageData}, {@link dev.kasane.examples.common.Classifiers},
 *       {@link dev.kasane.examples.common.Plots}: Fashion-MNIST as whole normalised arrays, classifier evaluation,
 *       a confusion-matrix picture.</li>
 * </ul>
 */
package dev.kasane.examples.common;
