package io.bastion.broker;

import io.bastion.mqtt.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the broker core, written from every event loop. Exported as $SYS topics now and by
 * the admin module's Prometheus endpoint later.
 */
public final class BrokerMetrics {
    /** Why a message was not delivered to a subscriber. */
    public enum Drop {
        /** QoS 0 to a client whose outbound buffer is full. */
        SLOW_CONSUMER,
        /** The session queue was full. */
        QUEUE_FULL,
        /** The Message Expiry Interval passed before delivery. */
        EXPIRED,
        /** Larger than the client's Maximum Packet Size. */
        PACKET_TOO_LARGE,
        /** QoS 0 to an offline session. */
        OFFLINE_QOS0,
        /** A shared-subscription message whose member left, and no member remains to take it. */
        NO_SUBSCRIBER,
        /** The store could not write it for a persistent session (the publisher was told so). */
        NOT_STORED
    }

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectsRefused = new LongAdder();
    public final AtomicLong clientsConnected = new AtomicLong();
    public final AtomicLong clientsMaximum = new AtomicLong();
    public final LongAdder messagesReceived = new LongAdder();
    public final LongAdder messagesSent = new LongAdder();
    public final LongAdder publishReceived = new LongAdder();
    public final LongAdder publishSent = new LongAdder();
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder willsPublished = new LongAdder();
    public final LongAdder publishDenied = new LongAdder();
    public final LongAdder subscribeDenied = new LongAdder();
    /** Times a publisher stopped being read because a session it feeds was behind (backpressure). */
    public final LongAdder publishersPaused = new LongAdder();
    /** Subscriptions removed because a security change no longer allows them. */
    public final LongAdder subscriptionsRevoked = new LongAdder();
    /** QoS 1/2 PUBLISH refused because the store could not keep them (disk full or a failed write). */
    public final LongAdder publishNotStored = new LongAdder();
    /** Writes to the store that failed. */
    public final LongAdder storeFailures = new LongAdder();

    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);
    private final Map<ReasonCode, LongAdder> disconnects = new EnumMap<>(ReasonCode.class);

    public BrokerMetrics() {
        for (Drop d : Drop.values()) {
            drops.put(d, new LongAdder());
        }
        for (ReasonCode c : ReasonCode.values()) {
            disconnects.put(c, new LongAdder());
        }
    }

    public void dropped(Drop why) {
        drops.get(why).increment();
    }

    public long drops(Drop why) {
        return drops.get(why).sum();
    }

    public long dropsTotal() {
        long sum = 0;
        for (LongAdder a : drops.values()) {
            sum += a.sum();
        }
        return sum;
    }

    /** A connection the server closed for this reason (protocol errors, keep alive, takeover, ...). */
    public void serverDisconnect(ReasonCode reason) {
        disconnects.get(reason).increment();
    }

    public long serverDisconnects(ReasonCode reason) {
        return disconnects.get(reason).sum();
    }

    public void clientConnected() {
        long now = clientsConnected.incrementAndGet();
        clientsMaximum.accumulateAndGet(now, Math::max);
    }

    public void clientDisconnected() {
        clientsConnected.decrementAndGet();
    }
}
