package io.bastion.broker.auth;

import io.bastion.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;

/**
 * What a client presents when it connects; the password is never logged.
 *
 * @param certificateIdentity the identity from the client's verified TLS certificate (CN or SAN, as the
 *     listener says); null without one
 * @param clientCertificate the client's verified TLS certificate; null without one
 */
public record ClientCredentials(
        String clientId,
        String username,
        byte[] password,
        InetSocketAddress remoteAddress,
        String listenerName,
        MqttVersion version,
        String certificateIdentity,
        X509Certificate clientCertificate) {

    public ClientCredentials(
            String clientId,
            String username,
            byte[] password,
            InetSocketAddress remoteAddress,
            String listenerName,
            MqttVersion version) {
        this(clientId, username, password, remoteAddress, listenerName, version, null, null);
    }

    /** No user name, no password and no verified client certificate. */
    public boolean isAnonymous() {
        return username == null && password == null && certificateIdentity == null;
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + " user=" + username
                + (certificateIdentity == null ? "" : " certificate=" + certificateIdentity) + " from " + remoteAddress
                + "]";
    }
}
