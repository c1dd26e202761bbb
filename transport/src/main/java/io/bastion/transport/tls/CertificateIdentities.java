package io.bastion.transport.tls;

import io.bastion.transport.tls.TlsSettings.IdentitySource;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Takes a client's identity out of its certificate: the subject CN or a subject alternative name. */
public final class CertificateIdentities {
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateIdentities() {}

    /** The identity, or null when the certificate has none of that kind. */
    public static String identity(X509Certificate certificate, IdentitySource source) {
        return switch (source) {
            case CN -> commonName(certificate.getSubjectX500Principal());
            case SAN_DNS -> alternativeName(certificate, SAN_DNS);
            case SAN_URI -> alternativeName(certificate, SAN_URI);
            case SAN_EMAIL -> alternativeName(certificate, SAN_EMAIL);
        };
    }

    /** The (most specific) CN of a distinguished name, or null. */
    public static String commonName(X500Principal principal) {
        try {
            List<Rdn> rdns = new LdapName(principal.getName(X500Principal.RFC2253)).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // LdapName lists the RDNs right to left
                Rdn rdn = rdns.get(i);
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static String alternativeName(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                if (name.size() >= 2
                        && name.get(0) instanceof Integer t
                        && t == type
                        && name.get(1) instanceof String s) {
                    return s;
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
