package io.bastion.broker.session;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The ordered hand-off into a session from other threads, and the publishers the session paused while
 * it was long. Created on the first hand-off from another thread: the session of an idle device, whose
 * traffic stays on its own event loop, never needs one (the padded queue alone is half a kilobyte).
 */
final class Mailbox {
    // small chunks: a quiet session holds a few hundred bytes, not the default 1025-slot array
    final Queue<Object> items = PlatformDependent.newMpscQueue(16, 1 << 30);
    final Queue<Backpressure> pausedPublishers = new ConcurrentLinkedQueue<>();
}
