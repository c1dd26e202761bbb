package io.bastion.conformance;

import static io.bastion.conformance.raw.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and protocol-violating packets, written byte by byte, and clients that misbehave at
 * scale (issue §5): the offender is disconnected with the right reason code (v5) or a closed socket
 * (v3.1.1) and nobody else notices.
 */
class RobustnessTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static final int[] MALFORMED_OR_PROTOCOL = {Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR};

    /** A malformed input for an MQTT 5 connection, with the DISCONNECT reason codes the spec allows. */
    record Bad(String id, String description, String hex, int[] codes) {
        @Override
        public String toString() {
            return id + " " + description;
        }
    }

    static Stream<Arguments> malformedV5() {
        return Stream.of(
                        new Bad(
                                "[MQTT-1.5.5-1] [MQTT-5 §2.1.4]",
                                "remaining length of 5 bytes",
                                "30 ff ff ff ff 7f",
                                new int[] {Rc.MALFORMED_PACKET}),
                        new Bad(
                                "[MQTT-2.1.3-1]",
                                "PUBREL with fixed header flags 0000",
                                "60 02 00 01",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-2.1.3-1]",
                                "PINGREQ with fixed header flags 0001",
                                "c1 00",
                                MALFORMED_OR_PROTOCOL),
                        new Bad("[MQTT-5 §2.1.2]", "reserved packet type 0", "00 00", MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-1.5.4-1]",
                                "topic with ill-formed UTF-8 (c3 28)",
                                "30 06 00 02 c3 28 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-1.5.4-1]",
                                "topic with a UTF-16 surrogate (ed a0 80)",
                                "30 07 00 03 ed a0 80 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-1.5.4-2]",
                                "topic with U+0000",
                                "30 06 00 02 61 00 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad("[MQTT-3.3.2-2]", "topic name with '+'", "30 07 00 03 61 2f 2b 00 78", new int[] {
                            Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR, Rc.TOPIC_NAME_INVALID
                        }),
                        new Bad("[MQTT-3.3.2-2]", "topic name with '#'", "30 07 00 03 61 2f 23 00 78", new int[] {
                            Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR, Rc.TOPIC_NAME_INVALID
                        }),
                        new Bad(
                                "[MQTT-3.3.1-4]",
                                "PUBLISH with QoS 3",
                                "36 07 00 01 61 00 01 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-2.2.1-3]",
                                "QoS 1 PUBLISH with packet id 0",
                                "32 06 00 01 61 00 00 00",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-3.3.1-2]",
                                "QoS 0 PUBLISH with DUP 1",
                                "38 05 00 01 61 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad("[MQTT-5 §1.5.4]", "string length beyond the packet", "30 04 00 10 61 62", new int[] {
                            Rc.MALFORMED_PACKET
                        }),
                        new Bad(
                                "[MQTT-5 §2.2.2]",
                                "property length beyond the packet",
                                "30 05 00 01 61 10 78",
                                new int[] {Rc.MALFORMED_PACKET}),
                        new Bad(
                                "[MQTT-5 §2.2.2.2]",
                                "unknown property identifier 0x7f",
                                "30 07 00 01 61 02 7f 00 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-5 §3.3.2.3.2]",
                                "Payload Format Indicator twice",
                                "30 09 00 01 61 04 01 01 01 01 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-5 §3.3.2.3]",
                                "Session Expiry Interval property on PUBLISH",
                                "30 0a 00 01 61 05 11 00 00 00 0a 78",
                                MALFORMED_OR_PROTOCOL),
                        new Bad("[MQTT-5 §3.2]", "CONNACK sent by a client", "20 03 00 00 00", MALFORMED_OR_PROTOCOL),
                        new Bad("[MQTT-5 §3.9]", "SUBACK sent by a client", "90 04 00 01 00 00", MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-3.10.3-2]",
                                "UNSUBSCRIBE without a topic filter",
                                "a2 03 00 01 00",
                                MALFORMED_OR_PROTOCOL),
                        new Bad(
                                "[MQTT-1.5.4-1] [MQTT-3.8.3-1]",
                                "SUBSCRIBE filter with ill-formed UTF-8",
                                "82 08 00 01 00 00 02 c3 28 00",
                                MALFORMED_OR_PROTOCOL))
                .map(b -> Arguments.of(b));
    }

    static Stream<Arguments> malformedV311() {
        return Stream.of(
                        new String[] {"[MQTT-2.2.3] remaining length of 5 bytes", "30 ff ff ff ff 7f"},
                        new String[] {"[MQTT-2.2.2-2] PUBREL with fixed header flags 0000", "60 02 00 01"},
                        new String[] {"[MQTT-2.2.2-2] PINGREQ with fixed header flags 0001", "c1 00"},
                        new String[] {"[MQTT-2.2.1] reserved packet type 0", "00 00"},
                        new String[] {"[MQTT-1.5.3-1] topic with ill-formed UTF-8", "30 05 00 02 c3 28 78"},
                        new String[] {"[MQTT-1.5.3-2] topic with U+0000", "30 05 00 02 61 00 78"},
                        new String[] {"[MQTT-3.3.2-2] topic name with '+'", "30 06 00 03 61 2f 2b 78"},
                        new String[] {"[MQTT-3.3.1-4] PUBLISH with QoS 3", "36 06 00 01 61 00 01 78"},
                        new String[] {"[MQTT-2.3.1-1] QoS 1 PUBLISH with packet id 0", "32 05 00 01 61 00 00"},
                        new String[] {"[MQTT-1.5.3] string length beyond the packet", "30 04 00 10 61 62"},
                        new String[] {"[MQTT-4.8.0-1] CONNACK sent by a client", "20 02 00 00"},
                        new String[] {"[MQTT-3.10.3-2] UNSUBSCRIBE without a topic filter", "a2 02 00 01"},
                        new String[] {"[MQTT-2.2.1] AUTH (type 15) is forbidden in 3.1.1", "f0 00"})
                .map(a -> Arguments.of(a[0], a[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedV5")
    @DisplayName(
            "[MQTT-4.13.1-1] v5: malformed / protocol-violating packet → DISCONNECT with the reason code, then close")
    void malformedV5(Bad bad) {
        RawClient c = broker.raw5("bad5");
        c.send(hex(bad.hex()));
        c.expectDisconnect(bad.codes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedV311")
    @DisplayName("[MQTT-4.8.0-1] v3.1.1: malformed / protocol-violating packet → connection closed without a packet")
    void malformedV311(String description, String bytes) {
        RawClient c = broker.raw311("bad311");
        c.send(hex(bytes));
        c.expectClosed();
    }

    @Test
    @DisplayName(
            "[MQTT-4.13.1-1] [issue §5] a healthy client keeps receiving while others are disconnected for malformed packets")
    void othersUnaffected() {
        RawClient healthy = broker.raw5("healthy");
        healthy.subscribe("healthy/t", 1);
        RawClient healthy311 = broker.raw311("healthy311");
        healthy311.subscribe("healthy/t", 1);
        RawClient pub = broker.raw5("healthy-pub");
        List<Arguments> cases = malformedV5().toList();
        int n = 0;
        for (Arguments a : cases) {
            Bad bad = (Bad) a.get()[0];
            RawClient offender = broker.raw5("offender-" + n);
            offender.send(hex(bad.hex()));
            pub.publish("healthy/t", 1, "msg" + n);
            assertThat(healthy.expectPublishAndAck().payloadString()).isEqualTo("msg" + n);
            assertThat(healthy311.expectPublishAndAck().payloadString()).isEqualTo("msg" + n);
            offender.expectDisconnect(bad.codes());
            n++;
        }
        healthy.ping();
        healthy311.ping();
        pub.ping();
    }

    @Test
    @Tag("slow")
    @DisplayName(
            "[issue §5] a subscriber that never reads does not hold up others; QoS 0 to it is dropped, not buffered without bound")
    void slowSubscriberDoesNotBlockOthers() throws Exception {
        // below the default limits.max_queued_messages (1000): the publisher may run any distance ahead of
        // the reading subscriber's 20-message window, and beyond the limit the queue drops the oldest by policy
        int count = 900;
        byte[] payload = new byte[16 * 1024];
        RawClient slow = broker.track(RawClient.open(broker.port(), 4096));
        slow.connect(Out.Connect.v5("slow").receiveMaximum(65535));
        slow.subscribe("flood/t", 0);
        Mqtt5BlockingClient healthy = broker.hivemq5("fast");
        healthy.connect();
        AtomicInteger received = new AtomicInteger();
        healthy.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
        healthy.subscribeWith()
                .topicFilter("flood/t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5BlockingClient pub = broker.hivemq5("flood-pub");
        pub.connect();
        Mqtt5AsyncClient asyncPub = pub.toAsync();
        List<CompletableFuture<?>> acks = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(asyncPub.publishWith()
                    .topic("flood/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(received.get())
                .as("the reading subscriber got every QoS 1 message")
                .isEqualTo(count);
        // now the slow subscriber reads what the broker kept for it
        int slowGot = 0;
        while (true) {
            In p = slow.poll(Duration.ofMillis(1500));
            if (p == null) {
                break;
            }
            if (p instanceof In.Publish) {
                slowGot++;
            }
        }
        assertThat(slowGot)
                .as("QoS 0 messages to a subscriber that does not read are dropped once its buffers are full")
                .isLessThan(count / 2);
        assertThat(slow.isClosed() || slowGot > 0)
                .as("the slow subscriber got something or was cut off")
                .isTrue();
    }

    @Test
    @DisplayName("[issue §5] a client flooding QoS 0 PUBLISHes does not starve others: their messages still arrive")
    void floodingClientDoesNotStarveOthers() throws Exception {
        RawClient flooder = broker.raw5("flooder");
        AtomicBoolean stop = new AtomicBoolean();
        byte[] publish = Out.publish(
                5, "flood/noise", 0, false, false, 0, io.bastion.conformance.raw.Props.none(), new byte[1024]);
        byte[] burst = new byte[publish.length * 64];
        for (int i = 0; i < 64; i++) {
            System.arraycopy(publish, 0, burst, i * publish.length, publish.length);
        }
        Thread flood = new Thread(() -> {
            while (!stop.get() && flooder.trySend(burst)) {
                // as fast as the socket takes it
            }
        });
        flood.setDaemon(true);
        Mqtt5BlockingClient sub = broker.hivemq5("calm-sub");
        sub.connect();
        Mqtt5BlockingClient pub = broker.hivemq5("calm-pub");
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("calm/t").qos(MqttQos.AT_LEAST_ONCE).send();
            flood.start();
            for (int i = 0; i < 20; i++) {
                pub.publishWith()
                        .topic("calm/t")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("c" + i).getBytes(StandardCharsets.UTF_8))
                        .send();
                Optional<Mqtt5Publish> m = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(m).as("message %d while another client floods", i).isPresent();
                assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("c" + i);
            }
        } finally {
            stop.set(true);
            flood.join(5000);
        }
    }
}
