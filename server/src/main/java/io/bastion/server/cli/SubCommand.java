package io.bastion.server.cli;

import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import io.bastion.server.client.ClientFailure;
import io.bastion.server.client.ConnectOptions;
import io.bastion.server.client.MqttConnection;
import io.bastion.server.client.MqttProperty.Packet;
import io.bastion.server.client.ReceivedMessage;
import io.bastion.server.client.SubscriptionResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sub",
        sortOptions = false,
        description = "Subscribe to topics on any MQTT broker and print what arrives; the flags are mosquitto_sub's.",
        footer = {
            "",
            "Exit codes: 0 done (-C, -E, --retained-only), 1 connection refused or lost,",
            "2 usage error, 27 timed out (-W).",
            "",
            "Examples:",
            "  bastion sub -t 'sensors/#' -v",
            "  bastion sub -t sensors/1/config -C 1 -W 5"
        })
final class SubCommand implements Callable<Integer> {
    /** How often the wait for messages wakes up to notice a lost connection or the -W deadline. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final CliStreams streams;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            required = true,
            paramLabel = "FILTER",
            description = "Topic filter to subscribe to; repeatable.")
    List<String> topics;

    @Option(
            names = {"-q", "--qos"},
            defaultValue = "0",
            description = "QoS of the subscriptions (default: 0).")
    int qos;

    @Option(
            names = {"-C", "--count"},
            paramLabel = "N",
            description = "Exit after N messages.")
    Integer count;

    @Option(
            names = {"-W", "--timeout"},
            paramLabel = "SECONDS",
            description = "Exit with code 27 when this long has passed since connecting.")
    Integer timeoutSeconds;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print 'topic payload' rather than the payload alone.")
    boolean verbose;

    @Option(names = "-N", description = "Do not print a newline after each message.")
    boolean noNewline;

    @Option(
            names = {"-R", "--no-stale"},
            description = "Do not print retained messages the broker sends on subscribing.")
    boolean noStale;

    @Option(names = "--retained-only", description = "Print retained messages only; exit at the first live one.")
    boolean retainedOnly;

    @Option(
            names = {"-E", "--exit-after-subscribe"},
            description = "Exit once subscribed, e.g. to create a persistent session with -c.")
    boolean exitAfterSubscribe;

    SubCommand(CliStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        ConnectOptions options = connectOptions();
        try (MqttConnection connection = MqttConnection.connect(options)) {
            Instant deadline = timeoutSeconds == null ? null : Instant.now().plusSeconds(timeoutSeconds);
            checkSubscriptions(connection.subscribe(topics, qos, client.properties(Packet.SUBSCRIBE)));
            if (exitAfterSubscribe) {
                return ExitCodes.OK;
            }
            int printed = 0;
            while (count == null || printed < count) {
                Duration wait = POLL;
                if (deadline != null) {
                    Duration left = Duration.between(Instant.now(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        throw new CommandFailure(ExitCodes.TIMEOUT, "timed out after " + timeoutSeconds + " s");
                    }
                    wait = left.compareTo(POLL) < 0 ? left : POLL;
                }
                Optional<ReceivedMessage> message = connection.receive(wait);
                if (message.isEmpty() || (noStale && message.get().retain())) {
                    continue;
                }
                if (retainedOnly && !message.get().retain()) {
                    return ExitCodes.OK;
                }
                print(message.get());
                printed++;
            }
        }
        return ExitCodes.OK;
    }

    /** Checks everything that needs no network, so usage errors come before connecting. */
    ConnectOptions connectOptions() {
        ClientOptions.checkQos(spec, "-q", qos);
        ClientOptions.check(spec, count == null || count > 0, "-C: the count must be at least 1");
        ClientOptions.check(spec, timeoutSeconds == null || timeoutSeconds > 0, "-W: the timeout must be at least 1");
        ClientOptions.check(spec, !(noStale && retainedOnly), "-R and --retained-only together make no sense");
        for (String topic : topics) {
            try {
                MqttTopicFilter.of(topic);
            } catch (IllegalArgumentException e) {
                ClientOptions.check(spec, false, "-t: '" + topic + "' is not a valid topic filter: " + e.getMessage());
            }
        }
        return client.connectOptions(spec, EnumSet.of(Packet.CONNECT, Packet.SUBSCRIBE, Packet.WILL), streams.err());
    }

    private void checkSubscriptions(List<SubscriptionResult> results) {
        List<SubscriptionResult> refused =
                results.stream().filter(r -> !r.granted()).collect(Collectors.toList());
        if (!refused.isEmpty() && refused.size() == results.size()) {
            throw new ClientFailure("every subscription was refused: " + describe(refused));
        }
        if (!refused.isEmpty() && !client.quiet) {
            streams.err().println("warning: subscription refused: " + describe(refused));
        }
    }

    private static String describe(List<SubscriptionResult> refused) {
        return refused.stream()
                .map(r -> "'" + r.topicFilter() + "' SUBACK " + String.format("0x%02X", r.code()) + " " + r.name())
                .collect(Collectors.joining(", "));
    }

    private void print(ReceivedMessage message) throws IOException {
        PrintStream out = streams.out();
        if (verbose) {
            out.write(message.topic().getBytes(StandardCharsets.UTF_8));
            out.write(' ');
        }
        out.write(message.payload());
        if (!noNewline) {
            out.write('\n');
        }
        out.flush();
    }
}
