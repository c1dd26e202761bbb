package io.bastion.store;

import io.bastion.broker.Message;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.MessageQueue;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.subscription.SubscriptionEntry;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One persistent session's records. Used only on the session's event loop (single writer), so the
 * queue's head and tail and the inflight send order need no locking.
 */
final class RocksSession implements SessionPersistence {
    private final RocksStore store;
    private final String clientId;
    private final byte[] sessionKey;
    private final byte[] prefix;
    private final RocksQueue queue;
    private final WriteStage stage;
    private long inflightOrder;

    RocksSession(RocksStore store, String clientId, long queueHead, long queueTail, long inflightOrder) {
        this.store = store;
        this.clientId = clientId;
        this.sessionKey = Keys.utf8(clientId);
        this.prefix = Keys.clientPrefix(clientId);
        this.stage = new WriteStage(store);
        this.queue = new RocksQueue(store, stage, prefix, queueHead, queueTail);
        this.inflightOrder = inflightOrder;
    }

    String clientId() {
        return clientId;
    }

    @Override
    public MessageQueue queue() {
        return queue;
    }

    @Override
    public void saveState(long expiryIntervalSeconds, long disconnectedAtMillis, Message will, long willDelaySeconds) {
        store.put(
                RocksStore.SESSIONS,
                sessionKey,
                Records.state(new Records.State(expiryIntervalSeconds, disconnectedAtMillis, will, willDelaySeconds)));
    }

    @Override
    public void subscribed(String key, SubscriptionEntry entry) {
        store.put(RocksStore.SUBSCRIPTIONS, Keys.withSuffix(prefix, Keys.utf8(key)), Records.subscription(entry));
    }

    @Override
    public void unsubscribed(String key) {
        store.delete(RocksStore.SUBSCRIPTIONS, Keys.withSuffix(prefix, Keys.utf8(key)));
    }

    /**
     * The message leaves the queue (if it came from there) and becomes inflight, in one atomic write. A
     * QoS 1 delivery of a QoS 1 message is only held until the next commit (see {@link WriteStage});
     * anything involving QoS 2 is written at once, so exactly-once state is never behind the wire.
     */
    @Override
    public void inflightSent(int packetId, Delivery delivery, PendingAck ack) {
        long order = inflightOrder++;
        byte[] key = Keys.withPacketId(prefix, packetId);
        byte[] polled = queue.takePolledKey();
        if (delivery.qos() == 1 && delivery.message().qos() == 1) {
            stage.hold(packetId, key, delivery, order, polled, ack);
        } else {
            stage.write(packetId, key, Records.delivery(delivery, order, false), polled);
            if (ack != null) {
                ack.wrote();
            }
        }
    }

    @Override
    public void inflightReleased(int packetId) {
        byte[] key = Keys.withPacketId(prefix, packetId);
        byte[] value = stage.read(packetId, key);
        if (value != null) {
            stage.write(packetId, key, Records.markReleased(value), null);
        }
    }

    @Override
    public void inflightDone(int packetId) {
        stage.done(packetId, Keys.withPacketId(prefix, packetId));
    }

    @Override
    public void incomingQos2(int packetId, boolean held) {
        byte[] key = Keys.withPacketId(prefix, packetId);
        if (held) {
            store.put(RocksStore.INCOMING_QOS2, key, new byte[0]);
        } else {
            store.delete(RocksStore.INCOMING_QOS2, key);
        }
    }

    @Override
    public void discard() {
        stage.clear();
        byte[] end = Keys.prefixEnd(prefix);
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(store.family(RocksStore.SESSIONS), sessionKey);
            for (String family : new String[] {
                RocksStore.SUBSCRIPTIONS, RocksStore.INFLIGHT, RocksStore.INCOMING_QOS2, RocksStore.QUEUES
            }) {
                batch.deleteRange(store.family(family), prefix, end);
            }
            store.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException("store write failed: " + e.getMessage(), e);
        }
        queue.reset();
    }
}
