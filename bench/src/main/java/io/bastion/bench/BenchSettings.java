package io.bastion.bench;

import io.bastion.mqtt.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one run of the generator needs, independent of the command line so tests can build it
 * directly. Mutable on purpose: the command fills it in, then hands it to a {@link LoadRun}.
 */
public final class BenchSettings {
    /** The four scenarios of {@code bastion bench}. */
    public enum Scenario {
        /** open connections at a rate and hold them */
        CONN,
        /** publishers only */
        PUB,
        /** subscribers only */
        SUB,
        /** publishers and subscribers in one process: end-to-end latency, lost and duplicated */
        PUBSUB
    }

    /** How the generator reaches the broker. */
    public enum Transport {
        TCP,
        TLS,
        WS,
        WSS;

        boolean secure() {
            return this == TLS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }
    }

    public Scenario scenario = Scenario.PUBSUB;
    public String host = "127.0.0.1";
    public int port = 1883;
    public Transport transport = Transport.TCP;
    public String webSocketPath = "/mqtt";
    public Path caFile;
    public Path certFile;
    public Path keyFile;
    public boolean insecure;
    public MqttVersion version = MqttVersion.V3_1_1;
    public String username;
    public String password;
    public String clientIdPrefix = "bench-" + ProcessHandle.current().pid() + "-";
    public boolean cleanStart = true;
    public long sessionExpiry;
    public int keepAlive = 300;

    /** {@link Scenario#CONN}: connections to open. */
    public int connections = 1000;
    /** {@link Scenario#CONN}: pause at these connection counts (ascending), empty for none. */
    public List<Integer> steps = List.of();

    public Duration stepPause = Duration.ofSeconds(5);

    public int publishers = 1;
    public int subscribers = 1;
    /** Offset added to a publisher's index in its payload, so several generator processes stay apart. */
    public int publisherIdBase;

    public TopicPattern pubTopic = new TopicPattern("bench/%i");
    public TopicPattern subFilter = new TopicPattern("bench/#");
    public int pubQos;
    public int subQos;
    public int payloadSize = 64;
    public boolean retain;
    /** Total messages per second over all publishers; 0 = as fast as the broker takes them. */
    public double rate;
    /** Messages per publisher; 0 = publish until the duration ends. */
    public long count;
    /** Unacknowledged QoS 1/2 messages per publisher (also capped by a v5 broker's Receive Maximum). */
    public int inflight = 64;

    public Duration duration = Duration.ofSeconds(20);
    public Duration warmup = Duration.ofSeconds(5);
    public Duration drain = Duration.ofSeconds(3);

    /** New connections per second; 0 = as fast as the broker accepts them. */
    public double connectRate;
    /** Connections whose CONNACK is outstanding at any one time. */
    public int connectConcurrency = 200;

    public SourceAddresses sources = SourceAddresses.none();
    /** Event loop threads; 0 = one per available processor. */
    public int threads;

    public boolean progress = true;
    public Path resultFile;
    /** The broker's process id when it runs on this machine: its CPU and memory go into the summary. */
    public long brokerPid;

    public int threadsOrDefault() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
