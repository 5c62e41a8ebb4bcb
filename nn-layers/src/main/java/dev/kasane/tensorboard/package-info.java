/**
 * TensorBoard logging: {@link dev.kasane.tensorboard.SummaryWriter}, PyTorch's {@code SummaryWriter} (scalars,
 * histograms, images, text, hyperparameters) writing TensorBoard's event files.
 */
package dev.kasane.tensorboard;
