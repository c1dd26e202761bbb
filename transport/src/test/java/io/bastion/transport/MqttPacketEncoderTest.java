package io.bastion.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.store.BrokerStore;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PingResp;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets written between flushes leave as one buffer, in order, each encoded exactly. */
class MqttPacketEncoderTest {
    private final BrokerMetrics metrics = new BrokerMetrics();
    /** What the encoder hands on, flushed or not. */
    private final List<Object> handedOn = new ArrayList<>();

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    handedOn.add(msg);
                    ctx.write(msg, promise);
                }
            },
            new MqttPacketEncoder(metrics, BrokerStore.inMemory()));

    private static Publish publish(int i) {
        byte[] payload = ("m" + i).getBytes(StandardCharsets.UTF_8);
        return new Publish("t/" + i, 0, false, false, 0, MqttProperties.EMPTY, payload);
    }

    private static List<MqttPacket> decodeAll(ByteBuf bytes) {
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V3_1_1, Integer.MAX_VALUE);
        List<MqttPacket> packets = new ArrayList<>();
        Object p;
        while (bytes.isReadable() && (p = decoder.decode(bytes)) != null) {
            packets.add((MqttPacket) p);
        }
        return packets;
    }

    @Test
    void packetsBetweenFlushesLeaveAsOneBuffer() {
        channel.write(publish(1), channel.voidPromise());
        channel.write(new PubAck(7), channel.voidPromise());
        channel.write(publish(2), channel.voidPromise());
        assertThat(handedOn).as("nothing is handed on before the flush").isEmpty();

        channel.flush();
        ByteBuf out = channel.readOutbound();
        assertThat((Object) channel.readOutbound()).isNull();
        long bytes = out.readableBytes();
        assertThat(decodeAll(out))
                .extracting(MqttPacket::type)
                .extracting(Enum::name)
                .containsExactly("PUBLISH", "PUBACK", "PUBLISH");
        assertThat(metrics.bytesSent.sum()).isEqualTo(bytes);
        out.release();
    }

    @Test
    void aFullBatchGoesOutBeforeTheFlushSoWritabilitySeesIt() {
        int n = 0;
        while (handedOn.isEmpty() && n < 100_000) {
            channel.write(publish(n++), channel.voidPromise());
        }
        assertThat(handedOn).as("handed on before any flush").hasSize(1);
        channel.flush();
        ByteBuf first = channel.readOutbound();
        assertThat(first.readableBytes()).isGreaterThanOrEqualTo(MqttPacketEncoder.BATCH_BYTES);
        ByteBuf rest = channel.readOutbound();
        assertThat(decodeAll(Unpooled.wrappedBuffer(first, rest))).hasSize(n);
    }

    @Test
    void otherBytesKeepTheirPlaceAfterThePackets() {
        channel.write(PingResp.INSTANCE, channel.voidPromise());
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER); // what close() writes
        ByteBuf packets = channel.readOutbound();
        assertThat(decodeAll(packets)).containsExactly(PingResp.INSTANCE);
        assertThat((ByteBuf) channel.readOutbound()).isSameAs(Unpooled.EMPTY_BUFFER);
        packets.release();
    }

    @Test
    void aWriteThatWantsItsOwnCompletionIsNotHeldBack() {
        var done = channel.newPromise();
        channel.write(PingResp.INSTANCE, done);
        channel.flush();
        assertThat(done.isSuccess()).isTrue();
        ByteBuf out = channel.readOutbound();
        assertThat(decodeAll(out)).containsExactly(PingResp.INSTANCE);
        out.release();
    }
}
