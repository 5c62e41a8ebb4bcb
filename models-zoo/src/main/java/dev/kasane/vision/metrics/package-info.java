/**
 * Evaluation metrics: accuracy, {@link dev.kasane.vision.metrics.ConfusionMatrix}, PSNR, SSIM, IoU and Dice
 * ({@link dev.kasane.vision.metrics.Metrics}); for generative models the Fréchet distance
 * ({@link dev.kasane.vision.metrics.FrechetDistance}), the Inception Score's formula
 * ({@link dev.kasane.vision.metrics.InceptionScore}), precision and recall
 * ({@link dev.kasane.vision.metrics.PrecisionRecall}), and the offline FID-FMNIST / IS-FMNIST scorer
 * ({@link dev.kasane.vision.metrics.FidFmnist}; not FID, not the Inception Score).
 */
package dev.kasane.vision.metrics;
