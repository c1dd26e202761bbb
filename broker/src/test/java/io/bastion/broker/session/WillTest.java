package io.bastion.broker.session;

import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.persistent5;
import static io.bastion.broker.connection.Packets.subscribe;
import static io.bastion.broker.connection.Packets.text;
import static io.bastion.broker.connection.Packets.will;
import static io.bastion.broker.connection.Packets.withKeepAlive;
import static io.bastion.broker.connection.Packets.withWill;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.connection.BrokerFixture;
import io.bastion.broker.connection.Packets;
import io.bastion.broker.connection.TestClient;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.UserProperty;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WillTest {
    private BrokerFixture f;
    private TestClient watcher;

    @BeforeEach
    void start() {
        f = new BrokerFixture();
        watcher = f.client();
        watcher.connected(connect5("watcher"));
        watcher.send(subscribe(1, "wills/#", 1));
        watcher.expect(SubAck.class);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static Connect withPlainWill(Connect c) {
        return withWill(c, will("wills/dev", "gone", MqttProperties.EMPTY));
    }

    private static Connect withDelayedWill(Connect c, long delaySeconds) {
        return withWill(
                c,
                will(
                        "wills/dev",
                        "gone",
                        MqttProperties.builder().willDelayInterval(delaySeconds).build()));
    }

    private TestClient device(Connect connect) {
        TestClient d = f.client();
        d.connected(connect);
        return d;
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the connection is lost; will properties forwarded")
    void willOnConnectionLoss() {
        MqttProperties props = MqttProperties.builder()
                .contentType("text/plain")
                .responseTopic("replies/dev")
                .correlationData(new byte[] {1, 2})
                .userProperty("k", "v")
                .build();
        TestClient dev = device(withWill(connect5("dev"), will("wills/dev", "gone", props)));
        dev.drop();
        Publish p = watcher.expectPublish();
        assertThat(p.topic()).isEqualTo("wills/dev");
        assertThat(text(p)).isEqualTo("gone");
        assertThat(p.qos()).isEqualTo(1);
        assertThat(p.properties().contentType()).isEqualTo("text/plain");
        assertThat(p.properties().responseTopic()).isEqualTo("replies/dev");
        assertThat(p.properties().correlationData()).containsExactly(1, 2);
        assertThat(p.properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(f.broker.metrics().willsPublished.sum()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] no will after a normal DISCONNECT (0x00)")
    void noWillAfterNormalDisconnect() {
        TestClient dev = device(withPlainWill(connect5("dev")));
        dev.send(Packets.disconnect());
        assertThat(dev.isClosed()).isTrue();
        watcher.expectNothing();
        assertThat(f.broker.metrics().willsPublished.sum()).isZero();
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] no will after a normal DISCONNECT, even with a Will Delay on a persistent session")
    void noDelayedWillAfterNormalDisconnect() {
        TestClient dev = device(withDelayedWill(persistent5("dev", 60), 5));
        dev.send(Packets.disconnect());
        f.world.advance(Duration.ofSeconds(70));
        watcher.expectNothing();
    }

    @Test
    @DisplayName("DISCONNECT with Will Message (0x04) publishes the will")
    void disconnectWithWillMessage() {
        TestClient dev = device(withPlainWill(connect5("dev")));
        dev.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, MqttProperties.EMPTY));
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
    }

    @Test
    @DisplayName("the will is published when the server closes the connection for a protocol error")
    void willOnProtocolError() {
        TestClient dev = device(withPlainWill(connect5("dev")));
        dev.send(connect5("dev")); // second CONNECT
        dev.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] Will Delay: not published before the delay, published when it passes")
    void willDelay() {
        TestClient dev = device(withDelayedWill(persistent5("dev", 60), 5));
        dev.drop();
        f.world.advance(Duration.ofMillis(4900));
        watcher.expectNothing();
        f.world.advance(Duration.ofMillis(200));
        Publish p = watcher.expectPublish();
        assertThat(text(p)).isEqualTo("gone");
        assertThat(p.properties().willDelayInterval())
                .as("Will Delay is not a PUBLISH property")
                .isNull();
        assertThat(f.broker.sessions().get("dev"))
                .as("the session outlives the will")
                .isNotNull();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] reconnecting within the Will Delay cancels the will")
    void reconnectWithinWillDelay() {
        TestClient dev = device(withDelayedWill(persistent5("dev", 60), 5));
        dev.drop();
        f.world.advance(Duration.ofSeconds(3));
        TestClient back = f.client();
        assertThat(back.connected(persistent5("dev", 60)).sessionPresent()).isTrue();
        f.world.advance(Duration.ofSeconds(10));
        watcher.expectNothing();
        back.send(Packets.disconnect());
        f.world.advance(Duration.ofSeconds(10));
        watcher.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will goes out when the session ends, if that is before the Will Delay")
    void willAtSessionEndBeforeDelay() {
        TestClient dev = device(withDelayedWill(persistent5("dev", 2), 30));
        dev.drop();
        f.world.advance(Duration.ofMillis(1900));
        watcher.expectNothing();
        f.world.advance(Duration.ofMillis(200));
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
        assertThat(f.broker.sessions().get("dev")).isNull();
    }

    @Test
    @DisplayName("Session Expiry 0 with a Will Delay: the session ends at once, so the will goes out at once")
    void willDelayWithSessionExpiryZero() {
        TestClient dev = device(withDelayedWill(connect5("dev"), 30));
        dev.drop();
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] takeover: the old connection's will is published (no Will Delay)")
    void willOnTakeover() {
        device(withPlainWill(persistent5("dev", 60)));
        TestClient taker = device(persistent5("dev", 60));
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
        taker.drop();
        watcher.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] takeover with Clean Start 0 within the Will Delay: the will is not published")
    void noWillOnTakeoverWithDelay() {
        device(withDelayedWill(persistent5("dev", 60), 5));
        device(persistent5("dev", 60));
        f.world.advance(Duration.ofSeconds(10));
        watcher.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a keep-alive timeout publishes the will")
    void willOnKeepAliveTimeout() throws InterruptedException {
        TestClient dev = device(withKeepAlive(withPlainWill(connect5("dev")), 1));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!dev.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            f.world.advance(Duration.ofMillis(20));
        }
        dev.expectDisconnect(ReasonCode.KEEP_ALIVE_TIMEOUT);
        assertThat(text(watcher.expectPublish())).isEqualTo("gone");
    }
}
