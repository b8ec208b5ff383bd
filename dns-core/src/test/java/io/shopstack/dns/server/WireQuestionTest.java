package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireQuestionTest {
  private final WireQuestion question = new WireQuestion();

  @Test
  void readsAPlainQueryWithoutEdns() {
    ByteBuf wire = wire(header(0x1234, 0x01, 0x10, 0), name("WwW.Example.COM"), typeClass(28, 1));

    assertThat(question.readInto(wire)).isTrue();
    assertThat(question.id()).isEqualTo(0x1234);
    assertThat(question.recursionDesired()).isTrue();
    assertThat(question.checkingDisabled()).isTrue();
    assertThat(question.nameAt()).isEqualTo(12);
    assertThat(question.nameLength()).isEqualTo(17);
    assertThat(question.qtype()).isEqualTo(28);
    assertThat(question.qclass()).isEqualTo(1);
    assertThat(question.hasOpt()).isFalse();
    assertThat(question.noOptions()).isTrue();
    assertThat(question.limit(Transport.UDP, 1232)).isEqualTo(512);
    assertThat(question.limit(Transport.TCP, 1232)).isEqualTo(65535);
    byte[] folded = new byte[17];
    question.copyFoldedName(wire, folded);
    assertThat(folded).isEqualTo(name("www.example.com"));
    assertThat(wire.readerIndex()).isZero();
  }

  @Test
  void readsTheOptAndCapsItsPayloadSize() {
    byte[] cookie = {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    ByteBuf wire =
        wire(header(7, 0x00, 0x00, 1), name("a.b"), typeClass(1, 1), opt(4096, 0, 0x8000, cookie));

    assertThat(question.readInto(wire)).isTrue();
    assertThat(question.recursionDesired()).isFalse();
    assertThat(question.checkingDisabled()).isFalse();
    assertThat(question.hasOpt()).isTrue();
    assertThat(question.payloadSize()).isEqualTo(4096);
    assertThat(question.version()).isZero();
    assertThat(question.extendedRcode()).isZero();
    assertThat(question.dnssecOk()).isTrue();
    assertThat(question.noOptions()).isFalse();
    assertThat(question.optionsAt()).isEqualTo(12 + 5 + 4 + 11);
    assertThat(question.optionsEnd()).isEqualTo(wire.writerIndex());
    assertThat(question.limit(Transport.UDP, 1232)).isEqualTo(1232);
    assertThat(question.limit(Transport.TCP, 1232)).isEqualTo(65535);

    ByteBuf small =
        wire(header(7, 0, 0, 1), name("a.b"), typeClass(1, 1), opt(100, 0x0100, 0, null));
    assertThat(question.readInto(small)).isTrue();
    assertThat(question.extendedRcode()).isEqualTo(1);
    assertThat(question.dnssecOk()).isFalse();
    assertThat(question.noOptions()).isTrue();
    assertThat(question.limit(Transport.UDP, 1232)).isEqualTo(512);
  }

  @Test
  void readsFromTheReaderIndex() {
    ByteBuf wire = wire(new byte[] {9, 9, 9}, header(5, 0, 0, 0), name("x"), typeClass(1, 1));
    wire.readerIndex(3);

    assertThat(question.readInto(wire)).isTrue();
    assertThat(question.id()).isEqualTo(5);
    assertThat(question.nameAt()).isEqualTo(15);
    assertThat(question.nameLength()).isEqualTo(3);
  }

  @Test
  void takesTheLongestNameButNotOneByteMore() {
    // 3 labels of 63 and one of 61: 4 * 64 - 2 + 1 = 255 bytes with the root label.
    String longest =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertThat(name(longest)).hasSize(255);
    assertThat(question.readInto(wire(header(1, 0, 0, 0), name(longest), typeClass(1, 1))))
        .isTrue();
    assertThat(question.nameLength()).isEqualTo(255);

    assertThat(name(longest + "d")).hasSize(256);
    assertThat(question.readInto(wire(header(1, 0, 0, 0), name(longest + "d"), typeClass(1, 1))))
        .isFalse();
  }

  @Test
  void rejectsWhatIsNotAnOrdinaryQuery() {
    byte[] q = name("example.com");
    byte[] a = typeClass(1, 1);
    // A compression pointer for the question name.
    assertThat(question.readInto(wire(header(1, 0, 0, 0), new byte[] {(byte) 0xc0, 12}, a)))
        .isFalse();
    // Trailing bytes, with and without an OPT.
    assertThat(question.readInto(wire(header(1, 0, 0, 0), q, a, new byte[] {0}))).isFalse();
    assertThat(
            question.readInto(wire(header(1, 0, 0, 1), q, a, opt(1232, 0, 0, null), new byte[1])))
        .isFalse();
    // EDNS version 1 earns BADVERS from the full path.
    assertThat(question.readInto(wire(header(1, 0, 0, 1), q, a, opt(1232, 0x0001, 0, null))))
        .isFalse();
    // An OPT whose options run past the message's end.
    byte[] cut = opt(1232, 0, 0, new byte[] {0, 10, 0, 8});
    cut[cut.length - 5] = 12; // RDLENGTH 12, 4 bytes there
    assertThat(question.readInto(wire(header(1, 0, 0, 1), q, a, cut))).isFalse();
    // An additional record that is not an OPT.
    assertThat(question.readInto(wire(header(1, 0, 0, 1), q, a, q, a, new byte[6]))).isFalse();
    // A response, another opcode, two questions, an answer record, two additional records.
    assertThat(question.readInto(wire(header(1, 0x80, 0, 0), q, a))).isFalse();
    assertThat(question.readInto(wire(header(1, 0x28, 0, 0), q, a))).isFalse();
    assertThat(question.readInto(wire(counts(1, 2, 0, 0, 0), q, a, q, a))).isFalse();
    assertThat(question.readInto(wire(counts(1, 1, 1, 0, 0), q, a))).isFalse();
    assertThat(question.readInto(wire(counts(1, 1, 0, 0, 2), q, a))).isFalse();
    // Class CH, AXFR, IXFR.
    assertThat(question.readInto(wire(header(1, 0, 0, 0), q, typeClass(16, 3)))).isFalse();
    assertThat(question.readInto(wire(header(1, 0, 0, 0), q, typeClass(252, 1)))).isFalse();
    assertThat(question.readInto(wire(header(1, 0, 0, 0), q, typeClass(251, 1)))).isFalse();
    // Cut short: in the name, in the type and class, in the header.
    assertThat(question.readInto(wire(header(1, 0, 0, 0), new byte[] {7, 'e', 'x', 'a', 'm', 'p'})))
        .isFalse();
    assertThat(question.readInto(wire(header(1, 0, 0, 0), q, new byte[] {0, 1, 0}))).isFalse();
    assertThat(question.readInto(wire(new byte[16]))).isFalse();
  }

  private static byte[] header(int id, int flags, int flags2, int additional) {
    byte[] h = counts(id, 1, 0, 0, additional);
    h[2] = (byte) flags;
    h[3] = (byte) flags2;
    return h;
  }

  private static byte[] counts(int id, int qd, int an, int ns, int ar) {
    return new byte[] {
      (byte) (id >>> 8), (byte) id, 0, 0, 0, (byte) qd, 0, (byte) an, 0, (byte) ns, 0, (byte) ar
    };
  }

  private static byte[] name(String dotted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String label : dotted.split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    out.write(0);
    return out.toByteArray();
  }

  private static byte[] typeClass(int type, int dclass) {
    return new byte[] {(byte) (type >>> 8), (byte) type, (byte) (dclass >>> 8), (byte) dclass};
  }

  /** An OPT: root owner, TYPE 41, payload size, extended rcode and version, flags, options. */
  private static byte[] opt(int payload, int rcodeAndVersion, int flags, byte[] options) {
    int length = options == null ? 0 : options.length;
    byte[] o = new byte[11 + length];
    o[2] = 41;
    o[3] = (byte) (payload >>> 8);
    o[4] = (byte) payload;
    o[5] = (byte) (rcodeAndVersion >>> 8);
    o[6] = (byte) rcodeAndVersion;
    o[7] = (byte) (flags >>> 8);
    o[8] = (byte) flags;
    o[9] = (byte) (length >>> 8);
    o[10] = (byte) length;
    if (options != null) {
      System.arraycopy(options, 0, o, 11, length);
    }
    return o;
  }

  private static ByteBuf wire(byte[]... parts) {
    ByteBuf wire = Unpooled.buffer();
    for (byte[] part : parts) {
      wire.writeBytes(part);
    }
    return wire;
  }
}
