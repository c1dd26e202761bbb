package io.bastion.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.Broker;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A client as the broker sees it: a fake {@link ClientChannel} that records what the broker writes,
 * driving a real {@link MqttConnection} with decoded packets on a {@link ManualEventLoop}. Every
 * channel call is checked to happen on the connection's event loop (the single-writer rule).
 */
public final class TestClient implements ClientChannel {
    private final TestWorld world;
    private final ManualEventLoop loop;
    private final InetSocketAddress remoteAddress;
    private final Deque<MqttPacket> unread = new ArrayDeque<>();
    private final List<MqttPacket> written = new ArrayList<>();
    private final List<String> threadingViolations = new ArrayList<>();
    private final MqttConnection connection;
    private boolean writable = true;
    private boolean closed;
    private boolean closedByServer;
    private MqttVersion negotiatedVersion;
    private int negotiatedMaximumPacketSize;

    public TestClient(Broker broker, TestWorld world, ManualEventLoop loop, InetSocketAddress remoteAddress) {
        this.world = world;
        this.loop = loop;
        this.remoteAddress = remoteAddress;
        this.connection = new MqttConnection(broker, this);
    }

    public MqttConnection connection() {
        return connection;
    }

    public ManualEventLoop loop() {
        return loop;
    }

    // ---- driving the connection

    /** The packets arrive in one read from the socket, as the decoder would hand them over. */
    public TestClient send(MqttPacket... packets) {
        loop.execute(() -> {
            for (MqttPacket p : packets) {
                connection.packetReceived(p);
            }
            connection.readComplete();
        });
        world.settle();
        return this;
    }

    /** Hands the packets to the connection's event loop without running any loop yet. */
    public TestClient queue(MqttPacket... packets) {
        loop.execute(() -> {
            for (MqttPacket p : packets) {
                connection.packetReceived(p);
            }
            connection.readComplete();
        });
        return this;
    }

    /** Sends CONNECT and returns the CONNACK. */
    public ConnAck connect(Connect connect) {
        send(connect);
        return expect(ConnAck.class);
    }

    /** Sends CONNECT and asserts it was accepted. */
    public ConnAck connected(Connect connect) {
        ConnAck ack = connect(connect);
        assertThat(ack.reasonCode()).as("CONNACK of %s", connect.clientId()).isEqualTo(ReasonCode.SUCCESS);
        return ack;
    }

    /** The socket is lost (no DISCONNECT): what the transport reports as channelInactive. */
    public void drop() {
        if (!closed) {
            closed = true;
            loop.execute(connection::channelClosed);
        }
        world.settle();
    }

    public void setWritable(boolean writable) {
        this.writable = writable;
    }

    // ---- reading what the broker wrote

    /** The next unread packet, which must be of that type. */
    public <T extends MqttPacket> T expect(Class<T> type) {
        world.settle();
        assertThat(unread)
                .as("packets the broker wrote to %s", connection.clientId())
                .isNotEmpty();
        MqttPacket p = unread.poll();
        assertThat(p).as("next packet to %s", connection.clientId()).isInstanceOf(type);
        return type.cast(p);
    }

    public Publish expectPublish() {
        return expect(Publish.class);
    }

    /** Takes the next PUBLISH and acknowledges it as its QoS requires (PUBACK or PUBREC / PUBREL / PUBCOMP). */
    public Publish receiveAndAck() {
        Publish p = expectPublish();
        if (p.qos() == 1) {
            send(new PubAck(p.packetId()));
        } else if (p.qos() == 2) {
            send(new PubRec(p.packetId()));
            expect(PubRel.class);
            send(new PubComp(p.packetId()));
        }
        return p;
    }

    public Disconnect expectDisconnect(ReasonCode reason) {
        Disconnect d = expect(Disconnect.class);
        assertThat(d.reasonCode()).isEqualTo(reason);
        world.settle();
        assertThat(closed).as("connection closed after DISCONNECT").isTrue();
        return d;
    }

    public void expectNothing() {
        world.settle();
        assertThat(unread)
                .as("packets the broker wrote to %s", connection.clientId())
                .isEmpty();
    }

    /** Every unread packet, removed. */
    public List<MqttPacket> readAll() {
        world.settle();
        List<MqttPacket> all = new ArrayList<>(unread);
        unread.clear();
        return all;
    }

    /** Every unread PUBLISH, removed; other packets are kept. */
    public List<Publish> publishes() {
        world.settle();
        List<Publish> out = new ArrayList<>();
        unread.removeIf(p -> {
            if (p instanceof Publish pub) {
                out.add(pub);
                return true;
            }
            return false;
        });
        return out;
    }

    public List<MqttPacket> written() {
        return written;
    }

    public boolean isClosed() {
        world.settle();
        return closed;
    }

    public boolean closedByServer() {
        world.settle();
        return closedByServer;
    }

    public MqttVersion negotiatedVersion() {
        return negotiatedVersion;
    }

    public int negotiatedMaximumPacketSize() {
        return negotiatedMaximumPacketSize;
    }

    public List<String> threadingViolations() {
        return threadingViolations;
    }

    // ---- ClientChannel

    private void onLoop(String what) {
        if (!loop.inEventLoop()) {
            threadingViolations.add(what + " called off the connection's event loop by " + Thread.currentThread());
        }
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String listenerName() {
        return "test";
    }

    @Override
    public void write(MqttPacket packet) {
        onLoop("write(" + packet.type() + ")");
        if (closed) {
            return; // like a closed socket: dropped
        }
        written.add(packet);
        unread.add(packet);
    }

    @Override
    public void flush() {
        onLoop("flush");
    }

    /** Whether the broker lets this client's bytes be read (backpressure). */
    public volatile boolean reading = true;

    @Override
    public void reading(boolean on) {
        onLoop("reading");
        reading = on;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void negotiated(MqttVersion version, int maximumPacketSize) {
        onLoop("negotiated");
        this.negotiatedVersion = version;
        this.negotiatedMaximumPacketSize = maximumPacketSize;
    }

    @Override
    public void close() {
        onLoop("close");
        if (!closed) {
            closed = true;
            closedByServer = true;
            loop.execute(connection::channelClosed); // channelInactive comes later, as in Netty
        }
    }

    @Override
    public String toString() {
        return "TestClient[" + connection.clientId() + "]";
    }
}
