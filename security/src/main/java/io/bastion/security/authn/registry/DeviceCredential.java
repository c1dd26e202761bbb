package io.bastion.security.authn.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * One credential of a device: a public key (JWT) or a symmetric key (SAS), optionally expiring.
 *
 * @param key the key as registered: PEM text, or base64 for {@link KeyFormat#SYMMETRIC_KEY}
 * @param expiresAt after this instant the credential no longer authenticates; null = never
 */
public record DeviceCredential(KeyFormat format, String key, Instant expiresAt) {

    public DeviceCredential {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(key, "key");
    }

    /** Checks that the key is what its format says; the message says what is wrong. */
    public DeviceCredential validated() {
        if (format.isPublicKey()) {
            publicKey();
        } else {
            symmetricKey();
        }
        return this;
    }

    public boolean isValidAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    /** The public key, of the type (RSA, P-256) the format names. */
    public PublicKey publicKey() {
        if (!format.isPublicKey()) {
            throw new IllegalArgumentException(format + " is not a public key");
        }
        PublicKey publicKey;
        try {
            if (format == KeyFormat.RSA_X509_PEM || format == KeyFormat.ES256_X509_PEM) {
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(key.getBytes(StandardCharsets.US_ASCII)));
                publicKey = certificate.getPublicKey();
            } else {
                byte[] der = pem(key, "PUBLIC KEY");
                publicKey = KeyFactory.getInstance(format.isRsa() ? "RSA" : "EC")
                        .generatePublic(new X509EncodedKeySpec(der));
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a " + format + " key: " + e.getMessage(), e);
        }
        if (format.isRsa() ? !(publicKey instanceof RSAPublicKey) : !isP256(publicKey)) {
            throw new IllegalArgumentException(
                    "not a " + format + " key: it holds a " + publicKey.getAlgorithm() + " key");
        }
        return publicKey;
    }

    /** The decoded symmetric key. */
    public byte[] symmetricKey() {
        if (format != KeyFormat.SYMMETRIC_KEY) {
            throw new IllegalArgumentException(format + " is not a symmetric key");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(key.strip());
            if (bytes.length < 16) {
                throw new IllegalArgumentException("a symmetric key needs at least 16 bytes, got " + bytes.length);
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 symmetric key: " + e.getMessage(), e);
        }
    }

    private static boolean isP256(PublicKey key) {
        return key instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256;
    }

    private static byte[] pem(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected PEM " + begin);
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + format + (expiresAt == null ? "" : " until " + expiresAt) + "]";
    }
}
