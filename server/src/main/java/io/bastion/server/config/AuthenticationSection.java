package io.bastion.server.config;

import io.bastion.security.authn.ProviderSettings;
import io.bastion.security.authn.registry.DeviceRegistry;
import io.bastion.security.authn.x509.X509Provider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds {@code security.authentication}: the ordered list of authentication providers. Each element names its
 * {@code type}; every element may limit itself to some {@code listeners}.
 */
final class AuthenticationSection {
    static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final String TYPES = "password_file, jwt, x509, sas, anonymous";

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
            case "x509" ->
                new ProviderSettings.X509(
                        p.choice("identity", X509Provider.Identity.class, X509Provider.Identity.CERTIFICATE),
                        p.bool("client_id_must_match", false),
                        listeners);
            case "anonymous" -> new ProviderSettings.Anonymous(listeners);
            default -> throw p.error("type", "must be one of " + TYPES + " (got \"" + type + "\")");
        };
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
