package io.bastion.broker.auth;

import io.bastion.mqtt.MqttVersion;
import java.net.InetSocketAddress;

/** What a client presents when it connects; the password is never logged. */
public record ClientCredentials(
        String clientId,
        String username,
        byte[] password,
        InetSocketAddress remoteAddress,
        String listenerName,
        MqttVersion version) {

    public boolean isAnonymous() {
        return username == null && password == null;
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + " user=" + username + " from " + remoteAddress + "]";
    }
}
