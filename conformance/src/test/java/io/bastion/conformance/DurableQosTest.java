package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Wire;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS 1/2 state on both sides of the broker survives a restart of the broker with the default durable
 * store: exactly once stays exactly once, at least once stays at least once (4.3, 4.4).
 */
class DurableQosTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private void durableStore(String name) {
        broker.store("path", dir.resolve(name)).store("durability", "group_commit");
    }

    private void restart() {
        broker.stop();
        broker.port(); // starts again on the same store
    }

    @Test
    @DisplayName("[MQTT-4.3.3-9] [MQTT-4.4.0-1] an incoming QoS 2 packet id held before a restart: the PUBLISH re-sent"
            + " after it gets PUBREC and is not delivered twice, PUBREL then completes it")
    void incomingQos2IdHeldAcrossARestart() {
        durableStore("incoming");
        RawClient sub = broker.raw(Out.Connect.v5("eo-sub").sessionExpiry(3600));
        sub.subscribe("eo/t", 2);
        RawClient pub = broker.raw(Out.Connect.v5("eo-pub").sessionExpiry(3600));
        pub.send(Out.publish(5, "eo/t", 2, false, false, 21, Props.none(), Wire.utf8("once")));
        assertThat(pub.expect(In.Ack.class).type()).as("PUBREC").isEqualTo(5);
        In.Publish first = sub.expectPublish();
        assertThat(first.payloadString()).isEqualTo("once");
        sub.send(Out.ack(5, 5, first.packetId(), 0)); // PUBREC from the subscriber
        assertThat(sub.expect(In.Ack.class).type()).as("PUBREL").isEqualTo(6);
        sub.send(Out.ack(5, 7, first.packetId(), 0)); // PUBCOMP: the subscriber is done with it
        sub.expectNothing(Duration.ofMillis(200));

        restart();
        RawClient pubAgain =
                broker.raw(Out.Connect.v5("eo-pub").cleanStart(false).sessionExpiry(3600));
        assertThat(pubAgain.connAck().sessionPresent()).isTrue();
        // the publisher never saw the PUBREC (as far as it knows): it sends the PUBLISH again with DUP
        pubAgain.send(Out.publish(5, "eo/t", 2, false, true, 21, Props.none(), Wire.utf8("once")));
        In.Ack rec = pubAgain.expect(In.Ack.class);
        assertThat(rec.type()).as("PUBREC for the re-sent PUBLISH").isEqualTo(5);
        assertThat(rec.packetId()).isEqualTo(21);
        pubAgain.send(Out.ack(5, 6, 21, 0));
        In.Ack comp = pubAgain.expect(In.Ack.class);
        assertThat(comp.type()).as("PUBCOMP").isEqualTo(7);
        assertThat(comp.packetId()).isEqualTo(21);

        RawClient subAgain =
                broker.raw(Out.Connect.v5("eo-sub").cleanStart(false).sessionExpiry(3600));
        assertThat(subAgain.connAck().sessionPresent()).isTrue();
        pubAgain.publish("eo/t", 0, "marker");
        assertThat(subAgain.expectPublish().payloadString())
                .as("the next message is the marker, not a second copy")
                .isEqualTo("marker");
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] outgoing QoS 1 and QoS 2 messages not acknowledged before a restart are"
            + " re-sent after it with DUP and the same packet id; PUBREL is re-sent for one already PUBRECed")
    void outgoingInflightResentAfterARestart() {
        durableStore("outgoing");
        RawClient sub = broker.raw(Out.Connect.v5("in-sub").sessionExpiry(3600));
        sub.subscribe("in/t", 2);
        RawClient pub = broker.raw5("in-pub");
        pub.publish("in/t", 1, "q1");
        pub.publish("in/t", 2, "q2-unacked");
        pub.publish("in/t", 2, "q2-received");
        In.Publish q1 = sub.expectPublish();
        In.Publish q2 = sub.expectPublish();
        In.Publish q2r = sub.expectPublish();
        assertThat(q1.payloadString()).isEqualTo("q1");
        assertThat(q2r.payloadString()).isEqualTo("q2-received");
        sub.send(Out.ack(5, 5, q2r.packetId(), 0)); // PUBREC for the third only
        assertThat(sub.expect(In.Ack.class).type()).as("PUBREL").isEqualTo(6);
        sub.abort();

        restart();
        RawClient resumed =
                broker.raw(Out.Connect.v5("in-sub").cleanStart(false).sessionExpiry(3600));
        assertThat(resumed.connAck().sessionPresent()).isTrue();
        In.Publish again1 = resumed.expectPublish();
        assertThat(again1.payloadString()).isEqualTo("q1");
        assertThat(again1.dup()).isTrue();
        assertThat(again1.packetId()).isEqualTo(q1.packetId());
        In.Publish again2 = resumed.expectPublish();
        assertThat(again2.payloadString()).isEqualTo("q2-unacked");
        assertThat(again2.dup()).isTrue();
        assertThat(again2.packetId()).isEqualTo(q2.packetId());
        In.Ack rel = resumed.expect(In.Ack.class);
        assertThat(rel.type()).as("PUBREL re-sent, not the PUBLISH").isEqualTo(6);
        assertThat(rel.packetId()).isEqualTo(q2r.packetId());
        resumed.send(Out.ack(5, 4, again1.packetId(), 0));
        resumed.send(Out.ack(5, 5, again2.packetId(), 0));
        assertThat(resumed.expect(In.Ack.class).type()).isEqualTo(6);
        resumed.send(Out.ack(5, 7, again2.packetId(), 0));
        resumed.send(Out.ack(5, 7, q2r.packetId(), 0));
        resumed.expectNothing(Duration.ofMillis(300));
    }
}
