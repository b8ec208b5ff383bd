package io.shopstack.objectstore.acl;

import io.shopstack.objectstore.system.S3Error;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The grants of an {@code AccessControlPolicy} body (PutBucketAcl/PutObjectAcl), each as "grantee
 * permission", the grantee being a canonical user's ID or a group's URI. Parsed with DTDs and
 * external entities off.
 */
final class RequestedGrants {

  /** A policy with a few dozen grants is a few KiB. */
  private static final int MAX_BYTES = 64 * 1024;

  private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

  static {
    FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  private RequestedGrants() {}

  /** The grants in {@code body}, or null when the body is empty (the ACL came as headers). */
  static Set<String> read(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BYTES + 1);
    if (bytes.length == 0) {
      return null;
    }
    if (bytes.length > MAX_BYTES) {
      throw S3Error.MALFORMED_XML.exception("The AccessControlPolicy document is too large");
    }
    try {
      return grants(FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes)));
    } catch (XMLStreamException e) {
      throw S3Error.MALFORMED_XML.exception();
    }
  }

  private static Set<String> grants(XMLStreamReader xml) throws XMLStreamException {
    Set<String> grants = new HashSet<>();
    boolean inGrantee = false;
    String grantee = null;
    String permission = null;
    while (xml.hasNext()) {
      int event = xml.next();
      if (event == XMLStreamReader.START_ELEMENT) {
        switch (xml.getLocalName()) {
          case "Grant" -> {
            grantee = null;
            permission = null;
          }
          case "Grantee" -> inGrantee = true;
          case "ID", "URI", "EmailAddress" -> {
            String text = xml.getElementText().trim();
            if (inGrantee) {
              grantee = text;
            }
          }
          case "Permission" -> permission = xml.getElementText().trim();
          default -> {}
        }
      } else if (event == XMLStreamReader.END_ELEMENT) {
        if (xml.getLocalName().equals("Grantee")) {
          inGrantee = false;
        } else if (xml.getLocalName().equals("Grant")) {
          if (grantee == null || permission == null) {
            throw S3Error.MALFORMED_XML.exception("Each Grant needs a Grantee and a Permission");
          }
          grants.add(grantee + " " + permission);
        }
      }
    }
    return grants;
  }
}
