package io.bastion.broker.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acknowledgement of one QoS 1/2 PUBLISH while the sessions that must get the message write it to
 * the store. The publisher holds it once, each persistent session it is handed to holds it once more;
 * when the last hold is released the outcome is known: {@link Completion#done} runs with whether a
 * commit must come first and whether a write failed. Safe from any thread.
 *
 * <p>A store may hold a write instead of making it ({@link #heldWrite}): the next commit makes it, unless
 * the session is done with the message first (its subscriber acknowledged it), which cancels it. When
 * every held write was cancelled and nothing else was written, the acknowledgement needs no commit after
 * all: {@link Completion#nothingToCommit} runs, possibly after {@code done} asked for a commit.
 */
public final class PendingAck {
    /** Runs once per outcome, on the thread that settled it. */
    public interface Completion {
        void done(boolean wrote, boolean failed);

        /** Every held write was cancelled: the message is durable wherever it must be, no commit needed. */
        default void nothingToCommit() {}
    }

    private final AtomicInteger holds = new AtomicInteger(1);
    private final AtomicInteger held = new AtomicInteger();
    private final Completion completion;
    private volatile boolean wrote;
    private volatile boolean failed;

    public PendingAck(Completion completion) {
        this.completion = completion;
    }

    /** Someone else must write the message before it is acknowledged. */
    public void hold() {
        holds.incrementAndGet();
    }

    /** The message was written to the store (needs a commit before the ack). */
    public void wrote() {
        wrote = true;
    }

    /** A write the acknowledgement depends on is held for the next commit. */
    public void heldWrite() {
        held.incrementAndGet();
    }

    /** A held write was made (the commit that follows makes it durable). */
    public void heldWritten() {
        wrote = true; // before the decrement: release() reads held first, then wrote
        held.decrementAndGet();
    }

    /** A held write is no longer needed: the session is done with the message. */
    public void heldCancelled() {
        if (held.decrementAndGet() == 0 && holds.get() == 0 && !wrote && !failed) {
            completion.nothingToCommit();
        }
    }

    /** A write the acknowledgement depends on failed: the message is not kept. */
    public void failed() {
        failed = true;
    }

    public void release() {
        if (holds.decrementAndGet() == 0) {
            completion.done(held.get() > 0 || wrote, failed);
        }
    }
}
