package io.bastion.conformance;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An Eclipse Paho MQTT 3.1.1 client that collects what it receives in a queue. */
public final class PahoClient implements AutoCloseable {
    /** A message as Paho delivered it. */
    public record Message(String topic, String payload, int qos, boolean retained, boolean duplicate) {}

    private final MqttClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private volatile Throwable connectionLost;

    PahoClient(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                connectionLost = cause;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Message(
                        topic,
                        new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8),
                        message.getQos(),
                        message.isRetained(),
                        message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    }

    public MqttClient client() {
        return client;
    }

    /** Connects with MQTT 3.1.1 and the given Clean Session flag; returns Session Present. */
    public boolean connect(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(60);
        try {
            return client.connectWithResult(o).getSessionPresent();
        } catch (MqttException e) {
            throw new AssertionError("Paho connect failed: " + e, e);
        }
    }

    public void connect(MqttConnectOptions options) throws MqttException {
        client.connect(options);
    }

    public void subscribe(String filter, int qos) {
        try {
            int[] granted = client.subscribeWithResponse(filter, qos).getGrantedQos();
            if (granted.length != 1 || granted[0] > 2) {
                throw new AssertionError(
                        "Paho subscribe to " + filter + " refused: " + java.util.Arrays.toString(granted));
            }
        } catch (MqttException e) {
            throw new AssertionError("Paho subscribe failed: " + e, e);
        }
    }

    public void publish(String topic, String payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained);
        } catch (MqttException e) {
            throw new AssertionError("Paho publish failed: " + e, e);
        }
    }

    /** The next message within {@code wait}, or an assertion failure. */
    public Message receive(Duration wait) {
        try {
            Message m = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("Paho client received nothing within " + wait.toMillis() + " ms"
                        + (connectionLost != null ? " (connection lost: " + connectionLost + ")" : ""));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message within {@code wait}, or null. */
    public Message poll(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public void disconnect() {
        try {
            client.disconnect(2000);
        } catch (MqttException e) {
            throw new AssertionError("Paho disconnect failed: " + e, e);
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(500, 500);
            }
        } finally {
            client.close(true);
        }
    }
}
