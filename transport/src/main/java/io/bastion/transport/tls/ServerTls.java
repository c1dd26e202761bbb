package io.bastion.transport.tls;

import io.bastion.broker.auth.CertificateIdentity;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one listener: the server certificate, the CA bundle and CRL loaded from PEM files
 * into an {@link SslContext}, and kept current. New connections use the latest context; open ones
 * keep theirs. When a reloaded CRL revokes the certificate of an open connection, that connection is
 * handed to the {@link RevocationHandler}.
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    /** What the transport does with a connection whose certificate was revoked while it was open. */
    @FunctionalInterface
    public interface RevocationHandler {
        /** Called on the channel's event loop. */
        void revoked(Channel channel, X509Certificate certificate, X509CRL crl);
    }

    private final String listenerName;
    private final TlsSettings settings;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Loaded current;
    private List<Long> loadedStamp;
    private List<Long> failedStamp;
    private ScheduledFuture<?> watcher;

    /** One consistent load of the files. */
    private record Loaded(SslContext context, List<X509CRL> crls) {}

    private ServerTls(String listenerName, TlsSettings settings) {
        this.listenerName = listenerName;
        this.settings = settings;
    }

    /** Loads and checks the files; a {@link TlsConfigException} says which file is wrong and how. */
    public static ServerTls load(String listenerName, TlsSettings settings) {
        ServerTls tls = new ServerTls(listenerName, settings);
        tls.loadedStamp = tls.stamp();
        tls.current = tls.loadFiles(true);
        return tls;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** Which engine does the TLS: BoringSSL through netty-tcnative, or the JDK's. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** A handler for a new connection, with the current certificates and the handshake timeout. */
    public SslHandler newHandler(Channel channel, ByteBufAllocator alloc) {
        SslHandler handler = current.context().newHandler(alloc);
        handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        if (settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
            channels.add(channel);
        }
        return handler;
    }

    /** The identity of the verified client certificate of a finished handshake, or null without one. */
    public CertificateIdentity identity(SSLSession session) {
        X509Certificate certificate = peerCertificate(session);
        if (certificate == null) {
            return null;
        }
        String identity = CertificateIdentities.identity(certificate, settings.identitySource());
        if (identity == null) {
            return null;
        }
        return new CertificateIdentity(
                identity, certificate, settings.identityAsUsername(), settings.requireIdentityMatchesClientId());
    }

    private static X509Certificate peerCertificate(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    // ---- loading

    private Loaded loadFiles(boolean startup) {
        List<X509Certificate> chain = PemFiles.readCertificates(settings.certificate(), "certificate file");
        char[] password =
                settings.keyPassword() == null ? null : settings.keyPassword().toCharArray();
        PrivateKey key = PemFiles.readPrivateKey(settings.privateKey(), password, "private key file");
        PemFiles.checkKeyMatches(key, chain.get(0), settings.privateKey(), settings.certificate());
        warnIfNotValid(chain.get(0));
        List<X509Certificate> authorities = List.of();
        List<X509CRL> crls = List.of();
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider())
                .protocols(settings.protocols())
                .ciphers(settings.ciphers().isEmpty() ? null : settings.ciphers(), SupportedCipherSuiteFilter.INSTANCE);
        if (settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
            if (settings.caBundle() == null) {
                throw new TlsConfigException("listener '" + listenerName + "': client certificates ("
                        + settings.clientAuth().name().toLowerCase(java.util.Locale.ROOT)
                        + ") need a CA bundle to verify them against");
            }
            authorities = PemFiles.readAuthorities(settings.caBundle(), "CA file");
            if (settings.crl() != null) {
                crls = PemFiles.readCrls(settings.crl(), "CRL file");
                checkCrls(crls, authorities);
            }
            builder.trustManager(new ClientCertificateTrustManager(authorities, crls, settings.identitySource()))
                    .clientAuth(
                            settings.clientAuth() == TlsSettings.ClientAuth.REQUIRED
                                    ? ClientAuth.REQUIRE
                                    : ClientAuth.OPTIONAL);
        }
        try {
            SslContext context = builder.build();
            log.info(
                    "listener '{}': TLS {} with {} ({} engine), client certificates {}{}",
                    listenerName,
                    startup ? "ready" : "reloaded",
                    chain.get(0).getSubjectX500Principal(),
                    provider(),
                    settings.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                    crls.isEmpty() ? "" : ", " + revokedCount(crls) + " revoked in the CRL");
            return new Loaded(context, crls);
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException(
                    "listener '" + listenerName + "': TLS cannot be set up with " + settings.certificate() + " and "
                            + settings.privateKey() + ": " + e.getMessage(),
                    e);
        }
    }

    private static int revokedCount(List<X509CRL> crls) {
        int n = 0;
        for (X509CRL crl : crls) {
            n += crl.getRevokedCertificates() == null
                    ? 0
                    : crl.getRevokedCertificates().size();
        }
        return n;
    }

    private void warnIfNotValid(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            log.warn(
                    "!!! listener '{}': the server certificate {} EXPIRED on {} — clients will refuse it; renew it",
                    listenerName,
                    settings.certificate(),
                    certificate.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            log.warn(
                    "!!! listener '{}': the server certificate {} is not valid before {} — clients will refuse it",
                    listenerName,
                    settings.certificate(),
                    certificate.getNotBefore());
        }
    }

    private void checkCrls(List<X509CRL> crls, List<X509Certificate> authorities) {
        for (X509CRL crl : crls) {
            X509Certificate issuer = null;
            for (X509Certificate ca : authorities) {
                if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                    issuer = ca;
                }
            }
            if (issuer == null) {
                log.warn(
                        "listener '{}': CRL file {} is issued by {}, which is not in the CA file {}; its signature is not checked",
                        listenerName,
                        settings.crl(),
                        crl.getIssuerX500Principal(),
                        settings.caBundle());
                continue;
            }
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new TlsConfigException(
                        "CRL file " + settings.crl() + " is not signed by " + crl.getIssuerX500Principal()
                                + " of the CA file " + settings.caBundle(),
                        e);
            }
            if (crl.getNextUpdate() != null && crl.getNextUpdate().before(new Date())) {
                log.warn(
                        "listener '{}': CRL file {} is past its next update ({}); publish a fresh one",
                        listenerName,
                        settings.crl(),
                        crl.getNextUpdate());
            }
        }
    }

    // ---- hot reload

    /** Polls the files' modification times and reloads on change; a failed reload keeps the last good files. */
    public void watch(ScheduledExecutorService scheduler, RevocationHandler revocation) {
        long every = settings.reloadInterval().toMillis();
        if (every <= 0) {
            return;
        }
        watcher = scheduler.scheduleWithFixedDelay(() -> check(revocation), every, every, TimeUnit.MILLISECONDS);
    }

    public void stopWatching() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }

    /** Reloads now if a file changed since the last load. */
    synchronized void check(RevocationHandler revocation) {
        List<Long> stamp = stamp();
        if (stamp.equals(loadedStamp) || stamp.equals(failedStamp)) {
            return;
        }
        try {
            Loaded loaded = loadFiles(false);
            current = loaded;
            loadedStamp = stamp;
            failedStamp = null;
            if (!loaded.crls().isEmpty()) {
                closeRevoked(loaded.crls(), revocation);
            }
        } catch (RuntimeException e) {
            failedStamp = stamp;
            log.error(
                    "listener '{}': TLS files changed but cannot be loaded; keeping the previous ones: {}",
                    listenerName,
                    e.getMessage());
        }
    }

    private void closeRevoked(List<X509CRL> crls, RevocationHandler revocation) {
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> {
                SslHandler ssl = ch.pipeline().get(SslHandler.class);
                if (ssl == null || !ssl.handshakeFuture().isSuccess() || !ch.isActive()) {
                    return;
                }
                try {
                    for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                        if (c instanceof X509Certificate x) {
                            X509CRL crl = ClientCertificateTrustManager.revokedBy(x, crls);
                            if (crl != null) {
                                revocation.revoked(ch, x, crl);
                                return;
                            }
                        }
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no client certificate: nothing to revoke
                }
            });
        }
    }

    private List<Long> stamp() {
        List<Long> stamp = new ArrayList<>();
        for (Path p : new Path[] {settings.certificate(), settings.privateKey(), settings.caBundle(), settings.crl()}) {
            if (p == null) {
                continue;
            }
            try {
                stamp.add(Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS));
                stamp.add(Files.size(p));
            } catch (IOException e) {
                stamp.add(-1L);
                stamp.add((long) Objects.hashCode(e.getClass()));
            }
        }
        return stamp;
    }
}
