package io.bastion.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The acknowledgement of a QoS 1/2 PUBLISH: settled once, when the last hold and held write are. */
class PendingAckTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final PendingAck ack =
            new PendingAck((wrote, failed) -> events.add(failed ? "failed" : wrote ? "commit" : "now"));

    @Test
    void nothingWrittenGoesNow() {
        ack.hold();
        ack.release();
        assertThat(events).isEmpty();
        ack.release();
        assertThat(events).containsExactly("now");
    }

    @Test
    void aWriteWaitsForTheCommit() {
        ack.wrote();
        ack.release();
        assertThat(events).containsExactly("commit");
    }

    @Test
    void aHeldWriteStillHeldWhenTheLastHoldGoesKeepsTheAckUntilItIsSettled() {
        ack.heldWrite();
        ack.release();
        assertThat(events).isEmpty();
        ack.heldCancelled(); // the subscriber acknowledged first: no commit needed
        assertThat(events).containsExactly("now");
    }

    @Test
    void aHeldWriteCancelledBeforeTheLastHoldGoesNeedsNoCommit() {
        ack.heldWrite();
        ack.heldCancelled();
        ack.release();
        assertThat(events).containsExactly("now");
    }

    @Test
    void aHeldWriteThatWasMadeKeepsTheAckWithTheCommit() {
        ack.heldWrite();
        ack.heldWrite();
        ack.release();
        ack.heldWritten(); // one made by the commit thread ...
        assertThat(events).isEmpty();
        ack.heldCancelled(); // ... the other cancelled: the first still needs the commit
        assertThat(events).containsExactly("commit");
    }

    @Test
    void aHeldWriteMadeBeforeTheLastHoldGoesAsksForTheCommit() {
        ack.heldWrite();
        ack.heldWritten();
        ack.release();
        assertThat(events).containsExactly("commit");
    }

    @Test
    void aHeldWriteThatFailedFailsTheAck() {
        ack.heldWrite();
        ack.heldWrite();
        ack.release();
        ack.heldFailed();
        ack.heldCancelled();
        assertThat(events).containsExactly("failed");
    }

    @Test
    void aFailedWriteIsNeverSettledByACancellation() {
        ack.heldWrite();
        ack.failed();
        ack.release();
        ack.heldCancelled();
        assertThat(events).containsExactly("failed");
    }

    @Test
    void settlingFromManyThreadsCompletesExactlyOnce() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            AtomicInteger done = new AtomicInteger();
            PendingAck racing = new PendingAck((wrote, failed) -> done.incrementAndGet());
            int threads = 4;
            for (int i = 0; i < threads; i++) {
                racing.hold();
                racing.heldWrite();
            }
            CountDownLatch start = new CountDownLatch(1);
            Thread[] settlers = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                boolean written = i % 2 == 0;
                settlers[i] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (written) {
                        racing.heldWritten();
                    } else {
                        racing.heldCancelled();
                    }
                    racing.release();
                });
                settlers[i].start();
            }
            racing.release();
            start.countDown();
            for (Thread t : settlers) {
                t.join();
            }
            assertThat(done).hasValue(1);
        }
    }
}
