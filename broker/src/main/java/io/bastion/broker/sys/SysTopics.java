package io.bastion.broker.sys;

import io.bastion.broker.Broker;
import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.Message;
import io.bastion.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Publishes the broker's state as retained messages under {@code $SYS/broker/}, with Mosquitto's
 * topic names so existing dashboards work. Runs on the housekeeping thread.
 */
public final class SysTopics {
    public static final String VERSION = versionOf();

    private final Broker broker;

    public SysTopics(Broker broker) {
        this.broker = broker;
    }

    private static String versionOf() {
        String v = SysTopics.class.getPackage().getImplementationVersion();
        return "bastion " + (v == null ? "0.1.0" : v);
    }

    public void publish() {
        BrokerMetrics m = broker.metrics();
        long uptime = (broker.nowMillis() - broker.startedAtMillis()) / 1000;
        long connected = m.clientsConnected.get();
        long total = broker.sessions().size();
        send("version", VERSION);
        send("uptime", uptime + " seconds");
        send("clients/connected", connected);
        send("clients/active", connected);
        send("clients/total", total);
        send("clients/disconnected", Math.max(0, total - connected));
        send("clients/maximum", m.clientsMaximum.get());
        send("messages/received", m.messagesReceived.sum());
        send("messages/sent", m.publishSent.sum());
        send("publish/messages/received", m.publishReceived.sum());
        send("publish/messages/sent", m.publishSent.sum());
        send("publish/messages/dropped", m.dropsTotal());
        for (BrokerMetrics.Drop why : BrokerMetrics.Drop.values()) { // Bastion's own: drops by reason
            send("publish/messages/dropped/" + why.name().toLowerCase(Locale.ROOT), m.drops(why));
        }
        send("publish/publishers/paused", m.publishersPaused.sum());
        send("bytes/received", m.bytesReceived.sum());
        send("bytes/sent", m.bytesSent.sum());
        send("subscriptions/count", broker.subscriptions().size());
        send("retained messages/count", broker.retained().size());
    }

    private void send(String name, Object value) {
        byte[] payload = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        broker.router()
                .publish(
                        new Message("$SYS/broker/" + name, 0, true, payload, MqttProperties.EMPTY, "", Message.NEVER),
                        false);
    }
}
