package io.bastion.server.config;

import io.bastion.admin.AdminSettings;
import io.bastion.broker.BrokerSettings;
import io.bastion.security.acl.AclSource;
import io.bastion.security.authn.ProviderSettings;
import io.bastion.security.limits.BruteForceSettings;
import io.bastion.store.StoreOptions;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.TransportSettings;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole configuration of a Bastion node, validated. Built from YAML (snake_case keys) with {@code BASTION_*}
 * environment overrides on top; every key missing from both takes its embedded default.
 *
 * <p>To add a section (tls, auth, store, admin...): add a component here, a {@code XxxSection.bind(root)} class
 * that reads its keys through {@link ConfigSection}, and one line in {@link #bind}. Unknown-key detection, env
 * overrides and error locations then work for it without further code.
 *
 * @param listeners the sockets to listen on, at least one
 * @param broker limits, feature switches, anonymous access and $SYS of the broker core
 * @param transport settings shared by every listener
 * @param store where and how durably sessions, queues and retained messages are kept ({@code store})
 * @param authentication the authentication providers in the order they are asked ({@code security.authentication});
 *     empty means the broker's built-in policy
 * @param authorization the ACL sources ({@code security.authorization}); empty means no ACL
 * @param bruteForce failed-CONNECT back-off and connection rate ({@code security.brute_force})
 * @param admin the HTTP admin API ({@code admin})
 */
public record BastionConfig(
        List<ListenerSettings> listeners,
        BrokerSettings broker,
        TransportSettings transport,
        StoreOptions store,
        List<ProviderSettings> authentication,
        List<AclSource> authorization,
        BruteForceSettings bruteForce,
        AdminSettings admin) {

    public BastionConfig {
        listeners = List.copyOf(listeners);
        authentication = List.copyOf(authentication);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed");
        }
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(store, "store");
        authorization = List.copyOf(authorization);
        Objects.requireNonNull(bruteForce, "bruteForce");
        Objects.requireNonNull(admin, "admin");
    }

    /** Listeners, broker and transport with the defaults of every other section. */
    public BastionConfig(List<ListenerSettings> listeners, BrokerSettings broker, TransportSettings transport) {
        this(
                listeners,
                broker,
                transport,
                StoreOptions.defaults(),
                List.of(),
                List.of(),
                BruteForceSettings.defaults(),
                AdminSettings.defaults());
    }

    /** Parses YAML text, without environment overrides (tests and embedding). */
    public static BastionConfig fromYaml(String yaml) {
        return bind(YamlReader.read(yaml, "yaml"), Map.of());
    }

    /** YAML text named {@code sourceName} in errors, with the {@code BASTION_*} variables of {@code env} applied. */
    public static BastionConfig parse(String yaml, String sourceName, Map<String, String> env) {
        return bind(YamlReader.read(yaml, sourceName), env);
    }

    /** Reads a YAML file, then applies the {@code BASTION_*} variables of {@code env}. */
    public static BastionConfig load(Path file, Map<String, String> env) {
        return parse(readFile(file), file.toString(), env);
    }

    /** The embedded defaults with the {@code BASTION_*} variables of {@code env} applied. */
    public static BastionConfig defaults(Map<String, String> env) {
        return bind(ConfigDocument.empty(), env);
    }

    public BastionConfig withListeners(List<ListenerSettings> n) {
        return new BastionConfig(n, broker, transport, store, authentication, authorization, bruteForce, admin);
    }

    public BastionConfig withBroker(BrokerSettings n) {
        return new BastionConfig(listeners, n, transport, store, authentication, authorization, bruteForce, admin);
    }

    public BastionConfig withTransport(TransportSettings n) {
        return new BastionConfig(listeners, broker, n, store, authentication, authorization, bruteForce, admin);
    }

    public BastionConfig withStore(StoreOptions n) {
        return new BastionConfig(listeners, broker, transport, n, authentication, authorization, bruteForce, admin);
    }

    public BastionConfig withAuthentication(List<ProviderSettings> n) {
        return new BastionConfig(listeners, broker, transport, store, n, authorization, bruteForce, admin);
    }

    private static BastionConfig bind(ConfigDocument document, Map<String, String> env) {
        EnvOverrides.apply(document, env);
        ConfigSection root = ConfigSection.root(document);
        List<ListenerSettings> listeners = ListenersSection.bind(root, env);
        BastionConfig config = new BastionConfig(
                listeners,
                BrokerSections.bind(root),
                TransportSection.bind(root),
                StoreSection.bind(root),
                AuthenticationSection.bind(root),
                AuthorizationSection.bind(root, listenerNames(listeners)),
                BruteForceSection.bind(root),
                AdminSection.bind(root));
        UnknownKeys.check(document);
        return config;
    }

    private static java.util.Set<String> listenerNames(List<ListenerSettings> listeners) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        listeners.forEach(l -> names.add(l.name()));
        return names;
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "", "cannot read config file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(file.toString(), "", "cannot read config file: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), "", "cannot read config file: not UTF-8 text", e);
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new ConfigException(file.toString(), "", "cannot read config file: " + reason, e);
        }
    }
}
