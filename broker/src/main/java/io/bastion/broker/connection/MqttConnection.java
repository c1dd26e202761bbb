package io.bastion.broker.connection;

import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.broker.Message;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.broker.control.ClientInfo;
import io.bastion.broker.control.ControlledClient;
import io.bastion.broker.session.Backpressure;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.Session;
import io.bastion.broker.session.SessionOutlet;
import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PingReq;
import io.bastion.mqtt.packet.PingResp;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Unsubscribe;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one network connection: the MQTT state machine between the decoder and the
 * broker. Runs only on its channel's event loop. CONNECT handling, inbound PUBLISH and SUBSCRIBE live
 * in their own classes; this one dispatches, keeps connection-scoped state, sends, and closes.
 */
public final class MqttConnection implements SessionOutlet, Backpressure, ControlledClient {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

    enum State {
        AWAIT_CONNECT,
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    final Broker broker;
    final ClientChannel channel;
    final BrokerSettings settings;
    State state = State.AWAIT_CONNECT;
    MqttVersion version;
    String clientId;
    Session session;
    Connect connect;
    int keepAliveSeconds;
    long sessionExpiry;
    int clientReceiveMaximum = 65535;
    long clientMaximumPacketSize = Integer.MAX_VALUE;
    boolean problemInformation = true;
    String authenticationMethod;
    ClientIdentity identity;
    /** When the credential the client connected with expires (a token's exp); null = never. */
    Instant credentialExpiresAt;

    TopicAliasReceiver aliasesIn;
    TopicAliasSender aliasesOut;
    private boolean willDiscarded;
    /** Whether this connection is in the connected-clients count, so it leaves it exactly once. */
    private boolean counted;

    /** Reading stopped by backpressure; owned by the event loop. */
    private boolean paused;

    private final Runnable resumeReading = this::resumeReading;
    private volatile long connectedSinceMillis;

    private long lastPacketNanos = System.nanoTime();
    private final DeadlineWheel deadlines;
    /** The connect timeout until CONNACK, then the keep-alive check. */
    private final DeadlineWheel.Deadline deadline = new DeadlineWheel.Deadline(this::deadlinePassed);

    private ScheduledFuture<?> credentialTimer;
    private final ConnectHandler connectHandler;
    private final PublishReceiver publishReceiver;
    private final SubscriptionHandler subscriptionHandler;
    final AckOrder acks = new AckOrder(this);

    public MqttConnection(Broker broker, ClientChannel channel) {
        this.broker = broker;
        this.channel = channel;
        this.settings = broker.settings();
        this.connectHandler = new ConnectHandler(this);
        this.publishReceiver = new PublishReceiver(this);
        this.subscriptionHandler = new SubscriptionHandler(this);
        this.deadlines = broker.deadlines(channel.executor());
        long timeout = settings.connectTimeout().toNanos();
        if (timeout > 0) {
            deadlines.set(deadline, timeout);
        }
    }

    // ---- inbound

    /** A decoded packet from the client. */
    public void packetReceived(MqttPacket packet) {
        if (state == State.CLOSED) {
            return;
        }
        lastPacketNanos = System.nanoTime();
        if (state == State.AWAIT_CONNECT) {
            if (packet instanceof Connect c) {
                connectHandler.connect(c);
            } else {
                closeSilently(
                        "first packet is " + packet.type() + ", not CONNECT [MQTT-3.1.0-1]", ReasonCode.PROTOCOL_ERROR);
            }
            return;
        }
        if (state == State.CONNECTING) {
            if (packet instanceof Auth a && authenticationMethod != null) {
                connectHandler.auth(a);
            } else {
                closeSilently("sent " + packet.type() + " before CONNACK", ReasonCode.PROTOCOL_ERROR);
            }
            return;
        }
        if (!session.isAttachedTo(this)) {
            return; // taken over: the DISCONNECT 0x8E and close are on their way
        }
        if (packet instanceof Publish p) {
            publishReceiver.publish(p);
        } else if (packet instanceof PubAck a) {
            withSession(s -> s.puback(a.packetId()));
        } else if (packet instanceof PubRec r) {
            pubrec(r);
        } else if (packet instanceof PubRel r) {
            publishReceiver.pubrel(r);
        } else if (packet instanceof PubComp c) {
            withSession(s -> s.pubcomp(c.packetId()));
        } else if (packet instanceof Subscribe s) {
            subscriptionHandler.subscribe(s);
        } else if (packet instanceof Unsubscribe u) {
            subscriptionHandler.unsubscribe(u);
        } else if (packet instanceof PingReq) {
            channel.write(PingResp.INSTANCE); // [MQTT-3.12.4-1]
        } else if (packet instanceof Disconnect d) {
            clientDisconnect(d);
        } else if (packet instanceof Auth a) {
            connectHandler.reauth(a);
        } else if (packet instanceof Connect) {
            disconnect(ReasonCode.PROTOCOL_ERROR, "second CONNECT [MQTT-3.1.0-2]");
        } else {
            disconnect(ReasonCode.PROTOCOL_ERROR, "a client may not send " + packet.type());
        }
    }

    /** End of one read from the socket: acknowledgements written meanwhile go out together. */
    public void readComplete() {
        channel.flush();
    }

    /** The decoder refused the input. */
    public void decodeFailed(MqttCodecException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.AWAIT_CONNECT) {
            connectHandler.refuseUndecodable(e);
            return;
        }
        disconnect(e.reasonCode(), e.getMessage());
    }

    private void pubrec(PubRec r) {
        boolean error = r.reasonCode().isError();
        withSession(s -> {
            if (s.pubrec(r.packetId(), error)) {
                channel.write(new PubRel(r.packetId()));
            } else if (!error) {
                // [MQTT-4.3.3]: unknown packet identifier
                channel.write(
                        version.isV5()
                                ? new PubRel(r.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY)
                                : new PubRel(r.packetId()));
            }
        });
    }

    private void clientDisconnect(Disconnect d) {
        Long expiry = d.properties().sessionExpiryInterval();
        if (expiry != null) {
            if (sessionExpiry == 0 && expiry != 0) {
                disconnect(
                        ReasonCode.PROTOCOL_ERROR,
                        "DISCONNECT sets Session Expiry after CONNECT set 0 [MQTT-3.14.2-2]");
                return;
            }
            sessionExpiry = Math.min(expiry, settings.maximumSessionExpiry());
            long newExpiry = sessionExpiry;
            withSession(s -> s.expiryInterval(newExpiry));
        }
        if (d.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            willDiscarded = true;
            withSession(Session::discardWill); // [MQTT-3.14.4-3]
        }
        log.debug("client {} from {} disconnected ({})", clientId, channel.remoteAddress(), d.reasonCode());
        state = State.CLOSED;
        channel.close();
    }

    /** The socket is closed, for whatever reason. */
    public void channelClosed() {
        state = State.CLOSED;
        deadlines.cancel(deadline);
        if (credentialTimer != null) {
            credentialTimer.cancel(false);
        }
        if (session != null) {
            withSession(s -> s.connectionLost(this));
        }
        if (counted) {
            counted = false;
            broker.metrics().clientDisconnected();
            broker.clients().disconnected(clientId, this);
        }
    }

    /** Called when a session task ran: {@code action} runs only while the session is still attached to us. */
    void withSession(Consumer<Session> action) {
        Session s = session;
        if (s == null) {
            return;
        }
        if (s.executor().inEventLoop()) {
            if (s.isAttachedTo(this)) {
                action.accept(s);
            }
        } else {
            s.execute(() -> {
                if (s.isAttachedTo(this)) {
                    action.accept(s);
                }
            });
        }
    }

    // ---- keep alive and timeouts

    void connected() {
        state = State.CONNECTED;
        counted = true;
        connectedSinceMillis = broker.nowMillis();
        broker.metrics().clientConnected();
        broker.clients().connected(clientId, this);
        deadlines.cancel(deadline);
        if (keepAliveSeconds > 0) {
            scheduleKeepAliveCheck(keepAliveSeconds * 1500L);
        }
        if (credentialExpiresAt != null) {
            long delay = Math.max(0, credentialExpiresAt.toEpochMilli() - broker.nowMillis());
            credentialTimer = channel.executor().schedule(this::credentialExpired, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The token the client authenticated with has expired: 0xA0 Maximum connect time tells an MQTT 5 client that
     * this connection's time is up (not that it is banned), so it reconnects with a fresh token.
     */
    private void credentialExpired() {
        if (state == State.CONNECTED) {
            disconnect(ReasonCode.MAXIMUM_CONNECT_TIME, "its credential expired at " + credentialExpiresAt);
        }
    }

    private void scheduleKeepAliveCheck(long delayMillis) {
        deadlines.set(deadline, TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }

    private void deadlinePassed() {
        if (state == State.CONNECTED) {
            checkKeepAlive();
        } else {
            connectTimedOut();
        }
    }

    private void checkKeepAlive() {
        if (state != State.CONNECTED) {
            return;
        }
        long limit = keepAliveSeconds * 1500L; // [MQTT-3.1.2-24]: one and a half times the keep alive
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPacketNanos);
        if (idle >= limit) {
            disconnect(
                    ReasonCode.KEEP_ALIVE_TIMEOUT,
                    "no packet for " + idle + " ms (keep alive " + keepAliveSeconds + " s)");
        } else {
            scheduleKeepAliveCheck(limit - idle);
        }
    }

    private void connectTimedOut() {
        if (state == State.AWAIT_CONNECT || state == State.CONNECTING) {
            closeSilently(
                    "no CONNECT within " + settings.connectTimeout().toMillis() + " ms",
                    ReasonCode.MAXIMUM_CONNECT_TIME);
        }
    }

    // ---- closing

    /**
     * Server-side disconnect: DISCONNECT with the reason for MQTT 5 clients [MQTT-4.13.1-1], a plain
     * close for 3.1.1; the will is published (the client did not disconnect normally).
     */
    public void disconnect(ReasonCode reason, String why) {
        if (state == State.CLOSED) {
            return;
        }
        log.info("disconnecting client {} from {}: {} ({})", clientId, channel.remoteAddress(), why, reason);
        broker.metrics().serverDisconnect(reason);
        if (version != null && version.isV5() && state == State.CONNECTED) {
            channel.write(new Disconnect(reason, MqttProperties.EMPTY));
        }
        state = State.CLOSED;
        channel.close();
    }

    /** Closes a connection that never completed CONNECT. */
    void closeSilently(String why, ReasonCode reason) {
        log.info("closing connection from {}: {}", channel.remoteAddress(), why);
        broker.metrics().serverDisconnect(reason);
        state = State.CLOSED;
        channel.close();
    }

    /** Server shutdown: MQTT 5 clients get DISCONNECT 0x8B. */
    public void shutdown() {
        if (state == State.CONNECTED) {
            disconnect(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
        } else if (state != State.CLOSED) {
            closeSilently("server shutting down", ReasonCode.SERVER_SHUTTING_DOWN);
        }
    }

    // ---- Backpressure: a session this client publishes to is behind

    @Override
    public boolean pause() {
        if (paused || state == State.CLOSED) {
            return false;
        }
        paused = true;
        channel.reading(false);
        return true;
    }

    @Override
    public void resume() {
        if (channel.executor().inEventLoop()) {
            resumeReading();
        } else {
            channel.executor().execute(resumeReading);
        }
    }

    private void resumeReading() {
        if (paused) {
            paused = false;
            if (state != State.CLOSED) {
                channel.reading(true);
            }
        }
    }

    // ---- SessionOutlet: sending to the client

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean sendPublish(Delivery d, int packetId, boolean dup) {
        Publish p;
        int newAlias = 0;
        if (!version.isV5()) {
            p = new Publish(
                    d.message().topic(),
                    d.qos(),
                    d.retain(),
                    dup,
                    packetId,
                    MqttProperties.EMPTY,
                    d.message().payload());
        } else {
            String topic = d.message().topic();
            MqttProperties props = d.message().properties();
            boolean expires = d.message().expiresAtMillis() != Message.NEVER;
            int alias = aliasesOut == null ? 0 : aliasesOut.aliasFor(topic);
            if (expires || d.subscriptionIds().length > 0 || alias != 0) {
                MqttProperties.Builder b = props.toBuilder();
                if (expires) {
                    b.messageExpiryInterval(d.message().remainingExpirySeconds(broker.nowMillis())); // [MQTT-3.3.2-6]
                }
                for (int id : d.subscriptionIds()) {
                    b.subscriptionIdentifier(id);
                }
                if (alias > 0) {
                    topic = "";
                    b.topicAlias(alias);
                } else if (alias < 0) {
                    newAlias = -alias;
                    b.topicAlias(newAlias);
                }
                props = b.build();
            }
            p = new Publish(
                    topic,
                    d.qos(),
                    d.retain(),
                    dup,
                    packetId,
                    props,
                    d.message().payload());
            if (clientMaximumPacketSize < Integer.MAX_VALUE
                    && MqttEncoder.encodedSize(p, version) > clientMaximumPacketSize) {
                if (newAlias != 0) {
                    aliasesOut.forget(newAlias);
                }
                log.debug(
                        "dropping PUBLISH on {} to {}: larger than its Maximum Packet Size",
                        d.message().topic(),
                        clientId);
                return false; // [MQTT-3.1.2-25]
            }
        }
        channel.write(p);
        broker.metrics().publishSent.increment();
        return true;
    }

    @Override
    public void sendPubRel(int packetId) {
        channel.write(new PubRel(packetId));
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void takenOver() {
        Runnable close = () ->
                disconnect(ReasonCode.SESSION_TAKEN_OVER, "another connection took over the session [MQTT-3.1.4-3]");
        if (channel.executor().inEventLoop()) {
            close.run();
        } else {
            channel.executor().execute(close);
        }
    }

    // ---- ControlledClient: the run-time control API, from any thread

    @Override
    public ClientInfo info() {
        ClientIdentity who = identity;
        return new ClientInfo(
                clientId,
                who.username(),
                who.identity(),
                who.attributes(),
                who.listenerName(),
                channel.remoteAddress(),
                version,
                connectedSinceMillis);
    }

    @Override
    public void kick(ReasonCode reason, String why) {
        channel.executor().execute(() -> disconnect(reason, why));
    }

    @Override
    public CompletionStage<Integer> recheck(Predicate<ClientIdentity> credentialsValid) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        channel.executor().execute(() -> {
            if (state != State.CONNECTED) {
                done.complete(0);
            } else if (!credentialsValid.test(identity)) {
                disconnect(ReasonCode.NOT_AUTHORIZED, "credentials no longer valid");
                done.complete(-1);
            } else {
                withSession(s -> done.complete(subscriptionHandler.revokeRefused()));
                done.complete(0); // not attached (taken over): nothing of ours to check
            }
        });
        return done;
    }

    /** On the session's executor, when a stored session is resumed. */
    void revokeRefusedSubscriptions() {
        subscriptionHandler.revokeRefused();
    }

    // ---- helpers for the handlers

    void write(MqttPacket packet) {
        channel.write(packet);
    }

    /** Reason strings and user properties on acks only when the client did not opt out [MQTT-3.1.2-29]. */
    MqttProperties reasonProperties(String reason) {
        return problemInformation && reason != null
                ? MqttProperties.builder().reasonString(reason).build()
                : MqttProperties.EMPTY;
    }

    boolean willDiscarded() {
        return willDiscarded;
    }

    /** Sends CONNACK for a refused CONNECT and closes [MQTT-3.2.2-6]. */
    void refuse(MqttVersion v, ReasonCode reason, String why) {
        log.info("refused CONNECT from {} (client {}): {} ({})", channel.remoteAddress(), clientId, why, reason);
        broker.metrics().connectsRefused.increment();
        MqttVersion answerIn = v == null ? MqttVersion.V3_1_1 : v;
        channel.negotiated(answerIn, settings.maximumPacketSize());
        channel.write(new ConnAck(false, reason, answerIn.isV5() ? reasonProperties(why) : MqttProperties.EMPTY));
        state = State.CLOSED;
        channel.close();
    }

    public String clientId() {
        return clientId;
    }

    public MqttVersion version() {
        return version;
    }

    @Override
    public String toString() {
        return "MqttConnection[" + clientId + " " + channel.remoteAddress() + "]";
    }
}
