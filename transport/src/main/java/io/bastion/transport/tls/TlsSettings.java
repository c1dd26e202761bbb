package io.bastion.transport.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS of one listener: PEM files, client certificates, revocation, identity and timeouts.
 *
 * @param certificate PEM certificate chain of the server, leaf first
 * @param privateKey PEM private key (PKCS#1, PKCS#8, EC; may be passphrase-encrypted)
 * @param keyPassword passphrase of an encrypted key; null when the key is not encrypted. Never logged.
 * @param caBundle PEM CA certificates that client certificates are verified against; null without client auth
 * @param clientAuth whether clients must, may or may not present a certificate
 * @param crl a CRL file (PEM or DER, one or more CRLs) checked on every handshake; null for none
 * @param protocols enabled protocol versions, e.g. TLSv1.3 and TLSv1.2
 * @param ciphers enabled cipher suites; empty means the engine's modern defaults
 * @param identitySource where the client's identity is taken from in its certificate
 * @param identityAsUsername the certificate identity replaces the CONNECT's user name
 * @param requireIdentityMatchesClientId a CONNECT's client id must equal the certificate identity
 * @param handshakeTimeout a client that has not finished the TLS handshake within it is closed
 * @param reloadInterval how often the files are checked for changes; zero turns hot reload off
 */
public record TlsSettings(
        Path certificate,
        Path privateKey,
        String keyPassword,
        Path caBundle,
        ClientAuth clientAuth,
        Path crl,
        List<String> protocols,
        List<String> ciphers,
        IdentitySource identitySource,
        boolean identityAsUsername,
        boolean requireIdentityMatchesClientId,
        Duration handshakeTimeout,
        Duration reloadInterval) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    /** Whether and how a client presents a certificate. */
    public enum ClientAuth {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    /** The part of a client certificate that names the client. */
    public enum IdentitySource {
        /** The subject's common name, e.g. {@code tenant:device-1}. */
        CN,
        /** The first DNS name among the subject alternative names. */
        SAN_DNS,
        /** The first URI among the subject alternative names. */
        SAN_URI,
        /** The first e-mail address (rfc822Name) among the subject alternative names. */
        SAN_EMAIL
    }

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
        identitySource = identitySource == null ? IdentitySource.CN : identitySource;
        handshakeTimeout = handshakeTimeout == null ? DEFAULT_HANDSHAKE_TIMEOUT : handshakeTimeout;
        reloadInterval = reloadInterval == null ? DEFAULT_RELOAD_INTERVAL : reloadInterval;
    }

    /** One-way TLS with the defaults: no client certificates. */
    public static TlsSettings of(Path certificate, Path privateKey) {
        return new TlsSettings(
                certificate, privateKey, null, null, null, null, null, null, null, false, false, null, null);
    }

    public TlsSettings withKeyPassword(String password) {
        return new TlsSettings(
                certificate,
                privateKey,
                password,
                caBundle,
                clientAuth,
                crl,
                protocols,
                ciphers,
                identitySource,
                identityAsUsername,
                requireIdentityMatchesClientId,
                handshakeTimeout,
                reloadInterval);
    }

    /** Mutual TLS: client certificates verified against {@code ca}, revoked ones per {@code crl} (may be null). */
    public TlsSettings withClientAuth(ClientAuth auth, Path ca, Path crlFile) {
        return new TlsSettings(
                certificate,
                privateKey,
                keyPassword,
                ca,
                auth,
                crlFile,
                protocols,
                ciphers,
                identitySource,
                identityAsUsername,
                requireIdentityMatchesClientId,
                handshakeTimeout,
                reloadInterval);
    }

    public TlsSettings withIdentity(IdentitySource source, boolean asUsername, boolean mustMatchClientId) {
        return new TlsSettings(
                certificate,
                privateKey,
                keyPassword,
                caBundle,
                clientAuth,
                crl,
                protocols,
                ciphers,
                source,
                asUsername,
                mustMatchClientId,
                handshakeTimeout,
                reloadInterval);
    }

    public TlsSettings withTimeouts(Duration handshake, Duration reload) {
        return new TlsSettings(
                certificate,
                privateKey,
                keyPassword,
                caBundle,
                clientAuth,
                crl,
                protocols,
                ciphers,
                identitySource,
                identityAsUsername,
                requireIdentityMatchesClientId,
                handshake,
                reload);
    }

    public TlsSettings withProtocols(List<String> enabledProtocols, List<String> enabledCiphers) {
        return new TlsSettings(
                certificate,
                privateKey,
                keyPassword,
                caBundle,
                clientAuth,
                crl,
                enabledProtocols,
                enabledCiphers,
                identitySource,
                identityAsUsername,
                requireIdentityMatchesClientId,
                handshakeTimeout,
                reloadInterval);
    }

    @Override
    public String toString() {
        return "TlsSettings[cert=" + certificate + ", key=" + privateKey + (keyPassword == null ? "" : " (encrypted)")
                + ", ca=" + caBundle + ", clientAuth=" + clientAuth + ", crl=" + crl + ", protocols=" + protocols
                + ", identity=" + identitySource + "]";
    }
}
