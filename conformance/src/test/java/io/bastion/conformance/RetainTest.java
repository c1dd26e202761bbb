package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Out.Sub;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retained messages (3.3.1.3) and the v5 subscription options Retain Handling and Retain As Published. */
class RetainTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private void publishRetained(String topic, String payload, int qos) {
        RawClient p = broker.raw5("retainer-" + System.nanoTime());
        p.publish(topic, qos, true, Props.none(), Wire.utf8(payload));
        p.ping(); // the broker has processed the PUBLISH before the next one is sent
        p.disconnect();
    }

    /** After subscribing: the next message must be a live marker, i.e. no retained message was sent. */
    private static void expectNoRetained(RawClient sub, String topic) {
        sub.publish(topic, 0, "marker");
        In.Publish p = sub.expectPublish();
        assertThat(p.payloadString())
                .as("no retained message before the marker")
                .isEqualTo("marker");
        assertThat(p.retain()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] v3.1.1 (Paho): a retained message is stored and sent to a new subscriber with RETAIN 1")
    void retainedSentOnSubscribeV311() {
        PahoClient pub = broker.paho("ret-pub");
        pub.connect(true);
        pub.publish("ret/a", "stored", 1, true);
        pub.disconnect();
        PahoClient sub = broker.paho("ret-sub");
        sub.connect(true);
        sub.subscribe("ret/a", 1);
        PahoClient.Message m = sub.receive(Duration.ofSeconds(5));
        assertThat(m.payload()).isEqualTo("stored");
        assertThat(m.retained())
                .as("RETAIN flag on a message sent for a new subscription")
                .isTrue();
        assertThat(m.qos()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-9] v3.1.1: a retained PUBLISH forwarded to an established subscription has RETAIN 0")
    void retainFlagClearedOnLiveForwardV311() {
        RawClient sub = broker.raw311("live311");
        sub.subscribe("ret/live", 1);
        RawClient pub = broker.raw311("live311-pub");
        pub.publish("ret/live", 1, true, Props.none(), Wire.utf8("live"));
        In.Publish p = sub.expectPublishAndAck();
        assertThat(p.payloadString()).isEqualTo("live");
        assertThat(p.retain()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] (v5) a new retained message replaces the previous one for the topic")
    void retainedReplaced() {
        publishRetained("ret/replace", "first", 0);
        publishRetained("ret/replace", "second", 0);
        RawClient sub = broker.raw5("replace-sub");
        sub.subscribe("ret/replace", 0);
        In.Publish p = sub.expectPublish();
        assertThat(p.payloadString()).isEqualTo("second");
        assertThat(p.retain()).isTrue();
        expectNoRetained(sub, "ret/replace");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-6] [MQTT-3.3.1-7] (v3.1.1: MQTT-3.3.1-10, -11) an empty retained PUBLISH deletes the retained message and is forwarded normally")
    void emptyPayloadDeletes() {
        publishRetained("ret/delete", "old", 1);
        RawClient live = broker.raw311("delete-live");
        live.subscribe("ret/delete", 0);
        assertThat(live.expectPublish().payloadString()).isEqualTo("old");
        RawClient pub = broker.raw311("delete-pub");
        pub.publish("ret/delete", 1, true, Props.none(), new byte[0]);
        In.Publish forwarded = live.expectPublish();
        assertThat(forwarded.payload())
                .as("empty retained message forwarded to the subscriber")
                .isEmpty();
        RawClient sub = broker.raw5("delete-sub");
        sub.subscribe("ret/delete", 0);
        expectNoRetained(sub, "ret/delete");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-8] (v3.1.1: MQTT-3.3.1-12) a PUBLISH with RETAIN 0 neither stores nor replaces the retained message")
    void nonRetainedDoesNotReplace() {
        publishRetained("ret/keep", "kept", 0);
        RawClient pub = broker.raw5("keep-pub");
        pub.publish("ret/keep", 0, "not retained");
        pub.publish("ret/nostore", 0, "not retained either");
        pub.ping();
        RawClient sub = broker.raw5("keep-sub");
        sub.subscribe("ret/keep", 0);
        assertThat(sub.expectPublish().payloadString()).isEqualTo("kept");
        RawClient sub2 = broker.raw5("nostore-sub");
        sub2.subscribe("ret/nostore", 0);
        expectNoRetained(sub2, "ret/nostore");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-9] [MQTT-3.8.4-4] v5 Retain Handling 0: retained messages sent on every SUBSCRIBE, also when re-subscribing")
    void retainHandling0() {
        publishRetained("rh/0", "r0", 0);
        RawClient sub = broker.raw5("rh0");
        sub.subscribe(Sub.of("rh/0", 0).withRetainHandling(0));
        assertThat(sub.expectPublish().payloadString()).isEqualTo("r0");
        sub.subscribe(Sub.of("rh/0", 0).withRetainHandling(0));
        In.Publish again = sub.expectPublish();
        assertThat(again.payloadString()).isEqualTo("r0");
        assertThat(again.retain()).isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] v5 Retain Handling 1: retained messages sent only if the subscription did not exist")
    void retainHandling1() {
        publishRetained("rh/1", "r1", 0);
        RawClient sub = broker.raw5("rh1");
        sub.subscribe(Sub.of("rh/1", 0).withRetainHandling(1));
        assertThat(sub.expectPublish().payloadString()).isEqualTo("r1");
        sub.subscribe(Sub.of("rh/1", 0).withRetainHandling(1));
        expectNoRetained(sub, "rh/1");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] v5 Retain Handling 2: retained messages are not sent on subscribe")
    void retainHandling2() {
        publishRetained("rh/2", "r2", 0);
        RawClient sub = broker.raw5("rh2");
        sub.subscribe(Sub.of("rh/2", 0).withRetainHandling(2));
        expectNoRetained(sub, "rh/2");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] v5 Retain As Published 0: live forwarded messages have RETAIN 0")
    void retainAsPublished0() {
        RawClient sub = broker.raw5("rap0");
        sub.subscribe(Sub.of("rap/0", 0));
        broker.raw5("rap0-pub").publish("rap/0", 0, true, Props.none(), Wire.utf8("x"));
        assertThat(sub.expectPublish().retain()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-13] v5 Retain As Published 1: live forwarded messages keep the RETAIN flag they were published with")
    void retainAsPublished1() {
        RawClient sub = broker.raw5("rap1");
        sub.subscribe(Sub.of("rap/1", 0).withRetainAsPublished());
        RawClient pub = broker.raw5("rap1-pub");
        pub.publish("rap/1", 0, true, Props.none(), Wire.utf8("retained"));
        pub.publish("rap/1", 0, false, Props.none(), Wire.utf8("plain"));
        In.Publish first = sub.expectPublish();
        assertThat(first.payloadString()).isEqualTo("retained");
        assertThat(first.retain()).isTrue();
        In.Publish second = sub.expectPublish();
        assertThat(second.payloadString()).isEqualTo("plain");
        assertThat(second.retain()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-9] [MQTT-5 §3.3.1.3] retained messages matching a wildcard filter are all sent, at min(stored QoS, granted QoS)")
    void retainedWithWildcardsAndQos() {
        publishRetained("wild/a", "a", 1);
        publishRetained("wild/b", "b", 2);
        publishRetained("wild/c/d", "cd", 0);
        RawClient sub = broker.raw5("wild-sub");
        sub.subscribe(Sub.of("wild/+", 1));
        java.util.Map<String, Integer> got = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            In.Publish p = sub.expectPublishAndAck();
            assertThat(p.retain()).isTrue();
            got.put(p.payloadString(), p.qos());
        }
        assertThat(got).containsEntry("a", 1).containsEntry("b", 1);
        expectNoRetained(sub, "wild/z");
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-14] [MQTT-5 §3.2.2.3.5] v5: a retained PUBLISH when retain is not available → DISCONNECT 0x9A")
    void retainNotAvailable() {
        broker.feature("retain_available", false);
        RawClient c = broker.raw5("noretain");
        c.send(Out.publish(5, "t", 0, true, false, 0, Props.none(), Wire.utf8("x")));
        c.expectDisconnect(Rc.RETAIN_NOT_SUPPORTED);
    }
}
