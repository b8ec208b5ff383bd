package io.shopstack.dns.resolver.serving;

import io.netty.buffer.Unpooled;
import io.shopstack.dns.resolver.cache.WireForms;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A cache-hit answer that encodes itself by replaying the bytes an earlier answer from the same
 * cache entry was encoded to, with this query's ID, question spelling and TTLs put in: everything
 * else is equal because the records are the same (the cache counts TTLs down once per second into a
 * copy that shares the entry's kept encodings, {@link WireForms#replayTtls}). The first answer of
 * each shape is encoded by dnsjava, as every other answer, and kept.
 *
 * <p>It stays a complete {@link Message}: whoever reads it sees the records. Whoever changes it
 * (the transport adds a server cookie) gets dnsjava's encoding again, and so does a header that no
 * longer matches the kept bytes, or a size limit the kept bytes do not fit. {@code
 * PreparedResponseTest} checks the replay byte for byte against dnsjava's encoding.
 */
final class PreparedResponse extends Message {
  private static final int HEADER_BYTES = 12;
  private static final int[] FLAGS = {
    Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD
  };

  private final WireForms forms;
  private final int shape;
  private final long secondsLeft;
  private boolean changed;
  private boolean sealed;

  /**
   * Begins as {@code start} does (header and question, nothing else yet), replaying from {@code
   * forms}. {@code shape} must tell apart every answer from one entry that could differ in more
   * than ID and question case; {@link #toWire} also checks the header before it replays.
   */
  PreparedResponse(Message start, WireForms forms, int shape, long secondsLeft) {
    super(start.getHeader().getID());
    this.forms = forms;
    this.shape = shape;
    this.secondsLeft = secondsLeft;
    Header from = start.getHeader();
    Header header = getHeader();
    for (int flag : FLAGS) {
      if (from.getFlag(flag)) {
        header.setFlag(flag);
      }
    }
    header.setOpcode(from.getOpcode());
    header.setRcode(from.getRcode());
    for (Record question : start.getSection(Section.QUESTION)) {
      addRecord(question, Section.QUESTION);
    }
  }

  /** From here on any added or removed record means the kept bytes no longer describe this. */
  PreparedResponse seal() {
    sealed = true;
    return this;
  }

  @Override
  public void addRecord(Record r, int section) {
    changed |= sealed;
    super.addRecord(r, section);
  }

  @Override
  public boolean removeRecord(Record r, int section) {
    changed |= sealed;
    return super.removeRecord(r, section);
  }

  @Override
  public byte[] toWire(int maxLength) {
    if (changed || !sealed) {
      return super.toWire(maxLength);
    }
    WireForms.Kept kept = forms.get(shape);
    byte[] header = getHeader().toWire();
    if (kept != null && kept.wire().length <= maxLength && sameHeaderBut(kept.wire(), header)) {
      byte[] wire = kept.wire().clone();
      wire[0] = header[0];
      wire[1] = header[1];
      // The question is the client's own record: its spelling, same length as the kept one's.
      byte[] asked = getQuestion().getName().toWire();
      System.arraycopy(asked, 0, wire, HEADER_BYTES, asked.length);
      WireForms.replayTtls(Unpooled.wrappedBuffer(wire), 0, kept, secondsLeft);
      return wire;
    }
    byte[] encoded = super.toWire(maxLength);
    if (!getHeader().getFlag(Flags.TC) && !truncated(encoded)) {
      forms.keep(shape, encoded);
    }
    return encoded;
  }

  /** Flags, rcode and section counts equal: only the ID may differ. */
  private static boolean sameHeaderBut(byte[] kept, byte[] header) {
    return Arrays.equals(kept, 2, HEADER_BYTES, header, 2, HEADER_BYTES);
  }

  private static boolean truncated(byte[] wire) {
    return wire.length >= HEADER_BYTES && (wire[2] & 0x02) != 0;
  }
}
