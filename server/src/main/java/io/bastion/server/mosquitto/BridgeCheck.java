package io.bastion.server.mosquitto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a bridge section as Mosquitto would before connecting, so that a bad value is reported with its line now,
 * not when bridges start working. Bridges themselves are not available yet: every section is then refused with
 * one UNSUPPORTED finding on its {@code connection} line.
 */
final class BridgeCheck {
    static final String NOT_AVAILABLE = "MQTT bridges are not available in Bastion yet, so this bridge would not run;"
            + " remove the connection section (or keep this bridge in a Mosquitto) to start Bastion";

    private static final Set<String> DIRECTIONS = Set.of("in", "out", "both");
    private static final List<String> BOOLEANS = List.of(
            "cleansession",
            "local_cleansession",
            "try_private",
            "notifications",
            "notifications_local_only",
            "bridge_insecure",
            "bridge_require_ocsp",
            "bridge_outgoing_retain",
            "bridge_attempt_unsubscribe",
            "round_robin");

    private final Findings findings;

    BridgeCheck(Findings findings) {
        this.findings = findings;
    }

    void check(MosquittoBridge bridge) {
        Options o = bridge.options();
        Directive connection = bridge.connection();
        List<Directive> addresses = o.has("address") ? o.all("address") : o.all("addresses");
        if (addresses.isEmpty()) {
            findings.invalid(connection, "bridge '" + bridge.name() + "' has no 'address HOST[:PORT]' line");
        }
        addresses.forEach(a -> address(o, a));
        if (o.all("topic").isEmpty()) {
            findings.invalid(connection, "bridge '" + bridge.name() + "' has no 'topic' line");
        }
        o.all("topic").forEach(t -> topic(o, t));
        BOOLEANS.forEach(o::bool);
        o.choice("bridge_protocol_version", Set.of("mqttv31", "mqttv311", "mqttv50"));
        o.choice("bridge_tls_version", Set.of("tlsv1.3", "tlsv1.2", "tlsv1.1"));
        o.choice("start_type", Set.of("automatic", "lazy", "once"));
        o.integer("keepalive_interval", 0, 65_535);
        o.integer("idle_timeout", 1, Integer.MAX_VALUE);
        o.integer("threshold", 1, Integer.MAX_VALUE);
        o.integer("bridge_max_packet_size", 0, 268_435_455);
        o.integer("bridge_receive_maximum", 1, 65_535);
        o.integer("bridge_session_expiry_interval", 0, 4_294_967_295L);
        o.get("restart_timeout").ifPresent(d -> restartTimeout(o, d));
        for (String text : List.of(
                "remote_clientid",
                "clientid",
                "local_clientid",
                "remote_username",
                "local_username",
                "notification_topic",
                "bridge_identity",
                "bridge_alpn",
                "bridge_bind_address")) {
            o.string(text);
        }
        requires(o, "remote_password", "remote_username");
        requires(o, "local_password", "local_username");
        requires(o, "bridge_certfile", "bridge_keyfile");
        requires(o, "bridge_keyfile", "bridge_certfile");
        requires(o, "bridge_psk", "bridge_identity");
        requires(o, "bridge_identity", "bridge_psk");
        if (!o.has("bridge_cafile") && !o.has("bridge_capath")) {
            for (String tls : List.of("bridge_certfile", "bridge_tls_version", "bridge_insecure")) {
                o.get(tls)
                        .ifPresent(d ->
                                findings.invalid(d, "needs bridge_cafile or bridge_capath (TLS to the remote broker)"));
            }
        }
        for (String file : List.of("bridge_cafile", "bridge_certfile", "bridge_keyfile")) {
            o.string(file)
                    .filter(p -> !Files.isRegularFile(Path.of(p)))
                    .ifPresent(p -> findings.invalid(o.get(file).get(), "no such file: " + p));
        }
        o.string("bridge_capath")
                .filter(p -> !Files.isDirectory(Path.of(p)))
                .ifPresent(p -> findings.invalid(o.get("bridge_capath").get(), "no such directory: " + p));
        findings.unsupported(connection, NOT_AVAILABLE);
    }

    private void requires(Options o, String option, String needed) {
        if (!o.has(needed)) {
            o.get(option).ifPresent(d -> findings.invalid(d, "needs " + needed + " in the same bridge"));
        }
    }

    private void address(Options o, Directive d) {
        if (d.args().isEmpty()) {
            findings.invalid(d, "needs HOST[:PORT]");
        }
        for (String hostPort : d.args()) {
            int colon = hostPort.lastIndexOf(':');
            boolean ipv6WithoutPort = hostPort.indexOf(':') != colon && !hostPort.contains("]");
            if (colon > 0 && !ipv6WithoutPort) {
                o.integer(d, hostPort.substring(colon + 1), 1, 65_535);
            } else if (colon == 0) {
                findings.invalid(d, "has no host in \"" + hostPort + "\"");
            }
        }
    }

    /** {@code topic PATTERN [[[in|out|both] QOS] LOCAL_PREFIX REMOTE_PREFIX]}. */
    private void topic(Options o, Directive d) {
        List<String> args = d.args();
        if (args.isEmpty() || args.size() > 5 || args.size() == 4) {
            findings.invalid(
                    d,
                    "must be 'topic PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]' (got \"" + d.value()
                            + "\")");
            return;
        }
        if (args.size() >= 2 && !DIRECTIONS.contains(args.get(1))) {
            findings.invalid(d, "direction must be in, out or both (got \"" + args.get(1) + "\")");
        }
        Optional<Long> qos = args.size() >= 3 ? o.integer(d, args.get(2), 0, 2) : Optional.of(0L);
        if (qos.isEmpty()) {
            return;
        }
        String pattern = args.get(0);
        boolean emptyPattern = pattern.equals("\"\"");
        if (emptyPattern && args.size() < 5) {
            findings.invalid(d, "an empty pattern (\"\") needs a local or remote prefix");
        }
        if (!emptyPattern && !validFilter(pattern)) {
            findings.invalid(d, "\"" + pattern + "\" is not a valid topic filter");
        }
    }

    /** {@code #} only as the last level, {@code +} only as a whole level [MQTT-4.7.1-1], [MQTT-4.7.1-2]. */
    private static boolean validFilter(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    private void restartTimeout(Options o, Directive d) {
        List<String> args = d.args();
        if (args.isEmpty() || args.size() > 2) {
            findings.invalid(d, "must be 'restart_timeout SECONDS' or 'restart_timeout BASE CAP'");
            return;
        }
        args.forEach(a -> o.integer(d, a, 1, Integer.MAX_VALUE));
    }
}
