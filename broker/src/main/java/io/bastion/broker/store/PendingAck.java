package io.bastion.broker.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acknowledgement of one QoS 1/2 PUBLISH while the sessions that must get the message write it to
 * the store. The publisher holds it once, each persistent session it is handed to holds it once more;
 * when the last hold is released the outcome is known: {@link Completion#done} runs with whether a
 * commit must come first and whether a write failed. Safe from any thread.
 */
public final class PendingAck {
    /** Runs once, on the thread that released the last hold. */
    @FunctionalInterface
    public interface Completion {
        void done(boolean wrote, boolean failed);
    }

    private final AtomicInteger holds = new AtomicInteger(1);
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

    /** A write the acknowledgement depends on failed: the message is not kept. */
    public void failed() {
        failed = true;
    }

    public void release() {
        if (holds.decrementAndGet() == 0) {
            completion.done(wrote, failed);
        }
    }
}
