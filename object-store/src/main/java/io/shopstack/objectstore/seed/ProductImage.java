package io.shopstack.objectstore.seed;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * A product picture for a course: a book cover in a colour derived from the sku, with the sku
 * printed on it, so each image is recognisable at a glance in a browser or a cache dump. Same sku,
 * same pixels, on every machine.
 */
final class ProductImage {

  static final int WIDTH = 480;
  static final int HEIGHT = 320;

  private ProductImage() {}

  static byte[] png(String sku) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      float hue = hueOf(sku);
      g.setColor(Color.getHSBColor(hue, 0.15f, 0.97f));
      g.fillRect(0, 0, WIDTH, HEIGHT);
      drawBook(g, Color.getHSBColor(hue, 0.65f, 0.75f));
      g.setColor(Color.getHSBColor(hue, 0.8f, 0.35f));
      int scale = 4;
      PixelFont.draw(g, sku, (WIDTH - PixelFont.width(sku, scale)) / 2, 262, scale);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer in this JDK");
    }
    return png.toByteArray();
  }

  /** A closed book seen from the front: cover, spine, pages, and a title block. */
  private static void drawBook(Graphics2D g, Color cover) {
    g.setColor(Color.WHITE);
    g.fillRoundRect(178, 34, 140, 196, 10, 10); // pages peeking out
    g.setColor(cover);
    g.fillRoundRect(164, 28, 140, 196, 10, 10);
    g.setColor(cover.darker());
    g.fillRect(164, 28, 18, 196); // spine
    g.setColor(new Color(255, 255, 255, 200));
    g.fillRoundRect(196, 60, 92, 34, 6, 6); // title label
    g.setStroke(new BasicStroke(3));
    g.drawOval(212, 120, 60, 60); // a globe: it is a course about network protocols
    g.drawLine(212, 150, 272, 150);
    g.drawArc(227, 120, 30, 60, 90, 180);
    g.drawArc(227, 120, 30, 60, 270, 180);
  }

  private static float hueOf(String sku) {
    CRC32 crc = new CRC32();
    crc.update(sku.getBytes(StandardCharsets.UTF_8));
    return (crc.getValue() % 360) / 360f;
  }
}
