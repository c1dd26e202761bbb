package io.bastion.server.cli;

import io.bastion.server.client.ConnectOptions;
import io.bastion.server.client.MqttProperty;
import io.bastion.server.client.MqttProperty.Packet;
import io.bastion.server.client.OutgoingMessage;
import io.bastion.server.client.ProtocolVersion;
import io.bastion.server.client.TransportOptions;
import io.bastion.transport.tls.TlsConfigException;
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
            description = "Broker port (default: 1883; 8883 with TLS, 8080 for ws://, 8084 for wss://).")
    Integer port;

    @Option(
            names = {"-L", "--url"},
            paramLabel = "URL",
            description = "Broker URL: mqtt://, mqtts://, ws:// or wss://[user[:password]@]host[:port][/path];"
                    + " for ws:// and wss:// the path is the WebSocket path (default /mqtt).")
    String url;

    @Option(
            names = "--cafile",
            paramLabel = "FILE",
            description = "PEM CA certificates to verify the broker with; turns TLS on.")
    java.nio.file.Path caFile;

    @Option(
            names = "--cert",
            paramLabel = "FILE",
            description = "PEM client certificate for mutual TLS (with --key); turns TLS on.")
    java.nio.file.Path certFile;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "PEM private key of --cert (PKCS#1, PKCS#8, EC; may be encrypted, see --key-pass).")
    java.nio.file.Path keyFile;

    @Option(names = "--key-pass", paramLabel = "PASSPHRASE", description = "Passphrase of an encrypted --key.")
    String keyPassword;

    @Option(
            names = "--tls-version",
            paramLabel = "VERSION",
            description = "TLS version to use: tlsv1.3 or tlsv1.2 (default: either).")
    String tlsVersion;

    @Option(
            names = "--insecure",
            description = "Do not check that the broker's certificate names the host connected to.")
    boolean insecure;

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

    @Option(names = "--will-qos", defaultValue = "0", paramLabel = "QOS", description = "QoS of the will (default: 0).")
    int willQos;

    @Option(names = "--will-retain", description = "Retain the will message.")
    boolean willRetain;

    @Option(
            names = {"-D", "--property"},
            parameterConsumer = MqttProperty.Consumer.class,
            paramLabel = "PACKET NAME [KEY] VALUE",
            description = "MQTT 5 property, repeatable. Packets: connect, publish, subscribe, will. E.g."
                    + " -D publish user-property unit celsius, -D publish content-type text/plain,"
                    + " -D connect session-expiry-interval 60, -D will will-delay-interval 10.")
    List<MqttProperty> properties = new ArrayList<>();

    /** The validated options; {@code packets} are the packets whose {@code -D} properties this command sends. */
    ConnectOptions connectOptions(CommandSpec spec, Set<Packet> packets, PrintStream err) {
        TransportOptions transport = transport(spec);
        int port = this.port != null ? this.port : defaultPort(transport);
        check(spec, port >= 1 && port <= 65_535, "-p: the port must be between 1 and 65535 (got " + port + ")");
        check(spec, keepAlive >= 0 && keepAlive <= 65_535, "-k: keep alive must be between 0 and 65535");
        check(spec, id == null || idPrefix == null, "-i and -I cannot be used together");
        checkWill(spec);
        for (MqttProperty property : properties) {
            check(
                    spec,
                    packets.contains(property.packet()),
                    "-D " + property.packet().name().toLowerCase(Locale.ROOT) + ": this command sends no such packet;"
                            + " use "
                            + packets.stream()
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
                debugOut,
                transport);
    }

    private int defaultPort(TransportOptions transport) {
        if (transport.webSocket()) {
            return transport.tls() ? 8084 : 8080;
        }
        return transport.tls() ? 8883 : 1883;
    }

    /** From -L and the TLS options; -L's host, port and credentials fill in what -h, -p, -u, -P did not give. */
    private TransportOptions transport(CommandSpec spec) {
        boolean tls = false;
        boolean webSocket = false;
        String wsPath = null;
        if (url != null) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(url.trim());
            } catch (java.net.URISyntaxException e) {
                throw new ParameterException(spec.commandLine(), "-L: not a URL: " + url);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "mqtt", "tcp" -> {}
                case "mqtts", "ssl", "tls" -> tls = true;
                case "ws" -> webSocket = true;
                case "wss" -> {
                    webSocket = true;
                    tls = true;
                }
                default ->
                    throw new ParameterException(
                            spec.commandLine(),
                            "-L: the URL must start with mqtt://, mqtts://, ws:// or wss:// (got " + url + ")");
            }
            check(spec, uri.getHost() != null, "-L: the URL names no host: " + url);
            host = uri.getHost();
            if (uri.getPort() > 0 && port == null) {
                port = uri.getPort();
            }
            if (uri.getUserInfo() != null && username == null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                username = parts[0];
                if (parts.length > 1 && password == null) {
                    password = parts[1];
                }
            }
            String path = uri.getPath();
            if (webSocket) {
                wsPath = path == null || path.isEmpty() || path.equals("/") ? "/mqtt" : path;
            } else {
                check(
                        spec,
                        path == null || path.isEmpty() || path.equals("/"),
                        "-L: give the topic with -t (a path is only taken by ws:// and wss:// URLs)");
            }
        }
        check(spec, (certFile == null) == (keyFile == null), "--cert and --key go together");
        check(spec, keyPassword == null || keyFile != null, "--key-pass needs --key");
        tls = tls || caFile != null || certFile != null || tlsVersion != null || insecure;
        List<String> versions = List.of();
        if (tlsVersion != null) {
            String v = tlsVersion.trim().toLowerCase(Locale.ROOT);
            versions = switch (v) {
                case "tlsv1.3", "tls1.3", "1.3" -> List.of("TLSv1.3");
                case "tlsv1.2", "tls1.2", "1.2" -> List.of("TLSv1.2");
                case "tlsv1.1", "tls1.1", "1.1" -> List.of("TLSv1.1");
                default ->
                    throw new ParameterException(
                            spec.commandLine(),
                            "--tls-version: must be tlsv1.3, tlsv1.2 or tlsv1.1 (got " + tlsVersion + ")");
            };
        }
        TransportOptions transport = new TransportOptions(
                tls, webSocket, wsPath, caFile, certFile, keyFile, keyPassword, versions, insecure);
        if (tls) {
            try {
                var unused = transport.sslConfig(); // reads the files now: a bad one is a usage error
            } catch (TlsConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return transport;
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
        boolean willDetails = willPayload != null
                || willRetain
                || willQos != 0
                || !properties(Packet.WILL).isEmpty();
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
