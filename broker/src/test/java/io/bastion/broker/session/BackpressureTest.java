package io.bastion.broker.session;

import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerMetrics.Drop;
import io.bastion.broker.connection.BrokerFixture;
import io.bastion.broker.connection.ManualEventLoop;
import io.bastion.broker.connection.Packets;
import io.bastion.broker.connection.TestClient;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.SubAck;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Publishers are paused while a session they feed is behind, and hand over directly on a shared event loop. */
class BackpressureTest {
    private final BrokerFixture f = new BrokerFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private TestClient subscriber(TestClient s) {
        s.connected(connect5("sub"));
        s.send(subscribe(1, "t/#", 0));
        s.expect(SubAck.class);
        return s;
    }

    private static MqttPacket[] publishes(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> Packets.publish("t/" + prefix, 0, 0, prefix + i))
                .toArray(MqttPacket[]::new);
    }

    @Test
    @DisplayName(
            "a publisher stops being read while the subscriber's event loop is behind, and resumes after; nothing is lost")
    void pausesAndResumes() {
        TestClient sub = subscriber(f.client());
        TestClient pub = f.client();
        pub.connected(connect5("pub"));
        int n = Session.PAUSE_PUBLISHERS_AT + 100;

        pub.queue(publishes("m", n));
        pub.loop().runPending(); // only the publisher's loop runs: the subscriber's mailbox fills up

        assertThat(pub.reading).as("publisher paused").isFalse();
        assertThat(f.broker.metrics().publishersPaused.sum()).isEqualTo(1);

        f.settle(); // the subscriber's loop drains its mailbox, then lets the publisher go on
        assertThat(pub.reading).as("publisher resumed").isTrue();
        assertThat(sub.publishes())
                .extracting(Packets::text)
                .hasSize(n)
                .startsWith("m0", "m1")
                .endsWith("m" + (n - 1));
        assertThat(f.broker.metrics().drops(Drop.SLOW_CONSUMER)).isZero();
    }

    @Test
    @DisplayName("a subscriber that reads slowly never pauses publishers: its QoS 0 overflow is dropped and counted")
    void slowSubscriberDoesNotPausePublishers() {
        TestClient sub = subscriber(f.client());
        sub.setWritable(false);
        TestClient pub = f.client();
        pub.connected(connect5("pub"));

        pub.send(publishes("m", 10));

        assertThat(pub.reading).isTrue();
        assertThat(sub.publishes()).isEmpty();
        assertThat(f.broker.metrics().drops(Drop.SLOW_CONSUMER)).isEqualTo(10);
    }

    @Test
    @DisplayName(
            "[MQTT-4.6.0-6] on a shared event loop delivery is direct and keeps order with what is still in the mailbox")
    void sameLoopKeepsOrder() {
        ManualEventLoop shared = f.world.newLoop();
        TestClient sub = subscriber(f.client(shared, BrokerFixture.address(50100, 127, 0, 0, 1)));
        TestClient local = f.client(shared, BrokerFixture.address(50101, 127, 0, 0, 1));
        local.connected(connect5("local"));
        TestClient remote = f.client();
        remote.connected(connect5("remote"));

        local.send(publishes("a", 3)); // direct: nothing in the mailbox
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("a0", "a1", "a2");

        remote.queue(publishes("b", 2));
        remote.loop().runPending(); // b0, b1 wait in the subscriber's mailbox
        local.queue(publishes("c", 2)); // so c0, c1 must queue behind them
        f.settle();
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("b0", "b1", "c0", "c1");
    }
}
