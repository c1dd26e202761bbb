package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.server.client.ConnectOptions;
import io.bastion.server.client.MqttProperty;
import io.bastion.server.client.MqttProperty.Packet;
import io.bastion.server.client.OutgoingMessage;
import io.bastion.server.client.ProtocolVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** mosquitto_pub / mosquitto_sub flags, parsed and validated without any network. */
class ClientOptionsParsingTest {
    private final CliHarness cli = new CliHarness();

    private PubCommand pub(String... args) {
        return (PubCommand) parse("pub", args);
    }

    private SubCommand sub(String... args) {
        return (SubCommand) parse("sub", args);
    }

    private Object parse(String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine commandLine = BastionCommand.commandLine(cli.streams(), Map.of());
        ParseResult result = commandLine.parseArgs(all);
        return result.subcommand().commandSpec().userObject();
    }

    @Test
    void pubDefaultsAreMosquittosExceptTheVersion() {
        PubCommand pub = pub("-t", "a/b", "-m", "hello");
        ConnectOptions options = pub.connectOptions();

        assertThat(options.host()).isEqualTo("localhost");
        assertThat(options.port()).isEqualTo(1883);
        assertThat(options.version()).isEqualTo(ProtocolVersion.MQTT_5);
        assertThat(options.clientId()).isEmpty(); // MQTT 5: the broker assigns one
        assertThat(options.keepAlive()).isEqualTo(60);
        assertThat(options.cleanStart()).isTrue();
        assertThat(options.sessionExpiry()).isZero();
        assertThat(options.will()).isEmpty();
        assertThat(options.username()).isNull();
        assertThat(pub.qos).isZero();
        assertThat(pub.retain).isFalse();
        assertThat(pub.source.message).isEqualTo("hello");
    }

    @Test
    void pubEveryConnectionFlag() {
        PubCommand pub = pub(
                "-h",
                "broker.local",
                "-p",
                "1884",
                "-t",
                "a/b",
                "-m",
                "x",
                "-q",
                "2",
                "-r",
                "-i",
                "dev-1",
                "-u",
                "user",
                "-P",
                "secret",
                "-k",
                "30",
                "-V",
                "mqttv311",
                "-c",
                "-d",
                "--will-topic",
                "w/dev-1",
                "--will-payload",
                "gone",
                "--will-qos",
                "1",
                "--will-retain");
        ConnectOptions options = pub.connectOptions();

        assertThat(options.host()).isEqualTo("broker.local");
        assertThat(options.port()).isEqualTo(1884);
        assertThat(options.version()).isEqualTo(ProtocolVersion.MQTT_3_1_1);
        assertThat(options.clientId()).isEqualTo("dev-1");
        assertThat(options.username()).isEqualTo("user");
        assertThat(options.password()).isEqualTo("secret");
        assertThat(options.keepAlive()).isEqualTo(30);
        assertThat(options.cleanStart()).isFalse();
        assertThat(pub.qos).isEqualTo(2);
        assertThat(pub.retain).isTrue();
        assertThat(pub.client.debug).isTrue();
        OutgoingMessage will = options.will().orElseThrow();
        assertThat(will.topic()).isEqualTo("w/dev-1");
        assertThat(will.payload()).asString().isEqualTo("gone");
        assertThat(will.qos()).isEqualTo(1);
        assertThat(will.retain()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"5, MQTT_5", "mqttv5, MQTT_5", "311, MQTT_3_1_1", "mqttv311, MQTT_3_1_1"})
    void protocolVersionSpellings(String spelling, ProtocolVersion expected) {
        assertThat(pub("-t", "t", "-n", "-V", spelling).connectOptions().version())
                .isEqualTo(expected);
    }

    @Test
    void mqtt31IsRefusedWithAReason() {
        assertThatThrownBy(() -> pub("-t", "t", "-n", "-V", "31"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("MQTT 3.1 is not supported; use 311 or 5");
    }

    @ParameterizedTest
    @CsvSource({"-1, 4294967295", "inf, 4294967295", "∞, 4294967295", "60, 60", "0, 0"})
    void sessionExpirySpellings(String spelling, long expected) {
        assertThat(pub("-t", "t", "-n", "-i", "me", "-x", spelling)
                        .connectOptions()
                        .sessionExpiry())
                .isEqualTo(expected);
    }

    @Test
    void disablingCleanSessionKeepsTheSessionForeverByDefault() {
        ConnectOptions options = pub("-t", "t", "-n", "-i", "me", "-c").connectOptions();
        assertThat(options.cleanStart()).isFalse();
        assertThat(options.sessionExpiry()).isEqualTo(4_294_967_295L);
    }

    @Test
    void idPrefixAppendsTheProcessId() {
        String id = pub("-t", "t", "-n", "-I", "sensor-").connectOptions().clientId();
        assertThat(id).isEqualTo("sensor-" + ProcessHandle.current().pid());
    }

    @Test
    void mqtt311GetsARandomClientIdThatEveryBrokerAccepts() {
        String id = pub("-t", "t", "-n", "-V", "311").connectOptions().clientId();
        assertThat(id).startsWith("bastion-").hasSize(23); // [MQTT-3.1.3-5]: 1 to 23 characters always allowed
    }

    @Test
    void propertiesInMosquittoForm() {
        PubCommand pub = pub(
                "-t",
                "t",
                "-m",
                "x",
                "-D",
                "publish",
                "user-property",
                "unit",
                "celsius",
                "-D",
                "publish",
                "content-type",
                "text/plain",
                "--property",
                "connect",
                "session-expiry-interval",
                "60",
                "-D",
                "will",
                "will-delay-interval",
                "5",
                "--will-topic",
                "w");
        assertThat(pub.client.properties(Packet.PUBLISH))
                .containsExactly(
                        new MqttProperty(Packet.PUBLISH, "user-property", "unit", "celsius"),
                        new MqttProperty(Packet.PUBLISH, "content-type", null, "text/plain"));
        ConnectOptions options = pub.connectOptions();
        assertThat(options.properties())
                .containsExactly(new MqttProperty(Packet.CONNECT, "session-expiry-interval", null, "60"));
        assertThat(options.will().orElseThrow().properties())
                .containsExactly(new MqttProperty(Packet.WILL, "will-delay-interval", null, "5"));
    }

    @Test
    void subscribeUserPropertiesForSub() {
        SubCommand sub = sub("-t", "a", "-D", "subscribe", "user-property", "k", "v");
        assertThat(sub.client.properties(Packet.SUBSCRIBE))
                .containsExactly(new MqttProperty(Packet.SUBSCRIBE, "user-property", "k", "v"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-D bogus user-property k v | is not a packet; use connect, publish, subscribe or will",
                "-D publish colour red | -D publish: unknown or unsupported property 'colour'",
                "-D publish message-expiry-interval soon | -D publish message-expiry-interval: must be a number",
                "-D publish payload-format-indicator 2 | must be a number from 0 to 1 (got '2')",
                "-D connect receive-maximum 0 | -D connect receive-maximum: must be a number from 1 to 65535",
                "-D publish user-property k | -D needs PACKET NAME VALUE",
                "-D subscribe user-property k v | -D subscribe: this command sends no such packet",
                "-D publish content-type x -V 311 | -D needs MQTT 5 (-V 5)",
                "-x 60 -V 311 -i me | -x needs MQTT 5 (-V 5)",
                "-x 4294967296 -i me | is not 0..4294967295 seconds, -1 or inf",
                "-c | -c and -x need a client id (-i or -I)",
                "-x 60 | -c and -x need a client id (-i or -I)",
                "-i a -I b | -i and -I cannot be used together",
                "-q 3 | -q: QoS must be 0, 1 or 2 (got 3)",
                "-p 0 | -p: the port must be between 1 and 65535 (got 0)",
                "-k 70000 | -k: keep alive must be between 0 and 65535",
                "--will-payload x | --will-payload, --will-qos, --will-retain need --will-topic",
                "--will-topic w --will-qos 3 | --will-qos: QoS must be 0, 1 or 2 (got 3)",
                "-P pw -V 311 | -P needs -u with MQTT 3.1.1",
            })
    void pubUsageErrors(String flags, String expected) {
        String[] args = ("-t t -m x " + flags).split(" ");
        assertThatThrownBy(() -> pub(args).connectOptions())
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void publishTopicMustNotHaveWildcards() {
        assertThatThrownBy(() -> pub("-t", "a/#", "-m", "x").connectOptions())
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("-t: 'a/#' is not a valid topic to publish to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-m x -f file", "-m x -n", "-l -s", "-n -l"})
    void exactlyOneMessageSource(String flags) {
        String[] args = ("-t t " + flags).split(" ");
        assertThatThrownBy(() -> pub(args)).isInstanceOf(ParameterException.class);
    }

    @Test
    void aMessageSourceIsRequired() {
        assertThatThrownBy(() -> pub("-t", "t"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("Missing required argument");
    }

    @Test
    void subFlags() {
        SubCommand sub = sub("-t", "a/#", "-t", "b/+", "-q", "1", "-C", "5", "-W", "10", "-v", "-N", "-R", "-E");
        sub.connectOptions();
        assertThat(sub.topics).containsExactly("a/#", "b/+");
        assertThat(sub.qos).isEqualTo(1);
        assertThat(sub.count).isEqualTo(5);
        assertThat(sub.timeoutSeconds).isEqualTo(10);
        assertThat(sub.verbose).isTrue();
        assertThat(sub.noNewline).isTrue();
        assertThat(sub.noStale).isTrue();
        assertThat(sub.exitAfterSubscribe).isTrue();
    }

    @Test
    void subLongFlags() {
        SubCommand sub = sub("--topic", "a", "--count", "1", "--timeout", "3", "--verbose", "--retained-only");
        sub.connectOptions();
        assertThat(sub.retainedOnly).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-t a -C 0 | -C: the count must be at least 1",
                "-t a -W 0 | -W: the timeout must be at least 1",
                "-t a -R --retained-only | -R and --retained-only together make no sense",
                "-t a/#/b | -t: 'a/#/b' is not a valid topic filter",
                "-t a -q 5 | -q: QoS must be 0, 1 or 2 (got 5)",
            })
    void subUsageErrors(String flags, String expected) {
        assertThatThrownBy(() -> sub(flags.split(" ")).connectOptions())
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void subNeedsATopic() {
        assertThat(cli.run("sub", "-C", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Missing required option: '--topic=FILTER'");
    }
}
