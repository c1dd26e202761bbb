package io.bastion.broker.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acknowledgement of one QoS 1/2 PUBLISH while the sessions that must get the message write it to
 * the store. The publisher holds it once, each persistent session it is handed to holds it once more,
 * and each write a store holds back instead of making it ({@link #heldWrite}) counts too; when the last
 * of them is settled the outcome is known: {@link Completion#done} runs once, with whether a commit must
 * come first and whether a write failed. Safe from any thread.
 *
 * <p>A held write is settled when the store makes it ({@link #heldWritten}: the ack waits for the commit
 * after it), when the session is done with the message first ({@link #heldCancelled}: its subscriber
 * acknowledged it, so the message is durable wherever it must be without that write), or when making it
 * failed ({@link #heldFailed}).
 */
public final class PendingAck {
    /** Runs once, on the thread that settled the last hold or held write. */
    @FunctionalInterface
    public interface Completion {
        void done(boolean wrote, boolean failed);
    }

    private final AtomicInteger outstanding = new AtomicInteger(1);
    private final Completion completion;
    // written before the decrement that may settle the ack, read after it: the decrement publishes them
    private volatile boolean wrote;
    private volatile boolean failed;

    public PendingAck(Completion completion) {
        this.completion = completion;
    }

    /** Someone else must write the message before it is acknowledged. */
    public void hold() {
        outstanding.incrementAndGet();
    }

    /** The message was written to the store (needs a commit before the ack). */
    public void wrote() {
        wrote = true;
    }

    /** A write the acknowledgement depends on failed: the message is not kept. */
    public void failed() {
        failed = true;
    }

    /** A write the acknowledgement depends on is held back; it must be settled once. */
    public void heldWrite() {
        outstanding.incrementAndGet();
    }

    /** A held write was made (the commit that follows makes it durable). */
    public void heldWritten() {
        wrote = true;
        settle();
    }

    /** A held write is no longer needed: the session is done with the message. */
    public void heldCancelled() {
        settle();
    }

    /** Making a held write failed. */
    public void heldFailed() {
        failed = true;
        settle();
    }

    /** A hold ends. */
    public void release() {
        settle();
    }

    private void settle() {
        if (outstanding.decrementAndGet() == 0) {
            completion.done(wrote, failed);
        }
    }
}
