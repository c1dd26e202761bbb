package io.bastion.security.authn.scram;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677): their hash, HMAC and the derived keys. */
public enum ScramMechanism {
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32),
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64);

    private final String method;
    private final String digest;
    private final String hmac;
    private final String pbkdf2;
    private final int length;

    ScramMechanism(String method, String digest, String hmac, String pbkdf2, int length) {
        this.method = method;
        this.digest = digest;
        this.hmac = hmac;
        this.pbkdf2 = pbkdf2;
        this.length = length;
    }

    /** The MQTT Authentication Method and SASL mechanism name. */
    public String method() {
        return method;
    }

    public static ScramMechanism of(String method) {
        for (ScramMechanism m : values()) {
            if (m.method.equals(method)) {
                return m;
            }
        }
        return null;
    }

    /** SaltedPassword = Hi(Normalize(password), salt, i); the password is used as given (no SASLprep). */
    public byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance(pbkdf2)
                    .generateSecret(new PBEKeySpec(password, salt, iterations, length * 8))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pbkdf2 + " is part of every JDK", e);
        }
    }

    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is part of every JDK", e);
        }
    }

    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is part of every JDK", e);
        }
    }

    /** What the server stores for a password: never the password, nor anything a client could log in with. */
    public ScramCredential credential(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, bytes("Client Key"));
        byte[] serverKey = hmac(salted, bytes("Server Key"));
        return new ScramCredential(this, iterations, salt, hash(clientKey), serverKey);
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
