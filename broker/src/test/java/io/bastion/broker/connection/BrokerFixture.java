package io.bastion.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.EnhancedAuthenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A real {@link Broker} with clients on manual event loops: no sockets, no threads, no sleeps. */
public final class BrokerFixture implements AutoCloseable {
    public static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    /** An address given as bytes (no name lookup). */
    public static InetSocketAddress address(int port, int... octets) {
        byte[] b = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            b[i] = (byte) octets[i];
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public final TestWorld world = new TestWorld();
    public final Broker broker;
    private final List<TestClient> clients = new ArrayList<>();
    private int port = 50001;

    public BrokerFixture() {
        this(s -> {});
    }

    public BrokerFixture(Consumer<Settings> configure) {
        this(configure, List.of());
    }

    public BrokerFixture(Consumer<Settings> configure, List<EnhancedAuthenticator> enhanced) {
        Settings s = new Settings();
        configure.accept(s);
        BrokerSettings settings = s.build();
        this.broker = new Broker(settings, new AnonymousAccessAuthenticator(settings.anonymous()), enhanced);
    }

    /** A new client connection from loopback, on its own event loop. */
    public TestClient client() {
        return client(world.newLoop(), new InetSocketAddress(InetAddress.getLoopbackAddress(), port++));
    }

    public TestClient client(InetSocketAddress remote) {
        return client(world.newLoop(), remote);
    }

    public TestClient client(ManualEventLoop loop, InetSocketAddress remote) {
        TestClient c = new TestClient(broker, world, loop, remote);
        clients.add(c);
        world.settle();
        return c;
    }

    public void settle() {
        world.settle();
    }

    @Override
    public void close() {
        broker.close();
        for (TestClient c : clients) {
            assertThat(c.threadingViolations())
                    .as("single-writer violations of %s", c)
                    .isEmpty();
        }
    }
}
