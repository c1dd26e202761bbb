package io.bastion.mqtt.codec;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PingReq;
import io.bastion.mqtt.packet.PingResp;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import io.bastion.mqtt.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Every packet type, in each direction, with every property its type allows (MQTT 5). */
final class SamplePackets {
    static final String TOPIC = "température/°C/\uD83D\uDE00";

    private SamplePackets() {}

    static List<MqttPacket> fromClient(MqttVersion v) {
        boolean v5 = v.isV5();
        List<MqttPacket> packets = new ArrayList<>();
        packets.add(connect(v));
        packets.add(new Connect(v, "", true, 0, null, null, null, MqttProperties.EMPTY));
        packets.add(publish(v, 0, false));
        packets.add(publish(v, 1, false));
        packets.add(new Publish("a/b", 2, true, true, 65535, MqttProperties.EMPTY, PacketReader.NO_BYTES));
        packets.addAll(publishAcks(v));
        packets.add(new Subscribe(
                7,
                v5
                        ? List.of(
                                Subscription.of("a/+/c", 0),
                                new Subscription("$share/g/x/#", 1, false, true, 1),
                                new Subscription("#", 2, true, false, 2))
                        : List.of(Subscription.of("a/+/c", 0), Subscription.of("#", 2)),
                v5 ? props().subscriptionIdentifier(268_435_455).build() : MqttProperties.EMPTY));
        packets.add(new Unsubscribe(8, List.of("a/+/c", "#", TOPIC), v5 ? props().build() : MqttProperties.EMPTY));
        packets.add(PingReq.INSTANCE);
        packets.add(Disconnect.NORMAL);
        if (v5) {
            packets.add(new Disconnect(
                    ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                    props().sessionExpiryInterval(0xFFFF_FFFFL)
                            .reasonString("bye")
                            .build()));
            packets.add(new Disconnect(ReasonCode.PACKET_TOO_LARGE, MqttProperties.EMPTY));
            packets.addAll(auths());
        }
        return packets;
    }

    static List<MqttPacket> fromServer(MqttVersion v) {
        boolean v5 = v.isV5();
        List<MqttPacket> packets = new ArrayList<>();
        packets.add(new ConnAck(v != MqttVersion.V3_1, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        packets.add(new ConnAck(false, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY));
        if (v5) {
            packets.add(new ConnAck(true, ReasonCode.SUCCESS, connAckProperties()));
            packets.add(new ConnAck(
                    false,
                    ReasonCode.USE_ANOTHER_SERVER,
                    props().serverReference("other:1883").build()));
        } else {
            for (int code = 1; code <= 5; code++) {
                packets.add(new ConnAck(false, ReasonCode.fromV311ConnectReturnCode(code), MqttProperties.EMPTY));
            }
        }
        packets.add(publish(v, 2, true));
        packets.addAll(publishAcks(v));
        packets.add(new SubAck(
                7,
                v5
                        ? List.of(
                                ReasonCode.GRANTED_QOS_0,
                                ReasonCode.GRANTED_QOS_1,
                                ReasonCode.GRANTED_QOS_2,
                                ReasonCode.TOPIC_FILTER_INVALID,
                                ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED)
                        : List.of(
                                ReasonCode.GRANTED_QOS_0,
                                ReasonCode.GRANTED_QOS_1,
                                ReasonCode.GRANTED_QOS_2,
                                ReasonCode.UNSPECIFIED_ERROR),
                v5 ? props().reasonString("ok").build() : MqttProperties.EMPTY));
        packets.add(
                v5
                        ? new UnsubAck(
                                8,
                                List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED),
                                props().reasonString("done").build())
                        : new UnsubAck(8, List.of(), MqttProperties.EMPTY));
        packets.add(PingResp.INSTANCE);
        if (v5) {
            packets.add(Disconnect.NORMAL);
            packets.add(new Disconnect(
                    ReasonCode.SERVER_MOVED,
                    props().serverReference("b:1883").reasonString("moved").build()));
            packets.addAll(auths());
        }
        return packets;
    }

    static Connect connect(MqttVersion v) {
        boolean v5 = v.isV5();
        MqttProperties willProperties = v5
                ? props().willDelayInterval(30L)
                        .payloadFormatIndicator(1)
                        .messageExpiryInterval(3600L)
                        .contentType("text/plain")
                        .responseTopic("reply/to")
                        .correlationData(new byte[] {1, 2, 3})
                        .build()
                : MqttProperties.EMPTY;
        MqttProperties properties = v5
                ? props().sessionExpiryInterval(86_400L)
                        .receiveMaximum(100)
                        .maximumPacketSize(65_536L)
                        .topicAliasMaximum(10)
                        .requestResponseInformation(1)
                        .requestProblemInformation(0)
                        .authenticationMethod("SCRAM-SHA-256")
                        .authenticationData(new byte[] {9, 8, 7})
                        .build()
                : MqttProperties.EMPTY;
        Will will = new Will("devices/d1/status", utf8("offline"), 1, true, willProperties);
        return new Connect(v, "d1", false, 60, "user", utf8("secret"), will, properties);
    }

    private static Publish publish(MqttVersion v, int qos, boolean fromServer) {
        MqttProperties.Builder b = props().payloadFormatIndicator(1)
                .messageExpiryInterval(120L)
                .topicAlias(3)
                .responseTopic("reply/d1")
                .correlationData(utf8("req-1"))
                .contentType("application/json");
        if (fromServer) {
            b.subscriptionIdentifier(1).subscriptionIdentifier(268_435_455);
        }
        return new Publish(
                TOPIC,
                qos,
                qos == 0,
                qos > 0,
                qos == 0 ? 0 : 42,
                v.isV5() ? b.build() : MqttProperties.EMPTY,
                utf8("{\"t\":21.5}"));
    }

    private static List<MqttPacket> publishAcks(MqttVersion v) {
        if (!v.isV5()) {
            return List.of(new PubAck(1), new PubRec(2), new PubRel(3), new PubComp(4));
        }
        MqttProperties p = props().reasonString("why").build();
        return List.of(
                new PubAck(1),
                new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY),
                new PubAck(1, ReasonCode.QUOTA_EXCEEDED, p),
                new PubAck(1, ReasonCode.SUCCESS, p),
                new PubRec(2),
                new PubRec(2, ReasonCode.PAYLOAD_FORMAT_INVALID, p),
                new PubRel(3),
                new PubRel(3, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p),
                new PubComp(4),
                new PubComp(4, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
    }

    private static List<MqttPacket> auths() {
        return List.of(
                new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY),
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.EMPTY),
                new Auth(
                        ReasonCode.REAUTHENTICATE,
                        props().authenticationMethod("SCRAM-SHA-256")
                                .authenticationData(utf8("c-nonce"))
                                .reasonString("again")
                                .build()));
    }

    static MqttProperties connAckProperties() {
        return props().sessionExpiryInterval(0L)
                .assignedClientIdentifier("auto-1")
                .serverKeepAlive(30)
                .authenticationMethod("SCRAM-SHA-256")
                .authenticationData(new byte[] {4, 5})
                .responseInformation("resp/")
                .serverReference("b:1883")
                .reasonString("welcome")
                .receiveMaximum(65_535)
                .topicAliasMaximum(0)
                .maximumQos(1)
                .retainAvailable(0)
                .maximumPacketSize(0xFFFF_FFFFL)
                .wildcardSubscriptionAvailable(1)
                .subscriptionIdentifierAvailable(0)
                .sharedSubscriptionAvailable(1)
                .build();
    }

    /** A builder with two User Properties of the same name, whose order must survive. */
    static MqttProperties.Builder props() {
        return MqttProperties.builder()
                .userProperty("k", "2")
                .userProperty("k", "1")
                .userProperty("ü", "");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
