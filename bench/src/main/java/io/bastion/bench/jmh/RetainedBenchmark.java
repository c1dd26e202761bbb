package io.bastion.bench.jmh;

import io.bastion.broker.retain.InMemoryRetainedMessages;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.mqtt.MqttProperties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Retained messages: a device's state topic {@code site/<s>/dev/<d>/state} retained for every device;
 * the lookup a SUBSCRIBE does (an exact filter, a one-site wildcard filter that returns
 * devices/1000 messages), and replacing a retained message (a PUBLISH with retain).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class RetainedBenchmark {
    static final int SITES = 1000;
    static final int TOPICS = 4096;

    @Param({"10000", "1000000"})
    public int retained;

    private InMemoryRetainedMessages store;
    private String[] exact;
    private String[] siteWildcard;
    private RetainedMessage[] updates;

    @State(Scope.Thread)
    public static class Cursor implements Consumer<RetainedMessage> {
        int next;
        int found;

        @Override
        public void accept(RetainedMessage m) {
            found++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryRetainedMessages();
        byte[] payload = new byte[32];
        for (int d = 0; d < retained; d++) {
            store.put(new RetainedMessage(topic(d), 1, payload, MqttProperties.EMPTY, Long.MAX_VALUE));
        }
        SplittableRandom random = new SplittableRandom(7);
        exact = new String[TOPICS];
        siteWildcard = new String[TOPICS];
        updates = new RetainedMessage[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            int d = random.nextInt(retained);
            exact[i] = topic(d);
            siteWildcard[i] = "site/" + (d % SITES) + "/dev/+/state";
            updates[i] = new RetainedMessage(topic(d), 1, payload, MqttProperties.EMPTY, Long.MAX_VALUE);
        }
    }

    private static String topic(int d) {
        return "site/" + (d % SITES) + "/dev/" + d + "/state";
    }

    @Benchmark
    public int lookupExact(Cursor c) {
        c.found = 0;
        store.match(exact[c.next++ & (TOPICS - 1)], 0L, c);
        return c.found;
    }

    @Benchmark
    public int lookupSiteWildcard(Cursor c) {
        c.found = 0;
        store.match(siteWildcard[c.next++ & (TOPICS - 1)], 0L, c);
        return c.found;
    }

    @Benchmark
    public int replace(Cursor c) {
        store.put(updates[c.next++ & (TOPICS - 1)]);
        return c.next;
    }
}
