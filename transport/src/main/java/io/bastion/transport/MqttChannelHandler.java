package io.bastion.transport;

import io.bastion.broker.Broker;
import io.bastion.broker.auth.CertificateIdentity;
import io.bastion.broker.connection.ClientChannel;
import io.bastion.broker.connection.MqttConnection;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.transport.tls.ServerTls;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects one Netty channel to one {@link MqttConnection}: the transport side of {@link ClientChannel}. */
final class MqttChannelHandler extends ChannelInboundHandlerAdapter implements ClientChannel {
    private static final Logger log = LoggerFactory.getLogger(MqttChannelHandler.class);
    private Runnable scheduledFlush; // made on first use: idle connections never need it
    private boolean flushScheduled;

    private final Broker broker;
    private final String listenerName;
    private final MqttFrameDecoder decoder;
    private final MqttPacketEncoder encoder;
    private final ServerTls tls;
    private final Duration maxLifetime;
    private ChannelHandlerContext ctx;
    private MqttConnection connection;
    private ScheduledFuture<?> lifetimeTimer;
    private CertificateIdentity certificateIdentity;
    private boolean certificateIdentityKnown;

    MqttChannelHandler(Broker broker, String listenerName, MqttFrameDecoder decoder, MqttPacketEncoder encoder) {
        this(broker, listenerName, decoder, encoder, null, Duration.ZERO);
    }

    /**
     * @param tls the listener's TLS, to take the client's certificate identity from; null on plain listeners
     * @param maxLifetime the connection is closed with DISCONNECT 0xA0 when it is this old; zero for never
     */
    MqttChannelHandler(
            Broker broker,
            String listenerName,
            MqttFrameDecoder decoder,
            MqttPacketEncoder encoder,
            ServerTls tls,
            Duration maxLifetime) {
        this.broker = broker;
        this.listenerName = listenerName;
        this.decoder = decoder;
        this.encoder = encoder;
        this.tls = tls;
        this.maxLifetime = maxLifetime;
    }

    MqttConnection connection() {
        return connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = new MqttConnection(broker, this);
        if (!maxLifetime.isZero() && !maxLifetime.isNegative()) {
            lifetimeTimer =
                    ctx.executor().schedule(this::lifetimeReached, maxLifetime.toMillis(), TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    private void lifetimeReached() {
        if (ctx.channel().isActive()) {
            connection.disconnect(
                    ReasonCode.MAXIMUM_CONNECT_TIME,
                    "connection reached the listener's maximum lifetime of " + maxLifetime.toSeconds() + " s");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            log.info(
                    "TLS handshake from {} on listener '{}' failed: {}",
                    remoteAddress(),
                    listenerName,
                    rootMessage(done.cause()));
            broker.metrics().connectsRefused.increment();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static String rootMessage(Throwable t) {
        String message = t.toString(); // e.g. a ClosedChannelException, which has no message
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException && c.getMessage() != null) {
                return c.getMessage(); // what the client certificate check said
            }
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message;
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
        if (lifetimeTimer != null) {
            lifetimeTimer.cancel(false); // else the task would keep this handler for the whole lifetime
        }
        if (connection != null) {
            connection.channelClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException)) {
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
        return ctx == null ? null : ProxyProtocolHandler.remoteAddress(ctx.channel());
    }

    @Override
    public CertificateIdentity certificateIdentity() {
        if (!certificateIdentityKnown && tls != null && ctx != null) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ssl.handshakeFuture().isSuccess()) {
                certificateIdentity = tls.identity(ssl.engine().getSession());
                certificateIdentityKnown = true;
            }
        }
        return certificateIdentity;
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
    public void flushSoon() {
        if (flushScheduled) {
            return;
        }
        if (ctx.executor() instanceof SingleThreadEventLoop loop) {
            flushScheduled = true;
            if (scheduledFlush == null) {
                scheduledFlush = this::scheduledFlush;
            }
            loop.executeAfterEventLoopIteration(scheduledFlush);
        } else {
            ctx.flush();
        }
    }

    private void scheduledFlush() {
        flushScheduled = false;
        ctx.flush();
    }

    @Override
    public void reading(boolean on) {
        ctx.channel().config().setAutoRead(on);
        ChannelHandlerContext decoderContext = on ? ctx.pipeline().context(decoder) : null;
        if (decoderContext != null) {
            decoder.resume(decoderContext);
        }
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
        ctx.flush();
        ChannelOutboundBuffer unwritten = ctx.channel().unsafe().outboundBuffer();
        if (unwritten == null || unwritten.isEmpty()) {
            ctx.close(); // the usual case: everything went to the socket
        } else {
            // the socket is full: close once what is queued, ending with this marker, has gone out
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
