package io.bastion.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bastion.transport.EventLoopIo.SpreadIntObjectMap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopIoTest {
    @Test
    void theSpreadMapKeepsEveryKeyOfARunOfDescriptors() {
        SpreadIntObjectMap<String> map = new SpreadIntObjectMap<>(16);
        for (int fd = 0; fd < 50_000; fd++) {
            assertThat(map.put(fd, "fd" + fd)).isNull();
        }
        assertThat(map.size()).isEqualTo(50_000);
        for (int fd = 0; fd < 50_000; fd += 2) {
            assertThat(map.remove(fd)).isEqualTo("fd" + fd);
        }
        for (int fd = 0; fd < 50_000; fd++) {
            assertThat(map.get(fd)).isEqualTo(fd % 2 == 0 ? null : "fd" + fd);
            assertThat(map.containsKey(fd)).isEqualTo(fd % 2 == 1);
        }
        assertThat(map.get((Object) 7)).isEqualTo("fd7"); // the boxed lookups go through the same spread
        assertThat(new HashSet<>(map.values())).hasSize(25_000).contains("fd1", "fd49999");
        assertThatThrownBy(map::keySet).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSpreadIsABijection() {
        // distinct descriptors must stay distinct keys: check a wide sample of neighbours and extremes
        Set<Integer> seen = new HashSet<>();
        for (int key = -100_000; key < 100_000; key++) {
            assertThat(seen.add(SpreadIntObjectMap.spread(key))).isTrue();
        }
        assertThat(seen.add(SpreadIntObjectMap.spread(Integer.MAX_VALUE))).isTrue();
        assertThat(seen.add(SpreadIntObjectMap.spread(Integer.MIN_VALUE))).isTrue();
    }

    @Test
    void epollEventLoopsGetTheSpreadTableAndStillServeConnections() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        ThreadAwareExecutor thisThread = new ThreadAwareExecutor() {
            @Override
            public boolean isExecutorThread(Thread thread) {
                return thread == Thread.currentThread();
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        };
        IoHandler handler = EventLoopIo.handlerFactory().newHandler(thisThread);
        Field field = handler.getClass().getDeclaredField("registrations");
        field.setAccessible(true);
        assertThat((IntObjectMap<?>) field.get(handler)).isInstanceOf(SpreadIntObjectMap.class);
        handler.destroy();

        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EventLoopIo.handlerFactory());
        try {
            Set<Channel> accepted = ConcurrentHashMap.newKeySet();
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EventLoopIo.serverChannelType())
                    .childHandler(new Accepted(accepted))
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            Bootstrap client = new Bootstrap()
                    .group(group)
                    .channel(EventLoopIo.channelType())
                    .handler(new Accepted(ConcurrentHashMap.newKeySet()));
            for (int round = 0; round < 3; round++) { // connect 200, close every one, again: no registration lost
                List<ChannelFuture> connects = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    connects.add(client.connect(server.localAddress()));
                }
                CountDownLatch closed = new CountDownLatch(200);
                for (ChannelFuture connect : connects) {
                    Channel channel = connect.sync().channel();
                    channel.closeFuture().addListener(f -> closed.countDown());
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> accepted.size() == 200);
                // Netty turns Nagle off on every socket it makes: the server and the generator rely on it
                for (Channel channel : accepted) {
                    assertThat(channel.config().getOption(ChannelOption.TCP_NODELAY))
                            .isTrue();
                }
                assertThat(connects.get(0).channel().config().getOption(ChannelOption.TCP_NODELAY))
                        .isTrue();
                for (Channel channel : accepted) {
                    channel.close().sync(); // the server side closes: each client sees it and closes too
                }
                accepted.clear();
                assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Keeps the channels that became active. */
    @ChannelHandler.Sharable
    private static final class Accepted extends ChannelInboundHandlerAdapter {
        private final Set<Channel> channels;

        Accepted(Set<Channel> channels) {
            this.channels = channels;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channels.add(ctx.channel());
        }
    }
}
