package io.bastion.broker.control;

import io.bastion.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A connected client as the run-time control API shows it.
 *
 * @param username the CONNECT user name (or the certificate identity when the listener uses it as one); may be null
 * @param identity who authentication said the client is; may be null
 * @param attributes named parts of the identity
 * @param connectedSinceMillis when the CONNACK went out, epoch milliseconds
 */
public record ClientInfo(
        String clientId,
        String username,
        String identity,
        Map<String, String> attributes,
        String listenerName,
        InetSocketAddress remoteAddress,
        MqttVersion protocolVersion,
        long connectedSinceMillis) {

    public ClientInfo {
        attributes = Map.copyOf(attributes);
    }
}
