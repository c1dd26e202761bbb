package io.bastion.server.cli;

import io.bastion.server.client.ConnectOptions;
import io.bastion.server.client.MqttProperty;
import io.bastion.server.client.MqttProperty.Packet;
import io.bastion.server.client.OutgoingMessage;
import io.bastion.server.client.ProtocolVersion;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The connection options {@code pub} and {@code sub} share, with mosquitto_pub/mosquitto_sub's flags. */
final class ClientOptions {
    /** Session Expiry Interval meaning "never expires". */
    static final long NEVER_EXPIRES = 4_294_967_295L;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(
            names = {"-h", "--host"},
            defaultValue = "localhost",
            description = "Broker host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = {"-p", "--port"},
            defaultValue = "1883",
            description = "Broker port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = {"-V", "--protocol-version"},
            defaultValue = "5",
            converter = ProtocolVersion.Converter.class,
            paramLabel = "VERSION",
            description = "MQTT version: 5 or mqttv5 (default), 311 or mqttv311.")
    ProtocolVersion version;

    @Option(
            names = {"-i", "--id"},
            description = "Client id (default: assigned by an MQTT 5 broker; random with 3.1.1).")
    String id;

    @Option(
            names = {"-I", "--id-prefix"},
            paramLabel = "PREFIX",
            description = "Client id: this prefix followed by the process id.")
    String idPrefix;

    @Option(
            names = {"-u", "--username"},
            description = "User name.")
    String username;

    @Option(
            names = {"-P", "--pw"},
            paramLabel = "PASSWORD",
            description = "Password.")
    String password;

    @Option(
            names = {"-k", "--keepalive"},
            defaultValue = "60",
            description = "Keep alive in seconds, 0 disables (default: ${DEFAULT-VALUE}).")
    int keepAlive;

    @Option(
            names = {"-c", "--disable-clean-session"},
            description = "Resume the session of this client id (clean start off); needs -i or -I.")
    boolean disableCleanSession;

    @Option(
            names = {"-x", "--session-expiry-interval"},
            converter = SessionExpiryConverter.class,
            paramLabel = "SECONDS",
            description = "MQTT 5 session expiry: 0..4294967294 seconds, or -1 / inf for never"
                    + " (default: never with -c, else 0).")
    Long sessionExpiry;

    @Option(
            names = {"-d", "--debug"},
            description = "Print protocol events to stderr.")
    boolean debug;

    @Option(names = "--quiet", description = "Do not print warnings.")
    boolean quiet;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Topic of the will message.")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "PAYLOAD", description = "Payload of the will (default: empty).")
    String willPayload;

    @Option(
            names = "--will-qos",
            defaultValue = "0",
            paramLabel = "QOS",
            description = "QoS of the will (default: 0).")
    int willQos;

    @Option(names = "--will-retain", description = "Retain the will message.")
    boolean willRetain;

    @Option(
            names = {"-D", "--property"},
            parameterConsumer = MqttProperty.Consumer.class,
            paramLabel = "PACKET NAME [KEY] VALUE",
            description = {
                "MQTT 5 property, repeatable, e.g. -D publish user-property unit celsius,",
                "-D publish content-type text/plain, -D connect session-expiry-interval 60,",
                "-D will will-delay-interval 10. Packets: connect, publish, subscribe, will."
            })
    List<MqttProperty> properties = new ArrayList<>();

    /** The validated options; {@code packets} are the packets whose {@code -D} properties this command sends. */
    ConnectOptions connectOptions(CommandSpec spec, Set<Packet> packets, PrintStream err) {
        check(spec, port >= 1 && port <= 65_535, "-p: the port must be between 1 and 65535 (got " + port + ")");
        check(spec, keepAlive >= 0 && keepAlive <= 65_535, "-k: keep alive must be between 0 and 65535");
        check(spec, id == null || idPrefix == null, "-i and -I cannot be used together");
        checkWill(spec);
        for (MqttProperty property : properties) {
            check(
                    spec,
                    packets.contains(property.packet()),
                    "-D " + property.packet().name().toLowerCase(Locale.ROOT) + ": this command sends no such packet;"
                            + " use " + packets.stream()
                                    .map(p -> p.name().toLowerCase(Locale.ROOT))
                                    .sorted()
                                    .collect(Collectors.joining(", ")));
        }
        boolean v5 = version == ProtocolVersion.MQTT_5;
        check(spec, v5 || properties.isEmpty(), "-D needs MQTT 5 (-V 5)");
        check(spec, v5 || sessionExpiry == null, "-x needs MQTT 5 (-V 5)");
        check(spec, v5 || password == null || username != null, "-P needs -u with MQTT 3.1.1");
        long expiry = sessionExpiry != null ? sessionExpiry : disableCleanSession ? NEVER_EXPIRES : 0;
        String clientId = clientId();
        check(
                spec,
                !clientId.isEmpty() || (!disableCleanSession && expiry == 0),
                "-c and -x need a client id (-i or -I): a session is found again by its client id");
        Consumer<String> debugOut = debug ? err::println : line -> {};
        return new ConnectOptions(
                host,
                port,
                version,
                clientId,
                username,
                password,
                keepAlive,
                !disableCleanSession,
                expiry,
                will(),
                properties(Packet.CONNECT),
                CONNECT_TIMEOUT,
                debugOut);
    }

    List<MqttProperty> properties(Packet packet) {
        return properties.stream().filter(p -> p.packet() == packet).collect(Collectors.toList());
    }

    static void check(CommandSpec spec, boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    static void checkQos(CommandSpec spec, String option, int qos) {
        check(spec, qos >= 0 && qos <= 2, option + ": QoS must be 0, 1 or 2 (got " + qos + ")");
    }

    private void checkWill(CommandSpec spec) {
        boolean willDetails = willPayload != null || willRetain || willQos != 0 || !properties(Packet.WILL).isEmpty();
        check(spec, willTopic != null || !willDetails, "--will-payload, --will-qos, --will-retain need --will-topic");
        checkQos(spec, "--will-qos", willQos);
    }

    private Optional<OutgoingMessage> will() {
        if (willTopic == null) {
            return Optional.empty();
        }
        byte[] payload = willPayload == null ? new byte[0] : willPayload.getBytes(StandardCharsets.UTF_8);
        return Optional.of(new OutgoingMessage(willTopic, payload, willQos, willRetain, properties(Packet.WILL)));
    }

    /** Like mosquitto: MQTT 5 lets the broker assign one; 3.1.1 brokers may not, so one is made up. */
    private String clientId() {
        if (id != null) {
            return id;
        }
        if (idPrefix != null) {
            return idPrefix + ProcessHandle.current().pid();
        }
        if (version == ProtocolVersion.MQTT_5) {
            return "";
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder random = new StringBuilder("bastion-");
        for (int i = 0; i < 15; i++) {
            random.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return random.toString();
    }

    /** Accepts mosquitto's spellings: seconds, or -1 / inf / ∞ for a session that never expires. */
    static final class SessionExpiryConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.equals("-1") || text.equals("inf") || text.equals("infinity") || text.equals("∞")) {
                return NEVER_EXPIRES;
            }
            try {
                long seconds = Long.parseLong(text);
                if (seconds >= 0 && seconds <= NEVER_EXPIRES) {
                    return seconds;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not 0..4294967295 seconds, -1 or inf");
        }
    }
}
