package io.bastion.server.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Waiting for the next incoming PUBLISH, for both protocol versions: the library ends its stream when
 * the connection is gone, and the reason it was lost (recorded by the disconnect listener) becomes the
 * failure the command reports.
 */
final class Inbox {
    private Inbox() {}

    /** The HiveMQ client's blocking publish stream, of either version. */
    interface Source<P> {
        Optional<P> receive(long timeoutMillis) throws InterruptedException;
    }

    static <P> Optional<ReceivedMessage> receive(
            Source<P> source,
            Duration timeout,
            Function<P, ReceivedMessage> toMessage,
            AtomicReference<Throwable> lost,
            ConnectOptions options)
            throws InterruptedException {
        Optional<P> publish;
        try {
            publish = source.receive(timeout.toMillis());
        } catch (RuntimeException e) {
            throw connectionLost(e, lost, options);
        }
        if (publish.isEmpty()) {
            if (lost.get() != null) {
                throw connectionLost(lost.get(), lost, options);
            }
            return Optional.empty();
        }
        return Optional.of(toMessage.apply(publish.get()));
    }

    private static ClientFailure connectionLost(
            Throwable fallback, AtomicReference<Throwable> lost, ConnectOptions options) {
        Throwable cause = lost.get() != null ? lost.get() : fallback;
        return new ClientFailure("connection lost: " + Failures.message(cause, options), cause);
    }
}
