package io.shopstack.objectstore.object;

import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The body of DeleteObjects: {@code <Delete><Quiet>..</Quiet><Object><Key>..</Key></Object>..}, at
 * most 1,000 keys. S3 insists on an integrity check for this one operation (a corrupted body could
 * delete the wrong keys): Content-MD5 or an {@code x-amz-checksum-*}, verified while it is read.
 */
record DeleteObjectsRequest(boolean quiet, List<Entry> entries) {

  /** One {@code <Object>}: the key and the version id it named, if any. */
  record Entry(String key, String versionId) {}

  static final int MAX_KEYS = 1000;

  /** 1,000 keys of up to 1,024 bytes, escaped, with room for the markup. */
  private static final long MAX_BYTES = 8L * 1024 * 1024;

  private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

  static {
    FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  static DeleteObjectsRequest parse(HttpServletRequest request) throws IOException {
    if (!hasIntegrityCheck(request)) {
      throw S3Error.INVALID_REQUEST.exception(
          "Missing required header for this request: Content-MD5");
    }
    byte[] body;
    try (InputStream in = UploadBody.open(request, MAX_BYTES)) {
      body = in.readAllBytes(); // to the end: that is where the checksums are verified
    }
    try {
      DeleteObjectsRequest parsed =
          read(FACTORY.createXMLStreamReader(new ByteArrayInputStream(body)));
      if (parsed.entries().isEmpty() || parsed.entries().size() > MAX_KEYS) {
        throw S3Error.MALFORMED_XML.exception(
            "A Delete document names between 1 and " + MAX_KEYS + " objects");
      }
      return parsed;
    } catch (XMLStreamException e) {
      throw S3Error.MALFORMED_XML.exception();
    }
  }

  private static boolean hasIntegrityCheck(HttpServletRequest request) {
    if (request.getHeader("Content-MD5") != null) {
      return true;
    }
    String trailer = request.getHeader("x-amz-trailer");
    if (trailer != null && trailer.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
      return true;
    }
    for (String name : Collections.list(request.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-amz-checksum-")
          && !lower.equals("x-amz-checksum-algorithm")
          && !lower.equals("x-amz-checksum-type")) {
        return true;
      }
    }
    return false;
  }

  private static DeleteObjectsRequest read(XMLStreamReader xml) throws XMLStreamException {
    boolean quiet = false;
    List<Entry> entries = new ArrayList<>();
    String key = null;
    String versionId = null;
    while (xml.hasNext()) {
      int event = xml.next();
      if (event == XMLStreamReader.START_ELEMENT) {
        switch (xml.getLocalName()) {
          case "Quiet" -> quiet = Boolean.parseBoolean(xml.getElementText().trim());
          case "Object" -> {
            key = null;
            versionId = null;
          }
          case "Key" -> key = xml.getElementText(); // not trimmed: spaces are part of a key
          case "VersionId" -> versionId = xml.getElementText().trim();
          default -> {}
        }
      } else if (event == XMLStreamReader.END_ELEMENT && xml.getLocalName().equals("Object")) {
        if (key == null) {
          throw S3Error.MALFORMED_XML.exception("Each Object needs a Key");
        }
        entries.add(new Entry(key, versionId));
      }
    }
    return new DeleteObjectsRequest(quiet, entries);
  }
}
