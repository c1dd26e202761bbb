package io.bastion.broker.session;

import io.bastion.broker.BrokerMetrics.Drop;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.broker.Message;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.store.StoredSession;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of an MQTT session (section 4.1): subscriptions, the outgoing inflight window and
 * queue, incoming QoS 2 state, the will and the expiry timer.
 *
 * <p>Single writer: all state is touched only on {@link #executor()}, the event loop of the
 * connection it is attached to (or was last attached to). Other threads reach it through {@link
 * #offer} and {@link #execute}, which go through one ordered mailbox; when a takeover moves the
 * session to another event loop, mailbox work that runs on the old loop forwards itself to the new
 * one, so order is kept and no two threads ever touch the session at once.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final long QUEUE_FULL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int DRAIN_BATCH = 1024;
    /** Mailbox length at which publishers feeding this session are paused, and where they resume. */
    static final int PAUSE_PUBLISHERS_AT = 512;

    static final int RESUME_PUBLISHERS_AT = 64;
    // plain volatile fields behind updaters: an idle session is one of many thousands
    private static final AtomicIntegerFieldUpdater<Session> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "drainScheduled");
    private static final AtomicIntegerFieldUpdater<Session> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "queued");
    private static final AtomicIntegerFieldUpdater<Session> PENDING_QOS0 =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "pendingQos0");
    private static final AtomicReferenceFieldUpdater<Session, Mailbox> MAILBOX =
            AtomicReferenceFieldUpdater.newUpdater(Session.class, Mailbox.class, "mailbox");

    private final String clientId;
    private final SessionServices services;
    /** Created on the first hand-off from another thread; see {@link Mailbox}. */
    private volatile Mailbox mailbox;

    private volatile int drainScheduled;
    private final Runnable drain = this::drain;
    private final Runnable flush = this::flush;
    /** QoS 1/2 deliveries in the mailbox and the queue. */
    private volatile int queued;
    /** QoS 0 deliveries in the mailbox: bounded, so a subscriber that cannot keep up costs no more memory. */
    private volatile int pendingQos0;

    private volatile EventExecutor executor;
    private volatile boolean connected;
    private volatile boolean ended;

    // owned by the executor
    private volatile SessionOutlet outlet;
    private boolean resumed;
    private boolean flushScheduled;
    private long expiryIntervalSeconds;
    // created on first use, like incomingQos2 below: most sessions of a large fleet sit idle
    private Map<String, SubscriptionEntry> subscriptions = Collections.emptyMap();
    private Map<Integer, InflightMessage> inflight = Collections.emptyMap();
    private final SessionPersistence persistence;
    private final MessageQueue memoryQueue = new InMemoryMessageQueue();
    /** The persistence's queue while the session is persistent, else {@link #memoryQueue}. */
    private MessageQueue queue = memoryQueue;
    /** Session Expiry above 0: every change is written to {@link #persistence}. */
    private boolean persistent;

    private long disconnectedAtMillis = -1;
    /** Incoming QoS 2 packet ids awaiting PUBREL; created when the first one arrives. */
    private Set<Integer> incomingQos2 = Set.of();

    private int lastPacketId;
    private Message will;
    private long willDelaySeconds;
    private ScheduledFuture<?> willTimer;
    private ScheduledFuture<?> expiryTimer;
    /** Queue-full drops since the last log line about them, and when that line went (System.nanoTime, 0: never). */
    private int queueFullDrops;

    private long queueFullLoggedAt;

    public Session(String clientId, EventExecutor executor, SessionServices services, SessionPersistence persistence) {
        this.clientId = clientId;
        this.executor = executor;
        this.services = services;
        this.persistence = persistence;
    }

    public String clientId() {
        return clientId;
    }

    public EventExecutor executor() {
        return executor;
    }

    /** Whether a client is attached now; safe from any thread, used to pick shared-subscription members. */
    public boolean isConnected() {
        return connected;
    }

    public boolean isEnded() {
        return ended;
    }

    /** Whether one more QoS 1/2 message would overflow the queue; safe from any thread. */
    public boolean isQueueFull() {
        return queued >= services.settings().maximumQueuedMessages();
    }

    // ---- cross-thread entry points

    /** Hands a message to this session from any thread. */
    public void offer(Delivery delivery) {
        offer(delivery, null, null);
    }

    /**
     * Hands a message over from any thread. {@code from}: the publisher, paused while this session's
     * mailbox is long (see {@link Backpressure}); null for the broker's own messages. {@code ack}: the
     * publisher's acknowledgement, which waits until this session has stored the message; null when
     * nobody waits.
     */
    public void offer(Delivery delivery, Backpressure from, PendingAck ack) {
        if (delivery.qos() == 0) {
            ack = null;
        }
        if (handsOverDirectly()) {
            if (delivery.qos() > 0) {
                QUEUED.incrementAndGet(this);
            }
            deliverNow(delivery, ack);
            return;
        }
        if (delivery.qos() > 0) {
            QUEUED.incrementAndGet(this);
        } else if (PENDING_QOS0.incrementAndGet(this) > services.settings().maximumQueuedMessages()) {
            // the session's event loop is behind: at most once allows dropping here, counted
            PENDING_QOS0.decrementAndGet(this);
            services.metrics().dropped(Drop.SLOW_CONSUMER);
            return;
        }
        handOver(delivery, from, ack);
    }

    /**
     * Hands a QoS 1/2 message over only if the queue has room for it, counting messages still on
     * their way through the mailbox, so a burst cannot be acknowledged and then dropped. Safe from any
     * thread.
     */
    public boolean tryOffer(Delivery delivery, Backpressure from, PendingAck ack) {
        int limit = services.settings().maximumQueuedMessages();
        for (int n = queued; ; n = queued) {
            if (n >= limit) {
                return false;
            }
            if (QUEUED.compareAndSet(this, n, n + 1)) {
                break;
            }
        }
        if (handsOverDirectly()) {
            deliverNow(delivery, ack);
        } else {
            handOver(delivery, from, ack);
        }
        return true;
    }

    /**
     * On the session's own event loop with nothing ahead in the mailbox: no queue, no task, no wake-up;
     * the writes are flushed once after the current batch.
     */
    private void deliverNow(Delivery delivery, PendingAck ack) {
        if (ack == null) {
            deliver(delivery);
        } else {
            ack.hold();
            deliver(delivery, false, ack);
            ack.release();
        }
        scheduleFlush();
    }

    /** Into the mailbox; must throttle before it schedules the drain (see drain). */
    private void handOver(Delivery delivery, Backpressure from, PendingAck ack) {
        Mailbox m = mailbox();
        if (ack == null) {
            m.items.offer(delivery);
        } else {
            ack.hold();
            m.items.offer(new AckedDelivery(delivery, ack));
        }
        if (from != null && m.items.size() >= PAUSE_PUBLISHERS_AT && from.pause()) {
            services.metrics().publishersPaused.increment();
            m.pausedPublishers.offer(from);
        }
        scheduleDrain();
    }

    private void scheduleFlush() {
        if (!flushScheduled && outlet != null) {
            flushScheduled = true;
            executor.execute(flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (outlet != null) {
            outlet.flush();
        }
    }

    private Mailbox mailbox() {
        Mailbox m = mailbox;
        if (m == null) {
            m = new Mailbox();
            if (!MAILBOX.compareAndSet(this, null, m)) {
                m = mailbox;
            }
        }
        return m;
    }

    /** On the session's own event loop with nothing waiting in the mailbox: no hand-off is needed to keep order. */
    private boolean handsOverDirectly() {
        return executor.inEventLoop() && mailboxEmpty();
    }

    private boolean mailboxEmpty() {
        Mailbox m = mailbox;
        return m == null || m.items.isEmpty();
    }

    private void resumePublishers() {
        Mailbox m = mailbox;
        Backpressure b;
        while (m != null && (b = m.pausedPublishers.poll()) != null) {
            b.resume();
        }
    }

    /**
     * Hands over retained messages sent on subscribe: never dropped for a busy event loop, since the
     * subscriber asked for exactly these now and their number is bounded by the retained store.
     */
    public void offerRetained(Delivery delivery) {
        if (delivery.qos() > 0) {
            QUEUED.incrementAndGet(this);
        }
        execute(() -> deliver(delivery, true));
    }

    /**
     * Runs a task on the session's event loop, in order with deliveries: at once when called there with
     * nothing waiting in the mailbox.
     */
    public void execute(Runnable task) {
        if (handsOverDirectly()) {
            task.run();
            return;
        }
        mailbox().items.offer(task);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            executor.execute(drain);
        }
    }

    private void drain() {
        EventExecutor owner = executor;
        if (!owner.inEventLoop()) {
            owner.execute(drain); // the session moved to another event loop: follow it
            return;
        }
        int done = 0;
        Object item;
        Mailbox m = mailbox();
        while (done < DRAIN_BATCH && (item = m.items.poll()) != null) {
            if (item instanceof Delivery d) {
                taken(d);
                deliver(d);
            } else if (item instanceof AckedDelivery a) {
                deliver(a.delivery(), false, a.ack());
                a.ack().release();
            } else {
                ((Runnable) item).run();
            }
            done++;
            if (executor != owner) {
                executor.execute(drain); // a takeover moved the session: the rest runs there
                return;
            }
        }
        if (outlet != null) {
            outlet.flush();
        }
        if (!m.pausedPublishers.isEmpty() && m.items.size() <= RESUME_PUBLISHERS_AT) {
            resumePublishers();
        }
        drainScheduled = 0;
        // a publisher queues itself in pausedPublishers before it schedules a drain: one that lost that
        // race against this drain is seen here, so it is never left paused
        if ((!m.items.isEmpty() || !m.pausedPublishers.isEmpty()) && DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            executor.execute(drain);
        }
    }

    // ---- connection lifecycle (on the executor)

    /**
     * A new connection takes this session: the previous connection (if any) is closed with 0x8E,
     * state is discarded when {@code cleanStart}, timers are cancelled and the session moves to the new
     * connection's event loop. Returns Session Present [MQTT-3.2.2-2/3]. The connection must then call
     * {@link #resume} on its own event loop, after sending CONNACK.
     */
    public boolean takeOver(SessionOutlet newOutlet, EventExecutor newExecutor, boolean cleanStart, boolean fresh) {
        SessionOutlet previous = outlet;
        // a session with expiry 0 lasts only as long as its connection, which this takeover closes
        boolean previousEnds = previous != null && expiryIntervalSeconds == 0;
        if (previous != null) {
            outlet = null;
            connected = false;
            previous.takenOver();
            // the old connection ended without DISCONNECT: its will goes out now unless the session
            // continues and the will was delayed, in which case the new connection cancels it
            if (will != null && (cleanStart || expiryIntervalSeconds == 0 || willDelaySeconds == 0)) {
                publishWill();
            }
        }
        cancelTimers();
        will = null;
        boolean present = !fresh && !cleanStart && !previousEnds;
        if (cleanStart || previousEnds) {
            discardState();
        }
        outlet = newOutlet;
        resumed = false;
        connected = true;
        executor = newExecutor;
        return present;
    }

    /**
     * Called on the connection's event loop after CONNACK was written: resends unacknowledged PUBLISH
     * with DUP set and PUBREL [MQTT-4.4.0-1], then sends what was queued.
     */
    public void resume(SessionOutlet by, long expiryIntervalSeconds, Message will, long willDelaySeconds) {
        if (outlet != by) {
            return;
        }
        this.expiryIntervalSeconds = expiryIntervalSeconds;
        this.will = will;
        this.willDelaySeconds = willDelaySeconds;
        disconnectedAtMillis = -1;
        persistent(expiryIntervalSeconds > 0);
        resumed = true;
        for (Iterator<InflightMessage> it = inflight.values().iterator(); it.hasNext(); ) {
            InflightMessage m = it.next();
            if (m.released) {
                outlet.sendPubRel(m.packetId);
            } else if (!outlet.sendPublish(m.delivery, m.packetId, true)) {
                it.remove();
                services.metrics().dropped(Drop.PACKET_TOO_LARGE);
            }
        }
        pump();
        outlet.flush();
    }

    public boolean isAttachedTo(SessionOutlet candidate) {
        return outlet == candidate;
    }

    /** The v5 DISCONNECT changed the Session Expiry Interval [MQTT-3.14.2-2 is checked by the caller]. */
    public void expiryInterval(long seconds) {
        this.expiryIntervalSeconds = seconds;
        persistent(seconds > 0);
    }

    /** Normal DISCONNECT (reason 0x00) discards the will [MQTT-3.14.4-3]; 0x04 keeps it. */
    public void discardWill() {
        will = null;
        saveState();
    }

    /**
     * The connection is gone. The will is published now, or after its delay, or when the session ends,
     * whichever is first [MQTT-3.1.3-9]; the session ends now when its expiry interval is 0.
     */
    public void connectionLost(SessionOutlet by) {
        if (outlet != by) {
            return;
        }
        outlet = null;
        resumed = false;
        connected = false;
        if (expiryIntervalSeconds == 0) {
            if (will != null) {
                publishWill();
            }
            end();
            return;
        }
        if (will != null && willDelaySeconds == 0) {
            publishWill();
        }
        disconnectedAtMillis = services.nowMillis();
        scheduleTimers(willDelaySeconds * 1000, expiryIntervalSeconds * 1000);
        saveState();
    }

    /** Will and expiry timers of a disconnected session, in milliseconds from now. */
    private void scheduleTimers(long willDelayMillis, long expiryMillis) {
        if (will != null) {
            willTimer = executor.schedule(
                    () -> execute(this::willDelayPassed), Math.max(0, willDelayMillis), TimeUnit.MILLISECONDS);
        }
        if (expiryIntervalSeconds < 0xFFFFFFFFL) {
            expiryTimer = executor.schedule(
                    () -> execute(this::expiryPassed), Math.max(0, expiryMillis), TimeUnit.MILLISECONDS);
        }
    }

    private void willDelayPassed() {
        if (outlet == null && will != null) {
            publishWill();
            saveState();
        }
    }

    private void expiryPassed() {
        if (outlet == null && !ended) {
            if (will != null) {
                publishWill();
            }
            end();
        }
    }

    private void publishWill() {
        Message w = will;
        will = null;
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
        services.metrics().willsPublished.increment();
        services.publish(w);
    }

    private void cancelTimers() {
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    /** Ends the session: subscriptions removed, unacknowledged shared messages go to other members. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        cancelTimers();
        discardState();
        resumePublishers();
        services.ended(this);
    }

    private void discardState() {
        for (SubscriptionEntry e : subscriptions.values()) {
            services.unsubscribe(e);
        }
        subscriptions.clear();
        for (InflightMessage m : inflight.values()) {
            if (m.delivery.sharedGroup() != null && !m.released) {
                services.redeliverShared(m.delivery, clientId);
            }
        }
        inflight.clear();
        Delivery d;
        while ((d = queue.poll()) != null) {
            released(d);
            if (d.sharedGroup() != null) {
                services.redeliverShared(d, clientId);
            }
        }
        incomingQos2 = Set.of();
        if (persistent) {
            try {
                persistence.discard();
            } catch (StoreException e) {
                storeFailed("discard", e);
            }
        }
    }

    // ---- persistence (on the executor)

    /**
     * The session becomes persistent (its state is written through from now on) or stops being so (its
     * stored state is deleted); the queue moves to the matching medium.
     */
    private void persistent(boolean now) {
        if (now == persistent) {
            saveState();
            return;
        }
        MessageQueue from = queue;
        MessageQueue to = now ? persistence.queue() : memoryQueue;
        persistent = now;
        try {
            Delivery d;
            while ((d = from.poll()) != null) {
                to.add(d, null);
            }
            queue = to;
            if (!now) {
                persistence.discard();
                return;
            }
            saveState();
            subscriptions.forEach(persistence::subscribed);
            for (InflightMessage m : inflight.values()) {
                persistence.inflightSent(m.packetId, m.delivery, null);
                if (m.released) {
                    persistence.inflightReleased(m.packetId);
                }
            }
            for (int id : incomingQos2) {
                persistence.incomingQos2(id, true);
            }
        } catch (StoreException e) {
            queue = to;
            storeFailed("persist the session", e);
        }
    }

    private void saveState() {
        if (persistent && !ended) {
            try {
                persistence.saveState(
                        expiryIntervalSeconds, outlet == null ? disconnectedAtMillis : -1, will, willDelaySeconds);
            } catch (StoreException e) {
                storeFailed("save the session", e);
            }
        }
    }

    private void storeFailed(String what, StoreException e) {
        services.metrics().storeFailures.increment();
        log.warn("session {}: could not {}: {}", clientId, what, e.getMessage());
    }

    /**
     * Puts back a persistent session read from the store at start, before any client connects: its
     * timers run from when its connection was lost (or from now when the broker stopped while it was
     * connected), so a will or an expiry that fell due while the broker was down happens at once.
     */
    public void restore(StoredSession stored) {
        persistent = true;
        queue = persistence.queue();
        expiryIntervalSeconds = stored.expiryIntervalSeconds();
        will = stored.will();
        willDelaySeconds = stored.willDelaySeconds();
        writableSubscriptions().putAll(stored.subscriptions());
        for (StoredSession.Inflight i : stored.inflight()) {
            InflightMessage m = new InflightMessage(i.delivery(), i.packetId());
            m.released = i.released();
            writableInflight().put(i.packetId(), m);
            lastPacketId = i.packetId();
        }
        if (!stored.incomingQos2().isEmpty()) {
            incomingQos2 = new HashSet<>(stored.incomingQos2());
        }
        QUEUED.addAndGet(this, queue.size()); // offers that came before this task are counted already
        long now = services.nowMillis();
        disconnectedAtMillis = stored.disconnectedAtMillis() < 0 ? now : stored.disconnectedAtMillis();
        long since = now - disconnectedAtMillis;
        scheduleTimers(willDelaySeconds * 1000 - since, expiryIntervalSeconds * 1000 - since);
        saveState();
    }

    // ---- outgoing messages (on the executor)

    private void deliver(Delivery d) {
        deliver(d, false, null);
    }

    private void deliver(Delivery d, boolean evenIfSlow) {
        deliver(d, evenIfSlow, null);
    }

    /**
     * {@code evenIfSlow}: QoS 0 is written even above the client's outbound high-water mark. {@code
     * ack}: the publisher's acknowledgement, told whether this session stored the message.
     */
    private void deliver(Delivery d, boolean evenIfSlow, PendingAck ack) {
        if (ended) {
            released(d);
            if (d.sharedGroup() != null) {
                services.redeliverShared(d, clientId);
            }
            return;
        }
        if (d.message().isExpired(services.nowMillis())) {
            released(d);
            services.metrics().dropped(Drop.EXPIRED);
            return;
        }
        if (d.qos() == 0) {
            if (outlet == null || !resumed) {
                services.metrics().dropped(Drop.OFFLINE_QOS0);
            } else if (!evenIfSlow && !writable()) {
                services.metrics().dropped(Drop.SLOW_CONSUMER);
            } else if (!outlet.sendPublish(d, 0, false)) {
                services.metrics().dropped(Drop.PACKET_TOO_LARGE);
            }
            return;
        }
        if (outlet != null && resumed && queue.isEmpty() && inflight.size() < inflightLimit()) {
            released(d);
            sendInflight(d, ack);
        } else {
            enqueue(d, ack);
        }
    }

    /**
     * Whether the client takes more now. Writes made during a long read burst wait for a flush; they are
     * flushed before the client is judged slow, so only a client whose socket is full loses QoS 0.
     */
    private boolean writable() {
        if (outlet.isWritable()) {
            return true;
        }
        outlet.flush();
        return outlet.isWritable();
    }

    /** A QoS 1/2 delivery left the mailbox-and-queue count (sent, dropped or discarded). */
    private void released(Delivery d) {
        if (d.qos() > 0) {
            QUEUED.decrementAndGet(this);
        }
    }

    /** A delivery taken out of the mailbox. */
    private void taken(Delivery d) {
        if (d.qos() == 0) {
            PENDING_QOS0.decrementAndGet(this);
        }
    }

    /** Queues a delivery already counted in {@code queued}; a full queue drops by the overflow policy. */
    private void enqueue(Delivery d, PendingAck ack) {
        if (queue.size() >= services.settings().maximumQueuedMessages()) {
            queueFull();
            if (services.settings().queueOverflow() == QueueOverflowPolicy.REJECT_NEW) {
                released(d);
                return;
            }
            released(queue.poll());
        }
        try {
            queue.add(d, ack); // the store tells the ack what the publisher must wait for
        } catch (StoreException e) {
            released(d);
            notStored(ack, e);
        }
    }

    /** Counts a message dropped from the full queue; says so in the log at most once per interval. */
    private void queueFull() {
        services.metrics().dropped(Drop.QUEUE_FULL);
        queueFullDrops++;
        long now = System.nanoTime();
        if (queueFullLoggedAt == 0 || now - queueFullLoggedAt >= QUEUE_FULL_LOG_INTERVAL_NANOS) {
            boolean rejectNew = services.settings().queueOverflow() == QueueOverflowPolicy.REJECT_NEW;
            log.warn(
                    "session {}: queue full (limits.max_queued_messages {}); {} message(s) dropped since the last"
                            + " such line ({}, limits.queue_overflow: {}); every drop is counted in"
                            + " $SYS/broker/publish/messages/dropped/queue_full",
                    clientId,
                    services.settings().maximumQueuedMessages(),
                    queueFullDrops,
                    rejectNew ? "the new ones" : "the oldest",
                    rejectNew ? "reject_new" : "drop_oldest");
            queueFullDrops = 0;
            queueFullLoggedAt = now == 0 ? 1 : now;
        }
    }

    private void notStored(PendingAck ack, StoreException e) {
        if (ack != null) {
            ack.failed();
        }
        services.metrics().dropped(Drop.NOT_STORED);
        storeFailed("store a message", e);
    }

    private int inflightLimit() {
        return Math.min(services.settings().maximumInflight(), outlet.receiveMaximum());
    }

    private void sendInflight(Delivery d, PendingAck ack) {
        int id = nextPacketId();
        if (persistent) {
            try {
                persistence.inflightSent(id, d, ack); // before sending, so a restart resends it
            } catch (StoreException e) {
                notStored(ack, e);
                return;
            }
        }
        InflightMessage m = new InflightMessage(d, id);
        writableInflight().put(id, m);
        if (!outlet.sendPublish(d, id, false)) {
            inflight.remove(id);
            inflightDone(id);
            services.metrics().dropped(Drop.PACKET_TOO_LARGE);
        }
    }

    private void inflightDone(int packetId) {
        if (persistent) {
            try {
                persistence.inflightDone(packetId);
            } catch (StoreException e) {
                storeFailed("complete an inflight message", e);
            }
        }
    }

    /** Moves queued messages into the inflight window while it has room. */
    private void pump() {
        while (outlet != null && resumed && inflight.size() < inflightLimit()) {
            Delivery d = queue.poll();
            if (d == null) {
                return;
            }
            released(d);
            if (d.message().isExpired(services.nowMillis())) {
                services.metrics().dropped(Drop.EXPIRED);
                continue;
            }
            if (d.qos() == 0) {
                outlet.sendPublish(d, 0, false);
            } else {
                sendInflight(d, null);
            }
        }
    }

    private int nextPacketId() {
        for (int i = 0; i < 65535; i++) {
            lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
            if (!inflight.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        throw new IllegalStateException("no free packet identifier"); // inflight is bounded far below 65535
    }

    /** PUBACK [MQTT-4.3.2]: the message is done. Returns false for an unknown packet identifier. */
    public boolean puback(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != 1) {
            return false;
        }
        inflight.remove(packetId);
        inflightDone(packetId);
        pump();
        return true;
    }

    /**
     * PUBREC [MQTT-4.3.3]: returns true when PUBREL is to be sent. An error reason code ends the flow
     * without PUBREL (MQTT 5 section 4.3.3).
     */
    public boolean pubrec(int packetId, boolean error) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || m.delivery.qos() != 2) {
            return false;
        }
        if (error) {
            inflight.remove(packetId);
            inflightDone(packetId);
            pump();
            return false;
        }
        m.released = true;
        if (persistent) {
            try {
                persistence.inflightReleased(packetId);
            } catch (StoreException e) {
                storeFailed("record a PUBREC", e);
            }
        }
        return true;
    }

    /** PUBCOMP: the QoS 2 flow is complete. */
    public boolean pubcomp(int packetId) {
        InflightMessage m = inflight.get(packetId);
        if (m == null || !m.released) {
            return false;
        }
        inflight.remove(packetId);
        inflightDone(packetId);
        pump();
        return true;
    }

    // ---- incoming QoS 2 (on the executor)

    /** Records an incoming QoS 2 packet id; false when it is already held (a resent PUBLISH, not routed again). */
    public boolean receivedQos2(int packetId) {
        if (incomingQos2.isEmpty()) {
            incomingQos2 = new HashSet<>();
        }
        if (!incomingQos2.add(packetId)) {
            return false;
        }
        if (persistent) {
            try {
                persistence.incomingQos2(packetId, true);
            } catch (StoreException e) {
                incomingQos2.remove(packetId);
                throw e;
            }
        }
        return true;
    }

    /** Whether this session's state is written to the store (its Session Expiry is above 0). */
    public boolean isPersistent() {
        return persistent;
    }

    /** PUBREL from the client; false when the packet identifier is not known. */
    public boolean released(int packetId) {
        boolean known = !incomingQos2.isEmpty() && incomingQos2.remove(packetId);
        if (known && persistent) {
            try {
                persistence.incomingQos2(packetId, false);
            } catch (StoreException e) {
                storeFailed("record a PUBREL", e);
            }
        }
        return known;
    }

    /** Whether an incoming QoS 2 packet id is held, awaiting PUBREL. */
    public boolean holdsQos2(int packetId) {
        return incomingQos2.contains(packetId);
    }

    public int incomingQos2Count() {
        return incomingQos2.size();
    }

    // ---- subscriptions (on the executor)

    /** Stores a subscription under its full filter (with any $share prefix); returns the one it replaced. */
    public SubscriptionEntry subscribe(String key, SubscriptionEntry entry) {
        SubscriptionEntry previous = writableSubscriptions().put(key, entry);
        if (persistent) {
            try {
                persistence.subscribed(key, entry);
            } catch (StoreException e) {
                storeFailed("store a subscription", e);
            }
        }
        return previous;
    }

    private Map<String, SubscriptionEntry> writableSubscriptions() {
        if (!(subscriptions instanceof HashMap)) {
            subscriptions = new HashMap<>();
        }
        return subscriptions;
    }

    /** In send order: resumption resends in the order the messages were first sent [MQTT-4.6.0-1]. */
    private Map<Integer, InflightMessage> writableInflight() {
        if (!(inflight instanceof LinkedHashMap)) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }

    public SubscriptionEntry unsubscribe(String key) {
        SubscriptionEntry removed = subscriptions.remove(key);
        if (removed != null && persistent) {
            try {
                persistence.unsubscribed(key);
            } catch (StoreException e) {
                storeFailed("remove a subscription", e);
            }
        }
        return removed;
    }

    public Collection<SubscriptionEntry> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public int inflightCount() {
        return inflight.size();
    }

    public int queuedCount() {
        return queue.size();
    }

    /** For tests and admin: packet ids of unacknowledged outgoing messages, in send order. */
    public List<Integer> inflightPacketIds() {
        return new ArrayList<>(inflight.keySet());
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
