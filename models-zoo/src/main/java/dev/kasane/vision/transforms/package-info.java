/**
 * Image transforms with torchvision's semantics ({@link dev.kasane.vision.transforms.Transforms}): conversion to
 * float CHW, normalisation, bilinear resize, crops and flips, composed into a
 * {@link dev.kasane.vision.transforms.Transform} that a dataset applies to each sample; the colour operations of
 * {@link dev.kasane.vision.transforms.ColorOps} and the random augmentations of contrastive learning
 * ({@link dev.kasane.vision.transforms.Augmentations}: resized crop, colour jitter, grayscale, Gaussian blur, SimCLR's
 * pipeline and two views per image).
 */
package dev.kasane.vision.transforms;
