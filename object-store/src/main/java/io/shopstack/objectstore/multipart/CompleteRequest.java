package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.storage.ChecksumAlgorithm;
import io.shopstack.objectstore.storage.MultipartStorage.PartChoice;
import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The body of CompleteMultipartUpload: {@code <Part><PartNumber>n</PartNumber><ETag>..</ETag>} per
 * part, with its {@code <ChecksumCRC32>} (or another algorithm's) for an upload with checksums.
 * Read whole (it is small and bounded), checked against the signed {@code x-amz-content-sha256},
 * parsed with DTDs and external entities off.
 */
final class CompleteRequest {

  /** 10,000 parts of about 100 bytes of XML each, with room to spare. */
  private static final int MAX_BYTES = 2 * 1024 * 1024;

  private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

  static {
    FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  private CompleteRequest() {}

  static List<PartChoice> parse(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      throw S3Error.MALFORMED_XML.exception("The CompleteMultipartUpload document is too large");
    }
    String declared = request.getHeader("x-amz-content-sha256");
    if (declared != null
        && declared.matches("[0-9a-fA-F]{64}")
        && !HexFormat.of().formatHex(sha256(body)).equalsIgnoreCase(declared)) {
      throw S3Error.CONTENT_SHA256_MISMATCH.exception();
    }
    try {
      return parts(FACTORY.createXMLStreamReader(new ByteArrayInputStream(body)));
    } catch (XMLStreamException | NumberFormatException e) {
      throw S3Error.MALFORMED_XML.exception();
    }
  }

  private static List<PartChoice> parts(XMLStreamReader xml) throws XMLStreamException {
    List<PartChoice> parts = new ArrayList<>();
    Integer number = null;
    String etag = null;
    Map<String, String> checksums = new HashMap<>();
    while (xml.hasNext()) {
      int event = xml.next();
      if (event == XMLStreamReader.START_ELEMENT) {
        switch (xml.getLocalName()) {
          case "Part" -> {
            number = null;
            etag = null;
            checksums.clear();
          }
          case "PartNumber" -> number = Integer.parseInt(xml.getElementText().trim());
          case "ETag" -> etag = xml.getElementText().trim();
          default -> {
            for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
              if (algorithm.element().equals(xml.getLocalName())) {
                checksums.put(algorithm.header(), xml.getElementText().trim());
              }
            }
          }
        }
      } else if (event == XMLStreamReader.END_ELEMENT && xml.getLocalName().equals("Part")) {
        if (number == null || etag == null) {
          throw S3Error.MALFORMED_XML.exception("Each Part needs a PartNumber and an ETag");
        }
        parts.add(new PartChoice(number, etag, checksums));
      }
    }
    return parts;
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
