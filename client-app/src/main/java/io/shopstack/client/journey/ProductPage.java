package io.shopstack.client.journey;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the app takes from a product page: the pictures it must fetch next. Not an HTML parser; it
 * finds {@code src} in {@code <img>} tags (quoted either way or bare), which is all a page from the
 * shop uses, and resolves each against the page's own URL as a browser would.
 */
final class ProductPage {
  private static final Pattern IMG_SRC =
      Pattern.compile(
          "<img\\b[^>]*?\\ssrc\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))",
          Pattern.CASE_INSENSITIVE);

  private ProductPage() {}

  /**
   * The distinct http(s) picture URLs of the page, in page order.
   *
   * @param pageUrl where the page came from; relative sources resolve against it
   */
  static List<URI> imageUrls(String html, URI pageUrl) {
    Set<URI> urls = new LinkedHashSet<>();
    Matcher m = IMG_SRC.matcher(html);
    while (m.find()) {
      String src = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      URI url = resolve(pageUrl, unescape(src.strip()));
      if (url != null) {
        urls.add(url);
      }
    }
    return List.copyOf(urls);
  }

  private static URI resolve(URI pageUrl, String src) {
    if (src.isEmpty()) {
      return null;
    }
    try {
      URI url = pageUrl.resolve(new URI(src));
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null
          ? url
          : null; // data: URIs and the like need no fetch
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String unescape(String attribute) {
    return attribute
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
