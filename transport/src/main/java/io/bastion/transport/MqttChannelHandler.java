package io.bastion.transport;

import io.bastion.broker.Broker;
import io.bastion.broker.connection.ClientChannel;
import io.bastion.broker.connection.MqttConnection;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.MqttPacket;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects one Netty channel to one {@link MqttConnection}: the transport side of {@link ClientChannel}. */
final class MqttChannelHandler extends ChannelInboundHandlerAdapter implements ClientChannel {
    private static final Logger log = LoggerFactory.getLogger(MqttChannelHandler.class);

    private final Broker broker;
    private final String listenerName;
    private final MqttFrameDecoder decoder;
    private final MqttPacketEncoder encoder;
    private ChannelHandlerContext ctx;
    private MqttConnection connection;

    MqttChannelHandler(Broker broker, String listenerName, MqttFrameDecoder decoder, MqttPacketEncoder encoder) {
        this.broker = broker;
        this.listenerName = listenerName;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    MqttConnection connection() {
        return connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = new MqttConnection(broker, this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPacket packet) {
            connection.packetReceived(packet);
        } else if (msg instanceof MqttFrameDecoder.DecodeFailure failure) {
            connection.decodeFailed(failure.cause());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.readComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.channelClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug(
                    "connection {} from {}: {}",
                    connection == null ? null : connection.clientId(),
                    remoteAddress(),
                    cause.toString());
        } else {
            log.warn(
                    "connection {} from {} failed",
                    connection == null ? null : connection.clientId(),
                    remoteAddress(),
                    cause);
        }
        ctx.close();
    }

    // ---- ClientChannel

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return ctx == null ? null : (InetSocketAddress) ctx.channel().remoteAddress();
    }

    @Override
    public String listenerName() {
        return listenerName;
    }

    @Override
    public void write(MqttPacket packet) {
        ctx.write(packet, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void negotiated(MqttVersion version, int maximumPacketSize) {
        encoder.version(version);
        decoder.decoder().version(version);
        decoder.decoder().maximumPacketSize(maximumPacketSize);
    }

    @Override
    public void close() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
