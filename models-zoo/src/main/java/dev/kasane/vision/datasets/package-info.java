/**
 * Image datasets as {@link dev.kasane.data.Dataset}s of {@link dev.kasane.data.Sample}s: {@link
 * dev.kasane.vision.datasets.MNIST} and {@link dev.kasane.vision.datasets.FashionMNIST} from IDX files (read by
 * {@link dev.kasane.vision.datasets.Idx}), and {@link dev.kasane.vision.datasets.ImageFolder} over image files in
 * class subdirectories.
 */
package dev.kasane.vision.datasets;
