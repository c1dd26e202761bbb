package io.bastion.mqtt.codec;

import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import io.netty.buffer.ByteBuf;

/**
 * Writes packets in the wire form of a protocol version, both directions. Sizes are computed first so
 * everything is written straight into the output buffer. The encoder trusts its input to be a valid
 * packet (strings free of U+0000 and lone surrogates); values the wire cannot carry (a string over
 * 65535 bytes, QoS 3, packet id 0 where one is needed) throw {@link IllegalArgumentException} before
 * anything is written.
 */
public final class MqttEncoder {
    private MqttEncoder() {}

    /**
     * Writes the packet in the wire form of {@code version}: MQTT 3.1 and 3.1.1 forms carry no
     * properties and no reason codes other than the CONNACK return code and SUBACK return codes. A
     * CONNECT is always written in its own {@link Connect#version()}.
     */
    public static void encode(MqttPacket packet, MqttVersion version, ByteBuf out) {
        switch (packet.type()) {
            case CONNECT -> ConnectCodec.encode((Connect) packet, out);
            case CONNACK -> ConnectCodec.encode((ConnAck) packet, version, out);
            case PUBLISH -> PublishCodec.encode((Publish) packet, version, out);
            case PUBACK -> {
                PubAck p = (PubAck) packet;
                AckCodec.encode(p.type(), p.packetId(), p.reasonCode(), p.properties(), version, out);
            }
            case PUBREC -> {
                PubRec p = (PubRec) packet;
                AckCodec.encode(p.type(), p.packetId(), p.reasonCode(), p.properties(), version, out);
            }
            case PUBREL -> {
                PubRel p = (PubRel) packet;
                AckCodec.encode(p.type(), p.packetId(), p.reasonCode(), p.properties(), version, out);
            }
            case PUBCOMP -> {
                PubComp p = (PubComp) packet;
                AckCodec.encode(p.type(), p.packetId(), p.reasonCode(), p.properties(), version, out);
            }
            case SUBSCRIBE -> SubscribeCodec.encode((Subscribe) packet, version, out);
            case SUBACK -> SubscribeCodec.encode((SubAck) packet, version, out);
            case UNSUBSCRIBE -> SubscribeCodec.encode((Unsubscribe) packet, version, out);
            case UNSUBACK -> SubscribeCodec.encode((UnsubAck) packet, version, out);
            case PINGREQ, PINGRESP -> Wire.writeFixedHeader(out, packet.type(), 0, 0);
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                AckCodec.encode(d.type(), 0, d.reasonCode(), d.properties(), version, out);
            }
            case AUTH -> {
                Auth a = (Auth) packet;
                AckCodec.encode(a.type(), 0, a.reasonCode(), a.properties(), version, out);
            }
        }
    }

    /**
     * Exact number of bytes {@link #encode} would write, fixed header included, without allocating a
     * buffer: used to honour a peer's Maximum Packet Size.
     */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        return Wire.packetSize(remainingLength(packet, version));
    }

    private static int remainingLength(MqttPacket packet, MqttVersion version) {
        return switch (packet.type()) {
            case CONNECT -> ConnectCodec.remainingLength((Connect) packet);
            case CONNACK -> ConnectCodec.remainingLength((ConnAck) packet, version);
            case PUBLISH -> PublishCodec.remainingLength((Publish) packet, version);
            case PUBACK -> {
                PubAck p = (PubAck) packet;
                yield AckCodec.remainingLength(p.type(), p.reasonCode(), p.properties(), version);
            }
            case PUBREC -> {
                PubRec p = (PubRec) packet;
                yield AckCodec.remainingLength(p.type(), p.reasonCode(), p.properties(), version);
            }
            case PUBREL -> {
                PubRel p = (PubRel) packet;
                yield AckCodec.remainingLength(p.type(), p.reasonCode(), p.properties(), version);
            }
            case PUBCOMP -> {
                PubComp p = (PubComp) packet;
                yield AckCodec.remainingLength(p.type(), p.reasonCode(), p.properties(), version);
            }
            case SUBSCRIBE -> SubscribeCodec.remainingLength((Subscribe) packet, version);
            case SUBACK -> SubscribeCodec.remainingLength((SubAck) packet, version);
            case UNSUBSCRIBE -> SubscribeCodec.remainingLength((Unsubscribe) packet, version);
            case UNSUBACK -> SubscribeCodec.remainingLength((UnsubAck) packet, version);
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                yield AckCodec.remainingLength(d.type(), d.reasonCode(), d.properties(), version);
            }
            case AUTH -> {
                Auth a = (Auth) packet;
                yield AckCodec.remainingLength(a.type(), a.reasonCode(), a.properties(), version);
            }
        };
    }
}
