package io.bastion.transport;

import io.bastion.broker.BrokerMetrics;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.MqttPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** MQTT packets to bytes, in the version the connection negotiated; buffers are sized exactly. */
final class MqttPacketEncoder extends MessageToByteEncoder<MqttPacket> {
    private final BrokerMetrics metrics;
    private MqttVersion version = MqttVersion.V3_1_1;

    MqttPacketEncoder(BrokerMetrics metrics) {
        super(MqttPacket.class);
        this.metrics = metrics;
    }

    void version(MqttVersion version) {
        this.version = version;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MqttPacket packet, boolean preferDirect) {
        return ctx.alloc().ioBuffer(MqttEncoder.encodedSize(packet, version));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket packet, ByteBuf out) {
        int start = out.writerIndex();
        MqttEncoder.encode(packet, version, out);
        metrics.bytesSent.add(out.writerIndex() - start);
    }
}
