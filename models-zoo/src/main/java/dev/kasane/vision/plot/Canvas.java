package dev.kasane.vision.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** The common start of a chart: a white image and its graphics with antialiased shapes and text. */
public final class Canvas {
    private Canvas() {
    }

    /**
     * Graphics for {@code img}, filled white, with antialiasing on for shapes and text; the caller disposes of it.
     */
    public static Graphics2D white(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }
}
