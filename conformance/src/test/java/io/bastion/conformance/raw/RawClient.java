package io.bastion.conformance.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A byte-level MQTT client over a plain {@link Socket}: sends exactly the bytes a test gives it and
 * decodes what the broker answers with the suite's own decoder. Every wait is bounded.
 *
 * <p>PUBLISH packets that arrive while the test waits for another packet type are kept, in order,
 * for the next {@link #expectPublish()}; any other unexpected packet fails the test.
 */
public final class RawClient implements AutoCloseable {
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    private static final int MAX_PACKET = 16 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Deque<In> pending = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private int version = 5;
    private int nextPacketId = 1;
    private boolean closed;
    private In.ConnAck connAck;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to the broker on 127.0.0.1 without sending anything. */
    public static RawClient open(int port) {
        return open(port, 0);
    }

    /** Opens a connection; a positive {@code receiveBuffer} shrinks the socket's receive buffer (slow readers). */
    public static RawClient open(int port, int receiveBuffer) {
        try {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new RawClient(s);
        } catch (IOException e) {
            throw new AssertionError("cannot connect to broker on port " + port, e);
        }
    }

    /** Opens a connection, sends the CONNECT and asserts CONNACK 0x00 (Success). */
    public static RawClient connected(int port, Out.Connect connect) {
        RawClient c = open(port);
        In.ConnAck ack = c.connect(connect);
        assertThat(ack.reasonCode())
                .as("CONNACK reason code for %s client (props %s)", connect.version(), ack.props())
                .isZero();
        return c;
    }

    public int version() {
        return version;
    }

    public In.ConnAck connAck() {
        return connAck;
    }

    /** Sends the CONNECT and returns the CONNACK, whatever its code. */
    public In.ConnAck connect(Out.Connect connect) {
        version = connect.version() == 5 ? 5 : 4;
        send(connect.encode());
        In first = next(DEFAULT_WAIT);
        if (!(first instanceof In.ConnAck ack)) {
            throw new AssertionError("expected CONNACK as the first packet [MQTT-3.2.0-1], got " + first);
        }
        connAck = ack;
        return ack;
    }

    /** Sets the protocol version used to decode what the server sends (for hand-written CONNECTs). */
    public RawClient speaking(int protocolVersion) {
        this.version = protocolVersion == 5 ? 5 : 4;
        return this;
    }

    public int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
        return id;
    }

    /** Writes bytes; fails the test if the connection is already gone. */
    public void send(byte[] bytes) {
        if (!trySend(bytes)) {
            throw new AssertionError("connection closed by broker before send; received so far: " + log);
        }
    }

    /** Writes bytes; returns false if the broker has closed the connection. */
    public boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            log.add("> " + (bytes.length > 0 ? PacketNames.name((bytes[0] >> 4) & 0x0F) : "nothing") + " ("
                    + bytes.length + " bytes)");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private In readFromSocket(long deadline) throws IOException {
        setTimeout(deadline);
        int first = in.read();
        if (first < 0) {
            closed = true;
            return null;
        }
        int length = 0;
        int multiplier = 1;
        for (int i = 0; ; i++) {
            setTimeout(deadline);
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the middle of a packet from the server");
            }
            length += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0) {
                break;
            }
            if (i == 3) {
                throw new AssertionError("server sent a malformed remaining length");
            }
            multiplier *= 128;
        }
        if (length > MAX_PACKET) {
            throw new AssertionError("server sent a packet of " + length + " bytes");
        }
        byte[] body = new byte[length];
        setTimeout(deadline);
        in.readFully(body);
        In packet = In.decode(first, body, version);
        log.add("< " + packet);
        return packet;
    }

    private void setTimeout(long deadline) throws SocketException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        socket.setSoTimeout((int) Math.max(1, left));
    }

    /**
     * The next packet within {@code wait}: kept PUBLISH packets first. Fails on timeout or when the
     * connection closes.
     */
    public In next(Duration wait) {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        In p = poll(wait);
        if (p == null) {
            if (closed) {
                throw new AssertionError("connection closed by broker; packets so far: " + log);
            }
            throw new AssertionError("no packet from broker within " + wait.toMillis() + " ms; packets so far: " + log);
        }
        return p;
    }

    /** The next packet, or {@code null} on timeout or close ({@link #isClosed()} tells which). */
    public In poll(Duration wait) {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        if (closed) {
            return null;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            return readFromSocket(deadline);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) { // connection reset
            closed = true;
            return null;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The next packet of the given type; PUBLISH packets on the way are kept, anything else fails. */
    public <T extends In> T expect(Class<T> type) {
        return expect(type, DEFAULT_WAIT);
    }

    public <T extends In> T expect(Class<T> type, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<In> kept = new ArrayList<>();
        try {
            while (true) {
                In p;
                if (!pending.isEmpty() && type == In.Publish.class) {
                    p = pending.poll();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no " + type.getSimpleName() + " within " + wait.toMillis()
                                + " ms; packets so far: " + log);
                    }
                    p = readSocketOnly(Duration.ofNanos(left));
                }
                if (type.isInstance(p)) {
                    return type.cast(p);
                }
                if (p instanceof In.Publish) {
                    kept.add(p);
                } else {
                    throw new AssertionError(
                            "expected " + type.getSimpleName() + " but got " + p + "; packets so far: " + log);
                }
            }
        } finally {
            pending.addAll(kept);
        }
    }

    private In readSocketOnly(Duration wait) {
        if (closed) {
            throw new AssertionError("connection closed by broker; packets so far: " + log);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            In p = readFromSocket(deadline);
            if (p == null) {
                throw new AssertionError("connection closed by broker; packets so far: " + log);
            }
            return p;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet within " + wait.toMillis() + " ms; packets so far: " + log);
        } catch (IOException e) {
            closed = true;
            throw new AssertionError("connection reset by broker; packets so far: " + log, e);
        }
    }

    public In.Publish expectPublish() {
        return expectPublish(DEFAULT_WAIT);
    }

    public In.Publish expectPublish(Duration wait) {
        return expect(In.Publish.class, wait);
    }

    /** The next PUBLISH, acknowledged as its QoS requires (QoS 2: PUBREC, PUBREL, PUBCOMP). */
    public In.Publish expectPublishAndAck() {
        In.Publish p = expectPublish();
        ack(p);
        return p;
    }

    /** Receives {@code n} PUBLISH packets, acknowledging each, and returns their payloads as text. */
    public List<String> receivePayloads(int n) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            payloads.add(expectPublishAndAck().payloadString());
        }
        return payloads;
    }

    /** Acknowledges a received PUBLISH as its QoS requires. */
    public void ack(In.Publish p) {
        if (p.qos() == 1) {
            send(Out.ack(version, 4, p.packetId(), 0));
        } else if (p.qos() == 2) {
            send(Out.ack(version, 5, p.packetId(), 0));
            In.Ack rel = expect(In.Ack.class);
            assertThat(rel.type()).as("PUBREL after PUBREC").isEqualTo(6);
            assertThat(rel.packetId()).as("PUBREL packet id [MQTT-2.2.1-5]").isEqualTo(p.packetId());
            send(Out.ack(version, 7, p.packetId(), 0));
        }
    }

    /** Asserts no packet at all arrives within {@code wait} (and the connection stays open). */
    public void expectNothing(Duration wait) {
        In p = poll(wait);
        if (p != null) {
            throw new AssertionError("expected no packet within " + wait.toMillis() + " ms but got " + p);
        }
        if (closed) {
            throw new AssertionError("expected the connection to stay open, but the broker closed it; packets: " + log);
        }
    }

    /** Asserts the broker closes the connection within {@code wait} without sending any packet. */
    public void expectClosed(Duration wait) {
        In p = poll(wait);
        if (p != null) {
            throw new AssertionError(
                    "expected the connection to be closed without a packet, but got " + p + "; packets so far: " + log);
        }
        if (!closed) {
            throw new AssertionError("connection still open after " + wait.toMillis() + " ms; packets so far: " + log);
        }
    }

    public void expectClosed() {
        expectClosed(DEFAULT_WAIT);
    }

    /**
     * Asserts the broker sends DISCONNECT with one of {@code reasonCodes} (PUBLISH packets before it
     * are skipped) and then closes the connection [MQTT-3.14.4-1] [MQTT-3.14.4-2].
     */
    public In.Disconnect expectDisconnect(int... reasonCodes) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (true) {
            In p = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (p == null) {
                throw new AssertionError((closed ? "connection closed without DISCONNECT" : "no DISCONNECT within 5 s")
                        + ", expected reason " + codes(reasonCodes) + "; packets so far: " + log);
            }
            if (p instanceof In.Publish || p instanceof In.Ack) {
                continue;
            }
            if (!(p instanceof In.Disconnect d)) {
                throw new AssertionError(
                        "expected DISCONNECT " + codes(reasonCodes) + " but got " + p + "; packets so far: " + log);
            }
            if (Arrays.stream(reasonCodes).noneMatch(c -> c == d.reasonCode())) {
                throw new AssertionError("expected DISCONNECT reason " + codes(reasonCodes) + " but got " + d);
            }
            expectClosed(Duration.ofSeconds(3));
            return d;
        }
    }

    /**
     * For a refused CONNECT: either a CONNACK whose reason code is one of {@code reasonCodes}, then
     * close [MQTT-3.2.2-7]; or a close without CONNACK. Returns the CONNACK or {@code null}.
     */
    public In.ConnAck expectRefusedOrClosed(int... reasonCodes) {
        In p = poll(DEFAULT_WAIT);
        if (p == null) {
            if (!closed) {
                throw new AssertionError("connection neither refused nor closed within 5 s");
            }
            return null;
        }
        if (!(p instanceof In.ConnAck ack)) {
            throw new AssertionError("expected CONNACK " + codes(reasonCodes) + " or close, got " + p);
        }
        assertThat(ack.reasonCode()).as("CONNACK reason code").isIn(box(reasonCodes));
        assertThat(ack.sessionPresent())
                .as("Session Present with a refusing CONNACK [MQTT-3.2.2-6]")
                .isFalse();
        expectClosed(Duration.ofSeconds(3));
        return ack;
    }

    /** Sends SUBSCRIBE and returns the SUBACK reason codes, checking packet id and count. */
    public List<Integer> subscribe(Out.Sub... subs) {
        return subscribe(Props.none(), subs);
    }

    public List<Integer> subscribe(Props props, Out.Sub... subs) {
        int id = nextPacketId();
        send(Out.subscribe(version, id, props, subs));
        In.SubAck ack = expect(In.SubAck.class);
        assertThat(ack.packetId()).as("SUBACK packet id [MQTT-3.8.4-2]").isEqualTo(id);
        assertThat(ack.reasonCodes())
                .as("one SUBACK reason code per filter [MQTT-3.8.4-6]")
                .hasSize(subs.length);
        return ack.reasonCodes();
    }

    public List<Integer> subscribe(String filter, int qos) {
        return subscribe(Out.Sub.of(filter, qos));
    }

    public In.UnsubAck unsubscribe(String... filters) {
        int id = nextPacketId();
        send(Out.unsubscribe(version, id, filters));
        In.UnsubAck ack = expect(In.UnsubAck.class);
        assertThat(ack.packetId()).as("UNSUBACK packet id [MQTT-3.10.4-4]").isEqualTo(id);
        return ack;
    }

    /** Publishes and completes the QoS flow; returns the PUBACK / PUBREC reason code (0 for QoS 0). */
    public int publish(String topic, int qos, String payload) {
        return publish(topic, qos, false, Props.none(), Wire.utf8(payload));
    }

    public int publish(String topic, int qos, boolean retain, Props props, byte[] payload) {
        if (qos == 0) {
            send(Out.publish(version, topic, 0, retain, false, 0, props, payload));
            return 0;
        }
        int id = nextPacketId();
        send(Out.publish(version, topic, qos, retain, false, id, props, payload));
        In.Ack ack = expect(In.Ack.class);
        assertThat(ack.packetId())
                .as("acknowledgement packet id [MQTT-2.2.1-5]")
                .isEqualTo(id);
        if (qos == 1) {
            assertThat(ack.type()).as("PUBACK for QoS 1").isEqualTo(4);
            return ack.reasonCode();
        }
        assertThat(ack.type()).as("PUBREC for QoS 2").isEqualTo(5);
        if (ack.reasonCode() >= 0x80) {
            return ack.reasonCode();
        }
        send(Out.ack(version, 6, id, 0));
        In.Ack comp = expect(In.Ack.class);
        assertThat(comp.type()).as("PUBCOMP after PUBREL").isEqualTo(7);
        assertThat(comp.packetId()).as("PUBCOMP packet id").isEqualTo(id);
        return ack.reasonCode();
    }

    /** PINGREQ / PINGRESP round trip: the broker has read everything this client sent before. */
    public void ping() {
        send(Out.pingReq());
        expect(In.PingResp.class);
    }

    /**
     * Sends a normal DISCONNECT, half-closes the socket and waits (up to 3 s) until the broker has
     * closed its side too — so the broker has processed the DISCONNECT when this returns.
     */
    public void disconnect() {
        if (trySend(Out.disconnect(version, 0, Props.none()))) {
            try {
                socket.shutdownOutput();
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (!closed && System.nanoTime() < deadline) {
                    In p = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    if (p != null) {
                        pending.add(p);
                    }
                }
            } catch (IOException ignored) {
                // already closed by the broker
            }
        }
        close();
    }

    /** What this client sent and received, for failure messages. */
    public String log() {
        return String.join("\n", log);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Closes the socket abruptly (RST), as a device losing power would. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closing anyway
        }
        close();
    }

    /** The raw input stream, for tests that stop reading on purpose. */
    public InputStream rawInput() {
        return in;
    }

    private static String codes(int[] codes) {
        return Arrays.stream(codes).mapToObj(c -> "0x" + Integer.toHexString(c)).collect(Collectors.joining("|"));
    }

    private static Integer[] box(int[] codes) {
        return Arrays.stream(codes).boxed().toArray(Integer[]::new);
    }
}
