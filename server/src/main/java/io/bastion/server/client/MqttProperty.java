package io.bastion.server.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * An MQTT 5 property given on the command line the mosquitto way: {@code -D PACKET NAME VALUE}, or {@code -D PACKET
 * user-property KEY VALUE}, e.g. {@code -D publish content-type text/plain}.
 *
 * @param packet which packet carries it
 * @param name the property's name from the specification, lower case with '-' between words
 * @param key the key of a user property, else null
 * @param value the value as written; numeric ones are range-checked when parsed
 */
public record MqttProperty(Packet packet, String name, String key, String value) {
    public static final String USER_PROPERTY = "user-property";

    /** Packets that take properties from the command line, and which properties each takes. */
    @SuppressWarnings("ImmutableEnumChecker") // the maps are Map.of / Map.copyOf: unmodifiable
    public enum Packet {
        CONNECT(Map.of(
                "session-expiry-interval", 4_294_967_295L,
                "receive-maximum", 65_535L,
                "maximum-packet-size", 268_435_460L,
                "topic-alias-maximum", 65_535L)),
        PUBLISH(messageProperties(Map.of())),
        SUBSCRIBE(Map.of()),
        WILL(messageProperties(Map.of("will-delay-interval", 4_294_967_295L)));

        /** Property name to its maximum when numeric, or -1 for a text property. */
        private final Map<String, Long> properties;

        Packet(Map<String, Long> properties) {
            this.properties = properties;
        }

        private static Map<String, Long> messageProperties(Map<String, Long> extra) {
            Map<String, Long> properties = new HashMap<>(extra);
            properties.put("content-type", -1L);
            properties.put("correlation-data", -1L);
            properties.put("response-topic", -1L);
            properties.put("message-expiry-interval", 4_294_967_295L);
            properties.put("payload-format-indicator", 1L);
            return Map.copyOf(properties);
        }

        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean takes(String property) {
            return property.equals(USER_PROPERTY) || properties.containsKey(property);
        }

        boolean isNumeric(String property) {
            return properties.getOrDefault(property, -1L) >= 0;
        }

        long maximum(String property) {
            return properties.get(property);
        }

        /** Receive Maximum and Maximum Packet Size of 0 are protocol errors (MQTT 5 sections 3.1.2.11.3, 3.1.2.11.4). */
        long minimum(String property) {
            return property.equals("receive-maximum") || property.equals("maximum-packet-size") ? 1 : 0;
        }
    }

    /** The value of a numeric property. */
    public long number() {
        return Long.parseLong(value);
    }

    /** Consumes the three or four words after {@code -D}, checking them as it goes. */
    public static final class Consumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            Packet packet = packet(take(args, commandSpec), commandSpec);
            String name = take(args, commandSpec).toLowerCase(Locale.ROOT);
            if (!packet.takes(name)) {
                throw new ParameterException(
                        commandSpec.commandLine(),
                        "-D " + packet.spelling() + ": unknown or unsupported property '" + name + "'");
            }
            String key = name.equals(USER_PROPERTY) ? take(args, commandSpec) : null;
            String value = take(args, commandSpec);
            if (packet.isNumeric(name)) {
                checkNumber(packet, name, value, commandSpec);
            }
            List<MqttProperty> properties = argSpec.getValue();
            List<MqttProperty> updated = properties == null ? new ArrayList<>() : new ArrayList<>(properties);
            updated.add(new MqttProperty(packet, name, key, value));
            argSpec.setValue(updated);
        }

        private static Packet packet(String word, CommandSpec spec) {
            for (Packet packet : Packet.values()) {
                if (packet.spelling().equalsIgnoreCase(word)) {
                    return packet;
                }
            }
            throw new ParameterException(
                    spec.commandLine(), "-D: '" + word + "' is not a packet; use connect, publish, subscribe or will");
        }

        private static void checkNumber(Packet packet, String name, String value, CommandSpec spec) {
            long minimum = packet.minimum(name);
            long maximum = packet.maximum(name);
            try {
                long number = Long.parseLong(value);
                if (number >= minimum && number <= maximum) {
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ParameterException(
                    spec.commandLine(),
                    "-D " + packet.spelling() + " " + name + ": must be a number from " + minimum + " to " + maximum
                            + " (got '" + value + "')");
        }

        private static String take(Stack<String> args, CommandSpec spec) {
            if (args.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "-D needs PACKET NAME VALUE, or PACKET user-property KEY VALUE,"
                                + " e.g. -D publish user-property unit celsius");
            }
            return args.pop();
        }
    }
}
