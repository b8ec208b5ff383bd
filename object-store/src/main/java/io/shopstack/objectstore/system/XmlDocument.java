package io.shopstack.objectstore.system;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * An S3 response document. Built on the JDK's StAX writer so keys with {@code <}, {@code &} or
 * non-ASCII characters are escaped by a real XML writer, not by hand.
 */
public final class XmlDocument {

  /** The namespace of every S3 result document ({@code Error} documents have none). */
  public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private static final String XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final XMLStreamWriter xml;

  private XmlDocument(String root, String namespace) {
    try {
      xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement(root);
      if (namespace != null) {
        xml.writeDefaultNamespace(namespace);
      }
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A result document in the S3 namespace, e.g. {@code ListBucketResult}. */
  public static XmlDocument result(String root) {
    return new XmlDocument(root, S3_NAMESPACE);
  }

  /** An {@code <Error>} document: S3 sends these without a namespace. */
  static XmlDocument error() {
    return new XmlDocument("Error", null);
  }

  public XmlDocument open(String name) {
    try {
      xml.writeStartElement(name);
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens {@code <name xsi:type="type">}: how S3 writes an ACL's {@code Grantee}. */
  public XmlDocument openTyped(String name, String type) {
    try {
      xml.writeStartElement(name);
      xml.writeNamespace("xsi", XSI_NAMESPACE);
      xml.writeAttribute("xsi", XSI_NAMESPACE, "type", type);
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  public XmlDocument close() {
    try {
      xml.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code <name>value</name>}; a null value writes nothing, as S3 omits empty fields. */
  public XmlDocument element(String name, Object value) {
    if (value == null) {
      return this;
    }
    try {
      xml.writeStartElement(name);
      xml.writeCharacters(String.valueOf(value));
      xml.writeEndElement();
      return this;
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] toBytes() {
    try {
      xml.writeEndDocument();
      xml.close();
      return out.toByteArray();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  public ResponseEntity<byte[]> toResponse(HttpStatusCode status) {
    return ResponseEntity.status(status)
        .contentType(new MediaType(MediaType.APPLICATION_XML, StandardCharsets.UTF_8))
        .body(toBytes());
  }
}
