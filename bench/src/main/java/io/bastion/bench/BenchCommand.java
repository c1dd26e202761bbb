package io.bastion.bench;

import io.bastion.bench.BenchSettings.Scenario;
import io.bastion.bench.BenchSettings.Transport;
import io.bastion.mqtt.MqttVersion;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bastion bench}: an MQTT load generator usable against any broker. Four scenarios as
 * subcommands: {@code conn}, {@code pub}, {@code sub}, {@code pubsub}. Also runs on its own:
 * {@code java -jar bastion-bench.jar pubsub ...}.
 */
@Command(
        name = "bench",
        description = "MQTT load generator: connections, publishers, subscribers, end-to-end latency.",
        synopsisSubcommandLabel = "SCENARIO",
        subcommands = {
            BenchCommand.Conn.class,
            BenchCommand.Pub.class,
            BenchCommand.Sub.class,
            BenchCommand.PubSub.class
        },
        footer = {
            "",
            "Examples:",
            "  bench pubsub --pubs 50 --subs 1 --pub-topic 'bench/%%i' --sub-filter 'bench/#' -d 20s",
            "  bench pubsub --pubs 10 --subs 1 --qos 1 --rate 10000 -d 20s",
            "  bench conn -c 19000 --steps 1000,5000,10000 --source 127.0.0.1-127.0.0.50 -d 10s",
            "  bench sub -c 200 --sub-filter 'bench/fan' & bench pub -c 1 --pub-topic bench/fan"
        })
public final class BenchCommand implements Runnable {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        System.exit(cl.execute(args));
    }

    /** Options every scenario shares: where the broker is and how to connect. */
    static final class Common {
        // -h is the host (as in mosquitto_pub), so help is only --help
        @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(
                names = {"-h", "--host"},
                description = "broker host (default ${DEFAULT-VALUE})",
                defaultValue = "127.0.0.1")
        String host;

        @Option(
                names = {"-p", "--port"},
                description = "broker port (default 1883, 8883 for tls/wss, 80 for ws)")
        Integer port;

        @Option(
                names = "--transport",
                description = "tcp, tls, ws or wss (default ${DEFAULT-VALUE})",
                defaultValue = "tcp")
        String transport;

        @Option(names = "--ws-path", description = "WebSocket path (default ${DEFAULT-VALUE})", defaultValue = "/mqtt")
        String wsPath;

        @Option(names = "--cafile", description = "PEM CA certificates that sign the broker's certificate")
        Path caFile;

        @Option(names = "--cert", description = "PEM client certificate (mutual TLS)")
        Path certFile;

        @Option(names = "--key", description = "PEM PKCS#8 private key of --cert")
        Path keyFile;

        @Option(names = "--insecure", description = "accept any broker certificate and host name")
        boolean insecure;

        @Option(
                names = {"-V", "--mqtt-version"},
                description = "3.1.1 or 5 (default ${DEFAULT-VALUE})",
                defaultValue = "3.1.1")
        String mqttVersion;

        @Option(
                names = {"-u", "--username"},
                description = "user name")
        String username;

        @Option(
                names = {"-P", "--password"},
                description = "password")
        String password;

        @Option(names = "--client-id-prefix", description = "client ids are PREFIX + role letter + index")
        String clientIdPrefix;

        @Option(
                names = "--persistent",
                description = "clean start 0 (persistent sessions: use a fixed --client-id-prefix)")
        boolean persistent;

        @Option(names = "--session-expiry", description = "MQTT 5 Session Expiry Interval, seconds", defaultValue = "0")
        long sessionExpiry;

        @Option(
                names = {"-k", "--keepalive"},
                description = "keep alive seconds (default ${DEFAULT-VALUE})",
                defaultValue = "300")
        int keepAlive;

        @Option(
                names = {"-d", "--duration"},
                description = "run (or hold) this long, e.g. 20s, 2m (default ${DEFAULT-VALUE})",
                defaultValue = "20s")
        String duration;

        @Option(
                names = {"-w", "--warmup"},
                description = "the first part of the run left out of rates and latency; conn opens and closes "
                        + "connections this long before the measured ones (default ${DEFAULT-VALUE})",
                defaultValue = "5s")
        String warmup;

        @Option(
                names = "--drain",
                description = "how long to wait for in-flight messages at the end (default ${DEFAULT-VALUE})",
                defaultValue = "3s")
        String drain;

        @Option(
                names = "--connect-rate",
                description = "new connections per second, 0 = as fast as possible",
                defaultValue = "0")
        double connectRate;

        @Option(
                names = "--connect-concurrency",
                description = "connections waiting for CONNACK at once (default ${DEFAULT-VALUE})",
                defaultValue = "200")
        int connectConcurrency;

        @Option(names = "--source", description = "local addresses to bind, e.g. 127.0.0.1-127.0.0.50,127.0.1.1")
        String source;

        @Option(
                names = {"-t", "--threads"},
                description = "event loop threads, 0 = one per available processor",
                defaultValue = "0")
        int threads;

        @Option(
                names = {"-q", "--quiet"},
                description = "no per-second progress lines")
        boolean quiet;

        @Option(names = "--result-file", description = "also write the summary as key=value lines to this file")
        Path resultFile;

        @Option(
                names = "--broker-pid",
                description = "process id of a broker on this machine: report its CPU and memory (Linux /proc)",
                defaultValue = "0")
        long brokerPid;

        BenchSettings settings(Scenario scenario) {
            BenchSettings s = new BenchSettings();
            s.scenario = scenario;
            s.host = host;
            s.transport = Transport.valueOf(transport.trim().toUpperCase(java.util.Locale.ROOT));
            s.port = port != null
                    ? port
                    : switch (s.transport) {
                        case TCP -> 1883;
                        case TLS, WSS -> 8883;
                        case WS -> 80;
                    };
            s.webSocketPath = wsPath;
            s.caFile = caFile;
            s.certFile = certFile;
            s.keyFile = keyFile;
            s.insecure = insecure;
            s.version = switch (mqttVersion.trim()) {
                case "3.1.1", "3", "4", "311" -> MqttVersion.V3_1_1;
                case "5", "5.0" -> MqttVersion.V5;
                default -> throw new IllegalArgumentException("--mqtt-version must be 3.1.1 or 5");
            };
            s.username = username;
            s.password = password;
            if (clientIdPrefix != null) {
                s.clientIdPrefix = clientIdPrefix;
            }
            s.cleanStart = !persistent;
            s.sessionExpiry = sessionExpiry;
            s.keepAlive = keepAlive;
            s.duration = Durations.parse(duration);
            s.warmup = Durations.parse(warmup);
            s.drain = Durations.parse(drain);
            s.connectRate = connectRate;
            s.connectConcurrency = connectConcurrency;
            s.sources = SourceAddresses.parse(source);
            s.threads = threads;
            s.progress = !quiet;
            s.resultFile = resultFile;
            s.brokerPid = brokerPid;
            return s;
        }
    }

    /** Publisher options. */
    static final class PublishOptions {
        @Option(
                names = "--pub-topic",
                description = "topic, %%i = publisher index, %%c = client id (default ${DEFAULT-VALUE})",
                defaultValue = "bench/%i")
        String topic;

        @Option(
                names = {"-s", "--size"},
                description = "payload bytes; 16 or more carry a timestamp and sequence (default ${DEFAULT-VALUE})",
                defaultValue = "64")
        int size;

        @Option(
                names = {"-r", "--rate"},
                description = "total messages per second over all publishers, 0 = max (default ${DEFAULT-VALUE})",
                defaultValue = "0")
        double rate;

        @Option(
                names = {"-n", "--count"},
                description = "messages per publisher, 0 = until the duration ends",
                defaultValue = "0")
        long count;

        @Option(
                names = "--inflight",
                description = "unacknowledged QoS 1/2 messages per publisher (default ${DEFAULT-VALUE})",
                defaultValue = "64")
        int inflight;

        @Option(names = "--retain", description = "publish retained messages")
        boolean retain;

        @Option(
                names = "--publisher-id-base",
                description = "added to publisher indexes in payloads (several generators)",
                defaultValue = "0")
        int idBase;

        void apply(BenchSettings s) {
            s.pubTopic = new TopicPattern(topic);
            s.payloadSize = size;
            s.rate = rate;
            s.count = count;
            s.inflight = inflight;
            s.retain = retain;
            s.publisherIdBase = idBase;
        }
    }

    /** Base of the scenario commands. */
    abstract static class Scenario_ implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        abstract BenchSettings settings();

        @Override
        public Integer call() throws Exception {
            BenchSettings s = settings();
            PrintStream err = new PrintStream(System.err, true, Charset.defaultCharset());
            Summary summary = new LoadRun(s, err).run();
            spec.commandLine().getOut().print(summary.format());
            spec.commandLine().getOut().flush();
            LoadRun.writeResult(s, summary);
            return summary.connected() == 0 ? 1 : 0;
        }
    }

    @Command(name = "conn", description = "Open connections at a rate and hold them.")
    static final class Conn extends Scenario_ {
        @Option(
                names = {"-c", "--connections"},
                description = "connections (default ${DEFAULT-VALUE})",
                defaultValue = "1000")
        int connections;

        @Option(names = "--steps", split = ",", description = "pause at these connection counts, e.g. 1000,5000,10000")
        List<Integer> steps = List.of();

        @Option(
                names = "--step-pause",
                description = "pause at each step (default ${DEFAULT-VALUE})",
                defaultValue = "5s")
        String stepPause;

        @Override
        BenchSettings settings() {
            BenchSettings s = common.settings(Scenario.CONN);
            s.connections = connections;
            s.steps = List.copyOf(steps);
            s.stepPause = Durations.parse(stepPause);
            return s;
        }
    }

    @Command(name = "pub", description = "Publishers only.")
    static final class Pub extends Scenario_ {
        @Option(
                names = {"-c", "--pubs"},
                description = "publishers (default ${DEFAULT-VALUE})",
                defaultValue = "1")
        int publishers;

        @Option(names = "--qos", description = "QoS of the PUBLISH (default ${DEFAULT-VALUE})", defaultValue = "0")
        int qos;

        @Mixin
        PublishOptions publish = new PublishOptions();

        @Override
        BenchSettings settings() {
            BenchSettings s = common.settings(Scenario.PUB);
            s.publishers = publishers;
            s.pubQos = qos;
            publish.apply(s);
            return s;
        }
    }

    @Command(name = "sub", description = "Subscribers only; latency from stamped payloads.")
    static final class Sub extends Scenario_ {
        @Option(
                names = {"-c", "--subs"},
                description = "subscribers (default ${DEFAULT-VALUE})",
                defaultValue = "1")
        int subscribers;

        @Option(
                names = "--qos",
                description = "maximum QoS of the subscription (default ${DEFAULT-VALUE})",
                defaultValue = "0")
        int qos;

        @Option(
                names = "--sub-filter",
                description = "topic filter, %%i = subscriber index (default ${DEFAULT-VALUE})",
                defaultValue = "bench/#")
        String filter;

        @Override
        BenchSettings settings() {
            BenchSettings s = common.settings(Scenario.SUB);
            s.subscribers = subscribers;
            s.subQos = qos;
            s.subFilter = new TopicPattern(filter);
            s.warmup = s.warmup.isZero() ? Duration.ZERO : s.warmup;
            return s;
        }
    }

    @Command(
            name = "pubsub",
            description =
                    "Publishers and subscribers in one process: throughput, loss, duplicates, end-to-end latency.")
    static final class PubSub extends Scenario_ {
        @Option(names = "--pubs", description = "publishers (default ${DEFAULT-VALUE})", defaultValue = "1")
        int publishers;

        @Option(names = "--subs", description = "subscribers (default ${DEFAULT-VALUE})", defaultValue = "1")
        int subscribers;

        @Option(
                names = "--qos",
                description = "QoS of publishers and subscriptions (default ${DEFAULT-VALUE})",
                defaultValue = "0")
        int qos;

        @Option(names = "--sub-qos", description = "subscription QoS when it differs from --qos")
        Integer subQos;

        @Option(
                names = "--sub-filter",
                description = "topic filter, %%i = subscriber index (default ${DEFAULT-VALUE})",
                defaultValue = "bench/#")
        String filter;

        @Mixin
        PublishOptions publish = new PublishOptions();

        @Override
        BenchSettings settings() {
            BenchSettings s = common.settings(Scenario.PUBSUB);
            s.publishers = publishers;
            s.subscribers = subscribers;
            s.pubQos = qos;
            s.subQos = subQos == null ? qos : subQos;
            s.subFilter = new TopicPattern(filter);
            publish.apply(s);
            return s;
        }
    }
}
