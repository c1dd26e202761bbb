package io.bastion.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The acknowledgement of a QoS 1/2 PUBLISH: when it needs a commit and when a cancelled held write frees it. */
class PendingAckTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final PendingAck ack = new PendingAck(new PendingAck.Completion() {
        @Override
        public void done(boolean wrote, boolean failed) {
            events.add(failed ? "failed" : wrote ? "commit" : "now");
        }

        @Override
        public void nothingToCommit() {
            events.add("nothing to commit");
        }
    });

    @Test
    void nothingWrittenGoesNow() {
        ack.hold();
        ack.release();
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
    void aHeldWriteStillHeldWhenTheLastHoldGoesAsksForACommitAndItsCancellationSettlesIt() {
        ack.heldWrite();
        ack.release();
        assertThat(events).containsExactly("commit");
        ack.heldCancelled();
        assertThat(events).containsExactly("commit", "nothing to commit");
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
    void aFailedWriteIsNeverSettledByACancellation() {
        ack.heldWrite();
        ack.failed();
        ack.release();
        ack.heldCancelled();
        assertThat(events).containsExactly("failed");
    }
}
