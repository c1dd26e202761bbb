package io.bastion.server.authn;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802), written from the RFC for the test, plugged into the HiveMQ client's enhanced
 * authentication; it checks the server's signature too, so a server that does not know the password fails.
 */
final class ScramClient implements Mqtt5EnhancedAuthMechanism {
    private final String method;
    private final String hmac;
    private final String digest;
    private final String pbkdf2;
    private final int length;
    private final String user;
    private final String password;
    private String clientFirstBare;
    private byte[] expectedServerSignature;
    final AtomicInteger serverVerified = new AtomicInteger();

    ScramClient(String method, String user, String password) {
        this.method = method;
        boolean sha512 = method.endsWith("512");
        this.hmac = sha512 ? "HmacSHA512" : "HmacSHA256";
        this.digest = sha512 ? "SHA-512" : "SHA-256";
        this.pbkdf2 = sha512 ? "PBKDF2WithHmacSHA512" : "PBKDF2WithHmacSHA256";
        this.length = sha512 ? 64 : 32;
        this.user = user;
        this.password = password;
    }

    private byte[] clientFirst() {
        clientFirstBare = "n=" + user + ",r=" + UUID.randomUUID().toString().replace("-", "");
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] clientFinal(Mqtt5EnhancedAuth serverFirstAuth) throws Exception {
        String serverFirst = text(serverFirstAuth.getData());
        String nonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String attribute : serverFirst.split(",")) {
            switch (attribute.charAt(0)) {
                case 'r' -> nonce = attribute.substring(2);
                case 's' -> salt = Base64.getDecoder().decode(attribute.substring(2));
                case 'i' -> iterations = Integer.parseInt(attribute.substring(2));
                default -> {}
            }
        }
        byte[] salted = SecretKeyFactory.getInstance(pbkdf2)
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8))
                .getEncoded();
        byte[] clientKey = mac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance(digest).digest(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = mac(storedKey, authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }
        expectedServerSignature = mac(mac(salted, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    private boolean serverFinalMatches(Optional<Mqtt5EnhancedAuth> auth) {
        if (auth.isEmpty()) {
            return false;
        }
        String v = "v=" + Base64.getEncoder().encodeToString(expectedServerSignature);
        boolean match = v.equals(text(auth.get().getData()));
        if (match) {
            serverVerified.incrementAndGet();
        }
        return match;
    }

    private byte[] mac(byte[] key, String data) throws Exception {
        Mac m = Mac.getInstance(hmac);
        m.init(new SecretKeySpec(key, hmac));
        return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Optional<ByteBuffer> data) {
        ByteBuffer b = data.orElseThrow().duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of(method);
    }

    @Override
    public int getTimeout() {
        return 30;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig c, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder b) {
        b.data(clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig c, Mqtt5AuthBuilder b) {
        b.data(clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig c, Mqtt5Auth auth, Mqtt5AuthBuilder b) {
        try {
            b.data(clientFinal(auth));
            return CompletableFuture.completedFuture(true);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig c, Mqtt5ConnAck connAck) {
        return CompletableFuture.completedFuture(serverFinalMatches(connAck.getEnhancedAuth()));
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig c, Mqtt5Auth auth) {
        return CompletableFuture.completedFuture(serverFinalMatches(Optional.of(auth)));
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig c, Mqtt5ConnAck connAck) {}

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig c, Mqtt5Disconnect disconnect) {}

    @Override
    public void onAuthError(Mqtt5ClientConfig c, Throwable cause) {}

    @Override
    public void onReAuthError(Mqtt5ClientConfig c, Throwable cause) {}
}
