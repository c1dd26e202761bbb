package io.bastion.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters shared by every connection of a run; written by the event loops, read by the reporter. */
public final class Stats {
    /** Latencies above this are recorded as this (nanoseconds). */
    static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    final LongAdder connected = new LongAdder();
    final LongAdder connectFailed = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder subscribed = new LongAdder();
    final LongAdder sent = new LongAdder();
    /** QoS 1/2 publishes completed (PUBACK / PUBCOMP received). */
    final LongAdder acked = new LongAdder();

    final LongAdder received = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    /** Gaps seen in a publisher's sequence numbers at a subscriber. */
    final LongAdder gaps = new LongAdder();
    /** Received messages without a bench timestamp (or with an implausible one). */
    final LongAdder foreign = new LongAdder();

    final AtomicLong firstConnectNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastConnAckNanos = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    final Recorder latency = new Recorder(1, MAX_LATENCY_NANOS, 3);

    void error(String reason) {
        errors.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void connectStarted(long nanos) {
        firstConnectNanos.accumulateAndGet(nanos, Math::min);
    }

    void connAck(long nanos) {
        connected.increment();
        lastConnAckNanos.accumulateAndGet(nanos, Math::max);
    }

    void latency(long nanos) {
        if (nanos < 0 || nanos > MAX_LATENCY_NANOS) {
            foreign.increment();
            return;
        }
        latency.recordValue(Math.max(1, nanos));
    }

    public long errorCount() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        return n;
    }

    public Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long connected() {
        return connected.sum();
    }

    public long received() {
        return received.sum();
    }

    public long sent() {
        return sent.sum();
    }

    /** Connections per second from the first connect attempt to the last CONNACK. */
    public double connectRate() {
        long first = firstConnectNanos.get();
        long last = lastConnAckNanos.get();
        long n = connected.sum();
        if (n == 0 || first == Long.MAX_VALUE || last <= first) {
            return 0;
        }
        return n * 1e9 / (last - first);
    }

    /** An empty histogram with the recorder's layout. */
    static Histogram newHistogram() {
        return new Histogram(1, MAX_LATENCY_NANOS, 3);
    }
}
