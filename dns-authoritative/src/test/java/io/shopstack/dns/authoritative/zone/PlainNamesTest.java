package io.shopstack.dns.authoritative.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Names made directly against the same names parsed by dnsjava, through everything a name is used
 * for: equality, hash, text, wire form, each label (read through the kept offsets) and each suffix.
 */
class PlainNamesTest {
  private static final Name ORIGIN = Name.fromConstantString("million.example.");

  private static final List<String> NAMES =
      List.of(
          "n0",
          "n999999",
          "Mixed-Case_9",
          "a.b",
          "a.b.c.d.e.f.g.h.i.j.k", // more labels than dnsjava keeps offsets for
          "x".repeat(63),
          ("y".repeat(60) + ".").repeat(3) + "z".repeat(54), // 255 octets with the origin
          // Not plain: left to dnsjava, which must give the same name.
          "@",
          "*",
          "*.wild",
          "esc\\.dot",
          "esc\\065",
          "absolute.example.",
          "caf\u00e9",
          "sp ace");

  @Test
  void thisDnsjavaIsOneWhoseNamesAreMadeDirectly() {
    // Fails if a dnsjava upgrade changes Name: the loader would still be right, only slower.
    assertThat(PlainNames.on()).isTrue();
  }

  @Test
  void everyNameIsDnsjavasNameInEveryRespect() throws Exception {
    PlainNames names = new PlainNames(ORIGIN);
    for (String text : NAMES) {
      String padded = "  " + text + " IN A"; // a field within a line, as the reader has it
      Name made = names.of(padded, 2, 2 + text.length());
      Name parsed = Name.fromString(text, ORIGIN);
      assertThat(made).as(text).isEqualTo(parsed);
      assertThat(made.hashCode()).as(text).isEqualTo(parsed.hashCode());
      assertThat(made.compareTo(parsed)).as(text).isZero();
      assertThat(made.toString()).as(text).isEqualTo(parsed.toString());
      assertThat(made.toWire()).as(text).isEqualTo(parsed.toWire());
      assertThat(made.labels()).as(text).isEqualTo(parsed.labels());
      assertThat(made.length()).as(text).isEqualTo(parsed.length());
      for (int i = 0; i < parsed.labels(); i++) {
        assertThat(made.getLabelString(i))
            .as(text + " label " + i)
            .isEqualTo(parsed.getLabelString(i));
        assertThat(new Name(made, i).toWire())
            .as(text + " suffix " + i)
            .isEqualTo(new Name(parsed, i).toWire());
      }
      assertThat(made.subdomain(ORIGIN)).as(text).isEqualTo(parsed.subdomain(ORIGIN));
      assertThat(made.relativize(ORIGIN)).as(text).isEqualTo(parsed.relativize(ORIGIN));
    }
  }

  @Test
  void whatDnsjavaRefusesIsRefusedWithItsMessage() {
    PlainNames names = new PlainNames(ORIGIN);
    for (String text :
        List.of("x".repeat(64), ("y".repeat(60) + ".").repeat(3) + "z".repeat(55), "a..b", ".a")) {
      assertThatThrownBy(() -> Name.fromString(text, ORIGIN))
          .isInstanceOf(TextParseException.class);
      String expected = messageOf(() -> Name.fromString(text, ORIGIN));
      assertThatThrownBy(() -> names.of(text, 0, text.length()))
          .as(text)
          .isInstanceOf(TextParseException.class)
          .hasMessage(expected);
    }
  }

  @Test
  void underARelativeOriginNamesAreDnsjavas() throws Exception {
    Name relative = Name.fromString("sub", null);
    Name made = new PlainNames(relative).of("host", 0, 4);
    assertThat(made).isEqualTo(Name.fromString("host", relative));
    assertThat(made.isAbsolute()).isFalse();
  }

  private interface Parse {
    void run() throws TextParseException;
  }

  private static String messageOf(Parse parse) {
    try {
      parse.run();
      return null;
    } catch (TextParseException e) {
      return e.getMessage();
    }
  }
}
