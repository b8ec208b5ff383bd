package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The order listener behind the SLB ({@code shop.proxy-protocol=true}): the connection starts with
 * a PROXY header naming the phone, and the stored order carries the phone's address, not the
 * address of the TCP peer (here 127.0.0.1, playing the SLB).
 */
@TestPropertySource(properties = "shop.proxy-protocol=true")
class ProxyProtocolHttpTests extends ShopHttpTest {

  /** Client north of the address plan, local mode. */
  private static final String PHONE = "127.28.1.10";

  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  @Autowired JdbcClient jdbc;

  @Test
  void aVersion2HeaderGivesTheOrderThePhonesAddress() throws IOException {
    String response = exchange(proxyV2(PHONE, 51000, "127.28.0.80", 80), purchase());

    assertThat(response).startsWith("HTTP/1.1 201");
    JsonNode order = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(order.get("clientAddress").asString()).isEqualTo(PHONE);
    String stored =
        jdbc.sql("SELECT client_address FROM purchase_order WHERE id = :id")
            .param("id", order.get("id").asLong())
            .query(String.class)
            .single();
    assertThat(stored).isEqualTo(PHONE);
  }

  @Test
  void aVersion1HeaderIsAcceptedToo() throws IOException {
    byte[] v1 =
        ("PROXY TCP4 " + PHONE + " 127.28.0.80 51001 80\r\n").getBytes(StandardCharsets.US_ASCII);

    String response = exchange(v1, purchase());

    assertThat(response).startsWith("HTTP/1.1 201").contains("\"clientAddress\":\"" + PHONE + "\"");
  }

  @Test
  void aConnectionWithoutHeaderIsClosedUnanswered() throws IOException {
    String response = exchange(new byte[0], purchase());

    assertThat(response).isEmpty();
  }

  @Test
  void theManagementPortStillSpeaksPlainHttp() {
    assertThat(send(request(admin("/health/readiness")).build()).statusCode()).isEqualTo(200);
  }

  private byte[] purchase() {
    byte[] body = DESIGN_ORDER.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /purchaseOrder HTTP/1.1\r\n"
            + "Host: www.shop.example\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n\r\n";
    ByteBuffer request = ByteBuffer.allocate(head.length() + body.length);
    return request.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).array();
  }

  /** Sends header then request on one connection; returns all the server wrote before closing. */
  private String exchange(byte[] proxyHeader, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(proxyHeader);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return new String(readUntilClosed(socket.getInputStream()), StandardCharsets.UTF_8);
    }
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        all.write(chunk, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // A reset ends the answer as surely as a FIN does.
    }
    return all.toByteArray();
  }

  /** PROXY v2, PROXY command, TCP over IPv4 (the format the SLB sends). */
  private static byte[] proxyV2(String source, int sourcePort, String destination, int destPort)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(16 + 12);
    header.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    header.put(InetAddress.getByName(source).getAddress());
    header.put(InetAddress.getByName(destination).getAddress());
    header.putShort((short) sourcePort).putShort((short) destPort);
    return header.array();
  }
}
