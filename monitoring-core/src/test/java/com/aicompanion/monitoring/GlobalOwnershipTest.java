package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Monitoring.global() follows the one ownership rule: claim at start, release at close. */
class GlobalOwnershipTest {
  private static Monitoring.Builder registering(String service) {
    return Monitoring.builder(service)
        .sources(Map.of(), new Properties())
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .shutdownHook(false);
  }

  @Test
  void startCloseAndStartAgainEachBecomeTheGlobalInTurn() {
    Monitoring first = registering("first").start();
    assertThat(Monitoring.global()).isSameAs(first);
    first.close();
    assertThatThrownBy(Monitoring::global).isInstanceOf(IllegalStateException.class);

    try (Monitoring second = registering("second").start()) {
      assertThat(Monitoring.global()).isSameAs(second);
    }
    assertThatThrownBy(Monitoring::global).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSecondStartWhileTheOwnerIsOpenFailsNamingTheOwnerAndTheWayOut() {
    try (Monitoring owner = registering("owner-service").start()) {
      assertThatThrownBy(() -> registering("late-service").start())
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining("Monitoring for late-service cannot become Monitoring.global()")
          .hasMessageContaining("Monitoring for owner-service holds it")
          .hasMessageContaining("registerGlobal(false)")
          .cause()
          .hasMessageContaining("claimed Monitoring.global() here");
      assertThat(Monitoring.global()).isSameAs(owner);
    }
  }

  @Test
  void registerGlobalFalseRunsBesideTheOwnerWithoutReplacingIt() {
    try (Monitoring owner = registering("owner").start()) {
      Monitoring beside = registering("beside").registerGlobal(false).start();
      assertThat(Monitoring.global()).isSameAs(owner).isNotSameAs(beside);
      beside.close();
      assertThat(Monitoring.global()).isSameAs(owner);
    }
  }

  @Test
  void closingAnInstanceThatNeverClaimedLeavesTheSlotAlone() {
    GlobalSlot<Object> slot = new GlobalSlot<>("test slot");
    Object owner = new Object();
    slot.claim(owner, "the owner");
    assertThat(slot.release(new Object())).isFalse();
    assertThat(slot.current()).isSameAs(owner);
    assertThat(slot.release(owner)).isTrue();
    assertThat(slot.current()).isNull();
  }

  @Test
  void aBlankSlotNameIsRefused() {
    assertThatThrownBy(() -> new GlobalSlot<>(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GlobalSlot name is blank");
  }
}
