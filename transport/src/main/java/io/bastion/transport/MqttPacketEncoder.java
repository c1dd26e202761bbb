package io.bastion.transport;

import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.store.BrokerStore;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.MqttPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * MQTT packets to bytes, in the version the connection negotiated. Packets written between two flushes
 * are encoded into one buffer, so a burst of PUBLISH to a subscriber is one entry in Netty's outbound
 * buffer and one gathered write, not one of each per packet. A batch also goes out (unflushed) once it
 * holds {@link #BATCH_BYTES}, so the channel's writability sees it.
 */
final class MqttPacketEncoder extends ChannelOutboundHandlerAdapter {
    static final int BATCH_BYTES = 32 * 1024;
    /** First capacity of a batch: most batches are a few small packets; it grows when needed. */
    private static final int FIRST_CAPACITY = 512;

    private final BrokerMetrics metrics;
    private final BrokerStore store;
    private MqttVersion version = MqttVersion.V3_1_1;
    private ByteBuf batch;

    MqttPacketEncoder(BrokerMetrics metrics, BrokerStore store) {
        this.metrics = metrics;
        this.store = store;
    }

    void version(MqttVersion version) {
        this.version = version;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof MqttPacket packet)) {
            writeBatch(ctx); // bytes of another kind (a close marker) keep their place after the packets
            ctx.write(msg, promise);
            return;
        }
        int size = MqttEncoder.encodedSize(packet, version);
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(Math.max(size, FIRST_CAPACITY));
        }
        int start = batch.writerIndex();
        try {
            MqttEncoder.encode(packet, version, batch);
        } catch (RuntimeException e) {
            batch.writerIndex(start); // never a partial packet on the wire
            promise.setFailure(e);
            return;
        }
        metrics.bytesSent.add(size);
        if (!promise.isVoid()) {
            ctx.write(takeBatch(), promise);
        } else if (batch.readableBytes() >= BATCH_BYTES) {
            writeBatch(ctx);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeBatch(ctx);
        store.flushWrites(); // what these packets tell the client must outlive a crash of the broker process
        ctx.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    private void writeBatch(ChannelHandlerContext ctx) {
        if (batch != null) {
            ctx.write(takeBatch(), ctx.voidPromise());
        }
    }

    private ByteBuf takeBatch() {
        ByteBuf b = batch;
        batch = null;
        return b;
    }
}
