package io.shopstack.objectstore.seed;

import java.awt.Graphics2D;
import java.util.Locale;
import java.util.Map;

/**
 * A 5x7 pixel font for the sku printed on each product image. Drawn with rectangles so it renders
 * the same on a slim container without any font files, where {@code drawString} would depend on
 * fontconfig.
 */
final class PixelFont {

  static final int COLUMNS = 5;
  static final int ROWS = 7;

  private static final Map<Character, String> GLYPHS =
      Map.ofEntries(
          Map.entry('0', "01110 10001 10011 10101 11001 10001 01110"),
          Map.entry('1', "00100 01100 00100 00100 00100 00100 01110"),
          Map.entry('2', "01110 10001 00001 00010 00100 01000 11111"),
          Map.entry('3', "11110 00001 00001 01110 00001 00001 11110"),
          Map.entry('4', "00010 00110 01010 10010 11111 00010 00010"),
          Map.entry('5', "11111 10000 11110 00001 00001 10001 01110"),
          Map.entry('6', "00110 01000 10000 11110 10001 10001 01110"),
          Map.entry('7', "11111 00001 00010 00100 01000 01000 01000"),
          Map.entry('8', "01110 10001 10001 01110 10001 10001 01110"),
          Map.entry('9', "01110 10001 10001 01111 00001 00010 01100"),
          Map.entry('A', "01110 10001 10001 11111 10001 10001 10001"),
          Map.entry('B', "11110 10001 10001 11110 10001 10001 11110"),
          Map.entry('C', "01110 10001 10000 10000 10000 10001 01110"),
          Map.entry('D', "11100 10010 10001 10001 10001 10010 11100"),
          Map.entry('E', "11111 10000 10000 11110 10000 10000 11111"),
          Map.entry('F', "11111 10000 10000 11110 10000 10000 10000"),
          Map.entry('G', "01110 10001 10000 10111 10001 10001 01111"),
          Map.entry('H', "10001 10001 10001 11111 10001 10001 10001"),
          Map.entry('I', "01110 00100 00100 00100 00100 00100 01110"),
          Map.entry('J', "00111 00010 00010 00010 00010 10010 01100"),
          Map.entry('K', "10001 10010 10100 11000 10100 10010 10001"),
          Map.entry('L', "10000 10000 10000 10000 10000 10000 11111"),
          Map.entry('M', "10001 11011 10101 10101 10001 10001 10001"),
          Map.entry('N', "10001 10001 11001 10101 10011 10001 10001"),
          Map.entry('O', "01110 10001 10001 10001 10001 10001 01110"),
          Map.entry('P', "11110 10001 10001 11110 10000 10000 10000"),
          Map.entry('Q', "01110 10001 10001 10001 10101 10010 01101"),
          Map.entry('R', "11110 10001 10001 11110 10100 10010 10001"),
          Map.entry('S', "01111 10000 10000 01110 00001 00001 11110"),
          Map.entry('T', "11111 00100 00100 00100 00100 00100 00100"),
          Map.entry('U', "10001 10001 10001 10001 10001 10001 01110"),
          Map.entry('V', "10001 10001 10001 10001 10001 01010 00100"),
          Map.entry('W', "10001 10001 10001 10101 10101 10101 01010"),
          Map.entry('X', "10001 10001 01010 00100 01010 10001 10001"),
          Map.entry('Y', "10001 10001 01010 00100 00100 00100 00100"),
          Map.entry('Z', "11111 00001 00010 00100 01000 10000 11111"),
          Map.entry('-', "00000 00000 00000 11111 00000 00000 00000"),
          Map.entry('_', "00000 00000 00000 00000 00000 00000 11111"),
          Map.entry('.', "00000 00000 00000 00000 00000 01100 01100"),
          Map.entry(' ', "00000 00000 00000 00000 00000 00000 00000"));

  /** Characters without a glyph are drawn as a hollow box, so they are visibly not dropped. */
  private static final String UNKNOWN = "11111 10001 10001 10001 10001 10001 11111";

  private PixelFont() {}

  /** Width in pixels of {@code text} at {@code scale} (one column of spacing per character). */
  static int width(String text, int scale) {
    return text.length() * (COLUMNS + 1) * scale - scale;
  }

  static void draw(Graphics2D g, String text, int x, int y, int scale) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      String[] rows = GLYPHS.getOrDefault(upper.charAt(i), UNKNOWN).split(" ");
      int left = x + i * (COLUMNS + 1) * scale;
      for (int row = 0; row < ROWS; row++) {
        for (int column = 0; column < COLUMNS; column++) {
          if (rows[row].charAt(column) == '1') {
            g.fillRect(left + column * scale, y + row * scale, scale, scale);
          }
        }
      }
    }
  }
}
