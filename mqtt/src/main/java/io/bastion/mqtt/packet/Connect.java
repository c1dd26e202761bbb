package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;

/**
 * CONNECT (3.1). {@code cleanStart} is MQTT 3.1.1's Clean Session flag for older versions.
 *
 * @param username {@code null} when the User Name flag is 0
 * @param password {@code null} when the Password flag is 0
 * @param will {@code null} when the Will flag is 0
 */
public record Connect(
        MqttVersion version,
        String clientId,
        boolean cleanStart,
        int keepAlive,
        String username,
        byte[] password,
        Will will,
        MqttProperties properties)
        implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public String toString() {
        // never print the password
        return "Connect[" + version + " clientId=" + clientId + " cleanStart=" + cleanStart + " keepAlive=" + keepAlive
                + " username=" + username + " password=" + (password == null ? "none" : "***") + " will=" + will
                + " " + properties + "]";
    }
}
