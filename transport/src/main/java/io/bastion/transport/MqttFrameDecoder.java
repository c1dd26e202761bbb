package io.bastion.transport;

import io.bastion.broker.BrokerMetrics;
import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.codec.MqttDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to MQTT packets. A decoding error is passed on once as a {@link DecodeFailure}; the bytes
 * after it are discarded, since the connection is about to close.
 */
final class MqttFrameDecoder extends ByteToMessageDecoder {
    private final MqttDecoder decoder;
    private final BrokerMetrics metrics;
    private boolean failed;

    MqttFrameDecoder(MqttDecoder decoder, BrokerMetrics metrics) {
        this.decoder = decoder;
        this.metrics = metrics;
    }

    /** What the connection learns when the decoder refuses the input. */
    record DecodeFailure(MqttCodecException cause) {}

    MqttDecoder decoder() {
        return decoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        try {
            Object packet;
            while (in.isReadable() && (packet = decoder.decode(in)) != null) {
                out.add(packet);
            }
        } catch (MqttCodecException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(new DecodeFailure(e));
        } finally {
            metrics.bytesReceived.add(in.readerIndex() - start);
        }
    }
}
