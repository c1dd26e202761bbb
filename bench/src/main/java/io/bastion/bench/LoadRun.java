package io.bastion.bench;

import io.bastion.bench.BenchClient.Role;
import io.bastion.bench.BenchSettings.Scenario;
import io.bastion.mqtt.Topics;
import io.bastion.transport.EventLoopIo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.HdrHistogram.Histogram;

/**
 * One run of the generator: connects the clients of the scenario, drives them for the duration,
 * reports each second on {@code progress} and returns the {@link Summary}.
 */
public final class LoadRun {
    /** Connections opened at once, then closed, while a conn run warms up. */
    private static final int WARM_UP_BATCH = 1000;

    private final BenchSettings settings;
    private final PrintStream progress;
    /** Replaced after a conn warm-up, so nothing of it is counted; clients keep the one they were made with. */
    private volatile Stats stats = new Stats();

    private final List<BenchClient> clients = new ArrayList<>();
    private final Semaphore connectPermits;
    private volatile CountDownLatch phase;
    private volatile boolean phaseWaitsForSubAck;
    private volatile CountDownLatch publishersDone;
    private volatile CountDownLatch allClosed;

    private EventLoopGroup group;
    /**
     * Subscribers of a pubsub run get event loops of their own: publishers pumping at full rate must not
     * starve the reads that measure the broker's output (the OS then shares the core between the two).
     */
    private EventLoopGroup subscriberGroup;

    private Bootstrap bootstrap;
    private SslContext sslContext;
    private InetSocketAddress remote;
    private int connectionNumber;
    private final BrokerProcess broker;

    public LoadRun(BenchSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
        this.connectPermits = new Semaphore(Math.max(1, settings.connectConcurrency));
        this.broker = settings.brokerPid > 0 ? new BrokerProcess(settings.brokerPid) : null;
    }

    Stats stats() {
        return stats;
    }

    BenchSettings settings() {
        return settings;
    }

    public Summary run() throws InterruptedException {
        validate();
        setUp();
        try {
            return switch (settings.scenario) {
                case CONN -> runConnections();
                case PUB, SUB, PUBSUB -> runMessages();
            };
        } finally {
            tearDown();
        }
    }

    private void validate() {
        BenchSettings s = settings;
        if (s.pubQos < 0 || s.pubQos > 2 || s.subQos < 0 || s.subQos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2");
        }
        if (s.inflight < 1 || s.inflight > 65_535) {
            throw new IllegalArgumentException("inflight must be 1..65535");
        }
        if (s.payloadSize < 0) {
            throw new IllegalArgumentException("payload size must not be negative");
        }
        if (s.transport.secure() == false && (s.caFile != null || s.certFile != null)) {
            throw new IllegalArgumentException("--cafile/--cert need a TLS transport (tls or wss)");
        }
    }

    private void setUp() {
        int threads = settings.threadsOrDefault();
        IoHandlerFactory io = EventLoopIo.handlerFactory();
        group = new MultiThreadIoEventLoopGroup(threads, io);
        subscriberGroup = settings.scenario == Scenario.PUBSUB ? new MultiThreadIoEventLoopGroup(threads, io) : group;
        if (settings.transport.secure()) {
            sslContext = buildSslContext();
        }
        remote = new InetSocketAddress(settings.host, settings.port);
        bootstrap = new Bootstrap()
                .group(group)
                .channel(EventLoopIo.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 128 * 1024));
    }

    private SslContext buildSslContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (settings.insecure) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (settings.caFile != null) {
                b.trustManager(settings.caFile.toFile());
            }
            if (settings.certFile != null) {
                if (settings.keyFile == null) {
                    throw new IllegalArgumentException("--cert needs --key");
                }
                b.keyManager(settings.certFile.toFile(), settings.keyFile.toFile());
            }
            return b.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("TLS settings: " + e.getMessage(), e);
        }
    }

    private void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        if (subscriberGroup != group) {
            subscriberGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    // ---- connecting --------------------------------------------------------------------------------

    private BenchClient newClient(Role role, int index, String prefix, String topicOrFilter, int publisherId) {
        String clientId = settings.clientIdPrefix + prefix + index;
        TopicPattern pattern = role == Role.PUBLISHER ? settings.pubTopic : settings.subFilter;
        String topic = topicOrFilter != null ? topicOrFilter : pattern.expand(index, clientId);
        BenchClient c = new BenchClient(this, role, index, clientId, topic, publisherId);
        clients.add(c);
        return c;
    }

    /** Connects {@code batch} at the configured rate and waits for their CONNACK (and SUBACK). */
    private double connectAll(List<BenchClient> batch, boolean waitForSubAck) throws InterruptedException {
        if (batch.isEmpty()) {
            return 0;
        }
        CountDownLatch latch = new CountDownLatch(batch.size());
        phase = latch;
        phaseWaitsForSubAck = waitForSubAck;
        long start = System.nanoTime();
        double rate = settings.connectRate;
        for (int i = 0; i < batch.size(); i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (!connectPermits.tryAcquire(30, TimeUnit.SECONDS)) {
                stats.error(
                        "broker answered no CONNECT for 30 s; gave up connecting " + (batch.size() - i) + " clients");
                for (int k = i; k < batch.size(); k++) {
                    latch.countDown();
                }
                break;
            }
            connect(batch.get(i));
        }
        long timeoutSeconds = 30 + batch.size() / 500;
        if (!latch.await(timeoutSeconds, TimeUnit.SECONDS)) {
            stats.error("timed out waiting for CONNACK/SUBACK of " + latch.getCount() + " connections");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void connect(BenchClient client) {
        Bootstrap b = bootstrap.clone(client.role() == Role.SUBSCRIBER ? subscriberGroup : group);
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                if (sslContext != null) {
                    SslHandler ssl = sslContext.newHandler(ch.alloc(), settings.host, settings.port);
                    if (!settings.insecure) {
                        SSLEngine engine = ssl.engine();
                        SSLParameters params = engine.getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(params);
                    }
                    p.addLast(ssl);
                }
                if (settings.transport.webSocket()) {
                    String scheme = settings.transport.secure() ? "wss" : "ws";
                    URI uri = URI.create(scheme + "://" + settings.host + ":" + settings.port + settings.webSocketPath);
                    p.addLast(new HttpClientCodec());
                    p.addLast(new HttpObjectAggregator(65_536));
                    p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(uri)
                            .subprotocol("mqtt")
                            .maxFramePayloadLength(16 * 1024 * 1024)
                            .build()));
                    p.addLast(new WebSocketFrames());
                }
                p.addLast(client);
            }
        });
        stats.connectStarted(System.nanoTime());
        InetSocketAddress local = settings.sources.forConnection(connectionNumber++);
        ChannelFuture f = local == null ? b.connect(remote) : b.connect(remote, local);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                stats.connectFailed.increment();
                Throwable c = done.cause();
                stats.error(
                        "connect: " + (c == null ? "failed" : c.getClass().getSimpleName() + ": " + c.getMessage()));
                connectDone(client, false);
            }
        });
    }

    /** Called once per client on its event loop with the outcome of CONNECT. */
    void connectDone(BenchClient client, boolean ok) {
        if (!client.markConnectReported()) {
            return;
        }
        connectPermits.release();
        CountDownLatch latch = phase;
        if (latch != null && (!ok || !(phaseWaitsForSubAck && client.role() == Role.SUBSCRIBER))) {
            latch.countDown();
        }
    }

    void subscribeDone(BenchClient client, boolean ok) {
        CountDownLatch latch = phase;
        if (latch != null && phaseWaitsForSubAck) {
            latch.countDown();
        }
    }

    void publisherDone(BenchClient client) {
        CountDownLatch latch = publishersDone;
        if (latch != null) {
            latch.countDown();
        }
    }

    void closed(BenchClient client) {
        CountDownLatch latch = allClosed;
        if (latch != null) {
            latch.countDown();
        }
    }

    // ---- scenarios -----------------------------------------------------------------------------------

    private Summary runConnections() throws InterruptedException {
        warmUpConnections();
        List<BenchClient> all = new ArrayList<>();
        for (int i = 0; i < settings.connections; i++) {
            all.add(newClient(Role.IDLE, i, "c", null, -1));
        }
        List<Integer> steps = new ArrayList<>();
        for (int s : settings.steps) {
            if (s > 0 && s < settings.connections && (steps.isEmpty() || s > steps.get(steps.size() - 1))) {
                steps.add(s);
            }
        }
        steps.add(settings.connections);
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        int from = 0;
        double connectSeconds = 0;
        for (int step : steps) {
            double seconds = connectAll(all.subList(from, step), false);
            connectSeconds += seconds;
            progress.printf(
                    Locale.ROOT,
                    "step %d: %,d connected, %,d failed, this step %,.0f connects/s (%.2f s)%n",
                    step,
                    stats.connected(),
                    stats.connectFailed.sum(),
                    (step - from) / Math.max(seconds, 1e-9),
                    seconds);
            progress.flush();
            from = step;
            if (step != settings.connections) {
                Thread.sleep(settings.stepPause.toMillis());
            }
        }
        Snapshot connectedAll = snapshot(System.nanoTime());
        long holdUntil = System.nanoTime() + settings.duration.toNanos();
        while (System.nanoTime() < holdUntil) {
            Thread.sleep(Math.min(1000, Math.max(1, (holdUntil - System.nanoTime()) / 1_000_000)));
            if (settings.progress) {
                progress.printf(
                        Locale.ROOT,
                        "holding %,d connections, %,d closed, %,d errors%n",
                        stats.connected() - stats.closed.sum(),
                        stats.closed.sum(),
                        stats.errorCount());
            }
        }
        double window = (System.nanoTime() - start) / 1e9;
        long cpu = cpuNanos() - cpu0;
        long rss = broker == null ? -1 : broker.rssKib();
        Snapshot held = snapshot(System.nanoTime());
        closeAll();
        String title = String.format(
                Locale.ROOT,
                "bastion bench conn: %,d connections, MQTT %s, %s://%s:%d",
                settings.connections,
                versionName(),
                settings.transport.name().toLowerCase(Locale.ROOT),
                settings.host,
                settings.port);
        return new Summary(
                title,
                window,
                0,
                0,
                0,
                0,
                0,
                -1,
                0,
                0,
                stats.connected(),
                stats.connectFailed.sum(),
                connectSeconds,
                stats.connected() / Math.max(connectSeconds, 1e-9),
                cpu / 1e9,
                brokerCpu(connectedAll, held),
                rss,
                Stats.newHistogram(),
                stats.errors());
    }

    /**
     * Opens and closes batches of connections for the warm-up time, so that both the broker's and the
     * generator's JIT have compiled the connect path before the measured steps; none of it is counted.
     */
    private void warmUpConnections() throws InterruptedException {
        long end = System.nanoTime() + settings.warmup.toNanos();
        int batch = Math.min(settings.connections, WARM_UP_BATCH);
        int warmed = 0;
        while (System.nanoTime() < end) {
            List<BenchClient> round = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                round.add(newClient(Role.IDLE, warmed++, "w", null, -1));
            }
            connectAll(round, false);
            closeAll();
            clients.clear();
        }
        if (warmed > 0 && settings.progress) {
            progress.printf(Locale.ROOT, "warm-up: %,d connections opened and closed%n", warmed);
        }
        stats = new Stats();
    }

    private Summary runMessages() throws InterruptedException {
        Scenario scenario = settings.scenario;
        List<BenchClient> subs = new ArrayList<>();
        List<BenchClient> pubs = new ArrayList<>();
        if (scenario != Scenario.PUB) {
            for (int i = 0; i < settings.subscribers; i++) {
                subs.add(newClient(Role.SUBSCRIBER, i, "s", null, -1));
            }
        }
        if (scenario != Scenario.SUB) {
            for (int i = 0; i < settings.publishers; i++) {
                pubs.add(newClient(Role.PUBLISHER, i, "p", null, settings.publisherIdBase + i));
            }
        }
        long[] fanOut = new long[pubs.size()];
        if (scenario == Scenario.PUBSUB) {
            for (int p = 0; p < pubs.size(); p++) {
                for (BenchClient s : subs) {
                    if (Topics.matches(s.topic(), pubs.get(p).topic())) {
                        fanOut[p]++;
                    }
                }
            }
        }
        long connectStart = System.nanoTime();
        connectAll(subs, true);
        connectAll(pubs, false);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        if (settings.progress) {
            progress.printf(
                    Locale.ROOT,
                    "connected %,d of %,d clients (%,d subscribed) in %.2f s%n",
                    stats.connected(),
                    subs.size() + pubs.size(),
                    stats.subscribed.sum(),
                    connectSeconds);
        }

        publishersDone = new CountDownLatch(pubs.size());
        double perPublisher = settings.rate > 0 && !pubs.isEmpty() ? settings.rate / pubs.size() : 0;
        for (BenchClient p : pubs) {
            if (p.channel() != null && p.channel().isActive()) {
                p.startPublishing(perPublisher);
            } else {
                publishersDone.countDown();
            }
        }
        long start = System.nanoTime();
        long warmupEnd = start + Math.min(settings.warmup.toNanos(), settings.duration.toNanos() / 2);
        long end = start + settings.duration.toNanos();
        Histogram total = Stats.newHistogram();
        Histogram interval = null;
        Snapshot base = snapshot(start);
        boolean warm = warmupEnd <= start;
        Snapshot last = base;
        long tick = start + 1_000_000_000L; // once a second, also with -q (nothing printed): never spin
        boolean countDone = false;
        while (true) {
            long now = System.nanoTime();
            long next = Math.min(end, tick);
            if (!warm) {
                next = Math.min(next, warmupEnd);
            }
            if (settings.count > 0 && !pubs.isEmpty()) {
                countDone = publishersDone.await(Math.max(0, next - now), TimeUnit.NANOSECONDS);
            } else if (next > now) {
                Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
            }
            now = System.nanoTime();
            if (now >= tick) {
                tick += 1_000_000_000L;
            }
            interval = stats.latency.getIntervalHistogram(interval);
            Snapshot snap = snapshot(now);
            if (warm) {
                total.add(interval);
            }
            if (settings.progress && (now - last.nanos >= 999_000_000L || countDone || now >= end)) {
                printProgress(start, last, snap, interval);
                last = snap;
            }
            if (!warm && now >= warmupEnd) {
                warm = true;
                base = snapshot(now);
                total.reset();
                last = base;
            }
            if (now >= end || countDone) {
                break;
            }
        }
        for (BenchClient p : pubs) {
            p.stopPublishing();
        }
        Snapshot stop = snapshot(System.nanoTime());
        drain(pubs.isEmpty() ? 0 : settings.pubQos, scenario, () -> expected(pubs, fanOut));
        interval = stats.latency.getIntervalHistogram(interval);
        total.add(interval);
        closeAll();
        tearDown();

        long sentTotal = 0;
        long expected = scenario == Scenario.PUBSUB ? 0 : -1;
        for (int p = 0; p < pubs.size(); p++) {
            long sent = pubs.get(p).sentTotal();
            sentTotal += sent;
            if (expected >= 0) {
                expected += sent * fanOut[p];
            }
        }
        if (scenario == Scenario.PUB) {
            expected = -1;
        }
        double window = (stop.nanos - base.nanos) / 1e9;
        return new Summary(
                title(subs.size(), pubs.size()),
                window,
                stop.sent - base.sent,
                stop.received - base.received,
                stop.acked - base.acked,
                sentTotal,
                stats.received(),
                expected,
                stats.duplicated.sum(),
                stats.gaps.sum(),
                stats.connected(),
                stats.connectFailed.sum(),
                connectSeconds,
                stats.connectRate(),
                (stop.cpu - base.cpu) / 1e9,
                brokerCpu(base, stop),
                broker == null ? -1 : broker.rssKib(),
                total,
                stats.errors());
    }

    private String title(int subs, int pubs) {
        String target = String.format(
                Locale.ROOT,
                "MQTT %s, %s://%s:%d",
                versionName(),
                settings.transport.name().toLowerCase(Locale.ROOT),
                settings.host,
                settings.port);
        String pubPart = String.format(
                Locale.ROOT,
                "%,d publishers on %s QoS %d, %d B%s",
                pubs,
                settings.pubTopic,
                settings.pubQos,
                settings.payloadSize,
                settings.rate > 0 ? String.format(Locale.ROOT, " at %,.0f msg/s", settings.rate) : " max rate");
        String subPart =
                String.format(Locale.ROOT, "%,d subscribers on %s QoS %d", subs, settings.subFilter, settings.subQos);
        return switch (settings.scenario) {
            case PUB -> "bastion bench pub: " + pubPart + ", " + target;
            case SUB -> "bastion bench sub: " + subPart + ", " + target;
            default -> "bastion bench pubsub: " + pubPart + " -> " + subPart + ", " + target;
        };
    }

    private String versionName() {
        return settings.version.isV5() ? "5" : "3.1.1";
    }

    private static long expected(List<BenchClient> pubs, long[] fanOut) {
        long expected = 0;
        for (int p = 0; p < pubs.size(); p++) {
            expected += pubs.get(p).sentTotal() * fanOut[p];
        }
        return expected;
    }

    /**
     * After publishing stops: waits until every expected delivery arrived (pubsub) and every QoS 1/2
     * publish is acknowledged, or until nothing arrived for a second, or the drain time is up.
     */
    private void drain(int qos, Scenario scenario, LongSupplier expected) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drain.toNanos();
        // nothing new for a quarter of the drain time (at least a second) ends it early
        long quietTicks = Math.max(20, settings.drain.toMillis() / 4 / 50);
        long lastReceived = -1;
        long lastAcked = -1;
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            long r = stats.received();
            long a = stats.acked.sum();
            boolean acksDone = qos == 0 || a >= stats.sent();
            if (acksDone
                    && (scenario == Scenario.PUB
                            || (scenario == Scenario.PUBSUB && r - stats.duplicated.sum() >= expected.getAsLong()))) {
                return;
            }
            if (r == lastReceived && a == lastAcked) {
                if (++quiet >= quietTicks) {
                    return;
                }
            } else {
                quiet = 0;
            }
            lastReceived = r;
            lastAcked = a;
        }
    }

    private void closeAll() throws InterruptedException {
        allClosed = new CountDownLatch(clients.size());
        long already = 0;
        for (BenchClient c : clients) {
            Channel ch = c.channel();
            if (ch != null && ch.isActive()) {
                c.disconnect();
            } else {
                already++;
            }
        }
        for (long i = 0; i < already; i++) {
            allClosed.countDown();
        }
        allClosed.await(10, TimeUnit.SECONDS);
    }

    private void printProgress(long start, Snapshot prev, Snapshot now, Histogram interval) {
        double dt = Math.max(1e-9, (now.nanos - prev.nanos) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "[%5.1fs] conn %,d  sent %,.0f/s  recv %,.0f/s",
                (now.nanos - start) / 1e9,
                stats.connected() - stats.closed.sum(),
                (now.sent - prev.sent) / dt,
                (now.received - prev.received) / dt));
        if (settings.pubQos > 0 && settings.scenario != Scenario.SUB) {
            sb.append(String.format(Locale.ROOT, "  acked %,.0f/s", (now.acked - prev.acked) / dt));
        }
        if (interval.getTotalCount() > 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  latency ms p50 %.3f p99 %.3f max %.3f",
                    interval.getValueAtPercentile(50) / 1e6,
                    interval.getValueAtPercentile(99) / 1e6,
                    interval.getMaxValue() / 1e6));
        }
        long errors = stats.errorCount();
        if (errors > 0) {
            sb.append("  errors ").append(errors);
        }
        progress.println(sb);
        progress.flush();
    }

    private Snapshot snapshot(long nanos) {
        double brokerCpu = broker == null ? -1 : broker.cpuSeconds();
        return new Snapshot(nanos, stats.sent(), stats.received(), stats.acked.sum(), cpuNanos(), brokerCpu);
    }

    private record Snapshot(long nanos, long sent, long received, long acked, long cpu, double brokerCpu) {}

    private double brokerCpu(Snapshot from, Snapshot to) {
        return from.brokerCpu < 0 || to.brokerCpu < 0 ? -1 : to.brokerCpu - from.brokerCpu;
    }

    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** Writes the summary's {@code key=value} lines to the result file, when one is set. */
    static void writeResult(BenchSettings settings, Summary summary) {
        if (settings.resultFile == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : summary.toProperties().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try {
            Files.writeString(settings.resultFile, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
