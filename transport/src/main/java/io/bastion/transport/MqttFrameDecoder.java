package io.bastion.transport;

import io.bastion.broker.BrokerMetrics;
import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.codec.MqttDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to MQTT packets. A decoding error is passed on once as a {@link DecodeFailure}; the bytes
 * after it are discarded, since the connection is about to close.
 *
 * <p>One packet per {@link #decode} call, so each is handled before the next is decoded: when handling
 * one pauses reading (backpressure), the rest stay undecoded in the buffer until {@link #resume}.
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

    /** Reading resumed: decodes what was left in the buffer when it paused, even if no new bytes come. */
    void resume(ChannelHandlerContext ctx) {
        if (actualReadableBytes() > 0) {
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) { // decode errors are turned into a DecodeFailure; this is the rest
                ctx.fireExceptionCaught(e);
            }
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            return; // paused: decode nothing more until resume()
        }
        int start = in.readerIndex();
        try {
            Object packet = decoder.decode(in);
            if (packet != null) {
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
