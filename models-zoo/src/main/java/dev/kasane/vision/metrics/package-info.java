/**
 * Evaluation metrics: accuracy, {@link dev.kasane.vision.metrics.ConfusionMatrix}, PSNR, SSIM, IoU and Dice
 * ({@link dev.kasane.vision.metrics.Metrics}).
 */
package dev.kasane.vision.metrics;
