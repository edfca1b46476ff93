package com.aicompanion.monitoring.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SegmentFileStore#peekAfter} as the delivery uses it (batches dispatched one after another,
 * each asking for what follows the last; acknowledgements of prefixes; appends in between, across
 * segment ends), against the memory store as the model: the same records in the same order, the
 * same counts, before and after the read position moves. The spool resumes after the records it
 * walked for the previous batch instead of reading them again; this checks that it lands where a
 * full walk would.
 */
class SpoolPeekAfterPropertyTest {
  @Property(tries = 150)
  void peekAfterReturnsWhatTheMemoryStoreReturns(@ForAll("operations") List<int[]> operations)
      throws Exception {
    Path dir = Files.createTempDirectory("spool-peek-after");
    try (SegmentFileStore spool = SegmentFileStore.open(dir, 1 << 22, 2048)) {
      MemoryRecordStore model = new MemoryRecordStore(1 << 22, Integer.MAX_VALUE);
      // the records returned and not yet acknowledged, in order, from each store
      List<RecordStore.Record> spoolOut = new ArrayList<>();
      List<RecordStore.Record> modelOut = new ArrayList<>();
      long spoolAfter = Long.MIN_VALUE;
      long modelAfter = Long.MIN_VALUE;
      int n = 0;
      for (int[] op : operations) {
        switch (op[0]) {
          case 0 -> { // append op[1] records of op[2] bytes
            for (int i = 0; i < op[1]; i++) {
              byte[] payload = SpoolChildProcess.payload(n++, op[2]);
              assertThat(spool.append(payload)).isEqualTo(model.append(payload));
            }
          }
          case 1 -> { // dispatch a batch of at most op[1] records
            List<RecordStore.Record> a = spool.peekAfter(spoolAfter, op[1], Long.MAX_VALUE);
            List<RecordStore.Record> b = model.peekAfter(modelAfter, op[1], Long.MAX_VALUE);
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
              assertThat(a.get(i).payload()).isEqualTo(b.get(i).payload());
            }
            if (!a.isEmpty()) {
              spoolAfter = a.get(a.size() - 1).sequence();
              modelAfter = b.get(b.size() - 1).sequence();
            }
            spoolOut.addAll(a);
            modelOut.addAll(b);
          }
          case 2 -> { // acknowledge the first op[1] of the records in flight
            int k = Math.min(op[1], spoolOut.size());
            if (k > 0) {
              spool.ack(spoolOut.get(k - 1));
              model.ack(modelOut.get(k - 1));
              spoolOut.subList(0, k).clear();
              modelOut.subList(0, k).clear();
            }
          }
          default -> { // start over: what is in flight is given back (a full walk)
            spoolOut.clear();
            modelOut.clear();
            spoolAfter = Long.MIN_VALUE;
            modelAfter = Long.MIN_VALUE;
          }
        }
        assertThat(spool.records()).isEqualTo(model.records());
        assertThat(spool.bytes()).isEqualTo(model.bytes());
      }
      // everything not acknowledged, from the start
      List<RecordStore.Record> a =
          spool.peekAfter(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
      List<RecordStore.Record> b =
          model.peekAfter(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
      assertThat(a).hasSameSizeAs(b);
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i).payload()).isEqualTo(b.get(i).payload());
      }
    } finally {
      com.aicompanion.monitoring.testsupport.TempDirs.deleteRecursively(dir);
    }
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    Arbitrary<int[]> append =
        Arbitraries.integers()
            .between(1, 30)
            .flatMap(
                count ->
                    Arbitraries.integers().between(0, 600).map(size -> new int[] {0, count, size}));
    Arbitrary<int[]> dispatch = Arbitraries.integers().between(1, 25).map(k -> new int[] {1, k});
    Arbitrary<int[]> ack = Arbitraries.integers().between(1, 40).map(k -> new int[] {2, k});
    Arbitrary<int[]> restart = Arbitraries.just(new int[] {3});
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, append),
            net.jqwik.api.Tuple.of(4, dispatch),
            net.jqwik.api.Tuple.of(3, ack),
            net.jqwik.api.Tuple.of(1, restart))
        .list()
        .ofMinSize(1)
        .ofMaxSize(60);
  }
}
