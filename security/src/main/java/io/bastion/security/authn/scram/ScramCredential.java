package io.bastion.security.authn.scram;

import java.util.Base64;

/**
 * A user's SCRAM verifier for one mechanism (RFC 5802 section 5): salt, iteration count, StoredKey = H(ClientKey)
 * and ServerKey. Written as one line of a SCRAM credential file: {@code
 * user:SCRAM-SHA-256:iterations:salt:storedKey:serverKey} (base64).
 */
public record ScramCredential(
        ScramMechanism mechanism, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    public ScramCredential {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The part of the file line after {@code user:}. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return mechanism.method() + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ScramCredential parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected MECHANISM:iterations:salt:storedKey:serverKey");
        }
        ScramMechanism mechanism = ScramMechanism.of(parts[0]);
        if (mechanism == null) {
            throw new IllegalArgumentException("unknown mechanism " + parts[0]);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations is not a number", e);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        ScramCredential c = new ScramCredential(
                mechanism, iterations, b64.decode(parts[2]), b64.decode(parts[3]), b64.decode(parts[4]));
        if (iterations < 4096 || c.salt.length == 0) {
            throw new IllegalArgumentException("needs at least 4096 iterations (RFC 7677) and a salt");
        }
        return c;
    }

    @Override
    public String toString() {
        return "ScramCredential[" + mechanism.method() + " " + iterations + "]";
    }
}
