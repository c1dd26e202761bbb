package io.bastion.bench.jmh;

import io.bastion.broker.subscription.SharedGroup;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.broker.subscription.SubscriptionTree;
import io.bastion.broker.subscription.SubscriptionVisitor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching a PUBLISH topic against the subscription tree as it grows from 1k to 1M subscriptions. The
 * shape is an IoT fleet: every device subscribes to its own command topic
 * {@code site/<s>/dev/<d>/cmd} (exact), every tenth device also to {@code site/<s>/dev/<d>/+}, and a
 * few back-ends hold wildcards across the fleet ({@code site/+/dev/+/alarm}, {@code site/<s>/#} for ten
 * sites). Each match therefore finds the same small number of subscribers whatever the size, so the
 * cost should stay flat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class TopicMatchBenchmark {
    static final int SITES = 1000;
    static final int TOPICS = 4096;

    @Param({"1000", "100000", "1000000"})
    public int subscriptions;

    private SubscriptionTree tree;
    private String[] hitTopics;
    private String[] alarmTopics;
    private String[] missTopics;

    /** Counts what a match found. */
    public static final class Counter implements SubscriptionVisitor {
        int found;

        @Override
        public void subscriber(SubscriptionEntry entry) {
            found++;
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            found++;
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final Counter counter = new Counter();
    }

    @Setup(Level.Trial)
    public void setUp() {
        tree = new SubscriptionTree();
        int devices = 0;
        while (tree.size() < subscriptions) {
            int d = devices++;
            String prefix = "site/" + (d % SITES) + "/dev/" + d;
            tree.add(SubscriptionEntry.of("dev-" + d, prefix + "/cmd", 1));
            if (d % 10 == 0 && tree.size() < subscriptions) {
                tree.add(SubscriptionEntry.of("dev-" + d, prefix + "/+", 1));
            }
        }
        tree.add(SubscriptionEntry.of("alarms", "site/+/dev/+/alarm", 1));
        for (int s = 0; s < 10; s++) {
            tree.add(SubscriptionEntry.of("site-backend-" + s, "site/" + s + "/#", 0));
        }
        SplittableRandom random = new SplittableRandom(42);
        hitTopics = new String[TOPICS];
        alarmTopics = new String[TOPICS];
        missTopics = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            int d = random.nextInt(devices);
            String prefix = "site/" + (d % SITES) + "/dev/" + d;
            hitTopics[i] = prefix + "/cmd";
            alarmTopics[i] = prefix + "/alarm";
            missTopics[i] = "site/" + (d % SITES) + "/dev/x" + d + "/cmd";
        }
    }

    /** The device's command topic: its own subscription(s), sometimes a site back-end. */
    @Benchmark
    public int matchDeviceTopic(Cursor c) {
        c.counter.found = 0;
        tree.match(hitTopics[c.next++ & (TOPICS - 1)], c.counter);
        return c.counter.found;
    }

    /** Matched only by wildcard subscriptions. */
    @Benchmark
    public int matchWildcardOnly(Cursor c) {
        c.counter.found = 0;
        tree.match(alarmTopics[c.next++ & (TOPICS - 1)], c.counter);
        return c.counter.found;
    }

    /** A topic nobody subscribed to (beyond the site level). */
    @Benchmark
    public int matchMiss(Cursor c) {
        c.counter.found = 0;
        tree.match(missTopics[c.next++ & (TOPICS - 1)], c.counter);
        return c.counter.found;
    }
}
