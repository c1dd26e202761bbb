package io.bastion.security.authn.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * A password hash in the forms {@code mosquitto_passwd} writes: {@code $6$SALT$HASH} (SHA-512 of the password
 * followed by the salt) and {@code $7$ITERATIONS$SALT$HASH} (PBKDF2-HMAC-SHA512), salt and hash in base64.
 */
public final class PasswordHash {
    /** Iterations {@code bastion passwd} uses; Mosquitto's 101 is cheap to brute-force from a stolen file. */
    public static final int DEFAULT_ITERATIONS = 10_000;

    private static final int SALT_BYTES = 12; // what mosquitto_passwd uses
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations; // 0 for $6$
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Reads the part after {@code user:}.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the hash)
     */
    public static PasswordHash parse(String text) {
        String[] parts = text.split("\\$", -1);
        // "$6$salt$hash" splits into ["", "6", salt, hash]
        if (parts.length < 2 || !parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a $6$ or $7$ hash (plain-text passwords are not accepted)");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            if (parts[1].equals("6") && parts.length == 4) {
                return checked(new PasswordHash(0, b64.decode(parts[2]), b64.decode(parts[3])));
            }
            if (parts[1].equals("7") && parts.length == 5) {
                int iterations = Integer.parseInt(parts[2]);
                if (iterations < 1) {
                    throw new IllegalArgumentException("$7$ hash with " + iterations + " iterations");
                }
                return checked(new PasswordHash(iterations, b64.decode(parts[3]), b64.decode(parts[4])));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("$7$ hash with an iteration count that is not a number", e);
        }
        throw new IllegalArgumentException("unknown hash type $" + parts[1] + "$ (only $6$ and $7$ are read)");
    }

    private static PasswordHash checked(PasswordHash h) {
        if (h.salt.length == 0 || h.hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("hash with an empty salt or a hash that is not 64 bytes");
        }
        return h;
    }

    /** A new salted {@code $7$} hash of {@code password}. */
    public static PasswordHash create(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, pbkdf2(utf8(password), salt, iterations));
    }

    /** Whether {@code password} matches, compared in constant time. Costs {@link #iterations()} HMACs. */
    public boolean matches(byte[] password) {
        byte[] computed = iterations == 0 ? sha512(password, salt) : pbkdf2(password, salt, iterations);
        return MessageDigest.isEqual(computed, hash);
    }

    public int iterations() {
        return iterations;
    }

    /** The form written to the file. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        String tail = b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        return iterations == 0 ? "$6$" + tail : "$7$" + iterations + "$" + tail;
    }

    @Override
    public String toString() {
        return iterations == 0 ? "PasswordHash[$6$]" : "PasswordHash[$7$ " + iterations + "]";
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            digest.update(salt);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }

    /**
     * PBKDF2-HMAC-SHA512 (RFC 8018) over the raw password bytes, one 64-byte block. The JDK's key factory takes chars
     * and re-encodes them, and {@code SecretKeySpec} refuses an empty key, so the loop is written out here.
     */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new RawKey(password));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1}); // block index 1
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
        }
    }

    /** An HMAC key of any length, the empty one included. */
    private static final class RawKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        RawKey(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public String getAlgorithm() {
            return "HmacSHA512";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return bytes.clone();
        }
    }

    private static byte[] utf8(char[] password) {
        var buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
