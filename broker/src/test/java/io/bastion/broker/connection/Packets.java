package io.bastion.broker.connection;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Short constructors for the decoded packets tests send. */
public final class Packets {
    private Packets() {}

    public static Connect connect5(String clientId) {
        return connect5(clientId, true, MqttProperties.EMPTY);
    }

    public static Connect connect5(String clientId, boolean cleanStart, MqttProperties properties) {
        return new Connect(MqttVersion.V5, clientId, cleanStart, 60, null, null, null, properties);
    }

    /** v5 CONNECT with Clean Start 0 and a Session Expiry Interval. */
    public static Connect persistent5(String clientId, long sessionExpiry) {
        return connect5(
                clientId,
                false,
                MqttProperties.builder().sessionExpiryInterval(sessionExpiry).build());
    }

    public static Connect connect311(String clientId, boolean cleanSession) {
        return new Connect(MqttVersion.V3_1_1, clientId, cleanSession, 60, null, null, null, MqttProperties.EMPTY);
    }

    public static Connect withWill(Connect c, Will will) {
        return new Connect(
                c.version(),
                c.clientId(),
                c.cleanStart(),
                c.keepAlive(),
                c.username(),
                c.password(),
                will,
                c.properties());
    }

    public static Connect withKeepAlive(Connect c, int keepAlive) {
        return new Connect(
                c.version(),
                c.clientId(),
                c.cleanStart(),
                keepAlive,
                c.username(),
                c.password(),
                c.will(),
                c.properties());
    }

    public static Will will(String topic, String payload, MqttProperties properties) {
        return new Will(topic, bytes(payload), 1, false, properties);
    }

    public static Publish publish(String topic, int qos, int packetId, String payload) {
        return publish(topic, qos, packetId, payload, MqttProperties.EMPTY);
    }

    public static Publish publish(String topic, int qos, int packetId, String payload, MqttProperties properties) {
        return new Publish(topic, qos, false, false, packetId, properties, bytes(payload));
    }

    public static Publish retained(String topic, int qos, int packetId, String payload) {
        return new Publish(topic, qos, true, false, packetId, MqttProperties.EMPTY, bytes(payload));
    }

    public static Subscribe subscribe(int packetId, String filter, int qos) {
        return new Subscribe(packetId, List.of(Subscription.of(filter, qos)), MqttProperties.EMPTY);
    }

    public static Subscribe subscribe(int packetId, Subscription subscription, int subscriptionId) {
        MqttProperties props = subscriptionId == 0
                ? MqttProperties.EMPTY
                : MqttProperties.builder()
                        .subscriptionIdentifier(subscriptionId)
                        .build();
        return new Subscribe(packetId, List.of(subscription), props);
    }

    public static Disconnect disconnect() {
        return Disconnect.NORMAL;
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }
}
