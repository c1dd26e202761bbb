package io.bastion.security.authn.registry;

/**
 * How a device credential is written, with the Cloud IoT Core names for public keys and Azure's symmetric key for
 * SAS tokens.
 */
public enum KeyFormat {
    /** An RSA public key, PEM {@code BEGIN PUBLIC KEY}; verifies RS256 JWTs. */
    RSA_PEM,
    /** An X.509 certificate (PEM) holding an RSA key; verifies RS256 JWTs. */
    RSA_X509_PEM,
    /** A P-256 EC public key, PEM {@code BEGIN PUBLIC KEY}; verifies ES256 JWTs. */
    ES256_PEM,
    /** An X.509 certificate (PEM) holding a P-256 key; verifies ES256 JWTs. */
    ES256_X509_PEM,
    /** A base64 symmetric key; verifies SAS tokens. */
    SYMMETRIC_KEY;

    public boolean isPublicKey() {
        return this != SYMMETRIC_KEY;
    }

    public boolean isRsa() {
        return this == RSA_PEM || this == RSA_X509_PEM;
    }
}
