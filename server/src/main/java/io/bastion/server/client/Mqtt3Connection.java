package io.bastion.server.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link MqttConnection} over MQTT 3.1.1: no properties, return codes instead of reason codes. */
final class Mqtt3Connection implements MqttConnection {
    private final ConnectOptions options;
    private final Mqtt3BlockingClient client;
    private final AtomicReference<Throwable> lost = new AtomicReference<>();
    private Mqtt3Publishes publishes;
    private boolean connected;

    Mqtt3Connection(ConnectOptions options) {
        this.options = options;
        this.client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(options.clientId())
                .transportConfig()
                .serverHost(options.host())
                .serverPort(options.port())
                .socketConnectTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .sslConfig(options.transport().tls() ? options.transport().sslConfig() : null)
                .webSocketConfig(
                        options.transport().webSocket() ? options.transport().webSocketConfig() : null)
                .applyTransportConfig()
                .addDisconnectedListener(context -> {
                    if (context.getSource() != MqttDisconnectSource.USER) {
                        lost.compareAndSet(null, context.getCause());
                    }
                })
                .buildBlocking();
    }

    @Override
    public void open() {
        // registered before CONNECT so that messages queued in a resumed session are not missed
        publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        options.debug().accept("Client " + options.displayId() + " sending CONNECT");
        Mqtt3ConnectBuilder builder =
                Mqtt3Connect.builder().keepAlive(options.keepAlive()).cleanSession(options.cleanStart());
        if (options.username() != null) {
            byte[] password =
                    options.password() == null ? null : options.password().getBytes(StandardCharsets.UTF_8);
            builder = builder.simpleAuth(
                    password == null
                            ? Mqtt3SimpleAuth.builder()
                                    .username(options.username())
                                    .build()
                            : Mqtt3SimpleAuth.builder()
                                    .username(options.username())
                                    .password(password)
                                    .build());
        }
        if (options.will().isPresent()) {
            builder = builder.willPublish(message(options.will().get()));
        }
        try {
            Mqtt3ConnAck connAck = client.connect(builder.build());
            connected = true;
            options.debug()
                    .accept("Client " + options.displayId() + " received CONNACK ("
                            + connAck.getReturnCode().getCode() + ")"
                            + (connAck.isSessionPresent() ? " session present" : ""));
        } catch (RuntimeException e) {
            publishes.close();
            throw Failures.describe(e, options);
        }
    }

    private static Mqtt3Publish message(OutgoingMessage message) {
        return Mqtt3Publish.builder()
                .topic(message.topic())
                .payload(message.payload())
                .qos(Mqtt5Connection.qos(message.qos()))
                .retain(message.retain())
                .build();
    }

    @Override
    public void publish(OutgoingMessage message) {
        options.debug()
                .accept("Client " + options.displayId() + " sending PUBLISH (q" + message.qos() + ", r"
                        + (message.retain() ? 1 : 0) + ", '" + message.topic() + "', ... ("
                        + message.payload().length + " bytes))");
        try {
            client.publish(message(message));
        } catch (RuntimeException e) {
            throw Failures.describe(e, options);
        }
    }

    @Override
    public List<SubscriptionResult> subscribe(List<String> topicFilters, int qos, List<MqttProperty> properties) {
        List<Mqtt3Subscription> subscriptions = new ArrayList<>();
        for (String filter : topicFilters) {
            subscriptions.add(Mqtt3Subscription.builder()
                    .topicFilter(filter)
                    .qos(Mqtt5Connection.qos(qos))
                    .build());
        }
        options.debug()
                .accept("Client " + options.displayId() + " sending SUBSCRIBE (" + String.join(", ", topicFilters)
                        + ", q" + qos + ")");
        Mqtt3SubAck subAck;
        try {
            subAck = client.subscribe(
                    Mqtt3Subscribe.builder().addSubscriptions(subscriptions).build());
        } catch (Mqtt3SubAckException e) {
            subAck = e.getMqttMessage();
        } catch (RuntimeException e) {
            throw Failures.describe(e, options);
        }
        List<SubscriptionResult> results = new ArrayList<>();
        List<Mqtt3SubAckReturnCode> codes = subAck.getReturnCodes();
        for (int i = 0; i < topicFilters.size() && i < codes.size(); i++) {
            results.add(new SubscriptionResult(
                    topicFilters.get(i), codes.get(i).getCode(), codes.get(i).name()));
        }
        options.debug().accept("Client " + options.displayId() + " received SUBACK " + results);
        return results;
    }

    @Override
    public Optional<ReceivedMessage> receive(Duration timeout) throws InterruptedException {
        return Inbox.receive(
                millis -> publishes.receive(millis, TimeUnit.MILLISECONDS),
                timeout,
                p -> new ReceivedMessage(
                        p.getTopic().toString(),
                        p.getPayloadAsBytes(),
                        p.getQos().getCode(),
                        p.isRetain()),
                lost,
                options);
    }

    @Override
    public void close() {
        if (publishes != null) {
            publishes.close();
        }
        if (connected) {
            connected = false;
            options.debug().accept("Client " + options.displayId() + " sending DISCONNECT");
            try {
                client.disconnect();
            } catch (RuntimeException e) {
                // already disconnected: nothing left to close
            }
        }
    }
}
