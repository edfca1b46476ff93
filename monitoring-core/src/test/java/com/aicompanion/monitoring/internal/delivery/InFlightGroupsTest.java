package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InFlightGroupsTest {
  private static RecordStore.Record record(long sequence) {
    return new RecordStore.Record(sequence, new byte[] {1});
  }

  @Test
  void aLaterGroupFinishedFirstWaitsUntilTheEarlierOneFinishes() {
    InFlightGroups groups = new InFlightGroups();
    InFlightGroups.Group first = groups.dispatched(record(4), 5, 5);
    InFlightGroups.Group second = groups.dispatched(record(9), 5, 5);
    InFlightGroups.Group third = groups.dispatched(record(12), 3, 3);

    assertThat(groups.finished(second)).isNull(); // the first is still in flight
    assertThat(groups.openRecords()).isEqualTo(13);
    assertThat(groups.finished(first).sequence()).isEqualTo(9); // both, in one acknowledgement
    assertThat(groups.open()).isEqualTo(1);
    assertThat(groups.acknowledgedRecords()).isEqualTo(10);
    assertThat(groups.finished(third).sequence()).isEqualTo(12);
    assertThat(groups.openRecords()).isZero();
    assertThat(groups.openBytes()).isZero();
    assertThat(groups.lastDispatched()).isEqualTo(12);
  }

  @Test
  void aGroupOutOfStoreOrderIsRefusedNamingBothSequences() {
    InFlightGroups groups = new InFlightGroups();
    groups.dispatched(record(7), 1, 1);
    assertThatThrownBy(() -> groups.dispatched(record(7), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ending at 7")
        .hasMessageContaining("last dispatched record 7")
        .hasMessageContaining("store order");
  }
}
