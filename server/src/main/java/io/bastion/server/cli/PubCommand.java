package io.bastion.server.cli;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import io.bastion.server.client.ConnectOptions;
import io.bastion.server.client.MqttConnection;
import io.bastion.server.client.MqttProperty;
import io.bastion.server.client.MqttProperty.Packet;
import io.bastion.server.client.OutgoingMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "pub",
        sortOptions = false,
        description = "Publish a message to any MQTT broker; the flags are mosquitto_pub's.",
        footer = {
            "",
            "Examples:",
            "  bastion pub -t sensors/1/temp -m 21.5 -q 1",
            "  bastion pub -t sensors/1/config -r -f config.json",
            "  bastion pub -t sensors/1/config -r -n          (clears the retained message)"
        })
final class PubCommand implements Callable<Integer> {
    private final CliStreams streams;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = {"-t", "--topic"},
            required = true,
            description = "Topic to publish to.")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    MessageSource source;

    @Option(
            names = {"-q", "--qos"},
            defaultValue = "0",
            description = "QoS 0, 1 or 2 (default: 0).")
    int qos;

    @Option(
            names = {"-r", "--retain"},
            description = "Retain the message.")
    boolean retain;

    /** Exactly one of these says what to send. */
    static final class MessageSource {
        @Option(
                names = {"-m", "--message"},
                description = "The payload.")
        String message;

        @Option(
                names = {"-f", "--file"},
                description = "Send the content of a file.")
        Path file;

        @Option(
                names = {"-l", "--stdin-line"},
                description = "Send each line of stdin as one message (blank lines are skipped).")
        boolean lines;

        @Option(
                names = {"-s", "--stdin-file"},
                description = "Send all of stdin as one message.")
        boolean stdin;

        @Option(
                names = {"-n", "--null-message"},
                description = "Send an empty message.")
        boolean empty;
    }

    PubCommand(CliStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() throws IOException {
        ConnectOptions options = connectOptions();
        List<MqttProperty> properties = client.properties(Packet.PUBLISH);
        byte[] payload = source.lines ? new byte[0] : payload();
        try (MqttConnection connection = MqttConnection.connect(options)) {
            if (source.lines) {
                for (byte[] line = readLine(streams.in()); line != null; line = readLine(streams.in())) {
                    if (line.length > 0) {
                        connection.publish(new OutgoingMessage(topic, line, qos, retain, properties));
                    }
                }
            } else {
                connection.publish(new OutgoingMessage(topic, payload, qos, retain, properties));
            }
        }
        return ExitCodes.OK;
    }

    /** Checks everything that needs no network, so usage errors come before connecting. */
    ConnectOptions connectOptions() {
        ClientOptions.checkQos(spec, "-q", qos);
        try {
            MqttTopic.of(topic);
        } catch (IllegalArgumentException e) {
            ClientOptions.check(
                    spec, false, "-t: '" + topic + "' is not a valid topic to publish to: " + e.getMessage());
        }
        return client.connectOptions(spec, EnumSet.of(Packet.CONNECT, Packet.PUBLISH, Packet.WILL), streams.err());
    }

    private byte[] payload() throws IOException {
        if (source.message != null) {
            return source.message.getBytes(StandardCharsets.UTF_8);
        }
        if (source.file != null) {
            try {
                return Files.readAllBytes(source.file);
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.FAILURE, "cannot read " + source.file + ": " + e.getMessage(), e);
            }
        }
        if (source.stdin) {
            return streams.in().readAllBytes();
        }
        return new byte[0];
    }

    /** One line as bytes without its line ending (payloads need not be text), or null at the end of input. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            return java.util.Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }
}
