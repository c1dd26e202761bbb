package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep Alive enforcement at 1.5 × the interval (3.1.2.10). */
class KeepAliveTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    /** Waits for the broker to drop a silent client; returns how long it took. A v5 DISCONNECT 0x8D is allowed. */
    private static Duration awaitDrop(RawClient c, Duration max) {
        long start = System.nanoTime();
        In p = c.poll(max);
        if (p != null) {
            assertThat(p)
                    .as("only a DISCONNECT Keep Alive timeout may precede the close")
                    .isInstanceOf(In.Disconnect.class);
            assertThat(((In.Disconnect) p).reasonCode()).isEqualTo(Rc.KEEP_ALIVE_TIMEOUT);
            c.expectClosed(Duration.ofSeconds(2));
        } else {
            assertThat(c.isClosed()).as("closed within %s", max).isTrue();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] v5: no packet within 1.5 × Keep Alive (1 s) → the broker closes the connection")
    void keepAliveTimeoutV5() {
        RawClient c = broker.raw(Out.Connect.v5("ka5").keepAlive(1));
        Duration took = awaitDrop(c, Duration.ofSeconds(4));
        assertThat(took).as("not before the keep alive period").isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] v3.1.1: no packet within 1.5 × Keep Alive (1 s) → closed without a packet")
    void keepAliveTimeoutV311() {
        RawClient c = broker.raw(Out.Connect.v311("ka311").keepAlive(1));
        long start = System.nanoTime();
        c.expectClosed(Duration.ofSeconds(4));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-22] [MQTT-3.12.4-1] PINGREQ within the keep alive keeps the connection open; each gets PINGRESP")
    void pingKeepsAlive() throws InterruptedException {
        RawClient c = broker.raw(Out.Connect.v5("pinger").keepAlive(1));
        for (int i = 0; i < 6; i++) {
            Thread.sleep(500);
            c.ping();
        }
        c.ping(); // still alive after 3 s, twice the 1.5 s limit
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] any control packet (not only PINGREQ) resets the keep alive timer")
    void publishKeepsAlive() throws InterruptedException {
        RawClient c = broker.raw(Out.Connect.v5("publisher").keepAlive(1));
        for (int i = 0; i < 6; i++) {
            Thread.sleep(500);
            c.publish("ka/x", 0, "tick");
        }
        c.ping();
    }

    @Test
    @DisplayName("[MQTT-5 §3.1.2.10] Keep Alive 0 switches the mechanism off: an idle connection stays open")
    void keepAliveZero() {
        RawClient c = broker.raw(Out.Connect.v5("ka-off").keepAlive(0));
        c.expectNothing(Duration.ofMillis(2500));
        c.ping();
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-21] [MQTT-5 §3.2.2.3.14] v5: the Server Keep Alive (max_keepalive 1) is what the broker enforces")
    void serverKeepAliveEnforced() {
        broker.limit("max_keepalive", 1);
        RawClient c = broker.raw(Out.Connect.v5("ska").keepAlive(60));
        assertThat(c.connAck().props().integer(Props.SERVER_KEEP_ALIVE)).isEqualTo(1);
        awaitDrop(c, Duration.ofSeconds(4));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] [MQTT-3.1.2-8] the will of a client dropped for keep alive timeout is published")
    void willOnKeepAliveTimeout() {
        RawClient watcher = broker.raw5("ka-watcher");
        watcher.subscribe("ka/will", 1);
        RawClient c = broker.raw(Out.Connect.v5("ka-will").keepAlive(1).will("ka/will", "gone", 1, false));
        awaitDrop(c, Duration.ofSeconds(4));
        In.Publish will = watcher.expectPublishAndAck();
        assertThat(will.topic()).isEqualTo("ka/will");
        assertThat(will.payloadString()).isEqualTo("gone");
    }
}
