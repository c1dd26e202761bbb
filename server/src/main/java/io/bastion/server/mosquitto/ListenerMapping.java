package io.bastion.server.mosquitto;

import io.bastion.server.config.EncryptedKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes the {@code listeners} section: one Bastion listener per Mosquitto listener, with its TLS settings. */
final class ListenerMapping {
    /** OpenSSL's default TLS 1.3 suites: kept when only the TLS 1.2 list ({@code ciphers}) is given. */
    static final List<String> TLS13_DEFAULT =
            List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
    /** Bastion's TLS 1.2 defaults: kept when only the TLS 1.3 list ({@code ciphers_tls1.3}) is given. */
    static final List<String> TLS12_DEFAULT = List.of(
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256");

    /** A cipher suite name, as opposed to an OpenSSL cipher expression such as {@code HIGH:!aNULL}. */
    private static final Pattern SUITE_NAME = Pattern.compile("[A-Z0-9]+([-_][A-Z0-9]+)+");

    /**
     * A listener as written to the YAML.
     *
     * @param name its Bastion name, e.g. {@code tls-8883}
     * @param source the Mosquitto listener
     * @param x509Identity {@code certificate} or {@code subject} when the client certificate is the user name
     *     ({@code use_identity_as_username} / {@code use_subject_as_username}); null otherwise
     * @param x509From the line that asked for it
     */
    record Mapped(String name, MosquittoListener source, String x509Identity, Directive x509From) {}

    private final YamlText yaml;
    private final Findings findings;
    private final Set<String> names = new HashSet<>();

    ListenerMapping(YamlText yaml, Findings findings) {
        this.yaml = yaml;
        this.findings = findings;
    }

    List<Mapped> write(List<MosquittoListener> listeners) {
        List<Mapped> mapped = new ArrayList<>();
        if (listeners.isEmpty()) {
            yaml.comment(
                    0,
                    "No listener in mosquitto.conf: Mosquitto's local-only mode, which is Bastion's default"
                            + " too (one listener on 127.0.0.1:1883).");
            return mapped;
        }
        yaml.open(0, "listeners", null);
        for (MosquittoListener listener : listeners) {
            mapped.add(writeOne(listener));
        }
        return mapped;
    }

    private Mapped writeOne(MosquittoListener l) {
        Options o = l.options();
        boolean webSockets = o.choice("protocol", Set.of("mqtt", "websockets"))
                .orElse("mqtt")
                .equals("websockets");
        boolean secure = o.has("certfile") || o.has("keyfile");
        String type = secure ? (webSockets ? "wss" : "tls") : (webSockets ? "ws" : "tcp");
        String name = uniqueName(type + "-" + l.port());
        Directive declaration = l.isDefault() ? o.get("port").orElse(null) : l.declaration();
        yaml.item(1, "name", name, declaration);
        yaml.entry(2, "type", type, o.get("protocol").orElse(null));
        if (l.address() == null) {
            yaml.entry(
                    2,
                    "bind",
                    "0.0.0.0",
                    null,
                    "no address: every IPv4 interface (Mosquitto also listens on IPv6; add a listener with bind: \"::\""
                            + " for it)");
        } else {
            yaml.entry(
                    2,
                    "bind",
                    l.address(),
                    l.isDefault() ? o.get("bind_address").orElse(null) : null);
        }
        yaml.entry(2, "port", l.port(), null);
        if (webSockets) {
            yaml.comment(
                    2, "Mosquitto accepts WebSocket clients on any HTTP path; Bastion on ws.path (default /mqtt).");
        }
        Mapped mapped = new Mapped(name, l, null, null);
        if (secure) {
            mapped = writeTls(l, name);
        } else {
            for (String tlsOnly : OptionCatalog.TLS_ONLY) {
                o.get(tlsOnly)
                        .ifPresent(d -> findings.invalid(d, "is a TLS option, but this listener has no certfile"));
            }
        }
        return mapped;
    }

    private Mapped writeTls(MosquittoListener l, String name) {
        Options o = l.options();
        Optional<String> cert = o.string("certfile");
        Optional<String> key = o.string("keyfile");
        if (cert.isEmpty() || key.isEmpty()) {
            Directive given = o.get("certfile").or(() -> o.get("keyfile")).get();
            findings.invalid(given, "TLS needs both certfile and keyfile");
            return new Mapped(name, l, null, null);
        }
        yaml.open(2, "tls", null);
        yaml.entry(3, "cert", cert.get(), o.get("certfile").get());
        yaml.entry(3, "key", key.get(), o.get("keyfile").get());
        if (EncryptedKeys.isEncrypted(Path.of(key.get()))) {
            yaml.comment(
                    3,
                    "The key is encrypted: bastion serve asks for its passphrase on the terminal, or reads it from"
                            + " BASTION_TLS_KEY_PASSWORD or --key-password-file (or set key_password_file here).");
        }
        o.choice("tls_keyform", Set.of("pem", "engine"))
                .filter("engine"::equals)
                .ifPresent(v -> findings.unsupported(
                        o.get("tls_keyform").get(),
                        "not supported: OpenSSL engines (hardware keys); use a PEM keyfile"));
        boolean requireCertificate = o.bool("require_certificate").orElse(false);
        boolean identity = o.bool("use_identity_as_username").orElse(false);
        boolean subject = o.bool("use_subject_as_username").orElse(false);
        Optional<String> cafile = o.string("cafile");
        Optional<String> capath = o.string("capath");
        boolean clientCertificates = requireCertificate || identity || subject;
        if (clientCertificates) {
            if (cafile.isPresent()) {
                yaml.entry(3, "ca", cafile.get(), o.get("cafile").get());
                capath.ifPresent(p -> findings.warn(
                        o.get("capath").get(),
                        "ignored: Bastion verifies client certificates against the cafile only; put the CA"
                                + " certificates of " + p + " into it too if clients use them"));
            } else if (capath.isPresent()) {
                yaml.entry(
                        3,
                        "ca",
                        capath.get(),
                        o.get("capath").get(),
                        "a directory: every PEM certificate in it is trusted");
            } else {
                Directive asking = o.get("require_certificate")
                        .or(() -> o.get("use_identity_as_username"))
                        .or(() -> o.get("use_subject_as_username"))
                        .get();
                findings.invalid(asking, "client certificates need cafile (or capath) to verify them against");
            }
            Directive why =
                    o.get("require_certificate").filter(d -> requireCertificate).orElse(null);
            String remark = requireCertificate
                    ? null
                    : "use_identity_as_username / use_subject_as_username: a client without a certificate is refused";
            yaml.entry(3, "client_auth", "required", why, remark);
            o.string("crlfile")
                    .ifPresent(crl -> yaml.entry(3, "crl", crl, o.get("crlfile").get()));
        } else {
            o.get("crlfile")
                    .ifPresent(d -> findings.warn(
                            d,
                            "ignored: no client certificates are asked for"
                                    + " (require_certificate false), so there is nothing to revoke"));
            o.get("cafile")
                    .ifPresent(d -> yaml.comment(
                            3,
                            "cafile " + d.value() + " is not needed: no client"
                                    + " certificates are asked for (require_certificate false)."));
        }
        writeProtocols(o);
        writeCiphers(o);
        String x509 = null;
        Directive x509From = null;
        if (identity && subject) {
            findings.invalid(
                    o.get("use_subject_as_username").get(),
                    "set only one of use_identity_as_username and" + " use_subject_as_username");
        } else if (identity) {
            yaml.entry(3, "identity", "cn", null);
            yaml.entry(
                    3,
                    "identity_as_username",
                    true,
                    o.get("use_identity_as_username").get());
            x509 = "certificate";
            x509From = o.get("use_identity_as_username").get();
        } else if (subject) {
            yaml.comment(
                    3,
                    "use_subject_as_username: the x509 authentication entry below takes the subject DN as"
                            + " the user name.");
            x509 = "subject";
            x509From = o.get("use_subject_as_username").get();
        }
        return new Mapped(name, l, x509, x509From);
    }

    /** Mosquitto's {@code tls_version} is the lowest version accepted. */
    private void writeProtocols(Options o) {
        Optional<String> version = o.choice("tls_version", Set.of("tlsv1.3", "tlsv1.2", "tlsv1.1"));
        if (version.isEmpty()) {
            return;
        }
        List<String> protocols = switch (version.get()) {
            case "tlsv1.3" -> List.of("TLSv1.3");
            case "tlsv1.2" -> List.of("TLSv1.3", "TLSv1.2");
            default -> List.of("TLSv1.3", "TLSv1.2", "TLSv1.1");
        };
        yaml.entry(3, "protocols", protocols, o.get("tls_version").get(), "the lowest version accepted, and newer");
    }

    private void writeCiphers(Options o) {
        Optional<List<String>> tls12 = suites(o, "ciphers");
        Optional<List<String>> tls13 = suites(o, "ciphers_tls1.3");
        if (tls12.isEmpty() && tls13.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(tls13.orElse(TLS13_DEFAULT));
        all.addAll(tls12.orElse(TLS12_DEFAULT));
        Directive from = o.get("ciphers").or(() -> o.get("ciphers_tls1.3")).get();
        String remark = tls12.isPresent() && tls13.isPresent()
                ? "ciphers and ciphers_tls1.3"
                : tls12.isPresent()
                        ? "with OpenSSL's default TLS 1.3 suites, as Mosquitto keeps them"
                        : "ciphers_tls1.3, with Bastion's default TLS 1.2 suites";
        yaml.entry(3, "ciphers", all, from, remark);
    }

    /** The suite names of a cipher option; empty (with a warning) for an OpenSSL cipher expression. */
    private Optional<List<String>> suites(Options o, String option) {
        Optional<String> value = o.string(option);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = List.of(value.get().split("[:,\\s]+"));
        if (!names.stream().allMatch(n -> SUITE_NAME.matcher(n).matches())) {
            findings.warn(
                    o.get(option).get(),
                    "ignored: an OpenSSL cipher expression cannot be mapped; Bastion uses its modern defaults (ECDHE"
                            + " with AES-GCM or ChaCha20-Poly1305); list suite names to choose others");
            return Optional.empty();
        }
        return Optional.of(names);
    }

    private String uniqueName(String base) {
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
