package io.bastion.transport.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificate chains: a PKIX path to one of the listener's CA certificates (signatures
 * and validity dates), then none of the chain's certificates revoked by a loaded CRL. A CA without a
 * CRL is not checked for revocation (there is nothing to check against). A certificate without the
 * identity the listener takes (its CN or SAN entry) is refused too: the client could not be named.
 */
final class ClientCertificateTrustManager extends X509ExtendedTrustManager {
    private final List<X509Certificate> authorities;
    private final Set<TrustAnchor> anchors;
    private final List<X509CRL> crls;
    private final TlsSettings.IdentitySource identitySource;

    ClientCertificateTrustManager(
            List<X509Certificate> authorities, List<X509CRL> crls, TlsSettings.IdentitySource identitySource) {
        this.identitySource = identitySource;
        this.authorities = List.copyOf(authorities);
        this.crls = List.copyOf(crls);
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate ca : authorities) {
            a.add(new TrustAnchor(ca, null));
        }
        this.anchors = Set.copyOf(a);
    }

    void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!authorities.contains(c)) {
                path.add(c);
            }
        }
        if (path.isEmpty()) {
            throw new CertificateException("the client presented a CA certificate, not its own");
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(
                    "client certificate " + path.get(0).getSubjectX500Principal() + " refused: " + e.getMessage(), e);
        }
        if (CertificateIdentities.identity(path.get(0), identitySource) == null) {
            throw new CertificateException("client certificate " + path.get(0).getSubjectX500Principal() + " has no "
                    + identitySource.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " identity, which this listener takes the client's identity from");
        }
        for (X509Certificate c : path) {
            X509CRL crl = revokedBy(c, crls);
            if (crl != null) {
                throw new CertificateException("client certificate " + c.getSubjectX500Principal() + " (serial "
                        + c.getSerialNumber().toString(16) + ") is revoked by the CRL of "
                        + crl.getIssuerX500Principal());
            }
        }
    }

    /** The CRL that revokes {@code certificate}, or null. */
    static X509CRL revokedBy(X509Certificate certificate, List<X509CRL> crls) {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                    && crl.isRevoked(certificate)) {
                return crl;
            }
        }
        return null;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a listener verifies clients, not servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a listener verifies clients, not servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a listener verifies clients, not servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.toArray(new X509Certificate[0]);
    }
}
