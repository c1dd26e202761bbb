package io.bastion.broker.auth;

import java.security.cert.X509Certificate;

/**
 * The identity a verified client certificate carries (taken from its CN or a SAN entry, as the
 * listener says), and what the listener does with it. Set by the transport after a mutual TLS
 * handshake; absent for clients without a verified certificate.
 *
 * @param identity the CN or SAN value, e.g. {@code tenant:device-1}
 * @param certificate the client's (leaf) certificate, verified against the listener's CA bundle
 * @param useAsUsername the identity replaces the user name the CONNECT carries (Mosquitto's
 *     {@code use_identity_as_username})
 * @param mustMatchClientId a CONNECT whose client id differs from the identity is refused with
 *     0x87 Not authorized; an empty client id is replaced by the identity
 */
public record CertificateIdentity(
        String identity, X509Certificate certificate, boolean useAsUsername, boolean mustMatchClientId) {

    @Override
    public String toString() {
        return "CertificateIdentity[" + identity + "]";
    }
}
