package io.bastion.security.authn;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.security.CredentialCheck;
import io.bastion.security.WatchedFile;
import io.bastion.security.authn.jwt.CloudIotJwtProvider;
import io.bastion.security.authn.password.PasswordFile;
import io.bastion.security.authn.password.PasswordFileProvider;
import io.bastion.security.authn.registry.DeviceRegistry;
import io.bastion.security.authn.sas.SasTokenProvider;
import io.bastion.security.authn.scram.ScramAuthenticator;
import io.bastion.security.authn.scram.ScramFile;
import io.bastion.security.authn.scram.ScramMechanism;
import io.bastion.security.authn.webhook.WebhookProvider;
import io.bastion.security.authn.webhook.WebhookRequest;
import io.bastion.security.authn.x509.X509Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the configured authentication chain and owns what its providers share: the timer that polls their files
 * and the threads that check slow password hashes. With no provider configured the broker keeps its built-in
 * policy (verified client certificates, then {@code security.anonymous}).
 */
public final class AuthenticationService implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final ExecutorService verifier;
    private final AuthenticationMetrics metrics = new AuthenticationMetrics();
    private final List<EnhancedAuthenticator> enhanced = new ArrayList<>();
    private final Authenticator authenticator;
    private final List<AuthenticationChain.Link> links = new ArrayList<>();
    private final List<WatchedFile<?>> watchedFiles = new ArrayList<>();
    private final Map<Path, WatchedFile<DeviceRegistry>> registries = new HashMap<>();
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();

    private AuthenticationService(List<ProviderSettings> providers, AnonymousAccess anonymous) {
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("bastion-auth-reload"));
        this.verifier = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2), daemon("bastion-auth-verify"));
        Authenticator fallback = new AnonymousAccessAuthenticator(anonymous);
        try {
            for (ProviderSettings settings : providers) {
                if (settings instanceof ProviderSettings.Scram scram) {
                    enhance(scram);
                } else {
                    links.add(new AuthenticationChain.Link(provider(settings), settings.listeners()));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.authenticator = links.isEmpty() ? fallback : new AuthenticationChain(links, fallback, metrics);
    }

    /**
     * @throws AuthenticationConfigException when a provider cannot start (e.g. its file is missing)
     */
    public static AuthenticationService start(List<ProviderSettings> providers, AnonymousAccess anonymous) {
        return new AuthenticationService(providers, anonymous);
    }

    /** SCRAM is not a link of the chain: the broker routes CONNECTs naming its method to it. */
    private void enhance(ProviderSettings.Scram scram) {
        WatchedFile<ScramFile> file = watched(scram.path(), "SCRAM credential file", ScramFile::read);
        file.watch(timer, scram.reloadInterval());
        for (ScramMechanism mechanism : scram.mechanisms()) {
            enhanced.add(new ScramAuthenticator(mechanism, file, scram.listeners(), metrics));
        }
    }

    private AuthenticationProvider provider(ProviderSettings settings) {
        if (settings instanceof ProviderSettings.PasswordFile p) {
            WatchedFile<PasswordFile> file = watched(p.path(), "password file", PasswordFile::read);
            file.watch(timer, p.reloadInterval());
            return new PasswordFileProvider(file, verifier);
        }
        if (settings instanceof ProviderSettings.Jwt j) {
            WatchedFile<DeviceRegistry> registry = registry(j.registry(), j.reloadInterval());
            return new CloudIotJwtProvider(registry, j.clockSkew(), verifier, Clock.systemUTC());
        }
        if (settings instanceof ProviderSettings.Sas sas) {
            WatchedFile<DeviceRegistry> registry = registry(sas.registry(), sas.reloadInterval());
            return new SasTokenProvider(registry, sas.hostname(), Clock.systemUTC());
        }
        if (settings instanceof ProviderSettings.Http h) {
            return new WebhookProvider(
                    h.url(), new WebhookRequest(h.body(), h.format()), h.headers(), h.timeout(), h.cacheTtl());
        }
        if (settings instanceof ProviderSettings.X509 x) {
            return new X509Provider(x.identity(), x.clientIdMustMatch());
        }
        if (settings instanceof ProviderSettings.Anonymous) {
            return new AnonymousProvider();
        }
        throw new IllegalArgumentException("unknown provider settings " + settings);
    }

    /**
     * The device registry directory, read and polled once however many providers (jwt, sas) use it, so one change
     * is one reload and one re-check of the connected clients.
     */
    private WatchedFile<DeviceRegistry> registry(Path path, Duration interval) {
        WatchedFile<DeviceRegistry> registry = registries.get(path);
        if (registry == null) {
            registry = watched(path, "device registry", DeviceRegistry::read);
            registry.watch(timer, interval);
            registries.put(path, registry);
        }
        return registry;
    }

    private <T> WatchedFile<T> watched(java.nio.file.Path path, String what, WatchedFile.Parser<T> parser) {
        try {
            WatchedFile<T> file = WatchedFile.load(path, what, parser);
            watchedFiles.add(file);
            file.onChange(content -> reloaded());
            return file;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AuthenticationConfigException(what + " " + path + " does not exist", e);
        } catch (IOException e) {
            throw new AuthenticationConfigException(what + " " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void reloaded() {
        for (Runnable listener : reloadListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(AuthenticationService.class)
                        .warn("acting on a re-read credential file failed", e);
            }
        }
    }

    /**
     * Runs {@code listener} (on the file-polling thread) after any password, SCRAM or registry file was re-read
     * successfully, e.g. to re-check the connected clients against {@link #credentialCheck()}.
     */
    public void onReload(Runnable listener) {
        reloadListeners.add(listener);
    }

    /**
     * Whether a connected client's credential still holds: asks the chain provider that allowed it (a user removed
     * from the password or SCRAM file, a device removed from the registry or left without a current key fails).
     */
    public CredentialCheck credentialCheck() {
        CredentialCheck chain = authenticator instanceof AuthenticationChain c ? c : CredentialCheck.ALWAYS_VALID;
        List<ScramAuthenticator> scram = enhanced.stream()
                .filter(ScramAuthenticator.class::isInstance)
                .map(ScramAuthenticator.class::cast)
                .toList();
        return client -> chain.stillValid(client) && scram.stream().allMatch(s -> s.stillValid(client));
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public List<EnhancedAuthenticator> enhancedAuthenticators() {
        return List.copyOf(enhanced);
    }

    public AuthenticationMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        for (AuthenticationChain.Link link : links) {
            link.provider().close();
        }
        watchedFiles.forEach(WatchedFile::close);
        timer.shutdownNow();
        verifier.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
