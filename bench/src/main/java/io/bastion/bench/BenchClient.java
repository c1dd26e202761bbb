package io.bastion.bench;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the generator: CONNECT, then SUBSCRIBE (subscriber) or a PUBLISH pump
 * (publisher), the QoS 1/2 flows of both sides, keep-alive pings. All state is touched only on the
 * channel's event loop. Incoming PUBLISH and acknowledgements are parsed in place (no packet objects);
 * everything else goes through Bastion's {@link MqttDecoder}.
 */
final class BenchClient extends ByteToMessageDecoder {
    enum Role {
        IDLE,
        PUBLISHER,
        SUBSCRIBER
    }

    /** Messages written per turn of the pump before it yields the event loop to other work. */
    private static final int PUMP_BATCH = 64;

    private final LoadRun run;
    private final Stats stats;
    private final BenchSettings settings;
    private final Role role;
    private final int index;
    private final String clientId;
    private final String topic;
    private final MqttVersion version;
    private final MqttDecoder decoder;

    private ChannelHandlerContext ctx;
    private boolean connAcked;
    private boolean stopping;
    private boolean needsFlush;
    private ScheduledFuture<?> pinger;

    // publisher
    private final PublishTemplate template;
    private final int publisherId;
    private final int qos;
    private int window;
    private int inflight;
    private int nextPacketId = 1;
    private final boolean[] packetIdInUse;
    private int sequence;
    /** Written only by the event loop; volatile so the reporter sees it while draining. */
    private volatile long sentTotal;

    private boolean publishing;
    private boolean connectReported;
    private boolean done;
    private boolean pumpQueued;
    private boolean wantPump;
    private final Runnable pumpTask = this::pumpFromQueue;
    /** Rate limiting: messages allowed so far, or Long.MAX_VALUE when unlimited. */
    private long allowed = Long.MAX_VALUE;

    private ScheduledFuture<?> ticker;

    // subscriber: next expected sequence number per publisher id
    private int[] nextSequence = new int[0];

    BenchClient(LoadRun run, Role role, int index, String clientId, String topic, int publisherId) {
        this.run = run;
        this.stats = run.stats();
        this.settings = run.settings();
        this.role = role;
        this.index = index;
        this.clientId = clientId;
        this.topic = topic;
        this.version = settings.version;
        this.decoder = MqttDecoder.forClient(version, 16 * 1024 * 1024);
        this.publisherId = publisherId;
        this.qos = settings.pubQos;
        if (role == Role.PUBLISHER) {
            template = new PublishTemplate(topic, qos, settings.retain, settings.payloadSize, version);
            packetIdInUse = qos > 0 ? new boolean[65536] : null;
        } else {
            template = null;
            packetIdInUse = null;
        }
    }

    /** True the first time: the outcome of connecting is reported once. Event loop only. */
    boolean markConnectReported() {
        if (connectReported) {
            return false;
        }
        connectReported = true;
        return true;
    }

    Role role() {
        return role;
    }

    int index() {
        return index;
    }

    String topic() {
        return topic;
    }

    int publisherId() {
        return publisherId;
    }

    /** Messages written by this publisher. */
    long sentTotal() {
        return sentTotal;
    }

    Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!settings.transport.webSocket()) {
            sendConnect();
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendConnect();
        }
        super.userEventTriggered(ctx, evt);
    }

    private void sendConnect() {
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5() && settings.sessionExpiry > 0) {
            properties = MqttProperties.builder()
                    .sessionExpiryInterval(settings.sessionExpiry)
                    .build();
        }
        byte[] password = settings.password == null ? null : settings.password.getBytes(StandardCharsets.UTF_8);
        Connect connect = new Connect(
                version,
                clientId,
                settings.cleanStart,
                settings.keepAlive,
                settings.username,
                password,
                null,
                properties);
        writePacket(connect);
        ctx.flush();
    }

    private void writePacket(MqttPacket packet) {
        ByteBuf buf = ctx.alloc().buffer(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, buf);
        ctx.write(buf, ctx.voidPromise());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            if (readable < 2) {
                return;
            }
            int first = in.getUnsignedByte(start);
            int remaining = 0;
            int i = 1;
            int b;
            do {
                if (i >= readable) {
                    return;
                }
                b = in.getUnsignedByte(start + i);
                remaining |= (b & 0x7F) << (7 * (i - 1));
                i++;
            } while ((b & 0x80) != 0 && i <= 4);
            int total = i + remaining;
            if (readable < total) {
                return;
            }
            int body = start + i;
            switch (first >>> 4) {
                case 3 -> onPublish(in, body, remaining, first & 0x0F);
                case 4 -> onPubAck(in, body, remaining);
                case 5 -> onPubRec(in, body, remaining);
                case 6 -> onPubRel(in.getUnsignedShort(body));
                case 7 -> onPubComp(in, body, remaining);
                default -> {
                    MqttPacket packet = decoder.decode(in);
                    if (packet == null) {
                        return;
                    }
                    onControl(packet);
                    continue;
                }
            }
            in.readerIndex(start + total);
        }
    }

    private void onControl(MqttPacket packet) {
        switch (packet.type()) {
            case CONNACK -> onConnAck((ConnAck) packet);
            case SUBACK -> onSubAck((SubAck) packet);
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                stats.error("disconnected by broker: " + d.reasonCode());
            }
            case PINGRESP, UNSUBACK, AUTH -> {}
            default -> stats.error("unexpected " + packet.type());
        }
    }

    private void onConnAck(ConnAck connAck) {
        if (connAck.reasonCode().isError()) {
            stats.connectFailed.increment();
            stats.error("CONNACK " + connAck.reasonCode());
            stopping = true;
            run.connectDone(this, false);
            ctx.close();
            return;
        }
        connAcked = true;
        stats.connAck(System.nanoTime());
        Integer receiveMaximum = connAck.properties().receiveMaximum();
        window = Math.min(settings.inflight, receiveMaximum == null ? 65_535 : receiveMaximum);
        if (settings.keepAlive > 0) {
            long period = Math.max(1000L, settings.keepAlive * 750L);
            pinger = ctx.executor().scheduleAtFixedRate(this::ping, period, period, TimeUnit.MILLISECONDS);
        }
        if (role == Role.SUBSCRIBER) {
            writePacket(new Subscribe(1, List.of(Subscription.of(topic, settings.subQos)), MqttProperties.EMPTY));
            needsFlush = true;
        }
        run.connectDone(this, true);
    }

    private void onSubAck(SubAck subAck) {
        for (ReasonCode code : subAck.reasonCodes()) {
            if (code.isError()) {
                stats.error("SUBACK " + code);
                run.subscribeDone(this, false);
                return;
            }
        }
        stats.subscribed.increment();
        run.subscribeDone(this, true);
    }

    private void ping() {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(ctx.alloc().buffer(2).writeShort(0xC000), ctx.voidPromise());
        }
    }

    // ---- receiving -------------------------------------------------------------------------------

    private void onPublish(ByteBuf in, int body, int length, int flags) {
        int end = body + length;
        int messageQos = (flags >> 1) & 0x03;
        int p = body + 2 + in.getUnsignedShort(body);
        int packetId = 0;
        if (messageQos > 0) {
            packetId = in.getUnsignedShort(p);
            p += 2;
        }
        if (version.isV5()) {
            int propertiesLength = 0;
            int shift = 0;
            int b;
            do {
                b = in.getUnsignedByte(p++);
                propertiesLength |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            p += propertiesLength;
        }
        stats.received.increment();
        if (end - p >= PublishTemplate.STAMP_BYTES) {
            long now = System.nanoTime();
            stats.latency(now - in.getLong(p));
            track(in.getInt(p + 8), in.getInt(p + 12));
        } else {
            stats.foreign.increment();
        }
        if (messageQos == 1) {
            ctx.write(ctx.alloc().buffer(4).writeInt(0x40020000 | packetId), ctx.voidPromise());
            needsFlush = true;
        } else if (messageQos == 2) {
            ctx.write(ctx.alloc().buffer(4).writeInt(0x50020000 | packetId), ctx.voidPromise());
            needsFlush = true;
        }
    }

    /** Duplicate and gap detection: per publisher, sequence numbers arrive in order on one connection. */
    private void track(int publisher, int seq) {
        if (publisher < 0 || publisher > 10_000_000) {
            stats.foreign.increment();
            return;
        }
        if (publisher >= nextSequence.length) {
            int[] grown = new int[Math.max(publisher + 1, nextSequence.length * 2)];
            System.arraycopy(nextSequence, 0, grown, 0, nextSequence.length);
            nextSequence = grown;
        }
        int expected = nextSequence[publisher];
        if (seq >= expected) {
            if (seq > expected) {
                stats.gaps.add(seq - expected);
            }
            nextSequence[publisher] = seq + 1;
        } else {
            stats.duplicated.increment();
        }
    }

    private void onPubRel(int packetId) {
        ctx.write(ctx.alloc().buffer(4).writeInt(0x70020000 | packetId), ctx.voidPromise());
        needsFlush = true;
    }

    // ---- publishing ------------------------------------------------------------------------------

    private void onPubAck(ByteBuf in, int body, int length) {
        checkReason(in, body, length, "PUBACK");
        complete(in.getUnsignedShort(body));
    }

    private void onPubRec(ByteBuf in, int body, int length) {
        int packetId = in.getUnsignedShort(body);
        if (checkReason(in, body, length, "PUBREC")) {
            ctx.write(ctx.alloc().buffer(4).writeInt(0x62020000 | packetId), ctx.voidPromise());
            needsFlush = true;
        } else {
            complete(packetId); // a failed PUBREC ends the flow [MQTT-4.3.3]
        }
    }

    private void onPubComp(ByteBuf in, int body, int length) {
        checkReason(in, body, length, "PUBCOMP");
        complete(in.getUnsignedShort(body));
    }

    private boolean checkReason(ByteBuf in, int body, int length, String what) {
        if (length > 2) {
            int reason = in.getUnsignedByte(body + 2);
            if (reason >= 0x80) {
                ReasonCode code = ReasonCode.of(reason);
                stats.error(what + " " + (code == null ? Integer.toString(reason) : code.toString()));
                return false;
            }
        }
        return true;
    }

    private void complete(int packetId) {
        if (packetIdInUse == null || !packetIdInUse[packetId]) {
            stats.error("acknowledgement for unknown packet id");
            return;
        }
        packetIdInUse[packetId] = false;
        inflight--;
        stats.acked.increment();
        wantPump = true;
    }

    /** Starts publishing; {@code perSecond} 0 means as fast as possible. Called on any thread. */
    void startPublishing(double perSecond) {
        ctx.executor().execute(() -> {
            if (!connAcked || stopping) {
                return;
            }
            publishing = true;
            if (perSecond > 0) {
                long start = System.nanoTime();
                allowed = 0;
                long periodNanos = Math.max(1_000_000L, Math.min(1_000_000_000L, (long) (1e9 / perSecond)));
                long cap = Math.max(1, (long) perSecond); // at most one second of backlog
                ticker = ctx.executor()
                        .scheduleAtFixedRate(
                                () -> {
                                    long due = (long) ((System.nanoTime() - start) * perSecond / 1e9);
                                    allowed = Math.min(due, sentTotal + cap);
                                    pump();
                                },
                                0,
                                periodNanos,
                                TimeUnit.NANOSECONDS);
            } else {
                pump();
            }
        });
    }

    /** Stops publishing; called on any thread. */
    void stopPublishing() {
        ctx.executor().execute(() -> {
            publishing = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
        });
    }

    /** QoS 1/2 messages still waiting for their acknowledgement; read on the event loop or after it stopped. */
    int inflight() {
        return inflight;
    }

    private void pumpFromQueue() {
        pumpQueued = false;
        pump();
    }

    private void pump() {
        Channel ch = ctx.channel();
        if (!publishing || !ch.isActive()) {
            return;
        }
        int budget = PUMP_BATCH;
        boolean more = true;
        while (budget > 0 && ch.isWritable()) {
            long n = budget;
            if (allowed != Long.MAX_VALUE) {
                n = Math.min(n, allowed - sentTotal);
            }
            if (qos > 0) {
                n = Math.min(n, window - inflight);
            }
            if (settings.count > 0) {
                n = Math.min(n, settings.count - sentTotal);
            }
            if (n <= 0) {
                more = false;
                break;
            }
            writeBatch((int) n);
            budget -= (int) n;
        }
        ctx.flush();
        needsFlush = false;
        if (more && publishing && ch.isWritable() && allowed == Long.MAX_VALUE && !pumpQueued) {
            pumpQueued = true;
            ctx.executor().execute(pumpTask); // let other connections and reads have a turn
        }
    }

    private void writeBatch(int n) {
        ByteBuf buf = ctx.alloc().directBuffer(n * template.size());
        long now = System.nanoTime();
        for (int k = 0; k < n; k++) {
            int packetId = 0;
            if (qos > 0) {
                packetId = nextPacketId();
                inflight++;
            }
            template.write(buf, packetId, publisherId, sequence++, now);
        }
        sentTotal += n;
        stats.sent.add(n);
        ctx.write(buf, ctx.voidPromise());
        checkDone();
    }

    /** With a message count: reports this publisher done once all are sent and acknowledged. */
    private void checkDone() {
        if (settings.count > 0 && !done && sentTotal >= settings.count && inflight == 0) {
            done = true;
            publishing = false;
            run.publisherDone(this);
        }
    }

    private int nextPacketId() {
        int id = nextPacketId;
        while (packetIdInUse[id]) {
            id = id == 65_535 ? 1 : id + 1;
        }
        packetIdInUse[id] = true;
        nextPacketId = id == 65_535 ? 1 : id + 1;
        return id;
    }

    // ---- channel events --------------------------------------------------------------------------

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (wantPump) {
            wantPump = false;
            checkDone();
            pump();
        }
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            pump();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Sends DISCONNECT and closes; called on any thread. */
    void disconnect() {
        ctx.executor().execute(() -> {
            stopping = true;
            publishing = false;
            if (ctx.channel().isActive() && connAcked) {
                writePacket(Disconnect.NORMAL);
                ctx.flush();
            }
            ctx.close();
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        stats.closed.increment();
        if (!stopping) {
            if (!connAcked) {
                stats.connectFailed.increment();
                stats.error("closed before CONNACK");
                run.connectDone(this, false);
            } else {
                stats.error("connection closed by broker");
            }
        }
        run.closed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (stopping) {
            ctx.close(); // writes racing our own DISCONNECT
            return;
        }
        Throwable c = cause;
        if (c instanceof io.netty.handler.codec.DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        String reason = c instanceof MqttCodecException m
                ? "malformed packet from broker: " + m.getMessage()
                : c.getClass().getSimpleName() + ": " + c.getMessage();
        stats.error(reason);
        ctx.close();
    }
}
