package io.bastion.transport;

import io.bastion.transport.tls.TlsSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * One listening socket.
 *
 * @param name a label for logs and metrics, unique among listeners
 * @param bindAddress an IP address or host name; "0.0.0.0" or "::" for every interface
 * @param port TCP port; 0 picks a free port (tests)
 * @param type plain TCP, TLS, WebSocket or secure WebSocket
 * @param tls certificates and client authentication; required for TLS and WSS, null otherwise
 * @param webSocketPath the HTTP path WebSocket clients upgrade on (WS and WSS)
 * @param proxyProtocol every connection starts with a PROXY protocol v1 or v2 header from a load
 *     balancer, whose source address is then the client's address
 * @param maxConnectionLifetime connections older than this are closed (v5 DISCONNECT 0xA0) so that
 *     devices reconnect with fresh credentials; zero for no limit
 */
public record ListenerSettings(
        String name,
        String bindAddress,
        int port,
        Type type,
        TlsSettings tls,
        String webSocketPath,
        boolean proxyProtocol,
        Duration maxConnectionLifetime) {

    public static final String DEFAULT_WEBSOCKET_PATH = "/mqtt";

    /** The transport a listener speaks. */
    public enum Type {
        TCP(1883),
        TLS(8883),
        WS(8080),
        WSS(8084);

        private final int defaultPort;

        Type(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }

        public boolean isSecure() {
            return this == TLS || this == WSS;
        }

        public boolean isWebSocket() {
            return this == WS || this == WSS;
        }
    }

    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        type = type == null ? Type.TCP : type;
        webSocketPath = webSocketPath == null || webSocketPath.isEmpty() ? DEFAULT_WEBSOCKET_PATH : webSocketPath;
        maxConnectionLifetime = maxConnectionLifetime == null ? Duration.ZERO : maxConnectionLifetime;
        if (type.isSecure() && tls == null) {
            throw new IllegalArgumentException("listener '" + name + "' of type " + type + " needs TLS settings");
        }
        if (!type.isSecure()) {
            tls = null;
        }
    }

    /** A plain TCP listener. */
    public ListenerSettings(String name, String bindAddress, int port) {
        this(name, bindAddress, port, Type.TCP, null, null, false, null);
    }

    public static ListenerSettings defaultTcp() {
        return new ListenerSettings("tcp", "127.0.0.1", 1883);
    }

    public static ListenerSettings tls(String name, String bindAddress, int port, TlsSettings tls) {
        return new ListenerSettings(name, bindAddress, port, Type.TLS, tls, null, false, null);
    }

    public static ListenerSettings webSocket(String name, String bindAddress, int port, TlsSettings tlsOrNull) {
        return new ListenerSettings(
                name, bindAddress, port, tlsOrNull == null ? Type.WS : Type.WSS, tlsOrNull, null, false, null);
    }

    public ListenerSettings withProxyProtocol(boolean enabled) {
        return new ListenerSettings(name, bindAddress, port, type, tls, webSocketPath, enabled, maxConnectionLifetime);
    }

    public ListenerSettings withMaxConnectionLifetime(Duration lifetime) {
        return new ListenerSettings(name, bindAddress, port, type, tls, webSocketPath, proxyProtocol, lifetime);
    }

    public ListenerSettings withWebSocketPath(String path) {
        return new ListenerSettings(name, bindAddress, port, type, tls, path, proxyProtocol, maxConnectionLifetime);
    }
}
