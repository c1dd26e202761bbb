package io.bastion.security.authn.x509;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.authn.AuthenticationProvider;
import io.bastion.security.authn.Verdict;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.security.auth.x500.X500Principal;

/**
 * Clients whose certificate a mutual-TLS listener verified, authenticated by the certificate: its identity is the
 * listener's certificate identity (CN or SAN) or the RFC 2253 subject DN. Clients without one are passed on. The
 * connection ends when the certificate expires.
 */
public final class X509Provider implements AuthenticationProvider {

    /** What the identity is taken from. */
    public enum Identity {
        /** The identity the listener took from the certificate (its {@code tls.identity}: CN or a SAN). */
        CERTIFICATE,
        /** The whole subject, e.g. {@code CN=dev-1,O=Acme}. */
        SUBJECT
    }

    private final Identity identity;
    private final boolean clientIdMustMatch;

    public X509Provider(Identity identity, boolean clientIdMustMatch) {
        this.identity = identity;
        this.clientIdMustMatch = clientIdMustMatch;
    }

    @Override
    public String type() {
        return "x509";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        X509Certificate certificate = credentials.clientCertificate();
        if (certificate == null || credentials.certificateIdentity() == null) {
            return CompletableFuture.completedFuture(Verdict.ignore("no verified client certificate"));
        }
        String id = identity == Identity.SUBJECT
                ? certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)
                : credentials.certificateIdentity();
        if (clientIdMustMatch && !id.equals(credentials.clientId())) {
            return CompletableFuture.completedFuture(Verdict.deny(
                    ReasonCode.NOT_AUTHORIZED,
                    "client id \"" + credentials.clientId() + "\" is not the certificate identity \"" + id + "\""));
        }
        return CompletableFuture.completedFuture(Verdict.allow(new AuthDecision(
                ReasonCode.SUCCESS,
                id,
                Map.of("certificate_identity", credentials.certificateIdentity()),
                "client certificate " + id,
                certificate.getNotAfter().toInstant())));
    }
}
