/**
 * Image transforms with torchvision's semantics ({@link dev.kasane.vision.transforms.Transforms}): conversion to
 * float CHW, normalisation, bilinear resize, crops and flips, composed into a
 * {@link dev.kasane.vision.transforms.Transform} that a dataset applies to each sample.
 */
package dev.kasane.vision.transforms;
