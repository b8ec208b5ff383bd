package io.shopstack.slb.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queues of clients waiting for a slot, with two backends of {@code maxconn 1}: hashed clients
 * wait for their own backend, others for any, and each freed slot goes to the longest-waiting
 * client that can use it.
 */
class BackendQueueTest {
  private final BackendPool maglev = pool(new MaglevHashing());
  private final Backend first = maglev.backends().get(0);
  private final Backend second = maglev.backends().get(1);

  private static BackendPool pool(BalancingPolicy policy) {
    return BackendPool.of(
        List.of(
            new BackendSpec(new InetSocketAddress("127.29.0.11", 8080), 1, 1),
            new BackendSpec(new InetSocketAddress("127.29.0.12", 8080), 1, 1)),
        policy);
  }

  /** A client as the queue sees it: its balancing order from the pool, what it was granted. */
  private final class Client implements BackendQueue.Waiter {
    final InetSocketAddress address;
    final boolean pinned;
    final List<Backend> granted = new ArrayList<>();

    Client(InetSocketAddress address, boolean pinned) {
      this.address = address;
      this.pinned = pinned;
    }

    @Override
    public List<Backend> candidates() {
      return maglev.candidates(address);
    }

    @Override
    public boolean pinned() {
      return pinned;
    }

    @Override
    public void granted(Backend backend) {
      granted.add(backend);
    }

    /** Takes a slot as the SLB's connector does: at once, or by queueing. */
    Client arrive() {
      Backend backend = maglev.queue().acquire(candidates(), pinned);
      if (backend == null) {
        maglev.queue().enqueue(this);
      } else {
        granted.add(backend);
      }
      return this;
    }
  }

  /** A client whose hash names {@code backend}. */
  private Client hashedTo(Backend backend) {
    for (int i = 1; i < 255; i++) {
      InetSocketAddress address = new InetSocketAddress("127.28.1." + i, 40000);
      if (maglev.candidates(address).get(0) == backend) {
        return new Client(address, true);
      }
    }
    throw new AssertionError("no client address hashes to " + backend);
  }

  @Test
  void aHashedClientWaitsForItsOwnBackendThoughAnotherHasRoom() {
    Client holder = hashedTo(first).arrive();
    Client waiter = hashedTo(first).arrive();

    assertThat(holder.granted).containsExactly(first);
    assertThat(waiter.granted).as("the second backend has room, but is not its own").isEmpty();
    assertThat(second.activeConnections()).isZero();
    assertThat(maglev.queue().waitingFor(first)).isEqualTo(1);

    maglev.queue().release(first);

    assertThat(waiter.granted).containsExactly(first);
    assertThat(maglev.queue().size()).isZero();
  }

  @Test
  void aClientOfTheRotationTakesAnyBackendWithRoom() {
    Client holder = hashedTo(first).arrive();
    Client redispatched = new Client(hashedTo(first).address, false).arrive();

    assertThat(holder.granted).containsExactly(first);
    assertThat(redispatched.granted).containsExactly(second);
  }

  @Test
  void oneFullBackendDoesNotHoldUpClientsOfTheOther() {
    hashedTo(first).arrive();
    hashedTo(second).arrive();
    Client waitsForFirst = hashedTo(first).arrive();
    Client waitsForSecond = hashedTo(second).arrive();

    maglev.queue().release(second);

    assertThat(waitsForFirst.granted).isEmpty();
    assertThat(waitsForSecond.granted)
        .as("served behind an older client that waits for the other backend")
        .containsExactly(second);
  }

  @Test
  void aFreedSlotGoesToTheLongestWaitingClientThatCanUseIt() {
    hashedTo(first).arrive();
    hashedTo(second).arrive();
    Client anyFirst = new Client(hashedTo(second).address, false).arrive();
    Client pinnedLater = hashedTo(first).arrive();
    Client anySecond = new Client(hashedTo(first).address, false).arrive();

    maglev.queue().release(first);
    assertThat(anyFirst.granted).as("it came first and takes any").containsExactly(first);
    assertThat(pinnedLater.granted).isEmpty();

    maglev.queue().release(first);
    assertThat(pinnedLater.granted).as("older than the last one").containsExactly(first);
    assertThat(anySecond.granted).isEmpty();

    maglev.queue().release(second);
    assertThat(anySecond.granted).containsExactly(second);
    assertThat(maglev.queue().size()).isZero();
  }

  @Test
  void clientsOfABackendThatLeavesRotationWaitForTheOneTheirHashNamesNow() {
    hashedTo(first).arrive();
    hashedTo(second).arrive();
    Client waiter = hashedTo(first).arrive();
    assertThat(maglev.queue().waitingFor(first)).isEqualTo(1);

    first.state(BackendState.DOWN);
    maglev.queue().rotationChanged();

    assertThat(maglev.queue().waitingFor(first)).isZero();
    assertThat(maglev.queue().waitingFor(second)).isEqualTo(1);
    maglev.queue().release(first); // the holder's connection ends: no use to a waiter now
    assertThat(waiter.granted).isEmpty();

    maglev.queue().release(second);
    assertThat(waiter.granted).containsExactly(second);
  }

  /**
   * HAProxy's server {@code maxqueue}: {@code limit} hashed clients may wait for {@code backend}.
   */
  private static void maxQueue(Backend backend, int limit) {
    BackendSpec spec = backend.spec();
    backend.respec(
        new BackendSpec(spec.address(), spec.weight(), spec.maxConnections(), limit, null));
  }

  @Test
  void pastItsMaxqueueAHashedClientGoesToABackendWithRoom() {
    maxQueue(first, 1);
    Client holder = hashedTo(first).arrive();
    Client waiter = hashedTo(first).arrive();
    Client redispatched = hashedTo(first).arrive();

    assertThat(holder.granted).containsExactly(first);
    assertThat(waiter.granted).as("within maxqueue: waits for its own").isEmpty();
    assertThat(redispatched.granted).as("past maxqueue: any with room").containsExactly(second);
    assertThat(maglev.queue().waitingFor(first)).isEqualTo(1);
    assertThat(maglev.queue().redispatched()).isEqualTo(1);
  }

  @Test
  void pastItsMaxqueueAHashedClientWaitsForWhicheverBackendFreesFirst() {
    maxQueue(first, 1);
    hashedTo(first).arrive();
    hashedTo(second).arrive();
    Client waiter = hashedTo(first).arrive();
    Client redispatched = hashedTo(first).arrive();

    maglev.queue().release(second);

    assertThat(redispatched.granted).containsExactly(second);
    assertThat(waiter.granted).isEmpty();
    maglev.queue().release(first);
    assertThat(waiter.granted).containsExactly(first);
  }

  @Test
  void clientsMovedOffABackendThatLeftRotationRespectTheNewOnesMaxqueue() {
    maxQueue(second, 1);
    hashedTo(first).arrive();
    hashedTo(second).arrive();
    Client waitsForFirst = hashedTo(first).arrive();
    Client waitsForSecond = hashedTo(second).arrive();

    first.state(BackendState.DOWN);
    maglev.queue().rotationChanged();

    assertThat(maglev.queue().waitingFor(second))
        .as("its own waiter only: the moved one would pass maxqueue")
        .isEqualTo(1);
    assertThat(maglev.queue().redispatched()).isEqualTo(1);
    maglev.queue().release(second);
    assertThat(waitsForFirst.granted).as("it arrived first and takes any").containsExactly(second);
    assertThat(waitsForSecond.granted).isEmpty();
  }

  @Test
  void aClientThatLeavesTheQueueIsNotServed() {
    hashedTo(first).arrive();
    Client leaving = hashedTo(first).arrive();
    Client staying = hashedTo(first).arrive();

    assertThat(maglev.queue().remove(leaving)).isTrue();
    assertThat(maglev.queue().remove(leaving)).isFalse();
    maglev.queue().release(first);

    assertThat(leaving.granted).isEmpty();
    assertThat(staying.granted).containsExactly(first);
    assertThat(maglev.queue().remove(staying)).as("served already").isFalse();
  }

  @Test
  void roundRobinClientsQueueOnlyWhenEveryBackendIsFull() {
    BackendPool rotation = pool(new RoundRobin());
    InetSocketAddress client = new InetSocketAddress("127.28.1.10", 40000);
    Backend one = rotation.queue().acquire(rotation.candidates(client), false);
    Backend two = rotation.queue().acquire(rotation.candidates(client), false);

    assertThat(List.of(one, two)).containsExactlyInAnyOrderElementsOf(rotation.backends());
    assertThat(rotation.queue().acquire(rotation.candidates(client), false)).isNull();
    assertThat(rotation.pinsClients()).isFalse();
    assertThat(maglev.pinsClients()).isTrue();
  }
}
