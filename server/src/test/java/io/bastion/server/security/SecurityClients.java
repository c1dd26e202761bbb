package io.bastion.server.security;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real MQTT clients (HiveMQ) for the security end-to-end tests, with what a test asks of them. */
final class SecurityClients implements AutoCloseable {
    private final int port;
    private final List<Runnable> closers = new ArrayList<>();

    SecurityClients(int port) {
        this.port = port;
    }

    /** A connected v5 client; {@link V5#disconnectReason} completes when the server disconnects it. */
    V5 v5(String clientId, String user) {
        CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
        var builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof Mqtt5DisconnectException e) {
                        disconnected.complete(e.getMqttMessage().getReasonCode());
                    } else {
                        disconnected.complete(null);
                    }
                });
        Mqtt5BlockingClient client = builder.buildBlocking();
        var connect = client.connectWith();
        if (user != null) {
            connect.simpleAuth()
                    .username(user)
                    .password("pw".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        connect.send();
        closers.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return new V5(client, disconnected);
    }

    Mqtt3BlockingClient v3(String clientId, String user) {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        var connect = client.connectWith();
        if (user != null) {
            connect.simpleAuth()
                    .username(user)
                    .password("pw".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        connect.send();
        closers.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    record V5(Mqtt5BlockingClient client, CompletableFuture<Mqtt5DisconnectReasonCode> disconnectReason) {

        /** Subscribes and returns the SUBACK's reason code, also an error code (the client throws those). */
        Mqtt5SubAckReasonCode subscribe(String filter, int qos) {
            try {
                return client.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.fromCode(qos))
                        .send()
                        .getReasonCodes()
                        .get(0);
            } catch (Mqtt5SubAckException e) {
                return e.getMqttMessage().getReasonCodes().get(0);
            }
        }

        /** Publishes at QoS 1 and returns the PUBACK's reason code. */
        Mqtt5PubAckReasonCode publishQos1(String topic) {
            try {
                Mqtt5PublishResult result = client.publishWith()
                        .topic(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(topic.getBytes(StandardCharsets.UTF_8))
                        .send();
                return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
            } catch (Mqtt5PubAckException e) {
                return e.getMqttMessage().getReasonCode();
            }
        }

        void publishQos0(String topic) {
            client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_MOST_ONCE)
                    .payload(topic.getBytes(StandardCharsets.UTF_8))
                    .send();
        }

        Mqtt5BlockingClient.Mqtt5Publishes publishes() {
            return client.publishes(MqttGlobalPublishFilter.ALL);
        }

        Mqtt5DisconnectReasonCode awaitDisconnect() throws Exception {
            return disconnectReason.get(20, TimeUnit.SECONDS);
        }
    }

    static String topicOf(Mqtt5Publish p) {
        return p.getTopic().toString();
    }

    @Override
    public void close() {
        for (Runnable r : closers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }
}
