package io.bastion.server.client;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
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
import java.net.ConnectException;
import java.util.Locale;
import java.util.Optional;

/** Turns the MQTT client library's exceptions into one line an operator can act on. */
final class Failures {
    private Failures() {}

    static ClientFailure describe(Throwable e, ConnectOptions options) {
        return new ClientFailure(message(e, options), e);
    }

    static String message(Throwable e, ConnectOptions options) {
        if (e instanceof Mqtt5ConnAckException failure) {
            Mqtt5ConnAck connAck = failure.getMqttMessage();
            return "connection refused by the broker: CONNACK "
                    + code(connAck.getReasonCode().getCode()) + " " + connAck.getReasonCode()
                    + reasonString(connAck.getReasonString());
        }
        if (e instanceof Mqtt3ConnAckException failure) {
            Mqtt3ConnAck connAck = failure.getMqttMessage();
            return "connection refused by the broker: CONNACK return code "
                    + connAck.getReturnCode().getCode() + " " + connAck.getReturnCode();
        }
        if (e instanceof Mqtt5DisconnectException failure) {
            Mqtt5Disconnect disconnect = failure.getMqttMessage();
            return "the broker disconnected: DISCONNECT "
                    + code(disconnect.getReasonCode().getCode()) + " " + disconnect.getReasonCode()
                    + reasonString(disconnect.getReasonString());
        }
        if (e instanceof Mqtt5PubAckException failure) {
            Mqtt5PubAck pubAck = failure.getMqttMessage();
            return "publish refused: PUBACK " + code(pubAck.getReasonCode().getCode()) + " " + pubAck.getReasonCode()
                    + reasonString(pubAck.getReasonString());
        }
        if (e instanceof Mqtt5PubRecException failure) {
            Mqtt5PubRec pubRec = failure.getMqttMessage();
            return "publish refused: PUBREC " + code(pubRec.getReasonCode().getCode()) + " " + pubRec.getReasonCode()
                    + reasonString(pubRec.getReasonString());
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

    /** The innermost message: "connection refused" rather than a wrapper's class name. */
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
        if (cause instanceof ConnectException) {
            return connectProblem(message);
        }
        return message;
    }

    /**
     * The JDK says "Connection refused: host/address:port", Netty's native transport "finishConnect(..) failed with
     * error(-111)"; both become the plain reason, as the address is already named.
     */
    private static String connectProblem(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("refused") || lower.contains("error(-111)")) {
            return "connection refused";
        }
        if (lower.contains("no route") || lower.contains("error(-113)")) {
            return "no route to host";
        }
        if (lower.contains("unreachable") || lower.contains("error(-101)")) {
            return "network is unreachable";
        }
        if (lower.contains("timed out") || lower.contains("error(-110)")) {
            return "connection timed out";
        }
        int colon = message.indexOf(": ");
        return colon > 0 ? message.substring(0, colon) : message;
    }

    private static String suffix(String detail) {
        return detail == null || detail.isEmpty() ? "" : ": " + detail;
    }
}
