package io.bastion.server.client;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import io.bastion.transport.tls.PemFiles;
import io.bastion.transport.tls.TlsConfigException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the client reaches the broker: plain TCP, TLS, WebSocket or secure WebSocket, with the TLS files
 * mosquitto_pub takes ({@code --cafile}, {@code --cert}, {@code --key}).
 *
 * @param tls TLS on (mqtts://, wss://, or any TLS option given)
 * @param webSocket MQTT over WebSocket (ws://, wss://)
 * @param webSocketPath the HTTP path of the WebSocket endpoint, e.g. {@code /mqtt}
 * @param caFile PEM CA certificates the broker's certificate is verified against; null for the JVM's trust store
 * @param certFile the client's PEM certificate (chain) for mutual TLS; null for none
 * @param keyFile the client's PEM private key, may be encrypted; null for none
 * @param keyPassword passphrase of an encrypted key; null for none. Never printed.
 * @param tlsVersions e.g. TLSv1.3; empty means the client library's default (TLS 1.3 and 1.2)
 * @param insecure do not check that the broker's certificate names the host connected to
 */
public record TransportOptions(
        boolean tls,
        boolean webSocket,
        String webSocketPath,
        Path caFile,
        Path certFile,
        Path keyFile,
        String keyPassword,
        List<String> tlsVersions,
        boolean insecure) {

    public TransportOptions {
        tlsVersions = List.copyOf(tlsVersions);
    }

    public static TransportOptions plain() {
        return new TransportOptions(false, false, null, null, null, null, null, List.of(), false);
    }

    /** The TLS configuration; reads the files now, so a {@link TlsConfigException} names a bad one. */
    public MqttClientSslConfig sslConfig() {
        MqttClientSslConfigBuilder b = MqttClientSslConfig.builder();
        try {
            if (caFile != null) {
                List<X509Certificate> cas = PemFiles.readCertificates(caFile, "CA file");
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca" + i, cas.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                b = b.trustManagerFactory(tmf);
            }
            if (certFile != null) {
                List<X509Certificate> chain = PemFiles.readCertificates(certFile, "certificate file");
                PrivateKey key = PemFiles.readPrivateKey(
                        keyFile, keyPassword == null ? null : keyPassword.toCharArray(), "key file");
                PemFiles.checkKeyMatches(key, chain.get(0), keyFile, certFile);
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
                b = b.keyManagerFactory(kmf);
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigException("cannot set up TLS: " + e.getMessage(), e);
        }
        if (!tlsVersions.isEmpty()) {
            b = b.protocols(tlsVersions);
        }
        if (insecure) {
            b = b.hostnameVerifier((host, session) -> true);
        }
        return b.build();
    }

    public MqttWebSocketConfig webSocketConfig() {
        String path = webSocketPath == null || webSocketPath.isEmpty() ? "/mqtt" : webSocketPath;
        return MqttWebSocketConfig.builder()
                .serverPath(path.startsWith("/") ? path.substring(1) : path)
                .subprotocol("mqtt")
                .build();
    }

    @Override
    public String toString() {
        return "TransportOptions[tls=" + tls + ", webSocket=" + webSocket + ", path=" + webSocketPath + ", ca=" + caFile
                + ", cert=" + certFile + ", key=" + keyFile + "]";
    }
}
