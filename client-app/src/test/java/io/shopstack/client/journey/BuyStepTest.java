package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuyStepTest {
  @Test
  void theRecordedClientIsReadFromTheShopsAnswer() {
    assertThat(
            BuyStep.recordedClient(
                "{\"id\":7,\"servedBy\":\"order-1\",\"clientAddress\":\"172.28.1.10\"}"))
        .contains("172.28.1.10");
  }

  @Test
  void anAnswerWithoutOneOrNotJsonSaysNothing() {
    assertThat(BuyStep.recordedClient("{\"id\":7}")).isEmpty();
    assertThat(BuyStep.recordedClient("{\"clientAddress\":null}")).isEmpty();
    assertThat(BuyStep.recordedClient("<html>502</html>")).isEmpty();
  }
}
