package io.bastion.server.cli;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.server.config.BindAddresses;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.MqttServer.BoundListener;
import java.util.ArrayList;
import java.util.List;

/** What {@code serve} tells the operator at start-up: what listens where, how it is secured, and what is risky. */
final class StartupReport {
    private StartupReport() {}

    /** One line per listener, e.g. {@code bastion 0.1.0 listening on mqtt://127.0.0.1:1883 (listener tcp, ...)}. */
    static List<String> listening(String version, List<BoundListener> listeners, AnonymousAccess anonymous) {
        List<String> lines = new ArrayList<>();
        for (BoundListener listener : listeners) {
            ListenerSettings l = listener.settings();
            String url = switch (l.type()) {
                case TCP -> "mqtt://" + hostPort(listener);
                case TLS -> "mqtts://" + hostPort(listener);
                case WS -> "ws://" + hostPort(listener) + l.webSocketPath();
                case WSS -> "wss://" + hostPort(listener) + l.webSocketPath();
            };
            String transport = switch (l.type()) {
                case TCP -> "plain TCP";
                case TLS -> "TLS";
                case WS -> "WebSocket";
                case WSS -> "secure WebSocket";
            };
            if (l.tls() != null) {
                transport +=
                        ", client certificates " + l.tls().clientAuth().name().toLowerCase(java.util.Locale.ROOT);
            }
            if (l.proxyProtocol()) {
                transport += ", PROXY protocol";
            }
            lines.add("bastion " + version + " listening on " + url + " (listener " + l.name() + ", " + transport + ", "
                    + describe(anonymous) + ")");
        }
        return lines;
    }

    /** Exposures worth a warning: anonymous access that anyone on the network can use. */
    static List<String> warnings(List<BoundListener> listeners, AnonymousAccess anonymous) {
        List<String> warnings = new ArrayList<>();
        for (BoundListener listener : listeners) {
            String bind = listener.settings().bindAddress();
            if (anonymous == AnonymousAccess.ALLOW && !BindAddresses.isLoopback(bind)) {
                warnings.add("listener " + listener.settings().name() + " on " + hostPort(listener)
                        + " accepts anonymous clients from the network (security.anonymous: allow): anyone who can"
                        + " reach this port can publish and subscribe to every topic");
            }
        }
        return warnings;
    }

    static String describe(AnonymousAccess anonymous) {
        return switch (anonymous) {
            case LOOPBACK -> "anonymous clients from loopback only";
            case ALLOW -> "anonymous clients allowed";
            case DENY -> "anonymous clients refused";
        };
    }

    private static String hostPort(BoundListener listener) {
        String host = listener.settings().bindAddress();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + listener.address().getPort();
    }
}
