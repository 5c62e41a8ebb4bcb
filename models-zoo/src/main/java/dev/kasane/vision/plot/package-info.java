/** Dependency-free charts drawn with {@code java.awt} and written as PNG ({@link dev.kasane.vision.plot.LineChart}). */
package dev.kasane.vision.plot;
