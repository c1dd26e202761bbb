package io.bastion.security.authn.scram;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** The SCRAM messages (RFC 5802 section 7) a server reads and writes; no channel binding (gs2 header n or y). */
final class ScramMessages {
    private ScramMessages() {}

    /**
     * {@code gs2-header client-first-message-bare}, e.g. {@code n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL}.
     *
     * @param gs2Header e.g. {@code n,,}
     * @param bare the message without the gs2 header (part of the AuthMessage)
     */
    record ClientFirst(String gs2Header, String bare, String user, String nonce) {
        static ClientFirst parse(byte[] data) {
            String message = text(data);
            if (!(message.startsWith("n,") || message.startsWith("y,"))) {
                throw new IllegalArgumentException("channel binding is not supported (gs2 header must be n or y)");
            }
            int second = message.indexOf(',', 2);
            if (second < 0 || second != 2 && !message.substring(2, second).startsWith("a=")) {
                throw new IllegalArgumentException("bad gs2 header");
            }
            String header = message.substring(0, second + 1);
            String bare = message.substring(second + 1);
            String[] attributes = bare.split(",", -1);
            if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
                throw new IllegalArgumentException("client-first must start with n=user,r=nonce");
            }
            String nonce = attributes[1].substring(2);
            if (nonce.isEmpty()) {
                throw new IllegalArgumentException("empty client nonce");
            }
            return new ClientFirst(header, bare, saslName(attributes[0].substring(2)), nonce);
        }
    }

    /** {@code c=biws,r=nonce,p=proof}; {@link #withoutProof()} is part of the AuthMessage. */
    record ClientFinal(String withoutProof, byte[] proof) {
        static ClientFinal parse(byte[] data, ClientFirst first, String serverFirst) {
            String message = text(data);
            int p = message.lastIndexOf(",p=");
            if (p < 0) {
                throw new IllegalArgumentException("client-final without proof");
            }
            String withoutProof = message.substring(0, p);
            String[] attributes = withoutProof.split(",", -1);
            if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
                throw new IllegalArgumentException("client-final must start with c=...,r=...");
            }
            String binding = new String(Base64.getDecoder().decode(attributes[0].substring(2)), StandardCharsets.UTF_8);
            if (!binding.equals(first.gs2Header())) {
                throw new IllegalArgumentException("channel binding does not repeat the gs2 header");
            }
            String serverNonce = serverFirst.substring(2, serverFirst.indexOf(','));
            if (!attributes[1].substring(2).equals(serverNonce)) {
                throw new IllegalArgumentException("nonce is not the server's");
            }
            return new ClientFinal(withoutProof, Base64.getDecoder().decode(message.substring(p + 3)));
        }
    }

    static String serverFirst(String nonce, ScramCredential credential) {
        return "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
    }

    /** A printable nonce without commas. */
    static String nonce(SecureRandom random) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Undoes the SASL name escapes {@code =2C} (comma) and {@code =3D} (equals sign). */
    private static String saslName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        return name.replace("=2C", ",").replace("=3D", "=");
    }

    private static String text(byte[] data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("no Authentication Data");
        }
        return new String(data, StandardCharsets.UTF_8);
    }
}
