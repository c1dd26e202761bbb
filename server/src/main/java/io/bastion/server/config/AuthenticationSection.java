package io.bastion.server.config;

import io.bastion.security.authn.ProviderSettings;
import io.bastion.security.authn.registry.DeviceRegistry;
import io.bastion.security.authn.scram.ScramMechanism;
import io.bastion.security.authn.webhook.WebhookRequest;
import io.bastion.security.authn.x509.X509Provider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code security.authentication}: the ordered list of authentication providers. Each element names its
 * {@code type}; every element may limit itself to some {@code listeners}.
 */
final class AuthenticationSection {
    static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final String TYPES = "password_file, jwt, x509, sas, http, scram, anonymous";

    private AuthenticationSection() {}

    static List<ProviderSettings> bind(ConfigSection root) {
        List<ProviderSettings> providers = new ArrayList<>();
        for (ConfigSection element :
                root.section("security").sectionList("authentication").orElse(List.of())) {
            providers.add(provider(element));
        }
        return List.copyOf(providers);
    }

    private static ProviderSettings provider(ConfigSection p) {
        String type = p.string("type", null);
        if (type == null) {
            throw p.error("type", "is required: one of " + TYPES);
        }
        Set<String> listeners = new LinkedHashSet<>(p.strings("listeners", List.of()));
        return switch (type) {
            case "password_file" ->
                new ProviderSettings.PasswordFile(requiredPath(p, "path"), reloadInterval(p), listeners);
            case "jwt" ->
                new ProviderSettings.Jwt(
                        Path.of(p.string("registry", DeviceRegistry.DEFAULT_DIRECTORY)),
                        p.duration("clock_skew", Duration.ofMinutes(10), Duration.ZERO, Duration.ofHours(1), true),
                        reloadInterval(p),
                        listeners);
            case "sas" ->
                new ProviderSettings.Sas(
                        Path.of(p.string("registry", DeviceRegistry.DEFAULT_DIRECTORY)),
                        p.string("hostname", null),
                        reloadInterval(p),
                        listeners);
            case "http" -> http(p, listeners);
            case "scram" ->
                new ProviderSettings.Scram(requiredPath(p, "path"), scramMechanisms(p), reloadInterval(p), listeners);
            case "x509" ->
                new ProviderSettings.X509(
                        p.choice("identity", X509Provider.Identity.class, X509Provider.Identity.CERTIFICATE),
                        p.bool("client_id_must_match", false),
                        listeners);
            case "anonymous" -> new ProviderSettings.Anonymous(listeners);
            default -> throw p.error("type", "must be one of " + TYPES + " (got \"" + type + "\")");
        };
    }

    private static ProviderSettings.Http http(ConfigSection p, Set<String> listeners) {
        String url = p.string("url", null);
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            throw p.error("url", "is not a URL: " + e.getMessage());
        }
        if (uri == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null) {
            throw p.error("url", "is required for type http: an http:// or https:// URL");
        }
        Map<String, String> body = textMap(p, "body");
        WebhookRequest.Format format = p.choice("body_format", WebhookRequest.Format.class, WebhookRequest.Format.JSON);
        try {
            new WebhookRequest(body.isEmpty() ? WebhookRequest.DEFAULT_FIELDS : body, format);
        } catch (IllegalArgumentException e) {
            throw p.error("body", e.getMessage());
        }
        return new ProviderSettings.Http(
                uri,
                body.isEmpty() ? WebhookRequest.DEFAULT_FIELDS : body,
                format,
                textMap(p, "headers"),
                p.duration("timeout", Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMinutes(1), false),
                p.duration("cache_ttl", Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofHours(1), true),
                listeners);
    }

    private static Set<ScramMechanism> scramMechanisms(ConfigSection p) {
        Set<ScramMechanism> mechanisms = new LinkedHashSet<>();
        for (String name : p.strings("mechanisms", List.of("SCRAM-SHA-256", "SCRAM-SHA-512"))) {
            ScramMechanism m = ScramMechanism.of(name);
            if (m == null) {
                throw p.error("mechanisms", "must list SCRAM-SHA-256 and/or SCRAM-SHA-512 (got \"" + name + "\")");
            }
            mechanisms.add(m);
        }
        if (mechanisms.isEmpty()) {
            throw p.error("mechanisms", "must name at least one mechanism");
        }
        return mechanisms;
    }

    /** A mapping of names to text values, e.g. {@code headers: {Authorization: Bearer x}}. */
    private static Map<String, String> textMap(ConfigSection p, String key) {
        ConfigSection section = p.section(key);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : section.keys()) {
            values.put(name, section.string(name, ""));
        }
        return values;
    }

    static Path requiredPath(ConfigSection p, String key) {
        String value = p.string(key, null);
        if (value == null || value.isBlank()) {
            throw p.error(key, "is required for type " + p.string("type", null));
        }
        return Path.of(value);
    }

    private static Duration reloadInterval(ConfigSection p) {
        return p.duration("reload_interval", DEFAULT_RELOAD_INTERVAL, Duration.ofMillis(100), Duration.ofDays(1), true);
    }
}
