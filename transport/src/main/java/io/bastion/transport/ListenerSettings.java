package io.bastion.transport;

/**
 * One listening socket. Later transports (TLS, WebSocket) add their own settings here.
 *
 * @param name a label for logs and metrics, unique among listeners
 * @param bindAddress an IP address or host name; "0.0.0.0" or "::" for every interface
 * @param port TCP port; 0 picks a free port (tests)
 */
public record ListenerSettings(String name, String bindAddress, int port) {

    public static ListenerSettings defaultTcp() {
        return new ListenerSettings("tcp", "127.0.0.1", 1883);
    }
}
