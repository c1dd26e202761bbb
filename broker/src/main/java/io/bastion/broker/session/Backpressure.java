package io.bastion.broker.session;

/**
 * A publisher that can stop reading for a while. A session whose event loop falls behind (its mailbox
 * grows) pauses the publishers that feed it and resumes them once it has caught up, so a busy broker
 * reads no faster than it delivers instead of reading messages only to drop them. A slow subscriber
 * never pauses anyone: its session keeps draining its mailbox into the queue or the socket.
 */
public interface Backpressure {

    /**
     * Stops reading from the publisher; called on the publisher's event loop. Returns false when it was
     * paused already, so that whoever paused it first is the one to resume it.
     */
    boolean pause();

    /** Reading may go on; callable from any thread. */
    void resume();
}
