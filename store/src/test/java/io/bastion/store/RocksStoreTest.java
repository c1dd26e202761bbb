package io.bastion.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.Message;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.MessageQueue;
import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.store.StoredSession;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The RocksDB store on real files: what is written is read back after a reopen, in order, or refused loudly. */
class RocksStoreTest {
    @TempDir
    Path dir;

    private RocksStore open() {
        return RocksStore.open(
                StoreOptions.defaults().withPath(dir.resolve("data")).withDurability(Durability.GROUP_COMMIT));
    }

    private static Delivery delivery(int i) {
        Message m = new Message(
                "t/" + i,
                1,
                false,
                ("m" + i).getBytes(StandardCharsets.UTF_8),
                MqttProperties.EMPTY,
                "pub",
                Message.NEVER);
        return new Delivery(m, 1, false, Delivery.NO_IDS, null);
    }

    private static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    private static StoredSession only(List<StoredSession> sessions) {
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }

    @Test
    void queueKeepsItsOrderBeyondTheMemoryWindowAndAcrossAReopen() {
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c1");
            s.saveState(3600, 1234, null, 0);
            MessageQueue q = s.queue();
            for (int i = 0; i < 1000; i++) {
                q.add(delivery(i), null);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(text(q.poll())).isEqualTo("m" + i);
            }
            s.inflightSent(7, delivery(9), null); // the 10th polled message became inflight in the same write
        }
        try (RocksStore store = open()) {
            StoredSession s = only(store.recoverSessions());
            assertThat(s.clientId()).isEqualTo("c1");
            assertThat(s.expiryIntervalSeconds()).isEqualTo(3600);
            assertThat(s.disconnectedAtMillis()).isEqualTo(1234);
            assertThat(s.inflight()).singleElement().satisfies(i -> {
                assertThat(i.packetId()).isEqualTo(7);
                assertThat(text(i.delivery())).isEqualTo("m9");
                assertThat(i.released()).isFalse();
            });
            MessageQueue q = s.persistence().queue();
            assertThat(q.size()).isEqualTo(990);
            List<String> rest = new ArrayList<>();
            for (Delivery d = q.poll(); d != null; d = q.poll()) {
                rest.add(text(d));
            }
            assertThat(rest).hasSize(990).first().isEqualTo("m10");
            assertThat(rest).last().isEqualTo("m999");
        }
    }

    @Test
    void aMessageDroppedToMakeRoomStaysDroppedAfterAReopen() {
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c5");
            s.saveState(60, -1, null, 0);
            s.queue().add(delivery(0), null);
            s.queue().add(delivery(1), null);
            assertThat(text(s.queue().poll())).isEqualTo("m0"); // the session drops the oldest ...
            s.queue().add(delivery(2), null); // ... to queue a new one
        }
        try (RocksStore store = open()) {
            MessageQueue q = only(store.recoverSessions()).persistence().queue();
            assertThat(q.size()).isEqualTo(2);
            assertThat(text(q.poll())).isEqualTo("m1");
            assertThat(text(q.poll())).isEqualTo("m2");
        }
    }

    @Test
    void inflightOrderReleasedFlagsIncomingQos2AndSubscriptionsComeBack() {
        SubscriptionEntry shared = new SubscriptionEntry("c2", "g", "a/+", 2, false, true, 1, 42);
        SubscriptionEntry plain = new SubscriptionEntry("c2", null, "b/#", 1, true, false, 2, 0);
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c2");
            s.saveState(60, -1, null, 0);
            s.subscribed("$share/g/a/+", shared);
            s.subscribed("b/#", plain);
            s.subscribed("gone", SubscriptionEntry.of("c2", "gone", 0));
            s.unsubscribed("gone");
            s.inflightSent(65535, delivery(1), null);
            s.inflightSent(1, delivery(2), null); // packet ids wrapped: send order is kept, not id order
            s.inflightSent(2, delivery(3), null);
            s.inflightReleased(1);
            s.inflightDone(2);
            s.incomingQos2(10, true);
            s.incomingQos2(11, true);
            s.incomingQos2(10, false);
        }
        try (RocksStore store = open()) {
            StoredSession s = only(store.recoverSessions());
            assertThat(s.subscriptions()).isEqualTo(Map.of("$share/g/a/+", shared, "b/#", plain));
            assertThat(s.inflight())
                    .extracting(StoredSession.Inflight::packetId)
                    .containsExactly(65535, 1);
            assertThat(s.inflight())
                    .extracting(StoredSession.Inflight::released)
                    .containsExactly(false, true);
            assertThat(s.incomingQos2()).containsExactly(11);
        }
    }

    @Test
    void aMessageKeepsEveryPropertyItsExpiryAndTheDeliveryDetails() {
        MqttProperties props = MqttProperties.builder()
                .contentType("application/json")
                .responseTopic("reply/here")
                .correlationData(new byte[] {1, 2, 3})
                .payloadFormatIndicator(1)
                .messageExpiryInterval(30L)
                .userProperty("k", "v")
                .userProperty("k", "v2")
                .build();
        Message m = new Message(
                "p/t", 2, true, "{}".getBytes(StandardCharsets.UTF_8), props, "pub-9", 4_102_444_800_000L); // 2100
        Message will = new Message("w/t", 0, false, new byte[0], MqttProperties.EMPTY, "c3", Message.NEVER);
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c3");
            s.saveState(0xFFFFFFFFL, 5, will, 120);
            s.queue().add(new Delivery(m, 1, true, new int[] {7, 300000}, null), null);
        }
        try (RocksStore store = open()) {
            StoredSession s = only(store.recoverSessions());
            assertThat(s.will()).usingRecursiveComparison().isEqualTo(will);
            assertThat(s.willDelaySeconds()).isEqualTo(120);
            Delivery d = s.persistence().queue().poll();
            assertThat(d.qos()).isEqualTo(1);
            assertThat(d.retain()).isTrue();
            assertThat(d.subscriptionIds()).containsExactly(7, 300000);
            assertThat(d.message()).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void discardDeletesEveryRecordOfTheSession() {
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c4");
            s.saveState(60, -1, null, 0);
            s.subscribed("x", SubscriptionEntry.of("c4", "x", 1));
            s.queue().add(delivery(1), null);
            s.inflightSent(1, delivery(2), null);
            s.incomingQos2(3, true);
            SessionPersistence other = store.session("c40"); // a client id that the first one is a prefix of
            other.saveState(60, -1, null, 0);
            other.queue().add(delivery(5), null);
            s.discard();
            assertThat(s.queue().size()).isZero();
        }
        try (RocksStore store = open()) {
            StoredSession s = only(store.recoverSessions());
            assertThat(s.clientId()).isEqualTo("c40");
            assertThat(s.persistence().queue().size()).isEqualTo(1);
        }
    }

    @Test
    void retainedMessagesAreReadBackAndExpiredOnesDropped() {
        try (RocksStore store = open()) {
            store.retained()
                    .put(new RetainedMessage(
                            "r/a", 1, "a".getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY, Long.MAX_VALUE));
            store.retained()
                    .put(new RetainedMessage(
                            "r/old", 0, "o".getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY, 1));
            store.retained()
                    .put(new RetainedMessage(
                            "r/b", 0, "b".getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY, Long.MAX_VALUE));
            store.retained().remove("r/b");
            store.retained()
                    .put(new RetainedMessage(
                            "$SYS/broker/uptime",
                            0,
                            "1".getBytes(StandardCharsets.UTF_8),
                            MqttProperties.EMPTY,
                            Long.MAX_VALUE));
        }
        try (RocksStore store = open()) {
            List<String> topics = new ArrayList<>();
            store.retained().match("#", System.currentTimeMillis(), r -> topics.add(r.topic()));
            store.retained().match("$SYS/#", System.currentTimeMillis(), r -> topics.add(r.topic()));
            assertThat(topics).containsExactly("r/a");
        }
    }

    @Test
    void countersAreSavedAndLoaded() {
        try (RocksStore store = open()) {
            store.saveCounters(Map.of("messages_received", 42L, "bytes_sent", 1L << 40));
        }
        try (RocksStore store = open()) {
            assertThat(store.loadCounters())
                    .containsEntry("messages_received", 42L)
                    .containsEntry("bytes_sent", 1L << 40);
        }
    }

    @Test
    void aRecordThatCannotBeDecodedStopsRecoveryInsteadOfBeingSkipped() {
        try (RocksStore store = open()) {
            store.session("ok").saveState(60, -1, null, 0);
            store.put(RocksStore.SESSIONS, Keys.utf8("bad"), new byte[] {1, 2, 3});
        }
        try (RocksStore store = open()) {
            assertThatThrownBy(store::recoverSessions)
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("corrupt session record in the store");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefused() {
        try (RocksStore store = open()) {
            assertThatThrownBy(this::open)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot be opened")
                    .hasMessageContaining("lock");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Durability.class,
            names = {"SYNC", "GROUP_COMMIT"})
    void commitsCompleteAfterTheWalSync(Durability durability) throws Exception {
        StoreOptions options =
                new StoreOptions(dir.resolve("data"), durability, Duration.ofMillis(5), 4, Duration.ofMillis(2), 0);
        try (RocksStore store = RocksStore.open(options)) {
            List<CompletableFuture<Void>> commits = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                store.session("c" + i).saveState(60, -1, null, 0);
                commits.add(store.commit().toCompletableFuture());
            }
            CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(store.acceptsWrites()).isTrue();
        }
    }

    @Test
    void theReadOnlyReportSeesWhatARunningStoreHolds() {
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("r1");
            s.saveState(60, 99, null, 0);
            s.subscribed("a", SubscriptionEntry.of("r1", "a", 1));
            for (int i = 0; i < 5; i++) {
                s.queue().add(delivery(i), null);
            }
            store.retained().put(new RetainedMessage("x", 0, new byte[] {1}, MqttProperties.EMPTY, Long.MAX_VALUE));
            store.flushWrites(); // as the broker does before any packet leaves, and every 100 ms
            StoreReport.Stats stats = StoreReport.stats(dir.resolve("data"));
            assertThat(stats.sessions()).isEqualTo(1);
            assertThat(stats.subscriptions()).isEqualTo(1);
            assertThat(stats.queuedMessages()).isEqualTo(5);
            assertThat(stats.retainedMessages()).isEqualTo(1);
            assertThat(StoreReport.sessions(dir.resolve("data")))
                    .containsExactly(new StoreReport.SessionLine("r1", 60, 99, 1, 5, 0, false));
        }
    }

    private static Delivery expiring(String text, long expiresAtMillis) {
        Message m = new Message(
                "t", 1, false, text.getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY, "pub", expiresAtMillis);
        return new Delivery(m, 1, false, Delivery.NO_IDS, null);
    }

    @Test
    void messagesThatExpiredWhileDownArePurgedFromTheHeadOfTheQueueAtStart() {
        long past = System.currentTimeMillis() - 1000;
        long future = System.currentTimeMillis() + 3_600_000;
        try (RocksStore store = open()) {
            SessionPersistence s = store.session("c");
            s.saveState(3600, 0, null, 0);
            for (int i = 0; i < 3; i++) {
                s.queue().add(expiring("expired " + i, past), null);
            }
            s.queue().add(expiring("live", future), null);
            s.queue().add(expiring("expired behind a live one", past), null);
            s.queue().add(expiring("never expires", Message.NEVER), null);
        }
        try (RocksStore store = RocksStore.openReadOnly(dir.resolve("data"))) {
            assertThat(only(store.recoverSessions()).persistence().queue().size())
                    .as("the offline tool changes nothing")
                    .isEqualTo(6);
        }
        try (RocksStore store = open()) {
            MessageQueue q = only(store.recoverSessions()).persistence().queue();
            assertThat(q.size()).as("the expired head is gone from disk").isEqualTo(3);
            assertThat(text(q.poll())).isEqualTo("live");
            // dropped by the session when its turn comes; the store keeps the queue without gaps
            assertThat(text(q.poll())).isEqualTo("expired behind a live one");
        }
        try (RocksStore store = open()) {
            // "live" was deleted by the next poll; the expired one is the head now, so it is purged too
            MessageQueue q = only(store.recoverSessions()).persistence().queue();
            assertThat(q.size()).isEqualTo(1);
            assertThat(text(q.poll())).isEqualTo("never expires");
        }
    }
}
