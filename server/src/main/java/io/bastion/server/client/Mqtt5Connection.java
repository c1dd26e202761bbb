package io.bastion.server.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectRestrictionsBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link MqttConnection} over MQTT 5, with reason codes and properties. */
final class Mqtt5Connection implements MqttConnection {
    private final ConnectOptions options;
    private final Mqtt5BlockingClient client;
    private final AtomicReference<Throwable> lost = new AtomicReference<>();
    private Mqtt5Publishes publishes;
    private boolean connected;
    /** How debug lines name this client: the broker may assign its id in the CONNACK. */
    private String displayId;

    Mqtt5Connection(ConnectOptions options) {
        this.options = options;
        this.displayId = options.displayId();
        Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
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
                });
        if (!options.clientId().isEmpty()) {
            builder = builder.identifier(options.clientId());
        }
        this.client = builder.buildBlocking();
    }

    @Override
    public void open() {
        // registered before CONNECT so that messages queued in a resumed session are not missed
        publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        options.debug().accept("Client " + displayId + " sending CONNECT");
        try {
            Mqtt5ConnAck connAck = client.connect(connectPacket());
            connected = true;
            connAck.getAssignedClientIdentifier().ifPresent(assigned -> displayId = assigned.toString());
            options.debug()
                    .accept("Client " + displayId + " received CONNACK ("
                            + connAck.getReasonCode().getCode() + ")"
                            + (connAck.isSessionPresent() ? " session present" : ""));
        } catch (RuntimeException e) {
            publishes.close();
            throw Failures.describe(e, options);
        }
    }

    private Mqtt5Connect connectPacket() {
        Mqtt5ConnectBuilder builder = Mqtt5Connect.builder()
                .keepAlive(options.keepAlive())
                .cleanStart(options.cleanStart())
                .sessionExpiryInterval(options.sessionExpiry());
        if (options.username() != null || options.password() != null) {
            builder = builder.simpleAuth(simpleAuth());
        }
        if (options.will().isPresent()) {
            builder = builder.willPublish(willPacket(options.will().get()));
        }
        Mqtt5ConnectRestrictionsBuilder restrictions = Mqtt5ConnectRestrictions.builder();
        Mqtt5UserPropertiesBuilder userProperties = Mqtt5UserProperties.builder();
        for (MqttProperty property : options.properties()) {
            switch (property.name()) {
                case MqttProperty.USER_PROPERTY ->
                    userProperties = userProperties.add(property.key(), property.value());
                case "session-expiry-interval" -> builder = builder.sessionExpiryInterval(property.number());
                case "receive-maximum" -> restrictions = restrictions.receiveMaximum((int) property.number());
                case "maximum-packet-size" -> restrictions = restrictions.maximumPacketSize((int) property.number());
                case "topic-alias-maximum" -> restrictions = restrictions.topicAliasMaximum((int) property.number());
                default -> throw new IllegalArgumentException("unsupported connect property " + property.name());
            }
        }
        return builder.restrictions(restrictions.build())
                .userProperties(userProperties.build())
                .build();
    }

    private Mqtt5SimpleAuth simpleAuth() {
        String username = options.username();
        byte[] password = options.password() == null ? null : options.password().getBytes(StandardCharsets.UTF_8);
        if (username == null) {
            return Mqtt5SimpleAuth.builder().password(password).build();
        }
        if (password == null) {
            return Mqtt5SimpleAuth.builder().username(username).build();
        }
        return Mqtt5SimpleAuth.builder().username(username).password(password).build();
    }

    private static Mqtt5WillPublish willPacket(OutgoingMessage will) {
        Mqtt5PublishBuilder.Complete builder = message(will);
        long delay = will.properties().stream()
                .filter(p -> p.name().equals("will-delay-interval"))
                .mapToLong(MqttProperty::number)
                .findFirst()
                .orElse(0);
        return builder.asWill().delayInterval(delay).build().asWill();
    }

    private static Mqtt5PublishBuilder.Complete message(OutgoingMessage message) {
        Mqtt5PublishBuilder.Complete builder = Mqtt5Publish.builder()
                .topic(message.topic())
                .payload(message.payload())
                .qos(qos(message.qos()))
                .retain(message.retain());
        Mqtt5UserPropertiesBuilder userProperties = Mqtt5UserProperties.builder();
        for (MqttProperty property : message.properties()) {
            switch (property.name()) {
                case MqttProperty.USER_PROPERTY ->
                    userProperties = userProperties.add(property.key(), property.value());
                case "content-type" -> builder = builder.contentType(property.value());
                case "correlation-data" ->
                    builder = builder.correlationData(property.value().getBytes(StandardCharsets.UTF_8));
                case "response-topic" -> builder = builder.responseTopic(property.value());
                case "message-expiry-interval" -> builder = builder.messageExpiryInterval(property.number());
                case "payload-format-indicator" ->
                    builder = builder.payloadFormatIndicator(
                            property.number() == 1
                                    ? Mqtt5PayloadFormatIndicator.UTF_8
                                    : Mqtt5PayloadFormatIndicator.UNSPECIFIED);
                case "will-delay-interval" -> {
                    // a will property, applied by willPacket
                }
                default -> throw new IllegalArgumentException("unsupported publish property " + property.name());
            }
        }
        return builder.userProperties(userProperties.build());
    }

    @Override
    public void publish(OutgoingMessage message) {
        options.debug()
                .accept("Client " + displayId + " sending PUBLISH (q" + message.qos() + ", r"
                        + (message.retain() ? 1 : 0) + ", '" + message.topic() + "', ... ("
                        + message.payload().length + " bytes))");
        Mqtt5PublishResult result;
        try {
            result = client.publish(message(message).build());
        } catch (RuntimeException e) {
            throw Failures.describe(e, options);
        }
        Optional<Throwable> error = result.getError();
        if (error.isPresent()) {
            throw Failures.describe(error.get(), options);
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
            options.debug()
                    .accept("Client " + displayId + " received PUBACK ("
                            + Failures.code(qos1.getPubAck().getReasonCode().getCode()) + " "
                            + qos1.getPubAck().getReasonCode() + ")");
        } else if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result qos2) {
            options.debug()
                    .accept("Client " + displayId + " received PUBREC ("
                            + Failures.code(qos2.getPubRec().getReasonCode().getCode()) + " "
                            + qos2.getPubRec().getReasonCode() + ")");
        }
    }

    @Override
    public List<SubscriptionResult> subscribe(List<String> topicFilters, int qos, List<MqttProperty> properties) {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String filter : topicFilters) {
            subscriptions.add(Mqtt5Subscription.builder()
                    .topicFilter(filter)
                    .qos(qos(qos))
                    .build());
        }
        Mqtt5UserPropertiesBuilder userProperties = Mqtt5UserProperties.builder();
        for (MqttProperty property : properties) {
            userProperties = userProperties.add(property.key(), property.value());
        }
        options.debug()
                .accept("Client " + displayId + " sending SUBSCRIBE (" + String.join(", ", topicFilters) + ", q" + qos
                        + ")");
        Mqtt5SubAck subAck;
        try {
            subAck = client.subscribe(Mqtt5Subscribe.builder()
                    .addSubscriptions(subscriptions)
                    .userProperties(userProperties.build())
                    .build());
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
            subAck = e.getMqttMessage();
        } catch (RuntimeException e) {
            throw Failures.describe(e, options);
        }
        List<SubscriptionResult> results = new ArrayList<>();
        List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
        for (int i = 0; i < topicFilters.size() && i < codes.size(); i++) {
            results.add(new SubscriptionResult(
                    topicFilters.get(i), codes.get(i).getCode(), codes.get(i).name()));
        }
        options.debug().accept("Client " + displayId + " received SUBACK " + results);
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
            options.debug().accept("Client " + displayId + " sending DISCONNECT");
            try {
                client.disconnect();
            } catch (RuntimeException e) {
                // already disconnected: nothing left to close
            }
        }
    }

    static MqttQos qos(int code) {
        return MqttQos.fromCode(code);
    }
}
