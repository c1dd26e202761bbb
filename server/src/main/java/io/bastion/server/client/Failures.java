package io.bastion.server.client;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRec;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import java.util.Optional;

/** Turns the MQTT client library's exceptions into one line an operator can act on. */
final class Failures {
    private Failures() {}

    static ClientFailure describe(Throwable e, ConnectOptions options) {
        return new ClientFailure(message(e, options), e);
    }

    static String message(Throwable e, ConnectOptions options) {
        if (e instanceof Mqtt5ConnAckException) {
            Mqtt5ConnAck connAck = ((Mqtt5ConnAckException) e).getMqttMessage();
            return "connection refused by the broker: CONNACK " + code(connAck.getReasonCode().getCode()) + " "
                    + connAck.getReasonCode() + reasonString(connAck.getReasonString());
        }
        if (e instanceof Mqtt3ConnAckException) {
            Mqtt3ConnAck connAck = ((Mqtt3ConnAckException) e).getMqttMessage();
            return "connection refused by the broker: CONNACK return code "
                    + connAck.getReturnCode().getCode() + " " + connAck.getReturnCode();
        }
        if (e instanceof Mqtt5DisconnectException) {
            Mqtt5Disconnect disconnect = ((Mqtt5DisconnectException) e).getMqttMessage();
            return "the broker disconnected: DISCONNECT " + code(disconnect.getReasonCode().getCode()) + " "
                    + disconnect.getReasonCode() + reasonString(disconnect.getReasonString());
        }
        if (e instanceof Mqtt5PubAckException) {
            Mqtt5PubAck pubAck = ((Mqtt5PubAckException) e).getMqttMessage();
            return "publish refused: PUBACK " + code(pubAck.getReasonCode().getCode()) + " "
                    + pubAck.getReasonCode() + reasonString(pubAck.getReasonString());
        }
        if (e instanceof Mqtt5PubRecException) {
            Mqtt5PubRec pubRec = ((Mqtt5PubRecException) e).getMqttMessage();
            return "publish refused: PUBREC " + code(pubRec.getReasonCode().getCode()) + " "
                    + pubRec.getReasonCode() + reasonString(pubRec.getReasonString());
        }
        if (e instanceof ConnectionFailedException) {
            return "cannot connect to " + options.host() + ":" + options.port() + ": " + rootMessage(e);
        }
        if (e instanceof ConnectionClosedException) {
            return "the broker closed the connection" + suffix(rootMessage(e));
        }
        return rootMessage(e);
    }

    static String code(int code) {
        return String.format("0x%02X", code);
    }

    private static String reasonString(Optional<MqttUtf8String> reason) {
        return reason.map(r -> " (" + r + ")").orElse("");
    }

    /** The innermost message: "Connection refused" rather than a wrapper's class name. */
    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        String message = e.getMessage();
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        // Netty appends the address ("Connection refused: localhost/127.0.0.1:1883"); we already name it
        int colon = message.indexOf(": ");
        return cause instanceof java.net.ConnectException && colon > 0 ? message.substring(0, colon) : message;
    }

    private static String suffix(String detail) {
        return detail == null || detail.isEmpty() ? "" : ": " + detail;
    }
}
