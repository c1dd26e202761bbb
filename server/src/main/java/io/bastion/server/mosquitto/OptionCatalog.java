package io.bastion.server.mosquitto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every option of Mosquitto 2.0's {@code mosquitto.conf}: where it applies and what Bastion does with it. An option
 * missing here is unknown, as it is to Mosquitto.
 */
final class OptionCatalog {

    /** Where an option's value belongs. */
    enum Scope {
        /** The whole broker. */
        GLOBAL,
        /** The last {@code listener} (or the default listener before the first one). */
        LISTENER,
        /** The whole broker, or the last listener when {@code per_listener_settings true}. */
        SECURITY,
        /** The last {@code connection}. */
        BRIDGE
    }

    enum Support {
        /** Read by the mapping. */
        MAPPED,
        /** Ignored with a warning (unless its value is one that Bastion's behaviour already matches). */
        IGNORED,
        /** Bastion cannot honour it and ignoring it could weaken security: the start is refused. */
        UNSUPPORTED
    }

    /**
     * @param note for IGNORED and UNSUPPORTED: why, and what to do instead
     * @param sameAsBastion values that need no warning because Bastion behaves that way anyway (lower case)
     */
    record Option(Scope scope, Support support, String note, Set<String> sameAsBastion) {}

    private static final Map<String, Option> OPTIONS = new HashMap<>();

    /** Listener options that mean something only with {@code certfile} and {@code keyfile}. */
    static final List<String> TLS_ONLY = List.of(
            "cafile",
            "capath",
            "crlfile",
            "require_certificate",
            "use_identity_as_username",
            "use_subject_as_username",
            "tls_version",
            "ciphers",
            "ciphers_tls1.3");

    private static final String LOGGING = "ignored: Bastion logs to standard output in its own format;"
            + " choose the level with --log-level or BASTION_LOG_LEVEL";
    private static final String PLUGINS = "Bastion cannot load Mosquitto plugins, and starting without the"
            + " authentication or access control the plugin provides would weaken security; use a"
            + " security.authentication / security.authorization entry of Bastion instead";
    private static final String PSK = "TLS pre-shared keys are not supported; use certificates"
            + " (certfile/keyfile, and require_certificate for client certificates)";
    private static final String MOSQUITTO_1 = "ignored: a Mosquitto 1.x option without effect in 2.0";

    static {
        mapped(Scope.GLOBAL, "per_listener_settings", "listener", "port", "bind_address");
        mapped(Scope.SECURITY, "allow_anonymous", "password_file", "acl_file");
        mapped(
                Scope.GLOBAL,
                "persistence",
                "persistence_location",
                "max_inflight_messages",
                "max_queued_messages",
                "message_size_limit",
                "max_packet_size",
                "max_keepalive",
                "retain_available",
                "sys_interval",
                "persistent_client_expiration",
                "user",
                "check_retain_source");
        mapped(
                Scope.LISTENER,
                "protocol",
                "certfile",
                "keyfile",
                "tls_keyform",
                "max_connections",
                "max_qos",
                "max_topic_alias");
        mapped(Scope.LISTENER, TLS_ONLY.toArray(String[]::new));
        mapped(
                Scope.BRIDGE,
                "connection",
                "address",
                "addresses",
                "topic",
                "remote_username",
                "remote_password",
                "remote_clientid",
                "clientid",
                "local_clientid",
                "local_username",
                "local_password",
                "bridge_cafile",
                "bridge_capath",
                "bridge_certfile",
                "bridge_keyfile",
                "bridge_protocol_version",
                "bridge_tls_version",
                "bridge_insecure",
                "bridge_alpn",
                "bridge_identity",
                "bridge_psk",
                "bridge_require_ocsp",
                "bridge_bind_address",
                "bridge_max_packet_size",
                "bridge_outgoing_retain",
                "bridge_attempt_unsubscribe",
                "bridge_receive_maximum",
                "bridge_session_expiry_interval",
                "cleansession",
                "local_cleansession",
                "start_type",
                "try_private",
                "notifications",
                "notifications_local_only",
                "notification_topic",
                "keepalive_interval",
                "idle_timeout",
                "restart_timeout",
                "round_robin",
                "threshold");

        ignored(Scope.GLOBAL, "log_dest", LOGGING, "stdout", "stderr");
        ignored(Scope.GLOBAL, "log_type", LOGGING, "error", "warning", "notice", "information");
        ignored(Scope.GLOBAL, "log_facility", LOGGING);
        ignored(Scope.GLOBAL, "log_timestamp", LOGGING, "true");
        ignored(Scope.GLOBAL, "log_timestamp_format", LOGGING);
        ignored(Scope.GLOBAL, "connection_messages", LOGGING, "true");
        ignored(Scope.GLOBAL, "websockets_log_level", LOGGING);
        ignored(
                Scope.GLOBAL,
                "autosave_interval",
                "ignored: Bastion's store writes every change as it happens (store.durability)");
        ignored(
                Scope.GLOBAL,
                "autosave_on_changes",
                "ignored: Bastion's store writes every change as it happens (store.durability)");
        ignored(
                Scope.GLOBAL,
                "persistence_file",
                "ignored: Bastion keeps its store in a directory (store.path); it does not read or write"
                        + " mosquitto.db");
        ignored(Scope.GLOBAL, "pid_file", "ignored: Bastion writes no pid file; a service manager tracks its process");
        ignored(
                Scope.GLOBAL,
                "max_queued_bytes",
                "ignored: Bastion bounds a session queue by message count (limits.max_queued_messages)",
                "0");
        ignored(
                Scope.GLOBAL,
                "max_inflight_bytes",
                "ignored: Bastion bounds the inflight window by message count (limits.max_inflight)",
                "0");
        ignored(
                Scope.GLOBAL,
                "memory_limit",
                "ignored: bound the JVM heap with -Xmx in BASTION_JAVA_OPTS instead",
                "0");
        ignored(
                Scope.GLOBAL,
                "queue_qos0_messages",
                "ignored: Bastion queues QoS 0 messages for offline persistent sessions like QoS 1 and 2",
                "false");
        ignored(
                Scope.GLOBAL,
                "upgrade_outgoing_qos",
                "ignored: Bastion delivers at the lower of the published and the subscribed QoS, as MQTT"
                        + " specifies",
                "false");
        ignored(
                Scope.GLOBAL,
                "allow_duplicate_messages",
                "ignored: deprecated in Mosquitto 2.0; Bastion sends one copy per session",
                "false");
        ignored(Scope.GLOBAL, "set_tcp_nodelay", "ignored: Bastion always sets TCP_NODELAY", "true");
        ignored(Scope.GLOBAL, "websockets_headers_size", "ignored: Bastion sizes WebSocket headers itself");
        ignored(Scope.GLOBAL, "retry_interval", MOSQUITTO_1);
        ignored(Scope.GLOBAL, "store_clean_interval", MOSQUITTO_1);
        ignored(
                Scope.SECURITY,
                "allow_zero_length_clientid",
                "ignored: Bastion accepts an empty client id where MQTT allows it and assigns one",
                "true");
        ignored(Scope.SECURITY, "auto_id_prefix", "ignored: Bastion chooses the client ids it assigns");
        ignored(Scope.SECURITY, "auth_plugin_deny_special_chars", "ignored: no plugins are loaded", "true");
        ignored(
                Scope.LISTENER,
                "dhparamfile",
                "ignored: Bastion offers ECDHE key exchange only, which needs no DH parameters");
        ignored(Scope.LISTENER, "http_dir", "ignored: Bastion does not serve files over HTTP");
        ignored(
                Scope.LISTENER,
                "socket_domain",
                "ignored: the listener's address decides IPv4 or IPv6 (give 0.0.0.0 or ::)");

        unsupported(Scope.SECURITY, "auth_plugin", PLUGINS);
        unsupported(Scope.SECURITY, "plugin", PLUGINS);
        unsupported(Scope.SECURITY, "psk_file", PSK);
        unsupported(Scope.LISTENER, "psk_hint", PSK);
        unsupported(
                Scope.GLOBAL,
                "clientid_prefixes",
                "Bastion has no client id prefix check; restrict client ids with ACL rules on identities instead");
        unsupported(
                Scope.LISTENER,
                "mount_point",
                "Bastion has no mount points, so the listener's clients would not be confined to their topic tree");
        unsupported(
                Scope.LISTENER,
                "bind_interface",
                "Bastion binds addresses, not interfaces: give the interface's address in the listener line");
        unsupported(
                Scope.LISTENER,
                "use_username_as_clientid",
                "Bastion does not replace client ids with user names, so clients could take each other's sessions");
        unsupported(
                Scope.LISTENER, "tls_engine", "OpenSSL engines (hardware keys) are not supported; use a PEM keyfile");
        unsupported(
                Scope.LISTENER,
                "tls_engine_kpass_sha1",
                "OpenSSL engines (hardware keys) are not supported; use a PEM keyfile");
        unsupported(
                Scope.LISTENER,
                "disable_client_cert_date_checks",
                "Bastion always checks the validity dates of client certificates");
    }

    private OptionCatalog() {}

    /** The option, also for the {@code auth_opt_*} and {@code plugin_opt_*} families; empty when unknown. */
    static Optional<Option> find(String name) {
        if (name.startsWith("auth_opt_") || name.startsWith("plugin_opt_")) {
            return Optional.of(OPTIONS.get("plugin"));
        }
        return Optional.ofNullable(OPTIONS.get(name)); // case-sensitive, as in Mosquitto
    }

    private static void mapped(Scope scope, String... names) {
        for (String name : names) {
            OPTIONS.put(name, new Option(scope, Support.MAPPED, "", Set.of()));
        }
    }

    private static void ignored(Scope scope, String name, String note, String... sameAsBastion) {
        OPTIONS.put(name, new Option(scope, Support.IGNORED, note, Set.of(sameAsBastion)));
    }

    private static void unsupported(Scope scope, String name, String note) {
        OPTIONS.put(name, new Option(scope, Support.UNSUPPORTED, note, Set.of()));
    }
}
