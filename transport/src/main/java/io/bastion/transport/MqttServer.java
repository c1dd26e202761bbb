package io.bastion.transport;

import io.bastion.broker.Broker;
import io.bastion.broker.connection.MqttConnection;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.transport.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one broker: binds them, accepts MQTT connections and shuts them down gracefully. */
public final class MqttServer {
    /** Adapts each connection's read buffer size to its traffic; stateless, so shared by all of them. */
    private static final AdaptiveRecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator();

    private static final Logger log = LoggerFactory.getLogger(MqttServer.class);

    private final Broker broker;
    private final List<ListenerSettings> listeners;
    private final TransportSettings settings;
    private final ChannelGroup serverChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup clientChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup eventLoops;
    private final Map<String, ServerTls> tls = new HashMap<>();
    private ScheduledExecutorService reloader;

    /** WebSocket sub-protocols accepted: {@code mqtt} (MQTT 3.1.1 and 5) and the older {@code mqttv3.1}. */
    static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1";

    public MqttServer(Broker broker, List<ListenerSettings> listeners, TransportSettings settings) {
        this.broker = broker;
        this.listeners = List.copyOf(listeners);
        this.settings = settings;
    }

    /** A listener that is bound, with the port it really got (port 0 picks one). */
    public record BoundListener(ListenerSettings settings, InetSocketAddress address) {}

    /**
     * Binds every listener, or none: when one cannot bind, those already bound are closed and a
     * {@link ListenerBindException} names the listener, address and cause.
     */
    public List<BoundListener> start() {
        loadTls();
        IoHandlerFactory io = EventLoopIo.handlerFactory();
        Class<? extends ServerChannel> channelType = EventLoopIo.serverChannelType();
        // Netty's own default would be two per processor; one is enough, as nothing on a loop blocks
        int threads = settings.ioThreads() > 0
                ? settings.ioThreads()
                : Runtime.getRuntime().availableProcessors();
        eventLoops = new MultiThreadIoEventLoopGroup(threads, io);
        List<BoundListener> bound = new ArrayList<>();
        for (ListenerSettings listener : listeners) {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    // the loops that serve connections also accept them: a connection accepted on its own
                    // loop is registered there at once, without a task handed to another thread and its wake-up
                    .group(eventLoops)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES) // one for all, not one each
                    .childOption(
                            ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(
                                    settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                    .childHandler(initializer(listener));
            // Netty rethrows the checked BindException undeclared, so look at the future instead of catching
            ChannelFuture future =
                    bootstrap.bind(listener.bindAddress(), listener.port()).awaitUninterruptibly();
            if (!future.isSuccess()) {
                stopEventLoops(Duration.ZERO);
                stopReloading();
                throw new ListenerBindException(listener, future.cause());
            }
            Channel ch = future.channel();
            serverChannels.add(ch);
            bound.add(new BoundListener(listener, (InetSocketAddress) ch.localAddress()));
        }
        log.debug("transport: {} with {} I/O threads", EventLoopIo.epoll() ? "epoll" : "nio", eventLoops);
        watchTls();
        return bound;
    }

    /** Loads every listener's certificates before anything binds: a bad file stops the start. */
    private void loadTls() {
        for (ListenerSettings listener : listeners) {
            if (listener.tls() != null) {
                tls.put(listener.name(), ServerTls.load(listener.name(), listener.tls()));
            }
        }
    }

    private void watchTls() {
        if (tls.isEmpty()) {
            return;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-tls-reload");
            t.setDaemon(true);
            return t;
        });
        for (ServerTls t : tls.values()) {
            t.watch(reloader, (ch, certificate, crl) -> {
                MqttChannelHandler handler = ch.pipeline().get(MqttChannelHandler.class);
                MqttConnection connection = handler == null ? null : handler.connection();
                String why = "client certificate " + certificate.getSubjectX500Principal() + " revoked by the CRL of "
                        + crl.getIssuerX500Principal();
                if (connection != null) {
                    connection.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, why);
                } else {
                    log.info("closing connection from {}: {}", ch.remoteAddress(), why);
                    ch.close();
                }
            });
        }
    }

    private void stopReloading() {
        tls.values().forEach(ServerTls::stopWatching);
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    private ChannelInitializer<SocketChannel> initializer(ListenerSettings listener) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                clientChannels.add(ch);
                ChannelPipeline p = ch.pipeline();
                if (listener.proxyProtocol()) {
                    p.addLast("proxy-protocol", new ProxyProtocolDetector());
                    p.addLast("proxy-address", new ProxyProtocolHandler());
                }
                ServerTls listenerTls = tls.get(listener.name());
                if (listenerTls != null) {
                    p.addLast("tls", listenerTls.newHandler(ch, ch.alloc()));
                }
                if (listener.type().isWebSocket()) {
                    p.addLast("http", new HttpServerCodec());
                    p.addLast("http-aggregator", new HttpObjectAggregator(8192));
                    p.addLast(
                            "websocket",
                            new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath(listener.webSocketPath())
                                    .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                                    .maxFramePayloadLength(broker.settings().maximumPacketSize())
                                    .checkStartsWith(false)
                                    .build()));
                    p.addLast("websocket-frames", new WebSocketFrames());
                }
                MqttFrameDecoder decoder = new MqttFrameDecoder(
                        MqttDecoder.forServer(broker.settings().maximumPacketSize()), broker.metrics());
                MqttPacketEncoder encoder = new MqttPacketEncoder(broker.metrics(), broker.store());
                p.addLast("decoder", decoder);
                p.addLast("encoder", encoder);
                p.addLast(
                        "mqtt",
                        new MqttChannelHandler(
                                broker,
                                listener.name(),
                                decoder,
                                encoder,
                                listenerTls,
                                listener.maxConnectionLifetime()));
            }
        };
    }

    /** Stops accepting, sends MQTT 5 clients DISCONNECT 0x8B, flushes what it can within {@code grace}, closes. */
    public void shutdown(Duration grace) {
        stopReloading();
        if (eventLoops == null) {
            return;
        }
        serverChannels.close().awaitUninterruptibly(grace.toMillis());
        for (Channel ch : clientChannels) {
            MqttChannelHandler handler = ch.pipeline().get(MqttChannelHandler.class);
            MqttConnection connection = handler == null ? null : handler.connection();
            if (connection != null) {
                ch.eventLoop().execute(connection::shutdown);
            } else {
                ch.close();
            }
        }
        clientChannels.newCloseFuture().awaitUninterruptibly(grace.toMillis());
        clientChannels.close().awaitUninterruptibly(grace.toMillis());
        stopEventLoops(grace);
    }

    private void stopEventLoops(Duration grace) {
        long timeout = Math.max(100, grace.toMillis());
        if (eventLoops != null) {
            eventLoops.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout);
        }
    }

    /** Connections open now, on every listener. */
    public int connectionCount() {
        return clientChannels.size();
    }
}
