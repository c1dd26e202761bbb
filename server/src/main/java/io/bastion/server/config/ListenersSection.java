package io.bastion.server.config;

import io.bastion.transport.ListenerSettings;
import io.bastion.transport.tls.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code listeners}: a list of sockets (tcp, tls, ws, wss); absent means one plain TCP listener on
 * 127.0.0.1:1883.
 */
final class ListenersSection {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ListenersSection() {}

    static List<ListenerSettings> bind(ConfigSection root) {
        return bind(root, Map.of());
    }

    /** {@code env} is where {@code tls.key_password_env} names are looked up. */
    static List<ListenerSettings> bind(ConfigSection root, Map<String, String> env) {
        Optional<List<ConfigSection>> sections = root.sectionList("listeners");
        if (sections.isEmpty()) {
            return List.of(ListenerSettings.defaultTcp());
        }
        if (sections.get().isEmpty()) {
            throw root.error("listeners", "at least one listener is needed");
        }
        List<ListenerSettings> listeners = new ArrayList<>();
        List<ConfigSection> bound = new ArrayList<>();
        for (ConfigSection section : sections.get()) {
            ListenerSettings listener = bindOne(section, listeners.size(), env);
            checkUnique(section, listener, listeners, bound);
            listeners.add(listener);
            bound.add(section);
        }
        return List.copyOf(listeners);
    }

    private static ListenerSettings bindOne(ConfigSection section, int index, Map<String, String> env) {
        ListenerSettings defaults = ListenerSettings.defaultTcp();
        ListenerSettings.Type type = section.choice("type", ListenerSettings.Type.class, ListenerSettings.Type.TCP);
        String typeName = ConfigSection.spelling(type);
        String defaultName = index == 0 ? typeName : typeName + "-" + (index + 1);
        String name = section.string("name", defaultName);
        if (!NAME.matcher(name).matches()) {
            throw section.error(
                    "name",
                    "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit (got \"" + name
                            + "\")");
        }
        String bind = section.string("bind", defaults.bindAddress()).trim();
        if (bind.isEmpty() || bind.chars().anyMatch(Character::isWhitespace)) {
            throw section.error("bind", "must be an IP address or host name (got \"" + bind + "\")");
        }
        int port = section.integer("port", type.defaultPort(), 0, 65_535);
        TlsSettings tls = null;
        if (type.isSecure()) {
            tls = bindTls(section.section("tls"), env);
        } // a tls: mapping on a tcp or ws listener is not read, so it is reported as an unknown key
        String wsPath = ListenerSettings.DEFAULT_WEBSOCKET_PATH;
        if (type.isWebSocket()) {
            wsPath = section.section("ws")
                    .string("path", ListenerSettings.DEFAULT_WEBSOCKET_PATH)
                    .trim();
            if (!wsPath.startsWith("/") || wsPath.chars().anyMatch(Character::isWhitespace)) {
                throw section.section("ws")
                        .error("path", "must be an HTTP path starting with / (got \"" + wsPath + "\")");
            }
        }
        boolean proxyProtocol = section.bool("proxy_protocol", false);
        Duration lifetime = section.duration(
                "max_connection_lifetime", Duration.ZERO, Duration.ofSeconds(1), Duration.ofDays(3650), true);
        return new ListenerSettings(name, bind, port, type, tls, wsPath, proxyProtocol, lifetime);
    }

    private static TlsSettings bindTls(ConfigSection tls, Map<String, String> env) {
        Path cert = path(tls, "cert", true);
        Path key = path(tls, "key", true);
        String password = keyPassword(tls, env);
        Path ca = path(tls, "ca", false);
        TlsSettings.ClientAuth clientAuth =
                tls.choice("client_auth", TlsSettings.ClientAuth.class, TlsSettings.ClientAuth.NONE);
        if (clientAuth != TlsSettings.ClientAuth.NONE && ca == null) {
            throw tls.error(
                    "ca",
                    "client_auth: " + ConfigSection.spelling(clientAuth)
                            + " needs the CA certificates (PEM) that client certificates are verified against");
        }
        Path crl = path(tls, "crl", false);
        if (crl != null && clientAuth == TlsSettings.ClientAuth.NONE) {
            throw tls.error("crl", "a CRL checks client certificates: set client_auth to optional or required");
        }
        List<String> protocols = list(tls, "protocols", TlsSettings.DEFAULT_PROTOCOLS);
        for (String p : protocols) {
            if (!List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1").contains(p)) {
                throw tls.error("protocols", "must list TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1 (got \"" + p + "\")");
            }
        }
        List<String> ciphers = list(tls, "ciphers", List.of());
        TlsSettings.IdentitySource identity = identity(tls);
        boolean asUsername = tls.bool("identity_as_username", false);
        boolean matchClientId = tls.bool("require_identity_matches_client_id", false);
        if ((asUsername || matchClientId) && clientAuth == TlsSettings.ClientAuth.NONE) {
            throw tls.error(
                    asUsername ? "identity_as_username" : "require_identity_matches_client_id",
                    "needs client certificates: set client_auth to optional or required");
        }
        Duration handshake = tls.duration(
                "handshake_timeout",
                TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT,
                Duration.ofMillis(100),
                Duration.ofMinutes(5),
                false);
        Duration reload = tls.duration(
                "reload_interval",
                TlsSettings.DEFAULT_RELOAD_INTERVAL,
                Duration.ofMillis(100),
                Duration.ofDays(1),
                true);
        return new TlsSettings(
                cert,
                key,
                password,
                ca,
                clientAuth,
                crl,
                protocols,
                ciphers,
                identity,
                asUsername,
                matchClientId,
                handshake,
                reload);
    }

    private static TlsSettings.IdentitySource identity(ConfigSection tls) {
        String value = tls.string("identity", "cn").trim().toLowerCase(java.util.Locale.ROOT);
        for (TlsSettings.IdentitySource source : TlsSettings.IdentitySource.values()) {
            if (ConfigSection.spelling(source).replace('_', '-').equals(value.replace('_', '-'))) {
                return source;
            }
        }
        throw tls.error("identity", "must be one of cn, san-dns, san-uri, san-email (got \"" + value + "\")");
    }

    private static Path path(ConfigSection tls, String key, boolean required) {
        String value = tls.string(key, null);
        if (value == null || value.isBlank()) {
            if (required) {
                throw tls.error(key, "is required: the path of a PEM file");
            }
            return null;
        }
        return Path.of(value.trim());
    }

    /** A YAML list or a comma/colon-separated text, e.g. {@code [TLSv1.3, TLSv1.2]} or {@code TLSv1.3,TLSv1.2}. */
    private static List<String> list(ConfigSection tls, String key, List<String> defaultValue) {
        List<String> items = new ArrayList<>();
        for (String value : tls.strings(key, defaultValue)) {
            Arrays.stream(value.split("[,:\\s]+"))
                    .map(String::trim)
                    .filter(v -> !v.isEmpty())
                    .forEach(items::add);
        }
        return items.isEmpty() ? defaultValue : items;
    }

    /** The key's passphrase from exactly one of key_password, key_password_env or key_password_file. */
    private static String keyPassword(ConfigSection tls, Map<String, String> env) {
        String literal = tls.string("key_password", null);
        String envName = tls.string("key_password_env", null);
        String file = tls.string("key_password_file", null);
        int given = (literal != null ? 1 : 0) + (envName != null ? 1 : 0) + (file != null ? 1 : 0);
        if (given > 1) {
            throw tls.error("key_password", "set only one of key_password, key_password_env and key_password_file");
        }
        if (envName != null) {
            String value = env.get(envName.trim());
            if (value == null) {
                throw tls.error("key_password_env", "the environment variable " + envName.trim() + " is not set");
            }
            return value;
        }
        if (file != null) {
            try {
                String text = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
                return text.strip(); // a trailing newline is not part of the passphrase
            } catch (IOException e) {
                throw tls.error(
                        "key_password_file",
                        "cannot read " + file.trim() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return literal;
    }

    private static void checkUnique(
            ConfigSection section,
            ListenerSettings listener,
            List<ListenerSettings> earlier,
            List<ConfigSection> earlierSections) {
        for (int i = 0; i < earlier.size(); i++) {
            ListenerSettings other = earlier.get(i);
            if (other.name().equals(listener.name())) {
                throw section.error(
                        "name",
                        "duplicate listener name \"" + listener.name() + "\" (also "
                                + earlierSections.get(i).path() + ")");
            }
            if (listener.port() != 0 && listener.port() == other.port() && overlaps(listener, other)) {
                throw section.error(
                        "port",
                        "port " + listener.port() + " is already used by listener \"" + other.name() + "\" ("
                                + earlierSections.get(i).path() + ")");
            }
        }
    }

    /** Two binds clash on one port when they name the same address or one of them is every interface. */
    private static boolean overlaps(ListenerSettings a, ListenerSettings b) {
        return a.bindAddress().equalsIgnoreCase(b.bindAddress())
                || BindAddresses.isWildcard(a.bindAddress())
                || BindAddresses.isWildcard(b.bindAddress());
    }
}
