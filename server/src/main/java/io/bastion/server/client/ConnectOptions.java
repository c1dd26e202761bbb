package io.bastion.server.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to connect to a broker.
 *
 * @param clientId empty asks an MQTT 5 broker to assign one
 * @param username null for none
 * @param password null for none
 * @param keepAlive seconds, 0 disables
 * @param cleanStart false resumes an existing session (mosquitto's {@code -c} sets it false)
 * @param sessionExpiry MQTT 5 Session Expiry Interval in seconds; 4294967295 never expires
 * @param will the will message, if any
 * @param properties {@code -D connect ...} properties (MQTT 5)
 * @param timeout for the TCP connect and for the CONNACK
 * @param debug receives one line per protocol event when {@code -d} is given, else discards them
 * @param transport TCP, TLS, WebSocket or secure WebSocket, with the TLS files
 */
public record ConnectOptions(
        String host,
        int port,
        ProtocolVersion version,
        String clientId,
        String username,
        String password,
        int keepAlive,
        boolean cleanStart,
        long sessionExpiry,
        Optional<OutgoingMessage> will,
        List<MqttProperty> properties,
        Duration timeout,
        Consumer<String> debug,
        TransportOptions transport) {

    public ConnectOptions {
        properties = List.copyOf(properties);
        transport = transport == null ? TransportOptions.plain() : transport;
    }

    /** Plain TCP. */
    public ConnectOptions(
            String host,
            int port,
            ProtocolVersion version,
            String clientId,
            String username,
            String password,
            int keepAlive,
            boolean cleanStart,
            long sessionExpiry,
            Optional<OutgoingMessage> will,
            List<MqttProperty> properties,
            Duration timeout,
            Consumer<String> debug) {
        this(
                host,
                port,
                version,
                clientId,
                username,
                password,
                keepAlive,
                cleanStart,
                sessionExpiry,
                will,
                properties,
                timeout,
                debug,
                TransportOptions.plain());
    }

    /** How the client names itself in debug output: its id, or a placeholder until the broker assigns one. */
    String displayId() {
        return clientId.isEmpty() ? "(server-assigned id)" : clientId;
    }
}
