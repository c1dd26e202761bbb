package io.bastion.transport;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O of the event loops, for the broker and the load generator alike: epoll where the platform
 * has it, NIO otherwise, with the matching channel types.
 *
 * <p>Epoll event loops get a registration table that stays fast with many connections. Netty
 * 4.2.18's {@code EpollIoHandler} keeps its channels in an {@link IntObjectHashMap} keyed by file
 * descriptor, which hashes an int to itself and probes linearly. The kernel hands out descriptors
 * in sequence, so the open connections of one event loop fill one unbroken run of slots, and each
 * removal — every close — shifts through the rest of that run: O(open connections) per close, 16 %
 * of a pinned broker's user CPU with 10,000 clients connecting and disconnecting. The table put in
 * its place scrambles the descriptor first, which spreads the run over the table.
 */
public final class EventLoopIo {
    private static final Logger log = LoggerFactory.getLogger(EventLoopIo.class);

    private static final boolean EPOLL = Epoll.isAvailable();

    private EventLoopIo() {}

    /** Whether the event loops use epoll. */
    public static boolean epoll() {
        return EPOLL;
    }

    /** The factory of the event loops' I/O handlers. */
    public static IoHandlerFactory handlerFactory() {
        if (!EPOLL) {
            return NioIoHandler.newFactory();
        }
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
                IoHandler handler = epoll.newHandler(executor);
                spreadRegistrations(handler);
                return handler;
            }

            @Override
            public boolean isChangingThreadSupported() {
                return epoll.isChangingThreadSupported();
            }
        };
    }

    /** The server channel type that goes with {@link #handlerFactory()}. */
    public static Class<? extends ServerChannel> serverChannelType() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client channel type that goes with {@link #handlerFactory()}. */
    public static Class<? extends SocketChannel> channelType() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Replaces the handler's (still empty) registration table; leaves Netty's in place, with a log
     * line, if this Netty version has none by that name.
     */
    static void spreadRegistrations(IoHandler handler) {
        try {
            Field field = handler.getClass().getDeclaredField("registrations");
            if (field.getType() != IntObjectMap.class) {
                throw new NoSuchFieldException(
                        "registrations is a " + field.getType().getName());
            }
            field.setAccessible(true);
            if (!((IntObjectMap<?>) field.get(handler)).isEmpty()) {
                throw new IllegalStateException("registrations already in use");
            }
            field.set(handler, new SpreadIntObjectMap<>(4096));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("epoll registration table left as Netty made it: {}", e.toString());
        }
    }

    /**
     * An {@link IntObjectHashMap} that stores each key scrambled by a bijection (a multiply by an odd
     * constant, then an xor-shift), so consecutive keys land far apart. Only the int-keyed lookups
     * and the values are meant to be used: the keys it would list are the scrambled ones, so listing
     * them is refused.
     */
    static final class SpreadIntObjectMap<V> extends IntObjectHashMap<V> {
        SpreadIntObjectMap(int initialCapacity) {
            super(initialCapacity);
        }

        static int spread(int key) {
            int h = key * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        @Override
        public V get(int key) {
            return super.get(spread(key));
        }

        @Override
        public V put(int key, V value) {
            return super.put(spread(key), value);
        }

        @Override
        public V remove(int key) {
            return super.remove(spread(key));
        }

        @Override
        public boolean containsKey(int key) {
            return super.containsKey(spread(key));
        }

        @Override
        public Set<Integer> keySet() {
            throw new UnsupportedOperationException("keys are stored scrambled");
        }

        @Override
        public Set<Map.Entry<Integer, V>> entrySet() {
            throw new UnsupportedOperationException("keys are stored scrambled");
        }

        @Override
        public Iterable<PrimitiveEntry<V>> entries() {
            throw new UnsupportedOperationException("keys are stored scrambled");
        }
    }
}
