/** Image files to and from arrays, and torchvision's {@code make_grid} / {@code save_image} ({@link dev.kasane.vision.io.Images}). */
package dev.kasane.vision.io;
