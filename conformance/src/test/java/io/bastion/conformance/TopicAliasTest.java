package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** v5 Topic Alias in both directions (3.3.2.3.4). */
class TopicAliasTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static byte[] aliased(String topic, int alias, String payload) {
        return Out.publish(
                5, topic, 0, false, false, 0, Props.create().add(Props.TOPIC_ALIAS, alias), Wire.utf8(payload));
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-12] client → broker: an alias set with a topic stands for it in later PUBLISHes with an empty topic; it can be remapped")
    void clientToServerAlias() {
        broker.limit("topic_alias_max", 10);
        RawClient sub = broker.raw5("alias-sub");
        sub.subscribe("alias/#", 0);
        RawClient pub = broker.raw5("alias-pub");
        assertThat(pub.connAck().props().integer(Props.TOPIC_ALIAS_MAXIMUM)).isEqualTo(10);
        pub.send(aliased("alias/long/topic/name", 1, "set"));
        pub.send(aliased("", 1, "use"));
        pub.send(aliased("alias/other", 1, "remap"));
        pub.send(aliased("", 1, "use remapped"));
        pub.send(aliased("", 1, "again"));
        assertThat(sub.expectPublish().topic()).isEqualTo("alias/long/topic/name");
        In.Publish use = sub.expectPublish();
        assertThat(use.topic()).isEqualTo("alias/long/topic/name");
        assertThat(use.payloadString()).isEqualTo("use");
        assertThat(sub.expectPublish().topic()).isEqualTo("alias/other");
        assertThat(sub.expectPublish().topic()).isEqualTo("alias/other");
        In.Publish again = sub.expectPublish();
        assertThat(again.topic()).isEqualTo("alias/other");
        assertThat(again.props().has(Props.TOPIC_ALIAS))
                .as("the client's alias is not forwarded to a subscriber that allows none [MQTT-3.1.2-27]")
                .isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] the highest alias (= Topic Alias Maximum) is accepted")
    void maximumAliasAccepted() {
        broker.limit("topic_alias_max", 5);
        RawClient sub = broker.raw5("max-alias-sub");
        sub.subscribe("max/alias", 0);
        RawClient pub = broker.raw5("max-alias-pub");
        pub.send(aliased("max/alias", 5, "a"));
        pub.send(aliased("", 5, "b"));
        assertThat(sub.expectPublish().payloadString()).isEqualTo("a");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("b");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] Topic Alias 0 → DISCONNECT 0x94 (Topic Alias invalid) or 0x82 (Protocol Error)")
    void aliasZero() {
        RawClient c = broker.raw5("alias0");
        c.send(aliased("t", 0, "x"));
        // the spec defines 0x94 for an alias above the maximum; for 0 it only says "MUST NOT send"
        c.expectDisconnect(Rc.TOPIC_ALIAS_INVALID, Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-9] [MQTT-3.2.2-17] Topic Alias above the broker's Topic Alias Maximum → DISCONNECT 0x94")
    void aliasAboveMaximum() {
        broker.limit("topic_alias_max", 10);
        RawClient c = broker.raw5("alias11");
        c.send(aliased("t", 11, "x"));
        c.expectDisconnect(Rc.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-18] topic_alias_max 0: no Topic Alias Maximum in CONNACK and any alias → DISCONNECT 0x94")
    void aliasesDisabled() {
        broker.limit("topic_alias_max", 0);
        RawClient c = broker.raw5("noalias");
        assertThat(c.connAck().props().integer(Props.TOPIC_ALIAS_MAXIMUM)).isIn(null, 0);
        c.send(aliased("t", 1, "x"));
        c.expectDisconnect(Rc.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("[MQTT-5 §3.3.4] an empty topic with an alias that was never set → DISCONNECT 0x82 (Protocol Error)")
    void unknownAlias() {
        RawClient c = broker.raw5("unknown-alias");
        c.send(aliased("", 3, "x"));
        c.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-5 §3.3.2.1] an empty topic without a Topic Alias → DISCONNECT 0x82 (Protocol Error)")
    void emptyTopicWithoutAlias() {
        RawClient c = broker.raw5("empty-topic");
        c.send(Out.publish(5, "", 0, false, false, 0, Props.none(), Wire.utf8("x")));
        c.expectDisconnect(Rc.PROTOCOL_ERROR, Rc.TOPIC_NAME_INVALID);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-7] alias mappings do not survive the network connection")
    void aliasesNotCarriedAcrossConnections() {
        RawClient first = broker.raw(Out.Connect.v5("alias-session").sessionExpiry(60));
        first.send(aliased("carried", 2, "set"));
        first.ping();
        first.disconnect();
        RawClient second =
                broker.raw(Out.Connect.v5("alias-session").cleanStart(false).sessionExpiry(60));
        second.send(aliased("", 2, "use"));
        second.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-26] [MQTT-3.3.2-11] broker → client: repeated topics use an alias ≤ the client's Topic Alias Maximum and an empty topic name")
    void serverToClientAliases() {
        String topic = "server/alias/a/rather/long/topic/name/for/a/sensor/reading";
        RawClient sub = broker.raw(Out.Connect.v5("alias-receiver").topicAliasMaximum(3));
        sub.subscribe("server/alias/#", 0);
        RawClient pub = broker.raw5("alias-sender");
        for (int i = 0; i < 3; i++) {
            pub.publish(topic, 0, "r" + i);
        }
        In.Publish first = sub.expectPublish();
        Integer alias = first.props().integer(Props.TOPIC_ALIAS);
        assertThat(first.topic()).isEqualTo(topic);
        assertThat(alias).as("the broker sets an alias for a topic").isNotNull().isBetween(1, 3);
        for (int i = 1; i < 3; i++) {
            In.Publish p = sub.expectPublish();
            assertThat(p.props().integer(Props.TOPIC_ALIAS)).isEqualTo(alias);
            assertThat(p.topic())
                    .as("topic name replaced by the alias (two bytes on the wire)")
                    .isEmpty();
            assertThat(p.payloadString()).isEqualTo("r" + i);
        }
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-26] [MQTT-3.3.2-11] broker → client with more topics than aliases: aliases never exceed the maximum and every PUBLISH resolves to its topic")
    void serverAliasesStayWithinMaximum() {
        RawClient sub = broker.raw(Out.Connect.v5("alias-many").topicAliasMaximum(2));
        sub.subscribe("many/#", 0);
        RawClient pub = broker.raw5("alias-many-pub");
        String[] topics = {"many/a", "many/b", "many/c", "many/a", "many/d", "many/b", "many/a", "many/c"};
        for (String t : topics) {
            pub.publish(t, 0, t);
        }
        Map<Integer, String> aliases = new HashMap<>();
        for (String expected : topics) {
            In.Publish p = sub.expectPublish();
            Integer alias = p.props().integer(Props.TOPIC_ALIAS);
            String resolved = p.topic();
            if (alias != null) {
                assertThat(alias).as("alias within the client's maximum").isBetween(1, 2);
                if (p.topic().isEmpty()) {
                    resolved = aliases.get(alias);
                    assertThat(resolved)
                            .as("alias %d was set before use", alias)
                            .isNotNull();
                } else {
                    aliases.put(alias, p.topic());
                }
            }
            assertThat(resolved).isEqualTo(expected);
            assertThat(p.payloadString()).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-27] a client that sent no Topic Alias Maximum never gets a Topic Alias")
    void noAliasesForClientWithoutMaximum() {
        RawClient sub = broker.raw5("no-alias-receiver");
        sub.subscribe("noalias/t", 0);
        RawClient pub = broker.raw5("no-alias-sender");
        for (int i = 0; i < 3; i++) {
            pub.publish("noalias/t", 0, "x");
        }
        for (int i = 0; i < 3; i++) {
            In.Publish p = sub.expectPublish();
            assertThat(p.props().has(Props.TOPIC_ALIAS)).isFalse();
            assertThat(p.topic()).isEqualTo("noalias/t");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-10] [MQTT-3.3.2-12] HiveMQ v5 clients with topic aliases in both directions interoperate")
    void hiveMqAliasesBothWays() throws InterruptedException {
        Mqtt5BlockingClient sub = Mqtt5Client.builder()
                .identifier("hive-alias-sub")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        broker.track(() -> sub.disconnect());
        sub.connectWith()
                .restrictions()
                .topicAliasMaximum(5)
                .applyRestrictions()
                .send();
        Mqtt5BlockingClient pub = Mqtt5Client.builder()
                .identifier("hive-alias-pub")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        broker.track(() -> pub.disconnect());
        pub.connectWith()
                .restrictions()
                .sendTopicAliasMaximum(5)
                .applyRestrictions()
                .send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("hive/alias/#").send();
            for (int i = 0; i < 5; i++) {
                pub.publishWith()
                        .topic("hive/alias/" + (i % 2))
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("p" + i).getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            for (int i = 0; i < 5; i++) {
                Optional<Mqtt5Publish> m = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(m).isPresent();
                assertThat(m.get().getTopic().toString()).isEqualTo("hive/alias/" + (i % 2));
                assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("p" + i);
            }
        }
    }
}
