package io.bastion.server.mosquitto;

import io.bastion.server.mosquitto.ListenerMapping.Mapped;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes the broker-wide sections: {@code limits}, {@code features}, {@code sys} and {@code store}. */
final class BrokerMapping {
    /**
     * Room for everything in a PUBLISH but its payload: Mosquitto's {@code message_size_limit} counts the payload
     * only, Bastion's {@code max_packet_size} the whole packet (fixed header, topic, packet id, MQTT 5 properties).
     */
    static final int PUBLISH_OVERHEAD = 1024;

    private static final long PACKET_SIZE_MAX = 268_435_455;
    private static final Pattern EXPIRATION = Pattern.compile("(\\d+)([hdwmy])");

    private final YamlText yaml;
    private final Findings findings;

    BrokerMapping(YamlText yaml, Findings findings) {
        this.yaml = yaml;
        this.findings = findings;
    }

    void write(MosquittoConf conf, List<Mapped> listeners) {
        Options g = conf.global();
        yaml.section("limits");
        writePacketSize(g);
        g.integer("max_inflight_messages", 0, 65_535)
                .ifPresent(n -> yaml.entry(
                        1,
                        "max_inflight",
                        n == 0 ? 65_535 : n,
                        g.get("max_inflight_messages").get(),
                        n == 0 ? "0 means no limit in Mosquitto; 65535 is MQTT's largest window" : null));
        g.integer("max_queued_messages", 0, Integer.MAX_VALUE)
                .ifPresent(n -> yaml.entry(
                        1,
                        "max_queued_messages",
                        n == 0 ? Integer.MAX_VALUE : n,
                        g.get("max_queued_messages").get(),
                        n == 0 ? "0 means no limit in Mosquitto" : null));
        g.integer("max_keepalive", 0, 65_535)
                .ifPresent(n ->
                        yaml.entry(1, "max_keepalive", n, g.get("max_keepalive").get()));
        g.get("persistent_client_expiration").ifPresent(this::writeSessionExpiry);
        writePerListenerLimits(listeners);
        g.bool("retain_available").ifPresent(retain -> {
            yaml.open(0, "features", null);
            yaml.entry(1, "retain_available", retain, g.get("retain_available").get());
        });
        g.integer("sys_interval", 0, Integer.MAX_VALUE).ifPresent(seconds -> {
            yaml.open(0, "sys", null);
            yaml.entry(1, "interval", seconds, g.get("sys_interval").get(), seconds == 0 ? "off" : "seconds");
        });
        writeStore(g);
        g.get("user").ifPresent(this::checkUser);
        g.bool("check_retain_source")
                .filter(Boolean::booleanValue)
                .ifPresent(on -> findings.unsupported(
                        g.get("check_retain_source").get(),
                        "not supported: Bastion does not re-check a retained message against its publisher's current"
                                + " rights"));
    }

    /** {@code max_packet_size} as it is; {@code message_size_limit} plus room for the rest of a PUBLISH. */
    private void writePacketSize(Options g) {
        Optional<Long> packet = g.integer("max_packet_size", 0, PACKET_SIZE_MAX).filter(n -> n > 0);
        Optional<Long> payload =
                g.integer("message_size_limit", 0, PACKET_SIZE_MAX).filter(n -> n > 0);
        packet.filter(n -> n < 20)
                .ifPresent(n -> findings.invalid(
                        g.get("max_packet_size").get(),
                        "must be 0 (no" + " limit) or at least 20 bytes (got " + n + ")"));
        Optional<Long> fromPayload = payload.map(n -> Math.min(PACKET_SIZE_MAX, n + PUBLISH_OVERHEAD));
        if (fromPayload.isPresent() && (packet.isEmpty() || fromPayload.get() < packet.get())) {
            yaml.entry(
                    1,
                    "max_packet_size",
                    fromPayload.get(),
                    g.get("message_size_limit").get(),
                    "Mosquitto limits the payload, Bastion the whole packet: the limit plus " + PUBLISH_OVERHEAD
                            + " bytes for topic, header and properties; a larger PUBLISH closes the connection (MQTT"
                            + " 5: DISCONNECT 0x95) where Mosquitto drops the message");
        } else if (packet.isPresent()) {
            yaml.entry(
                    1, "max_packet_size", packet.get(), g.get("max_packet_size").get());
        }
    }

    /** Mosquitto sets these per listener; Bastion for the whole broker. */
    private void writePerListenerLimits(List<Mapped> listeners) {
        long connections = 0;
        boolean everyListenerLimited = !listeners.isEmpty();
        Directive connectionsFrom = null;
        long maxQos = 2;
        Directive qosFrom = null;
        long topicAliases = Long.MAX_VALUE;
        Directive aliasFrom = null;
        for (Mapped l : listeners) {
            Options o = l.source().options();
            long limit = o.integer("max_connections", -1, Integer.MAX_VALUE).orElse(-1L);
            if (limit < 0) {
                everyListenerLimited = false;
            } else {
                connections += limit;
                connectionsFrom = o.get("max_connections").get();
            }
            Optional<Long> qos = o.integer("max_qos", 0, 2);
            if (qos.isPresent() && qos.get() < maxQos) {
                maxQos = qos.get();
                qosFrom = o.get("max_qos").get();
            }
            Optional<Long> alias = o.integer("max_topic_alias", 0, 65_535);
            if (alias.isPresent() && alias.get() < topicAliases) {
                topicAliases = alias.get();
                aliasFrom = o.get("max_topic_alias").get();
            }
        }
        String perListener = listeners.size() > 1 ? "; Mosquitto sets it per listener, Bastion for all of them" : "";
        if (everyListenerLimited) {
            yaml.entry(
                    1,
                    "max_connections",
                    Math.max(1, Math.min(connections, Integer.MAX_VALUE)),
                    connectionsFrom,
                    listeners.size() > 1 ? "the sum of the listeners' max_connections" + perListener : null);
        } else if (connectionsFrom != null) {
            findings.warn(
                    connectionsFrom,
                    "ignored: Bastion limits connections for the whole broker"
                            + " (limits.max_connections), and another listener has no limit");
        }
        if (qosFrom != null) {
            yaml.entry(1, "max_qos", maxQos, qosFrom, perListener.isEmpty() ? null : "the lowest" + perListener);
        }
        if (aliasFrom != null) {
            yaml.entry(
                    1,
                    "topic_alias_max",
                    topicAliases,
                    aliasFrom,
                    perListener.isEmpty() ? null : "the lowest" + perListener);
        }
    }

    /** {@code persistent_client_expiration 2w}: units h, d, w, m (30 days) and y (365 days). */
    private void writeSessionExpiry(Directive d) {
        Matcher m = EXPIRATION.matcher(d.value().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            findings.invalid(d, "must be a number with a unit h, d, w, m or y, e.g. 2w (got \"" + d.value() + "\")");
            return;
        }
        long hours = switch (m.group(2)) {
            case "h" -> 1;
            case "d" -> 24;
            case "w" -> 24 * 7;
            case "m" -> 24 * 30;
            default -> 24 * 365;
        };
        long seconds = Math.min(4_294_967_295L, Long.parseLong(m.group(1)) * hours * 3600);
        yaml.entry(1, "session_expiry_max", seconds, d, "seconds; Bastion caps every session's expiry with it");
    }

    private void writeStore(Options g) {
        Optional<Boolean> persistence = g.bool("persistence");
        Optional<String> location = g.string("persistence_location");
        yaml.open(0, "store", null);
        if (persistence.orElse(false)) {
            Path base = Path.of(location.orElse("."));
            yaml.entry(
                    1,
                    "path",
                    base.resolve("bastion").toString(),
                    g.get("persistence_location").orElse(null),
                    "a directory of its own: Bastion does not read mosquitto.db, so sessions and retained messages"
                            + " saved by Mosquitto are not carried over");
            yaml.entry(
                    1,
                    "durability",
                    "group_commit",
                    g.get("persistence").get(),
                    "every change is written, not" + " only every autosave_interval");
        } else {
            yaml.entry(
                    1,
                    "durability",
                    "memory",
                    g.get("persistence").orElse(null),
                    persistence.isEmpty()
                            ? "persistence defaults to false: sessions and retained messages in memory"
                            : null);
            g.get("persistence_location").ifPresent(d -> findings.warn(d, "ignored: persistence is off"));
        }
    }

    /** Mosquitto drops root privileges to {@code user}; Bastion cannot. */
    private void checkUser(Directive d) {
        String current = System.getProperty("user.name", "");
        if (current.equals("root") && !d.value().equals("root")) {
            findings.unsupported(
                    d,
                    "Bastion cannot drop root privileges to user " + d.value() + "; start it as"
                            + " that user (e.g. systemd User=" + d.value() + ")");
        } else if (!current.equals(d.value())) {
            findings.warn(d, "ignored: Bastion runs as the user that starts it (" + current + ")");
        }
    }
}
