package io.shopstack.dns.authoritative.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.dns.net.IpLiteral;
import org.junit.jupiter.api.Test;

class TransferAclTest {
  @Test
  void listOfBlocksAndHostsLikeAllowTransfer() {
    TransferAcl acl = TransferAcl.parse("127.0.0.1, 10.0.0.0/8 ,, ::1/128");
    assertThat(acl.allows(IpLiteral.parse("127.0.0.1"))).isTrue();
    assertThat(acl.allows(IpLiteral.parse("127.0.0.2"))).isFalse();
    assertThat(acl.allows(IpLiteral.parse("10.200.0.1"))).isTrue();
    assertThat(acl.allows(IpLiteral.parse("::1"))).isTrue();
    assertThat(TransferAcl.parse("").allows(IpLiteral.parse("127.0.0.1"))).isFalse();
  }

  @Test
  void aBadEntryStopsStartupNamingIt() {
    assertThatThrownBy(() -> TransferAcl.parse("127.0.0.1/32, secondary.example"))
        .hasMessageContaining("transfer allow entry")
        .hasMessageContaining("'secondary.example'");
  }
}
