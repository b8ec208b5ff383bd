package io.shopstack.dns.resolver.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ClientSubnetTest {
  private static Message query(ClientSubnetOption ecs) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("shop.cdn.example."), Type.A, DClass.IN));
    if (ecs != null) {
      query.addRecord(new OPTRecord(1232, 0, 0, 0, ecs), Section.ADDITIONAL);
    }
    return query;
  }

  @Test
  void clientWithoutEcsIsLocatedByItsSourceAddressCutToSlash24() throws Exception {
    ClientSubnet subnet = ClientSubnet.of(query(null), InetAddress.getByName("127.1.2.10"), 24, 56);

    assertThat(subnet.source()).isEqualTo(AddressBlock.parse("127.1.2.0/24"));
    assertThat(subnet.outgoingOption().getSourcePrefixLength()).isEqualTo(24);
    assertThat(subnet.echo(24)).isNull();
  }

  @Test
  void clientEcsIsForwardedButNeverFinerThanOurMaximum() throws Exception {
    ClientSubnetOption sent = new ClientSubnetOption(32, InetAddress.getByName("172.28.1.10"));
    ClientSubnet subnet = ClientSubnet.of(query(sent), InetAddress.getByName("127.0.0.1"), 24, 56);

    assertThat(subnet.source()).isEqualTo(AddressBlock.parse("172.28.1.0/24"));
    assertThat(subnet.echo(24).getScopePrefixLength()).isEqualTo(24);
  }

  @Test
  void sourcePrefixZeroMeansDoNotLocateMe() throws Exception {
    ClientSubnetOption sent = new ClientSubnetOption(0, InetAddress.getByName("0.0.0.0"));
    ClientSubnet subnet = ClientSubnet.of(query(sent), InetAddress.getByName("127.1.1.10"), 24, 56);

    assertThat(subnet.optedOut()).isTrue();
    assertThat(subnet.outgoingOption()).isNull();
    assertThat(subnet.echo(0).getSourcePrefixLength()).isZero();
  }

  @Test
  void ipv6ClientsAreCutToTheirOwnMaximum() throws Exception {
    ClientSubnet subnet =
        ClientSubnet.of(query(null), InetAddress.getByName("2001:db8:aa:bbcc::1"), 24, 56);

    assertThat(subnet.source()).isEqualTo(AddressBlock.parse("2001:db8:aa:bb00::/56"));
    assertThat(subnet.outgoingOption().getSourcePrefixLength()).isEqualTo(56);
  }
}
