package io.bastion.server.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One client connection, the same for MQTT 3.1.1 and 5 so that {@code pub} and {@code sub} are written once. Calls
 * block; failures are {@link ClientFailure}s whose message names the reason code.
 */
public interface MqttConnection extends AutoCloseable {

    /** Connects and waits for a successful CONNACK. */
    static MqttConnection connect(ConnectOptions options) {
        MqttConnection connection = options.version() == ProtocolVersion.MQTT_5
                ? new Mqtt5Connection(options)
                : new Mqtt3Connection(options);
        connection.open();
        return connection;
    }

    void open();

    /** Publishes and, at QoS 1 and 2, waits until the broker acknowledged. */
    void publish(OutgoingMessage message);

    /** Subscribes to every filter at {@code qos}; the broker's answer per filter, in order. */
    List<SubscriptionResult> subscribe(List<String> topicFilters, int qos, List<MqttProperty> properties);

    /**
     * The next delivered message, or empty when none came within {@code timeout}.
     *
     * @throws ClientFailure when the connection was lost
     */
    Optional<ReceivedMessage> receive(Duration timeout) throws InterruptedException;

    /** Sends DISCONNECT (normal disconnection) and closes; does nothing when already closed. */
    @Override
    void close();
}
