package io.bastion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.bench.BenchSettings.Scenario;
import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.mqtt.MqttVersion;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.MqttServer;
import io.bastion.transport.TransportSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Short end-to-end runs against an in-process Bastion: counts only, never timings. */
class LoadRunTest {
    private static Broker broker;
    private static MqttServer server;
    private static int port;

    @BeforeAll
    static void startBroker() {
        broker = new Broker(BrokerSettings.defaults());
        server = new MqttServer(
                broker,
                List.of(new ListenerSettings("tcp", "127.0.0.1", 0)),
                new TransportSettings(1, 256 * 1024, 128 * 1024));
        port = server.start().get(0).address().getPort();
    }

    @AfterAll
    static void stopBroker() {
        server.shutdown(Duration.ofSeconds(1));
    }

    private static BenchSettings settings(Scenario scenario) {
        BenchSettings s = new BenchSettings();
        s.scenario = scenario;
        s.port = port;
        s.threads = 1;
        s.progress = false;
        s.warmup = Duration.ZERO;
        s.duration = Duration.ofSeconds(30); // a ceiling: the runs below end when their count is sent
        s.drain = Duration.ofSeconds(20);
        return s;
    }

    private static Summary run(BenchSettings s) throws InterruptedException {
        return run(s, new ByteArrayOutputStream());
    }

    private static Summary run(BenchSettings s, ByteArrayOutputStream progress) throws InterruptedException {
        return new LoadRun(s, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    }

    @ParameterizedTest
    @CsvSource({"0, V3_1_1", "1, V3_1_1", "2, V3_1_1", "1, V5", "2, V5"})
    void everyMessageArrivesOnceAtEverySubscriber(int qos, String version) throws Exception {
        BenchSettings s = settings(Scenario.PUBSUB);
        s.version = MqttVersion.valueOf(version);
        s.publishers = 3;
        s.subscribers = 2;
        s.pubQos = qos;
        s.subQos = qos;
        // paced, and fewer per subscriber than the broker's queue limit, so the broker has no reason to drop
        s.count = 300;
        s.rate = 6_000;
        s.pubTopic = new TopicPattern("it/q" + qos + version + "/%i");
        s.subFilter = new TopicPattern("it/q" + qos + version + "/#");

        Summary summary = run(s);

        assertThat(summary.errors()).isEmpty();
        assertThat(summary.connected()).isEqualTo(5);
        assertThat(summary.sentTotal()).isEqualTo(900);
        assertThat(summary.expected()).isEqualTo(1800);
        assertThat(summary.receivedTotal()).as(summary.format()).isEqualTo(1800);
        assertThat(summary.lost()).isZero();
        assertThat(summary.duplicated()).isZero();
        assertThat(summary.latency().getTotalCount()).isEqualTo(1800);
        if (qos > 0) {
            assertThat(summary.acked()).isEqualTo(900);
        }
    }

    @Test
    void fanOutCountsOneDeliveryPerSubscriberWithPerClientTopics() throws Exception {
        BenchSettings s = settings(Scenario.PUBSUB);
        s.publishers = 4;
        s.subscribers = 4;
        s.count = 100;
        s.rate = 4_000;
        s.pubTopic = new TopicPattern("it/own/%i");
        s.subFilter = new TopicPattern("it/own/%i"); // subscriber i hears publisher i only

        Summary summary = run(s);

        assertThat(summary.expected()).isEqualTo(400);
        assertThat(summary.receivedTotal()).isEqualTo(400);
        assertThat(summary.lost()).isZero();
    }

    @Test
    void connectionScenarioOpensAndHoldsInSteps() throws Exception {
        BenchSettings s = settings(Scenario.CONN);
        s.connections = 40;
        s.steps = List.of(10, 25);
        s.stepPause = Duration.ZERO;
        s.duration = Duration.ZERO;
        s.sources = SourceAddresses.parse("127.0.0.1-127.0.0.4");

        Summary summary = run(s);

        assertThat(summary.connected()).isEqualTo(40);
        assertThat(summary.connectFailed()).isZero();
        assertThat(summary.errors()).isEmpty();
        assertThat(summary.connectRate()).isPositive();
    }

    @Test
    void connectionWarmUpOpensAndClosesBatchesThatAreNotCounted() throws Exception {
        BenchSettings s = settings(Scenario.CONN);
        s.connections = 30;
        s.warmup = Duration.ofMillis(300);
        s.stepPause = Duration.ZERO;
        s.duration = Duration.ZERO;
        s.progress = true;
        long acceptedBefore = broker.metrics().connectionsAccepted.sum();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Summary summary = run(s, progress);

        String warmUp = progress.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("warm-up: "))
                .findFirst()
                .orElseThrow();
        long warmed = Long.parseLong(warmUp.replaceAll("[^0-9]", ""));
        assertThat(warmed).isPositive().isEqualTo(warmed / 30 * 30); // whole batches of min(connections, 1,000)
        assertThat(summary.connected()).isEqualTo(30);
        assertThat(summary.connectFailed()).isZero();
        assertThat(summary.errors()).isEmpty();
        assertThat(broker.metrics().connectionsAccepted.sum() - acceptedBefore).isEqualTo(warmed + 30);
    }
}
