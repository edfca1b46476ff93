package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * {@link Delivery.Item#id()}: unique per record and, within one store, in sequence order as text
 * (the fixed-width hexadecimal sequence), for every sequence a store can reach.
 */
class DeliveryItemIdPropertyTest {
  @Property
  void idsOfOneStoreSortAsTextInSequenceOrder(
      @ForAll @StringLength(min = 1, max = 40) String storeChars,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long a,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long b) {
    String store = ascii(storeChars);
    String first = new Delivery.Item(store, a, new byte[0]).id();
    String second = new Delivery.Item(store, b, new byte[0]).id();
    assertThat(Integer.signum(first.compareTo(second))).isEqualTo(Long.signum(Long.compare(a, b)));
    assertThat(first).startsWith(store + "-").hasSize(store.length() + 1 + 16);
    assertThat(Long.parseUnsignedLong(first.substring(store.length() + 1), 16)).isEqualTo(a);
  }

  @Property
  void writeIdWritesTheIdWhereAsked(
      @ForAll @StringLength(min = 1, max = 40) String storeChars,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long sequence,
      @ForAll @LongRange(min = 0, max = 10) long offset) {
    Delivery.Item item = new Delivery.Item(ascii(storeChars), sequence, new byte[0]);
    byte[] target = new byte[(int) offset + item.idLength() + 3];
    int end = item.writeId(target, (int) offset);
    assertThat(end).isEqualTo(offset + item.idLength());
    assertThat(new String(target, (int) offset, item.idLength(), StandardCharsets.US_ASCII))
        .isEqualTo(item.id());
  }

  @Test
  void theDigitsCrossingAPowerOfTenStayInOrder() {
    // the case decimal sequences got wrong: "s-9" sorted after "s-10" and "s-100"
    String nine = new Delivery.Item("s", 9, new byte[0]).id();
    String ten = new Delivery.Item("s", 10, new byte[0]).id();
    String hundred = new Delivery.Item("s", 100, new byte[0]).id();
    assertThat(nine).isEqualTo("s-0000000000000009");
    assertThat(ten).isEqualTo("s-000000000000000a");
    assertThat(nine).isLessThan(ten);
    assertThat(ten).isLessThan(hundred);
  }

  @Test
  void writeIdRefusesATargetTooSmall() {
    Delivery.Item item = new Delivery.Item("store", 1, new byte[0]);
    assertThatThrownBy(() -> item.writeId(new byte[item.idLength() - 1], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** Store ids are ASCII (a UUID or base64url); map arbitrary text onto base64url's alphabet. */
  private static String ascii(String chars) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder out = new StringBuilder();
    for (char c : chars.toCharArray()) {
      out.append(alphabet.charAt(c % alphabet.length()));
    }
    return out.toString();
  }
}
