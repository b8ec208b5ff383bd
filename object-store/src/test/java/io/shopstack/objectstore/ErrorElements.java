package io.shopstack.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The elements of an S3 {@code <Error>} document as the store sent it, in order. The AWS SDK v2
 * exposes only Code and Message of an error (its {@code rawResponse()} is null for S3's XML
 * errors), while clients that print the whole document (boto3's {@code response['Error']}) see the
 * rest; so the refused request goes as raw signed HTTP.
 */
final class ErrorElements {

  private ErrorElements() {}

  /**
   * CompleteMultipartUpload of {@code key} in {@code bucket} with these {@code <Part>} elements
   * (written by {@link #part}); the error document's elements, or empty when it succeeded.
   */
  static Map<String, String> completing(
      int port, String bucket, String key, String uploadId, String... parts) throws Exception {
    URI uri =
        URI.create("http://127.0.0.1:" + port + "/" + bucket + "/" + key + "?uploadId=" + uploadId);
    byte[] body =
        ("<CompleteMultipartUpload>" + String.join("", parts) + "</CompleteMultipartUpload>")
            .getBytes(UTF_8);
    return of(SignedHttp.send(SignedHttp.sign("POST", uri, body, Map.of()).toJdk()));
  }

  /** A {@code <Part>} of a completion; {@code more}: further elements, such as a checksum. */
  static String part(int number, String etag, String more) {
    return "<Part><PartNumber>"
        + number
        + "</PartNumber><ETag>"
        + etag.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")
        + "</ETag>"
        + more
        + "</Part>";
  }

  static Map<String, String> of(HttpResponse<String> answer) {
    return answer.statusCode() == 200 ? Map.of() : of(answer.body().getBytes(UTF_8));
  }

  static Map<String, String> of(byte[] body) {
    try {
      Element root =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(body))
              .getDocumentElement();
      Map<String, String> elements = new LinkedHashMap<>();
      for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element element) {
          elements.put(element.getTagName(), element.getTextContent());
        }
      }
      return elements;
    } catch (Exception e) {
      throw new AssertionError("not an XML document: " + new String(body, UTF_8), e);
    }
  }
}
