package io.bastion.broker.connection;

import static io.bastion.broker.connection.Packets.connect311;
import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.persistent5;
import static io.bastion.broker.connection.Packets.publish;
import static io.bastion.broker.connection.Packets.subscribe;
import static io.bastion.broker.connection.Packets.withKeepAlive;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.PingReq;
import io.bastion.mqtt.packet.PingResp;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectHandlerTest {
    private static final InetSocketAddress REMOTE = BrokerFixture.address(40000, 10, 0, 0, 1);

    private BrokerFixture f;

    private BrokerFixture fixture(Consumer<Settings> configure) {
        f = new BrokerFixture(configure);
        return f;
    }

    private BrokerFixture fixture() {
        return fixture(s -> {});
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-*] v5 CONNACK carries the broker's limits and feature flags")
    void connackPropertiesV5() {
        fixture(s -> {
            s.receiveMaximum = 100;
            s.maximumPacketSize = 4096;
            s.topicAliasMaximum = 7;
            s.maximumQos = 1;
        });
        TestClient c = f.client();
        ConnAck ack = c.connected(connect5("dev-1"));
        MqttProperties p = ack.properties();
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(p.receiveMaximum()).isEqualTo(100);
        assertThat(p.maximumPacketSize()).isEqualTo(4096L);
        assertThat(p.topicAliasMaximum()).isEqualTo(7);
        assertThat(p.maximumQos()).isEqualTo(1);
        assertThat(p.wildcardSubscriptionAvailable()).isEqualTo(1);
        assertThat(p.subscriptionIdentifierAvailable()).isEqualTo(1);
        assertThat(p.sharedSubscriptionAvailable()).isEqualTo(1);
        assertThat(p.retainAvailable()).as("absent means available").isNull();
        assertThat(p.assignedClientIdentifier())
                .as("only for an empty client id")
                .isNull();
        assertThat(p.serverKeepAlive())
                .as("the requested keep alive was accepted")
                .isNull();
        assertThat(p.sessionExpiryInterval())
                .as("the requested expiry was accepted")
                .isNull();
        assertThat(c.negotiatedVersion()).isEqualTo(MqttVersion.V5);
        assertThat(c.negotiatedMaximumPacketSize()).isEqualTo(4096);
        assertThat(f.broker.metrics().clientsConnected.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-1x] a Session Expiry above the maximum is cut and the CONNACK says so")
    void sessionExpiryCapped() {
        fixture(s -> s.maximumSessionExpiry = 100);
        ConnAck ack = f.client().connected(persistent5("dev-1", 5000));
        assertThat(ack.properties().sessionExpiryInterval()).isEqualTo(100L);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-16] an empty v5 client id gets an Assigned Client Identifier that names the session")
    void assignedClientIdentifier() {
        fixture();
        TestClient c = f.client();
        ConnAck ack = c.connected(connect5(""));
        String assigned = ack.properties().assignedClientIdentifier();
        assertThat(assigned).isNotBlank();
        assertThat(c.connection().clientId()).isEqualTo(assigned);
        assertThat(f.broker.sessions().get(assigned)).isNotNull();

        TestClient other = f.client();
        String second = other.connected(connect5("")).properties().assignedClientIdentifier();
        assertThat(second).as("every assigned id is unique").isNotEqualTo(assigned);
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] v3.1.1 empty client id with Clean Session 0 is refused with return code 2 and closed")
    void v311EmptyIdWithoutCleanSession() {
        fixture();
        TestClient c = f.client();
        ConnAck ack = c.connect(connect311("", false));
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(ack.reasonCode().v311ConnectReturnCode()).isEqualTo(2);
        assertThat(ack.sessionPresent()).as("[MQTT-3.2.2-4]").isFalse();
        assertThat(c.isClosed()).isTrue();
        assertThat(f.broker.sessions().size()).isZero();
        assertThat(f.broker.metrics().connectsRefused.sum()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] v3.1.1 empty client id with Clean Session 1 is accepted with a unique id")
    void v311EmptyIdWithCleanSession() {
        fixture();
        TestClient c = f.client();
        ConnAck ack = c.connected(connect311("", true));
        assertThat(ack.properties().isEmpty())
                .as("3.1.1 CONNACK has no properties")
                .isTrue();
        assertThat(c.connection().clientId()).isNotEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] keep alive above the maximum (or 0) is replaced by Server Keep Alive for v5")
    void serverKeepAliveAboveMaximum() {
        fixture(s -> s.maximumKeepAlive = 60);
        ConnAck high = f.client().connected(withKeepAlive(connect5("a"), 120));
        assertThat(high.properties().serverKeepAlive()).isEqualTo(60);
        ConnAck zero = f.client().connected(withKeepAlive(connect5("b"), 0));
        assertThat(zero.properties().serverKeepAlive())
                .as("0 would mean no keep alive at all")
                .isEqualTo(60);
        ConnAck ok = f.client().connected(withKeepAlive(connect5("c"), 30));
        assertThat(ok.properties().serverKeepAlive()).isNull();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] keep alive below the minimum is raised by Server Keep Alive for v5")
    void serverKeepAliveBelowMinimum() {
        fixture(s -> s.minimumKeepAlive = 10);
        ConnAck low = f.client().connected(withKeepAlive(connect5("a"), 5));
        assertThat(low.properties().serverKeepAlive()).isEqualTo(10);
        ConnAck none = f.client().connected(withKeepAlive(connect5("b"), 0));
        assertThat(none.properties().serverKeepAlive())
                .as("0 = no keep alive is within bounds")
                .isNull();
    }

    @Test
    @DisplayName("v3.1.1 keep alive above the maximum is refused (identifier rejected, as Mosquitto's max_keepalive)")
    void v311KeepAliveAboveMaximumRefused() {
        fixture(s -> s.maximumKeepAlive = 60);
        TestClient c = f.client();
        ConnAck ack = c.connect(withKeepAlive(connect311("a", true), 61));
        assertThat(ack.reasonCode()).isNotEqualTo(ReasonCode.SUCCESS);
        assertThat(ack.reasonCode().v311ConnectReturnCode()).isEqualTo(2);
        assertThat(c.isClosed()).isTrue();
        TestClient zero = f.client();
        assertThat(zero.connect(withKeepAlive(connect311("b", true), 0)).reasonCode())
                .as("keep alive 0 = infinite is above any maximum")
                .isNotEqualTo(ReasonCode.SUCCESS);
        assertThat(f.client().connect(withKeepAlive(connect311("c", true), 60)).reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("anonymous LOOPBACK access: accepted from 127.0.0.1")
    void anonymousFromLoopback() {
        fixture(s -> s.anonymous = AnonymousAccess.LOOPBACK);
        assertThat(f.client(BrokerFixture.LOOPBACK).connect(connect5("a")).reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
        assertThat(f.client(BrokerFixture.address(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))
                        .connect(connect311("b", true))
                        .reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName(
            "anonymous LOOPBACK access: 10.0.0.1 is refused with 0x87 Not authorized (v5) / return code 5 (v3.1.1)")
    void anonymousFromNetworkRefused() {
        fixture(s -> s.anonymous = AnonymousAccess.LOOPBACK);
        TestClient v5 = f.client(REMOTE);
        ConnAck ack5 = v5.connect(connect5("a"));
        assertThat(ack5.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(ack5.sessionPresent()).isFalse();
        assertThat(v5.isClosed()).isTrue();

        TestClient v3 = f.client(REMOTE);
        ConnAck ack3 = v3.connect(connect311("b", true));
        assertThat(ack3.reasonCode().v311ConnectReturnCode()).isEqualTo(5);
        assertThat(v3.isClosed()).isTrue();
        assertThat(f.broker.sessions().size())
                .as("no session for a refused client")
                .isZero();
    }

    @Test
    @DisplayName("anonymous DENY refuses loopback too; ALLOW accepts any address")
    void anonymousDenyAndAllow() {
        fixture(s -> s.anonymous = AnonymousAccess.DENY);
        assertThat(f.client().connect(connect5("a")).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        f.close();
        fixture(s -> s.anonymous = AnonymousAccess.ALLOW);
        assertThat(f.client(REMOTE).connect(connect5("a")).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-*] an unknown Authentication Method is refused with 0x8C Bad authentication method")
    void unknownAuthenticationMethod() {
        fixture();
        TestClient c = f.client();
        ConnAck ack = c.connect(connect5(
                "a",
                true,
                MqttProperties.builder().authenticationMethod("SCRAM-SHA-1").build()));
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-4.12.0-*] a known Authentication Method completing at once: CONNACK carries method and data")
    void knownAuthenticationMethod() {
        EnhancedAuthenticator once = new EnhancedAuthenticator() {
            @Override
            public String method() {
                return "TEST";
            }

            @Override
            public Exchange begin(ClientCredentials credentials) {
                return data -> CompletableFuture.completedFuture(
                        new Step(ReasonCode.SUCCESS, new byte[] {42}, credentials.clientId()));
            }
        };
        f = new BrokerFixture(s -> {}, List.of(once));
        ConnAck ack = f.client()
                .connected(connect5(
                        "a",
                        true,
                        MqttProperties.builder().authenticationMethod("TEST").build()));
        assertThat(ack.properties().authenticationMethod()).isEqualTo("TEST");
        assertThat(ack.properties().authenticationData()).containsExactly(42);
    }

    @Test
    @DisplayName("maximum connections: one more is refused with 0x97 (v5) / return code 3 (v3.1.1)")
    void maximumConnections() {
        fixture(s -> s.maximumConnections = 1);
        f.client().connected(connect5("a"));
        TestClient v5 = f.client();
        assertThat(v5.connect(connect5("b")).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        assertThat(v5.isClosed()).isTrue();
        TestClient v3 = f.client();
        assertThat(v3.connect(connect311("c", true)).reasonCode().v311ConnectReturnCode())
                .isEqualTo(3);
    }

    @Test
    @DisplayName("maximum connections: a slot frees up when a client disconnects normally")
    void maximumConnectionsFreedByDisconnect() {
        fixture(s -> s.maximumConnections = 1);
        TestClient first = f.client();
        first.connected(connect5("a"));
        first.send(Packets.disconnect());
        assertThat(first.isClosed()).isTrue();
        assertThat(f.broker.metrics().clientsConnected.get()).isZero();
        assertThat(f.client().connect(connect5("b")).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("clients connected counts down on every kind of close ($SYS clients/connected)")
    void clientsConnectedCountsDown() {
        fixture();
        TestClient normal = f.client();
        normal.connected(connect5("a"));
        normal.send(Packets.disconnect());
        TestClient protocolError = f.client();
        protocolError.connected(connect5("b"));
        protocolError.send(connect5("b"));
        TestClient old = f.client();
        old.connected(connect5("c"));
        TestClient taker = f.client();
        taker.connected(connect5("c"));
        TestClient lost = f.client();
        lost.connected(connect5("d"));
        lost.drop();
        assertThat(f.broker.metrics().clientsConnected.get())
                .as("only the taker is connected")
                .isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT is a protocol error: DISCONNECT 0x82 and close")
    void secondConnect() {
        fixture();
        TestClient c = f.client();
        c.connected(connect5("a"));
        c.send(connect5("a"));
        c.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
        assertThat(f.broker.metrics().serverDisconnects(ReasonCode.PROTOCOL_ERROR))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT on v3.1.1 closes the connection without a packet")
    void secondConnectV311() {
        fixture();
        TestClient c = f.client();
        c.connected(connect311("a", true));
        c.send(connect311("a", true));
        c.expectNothing();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection, nothing is sent")
    void firstPacketNotConnect() {
        fixture();
        TestClient c = f.client();
        c.send(publish("a", 0, 0, "x"));
        assertThat(c.isClosed()).isTrue();
        assertThat(c.written()).isEmpty();
        TestClient ping = f.client();
        ping.send(PingReq.INSTANCE);
        assertThat(ping.isClosed()).isTrue();
        assertThat(ping.written()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2] DISCONNECT with a Session Expiry after CONNECT had 0 is a protocol error (0x82)")
    void disconnectSetsExpiryAfterZero() {
        fixture();
        TestClient c = f.client();
        c.connected(connect5("a"));
        c.send(new Disconnect(
                ReasonCode.NORMAL_DISCONNECTION,
                MqttProperties.builder().sessionExpiryInterval(300L).build()));
        c.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
        assertThat(f.broker.sessions().get("a"))
                .as("the session still ends with expiry 0")
                .isNull();
    }

    @Test
    @DisplayName("DISCONNECT may change a non-zero Session Expiry to 0: the session then ends")
    void disconnectSetsExpiryToZero() {
        fixture();
        TestClient c = f.client();
        c.connected(persistent5("a", 300));
        c.send(new Disconnect(
                ReasonCode.NORMAL_DISCONNECTION,
                MqttProperties.builder().sessionExpiryInterval(0L).build()));
        assertThat(c.isClosed()).isTrue();
        assertThat(f.broker.sessions().get("a")).isNull();
    }

    @Test
    @DisplayName("a connection that sends no CONNECT within the connect timeout is closed")
    void connectTimeout() {
        fixture(s -> s.connectTimeout = Duration.ofSeconds(2));
        TestClient c = f.client();
        f.world.advance(Duration.ofMillis(1900));
        assertThat(c.isClosed()).isFalse();
        f.world.advance(Duration.ofMillis(200));
        assertThat(c.isClosed()).isTrue();
        assertThat(c.written()).isEmpty();
    }

    @Test
    @DisplayName("the connect timeout does not close a connection that completed CONNECT")
    void connectTimeoutCancelled() {
        fixture(s -> s.connectTimeout = Duration.ofSeconds(2));
        TestClient c = f.client();
        c.connected(withKeepAlive(connect5("a"), 0));
        f.world.advance(Duration.ofSeconds(5));
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void pingResp() {
        fixture();
        TestClient c = f.client();
        c.connected(connect5("a"));
        c.send(PingReq.INSTANCE);
        c.expect(PingResp.class);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] no packet within 1.5 x keep alive: DISCONNECT 0x8D and close")
    void keepAliveTimeout() throws InterruptedException {
        // the keep-alive check measures idle time with System.nanoTime, so this test lets real time pass
        // (bounded) while it moves the loops' clock along with it
        fixture();
        TestClient c = f.client();
        c.connected(withKeepAlive(connect5("a"), 1));
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(3);
        while (!c.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            f.world.advance(Duration.ofMillis(20));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(c.isClosed()).isTrue();
        assertThat(elapsedMillis).as("not before 1.5 x keep alive").isGreaterThanOrEqualTo(1400);
        c.expectDisconnect(ReasonCode.KEEP_ALIVE_TIMEOUT);
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] takeover: the old connection gets DISCONNECT 0x8E and is closed")
    void takeoverDisconnectsOld() {
        fixture();
        TestClient old = f.client();
        old.connected(persistent5("dev", 300));
        TestClient taker = f.client();
        ConnAck ack = taker.connected(persistent5("dev", 300));
        old.expectDisconnect(ReasonCode.SESSION_TAKEN_OVER);
        assertThat(ack.sessionPresent()).as("[MQTT-3.2.2-3]").isTrue();
        assertThat(taker.isClosed()).isFalse();
        assertThat(f.broker.sessions().get("dev").isAttachedTo(taker.connection()))
                .isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] takeover with Clean Start 0 keeps the subscriptions; Session Present 1")
    void takeoverKeepsSubscriptions() {
        fixture();
        TestClient old = f.client();
        old.connected(persistent5("dev", 300));
        old.send(subscribe(1, "t/#", 1));
        old.expect(SubAck.class);
        TestClient taker = f.client();
        assertThat(taker.connected(persistent5("dev", 300)).sessionPresent()).isTrue();
        TestClient pub = f.client();
        pub.connected(connect5("pub"));
        pub.send(publish("t/x", 1, 1, "hello"));
        Publish p = taker.expectPublish();
        assertThat(Packets.text(p)).isEqualTo("hello");
        assertThat(old.publishes()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] takeover with Clean Start 1 discards the session; Session Present 0")
    void takeoverCleanStartDiscards() {
        fixture();
        TestClient old = f.client();
        old.connected(persistent5("dev", 300));
        old.send(subscribe(1, "t/#", 1));
        TestClient taker = f.client();
        assertThat(taker.connected(connect5("dev")).sessionPresent()).isFalse();
        old.expect(SubAck.class);
        old.expectDisconnect(ReasonCode.SESSION_TAKEN_OVER);
        assertThat(f.broker.subscriptions().size()).isZero();
        TestClient pub = f.client();
        pub.connected(connect5("pub"));
        pub.send(publish("t/x", 1, 1, "hello"));
        taker.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] v3.1.1 reconnect with Clean Session 0 finds its session (Session Present 1)")
    void v311SessionPresent() {
        fixture();
        TestClient first = f.client();
        assertThat(first.connected(connect311("dev", false)).sessionPresent()).isFalse();
        first.send(Packets.disconnect());
        TestClient second = f.client();
        assertThat(second.connected(connect311("dev", false)).sessionPresent()).isTrue();
        second.send(Packets.disconnect());
        TestClient clean = f.client();
        assertThat(clean.connected(connect311("dev", true)).sessionPresent())
                .as("[MQTT-3.2.2-1]")
                .isFalse();
    }

    @Test
    @DisplayName("a takeover on the same event loop works too (the session does not move)")
    void takeoverSameLoop() {
        fixture();
        ManualEventLoop loop = f.world.newLoop();
        TestClient old = f.client(loop, BrokerFixture.LOOPBACK);
        old.connected(persistent5("dev", 300));
        TestClient taker = f.client(loop, BrokerFixture.LOOPBACK);
        assertThat(taker.connected(persistent5("dev", 300)).sessionPresent()).isTrue();
        old.expectDisconnect(ReasonCode.SESSION_TAKEN_OVER);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2/3] takeover of a session with Session Expiry 0: it ended with the old connection,"
            + " so Clean Start 0 finds no session (Session Present 0, no subscriptions)")
    void takeoverOfExpiryZeroSession() {
        fixture();
        TestClient old = f.client();
        old.connected(connect5("dev")); // Session Expiry absent = 0
        old.send(subscribe(1, "t", 1));
        old.expect(SubAck.class);
        TestClient taker = f.client();
        ConnAck ack = taker.connected(persistent5("dev", 300));
        old.expectDisconnect(ReasonCode.SESSION_TAKEN_OVER);
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(f.broker.subscriptions().size()).isZero();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-6] v3.1.1: a Clean Session 1 session lasts only as long as its connection, also on takeover")
    void takeoverOfCleanSessionV311() {
        fixture();
        TestClient old = f.client();
        old.connected(connect311("dev", true));
        old.send(subscribe(1, "t", 1));
        old.expect(SubAck.class);
        TestClient taker = f.client();
        ConnAck ack = taker.connected(connect311("dev", false));
        assertThat(old.isClosed()).isTrue();
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(f.broker.subscriptions().size()).isZero();
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] two CONNECTs with one client id at once on two event loops: the later one wins")
    void concurrentConnectsSameClientId() {
        fixture();
        TestClient first = f.client();
        TestClient second = f.client();
        first.queue(persistent5("dev", 300));
        second.queue(persistent5("dev", 300));
        f.settle();
        ConnAck ack = second.expect(ConnAck.class);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isFalse();
        assertThat(f.broker.sessions().get("dev").isAttachedTo(second.connection()))
                .isTrue();
        assertThat(first.threadingViolations()).isEmpty();
        assertThat(second.threadingViolations()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-12] a will QoS above the broker's Maximum QoS is refused with 0x9B")
    void willQosAboveMaximum() {
        fixture(s -> s.maximumQos = 0);
        TestClient c = f.client();
        ConnAck ack = c.connect(Packets.withWill(connect5("a"), Packets.will("w", "x", MqttProperties.EMPTY)));
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-13] a retained will when retain is not available is refused with 0x9A")
    void retainedWillNotAvailable() {
        fixture(s -> s.retainAvailable = false);
        TestClient c = f.client();
        io.bastion.mqtt.packet.Will w =
                new io.bastion.mqtt.packet.Will("w", Packets.bytes("x"), 0, true, MqttProperties.EMPTY);
        ConnAck ack = c.connect(Packets.withWill(connect5("a"), w));
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.RETAIN_NOT_SUPPORTED);
    }
}
