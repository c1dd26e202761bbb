package io.bastion.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.Message;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.store.StoredSession;
import io.bastion.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held writes: QoS 1 inflight records and queue entries a publisher's ack waits for are written by the
 * commit thread when they fall due, dropped unwritten when the PUBACK (or the delivery) comes first, never
 * written after a newer record with the same packet id, and never leave a gap in the queue on disk.
 *
 * <p>Most tests use a store whose commit thread makes held writes only when a test asks ({@link
 * #commitHeld}, as when they fall due), so what is held at each step is certain; the timing itself is
 * tested with a short delay.
 */
class WriteStageTest {
    @TempDir
    Path dir;

    /** Syncs only on request (a one-hour group window, one commit per batch); inflight records due in an hour. */
    private RocksStore open() {
        return RocksStore.open(new StoreOptions(dir.resolve("data"), Durability.GROUP_COMMIT, HOUR, 1, HOUR, 0));
    }

    private static final Duration HOUR = Duration.ofHours(1);

    private static Delivery delivery(String text, int qos) {
        Message m = new Message(
                "t", qos, false, text.getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY, "pub", Message.NEVER);
        return new Delivery(m, qos, false, Delivery.NO_IDS, null);
    }

    private static SessionPersistence persistentSession(RocksStore store) {
        SessionPersistence s = store.session("c");
        s.saveState(3600, -1, null, 0);
        return s;
    }

    private static byte[] onDisk(RocksStore store, String client, int packetId) {
        return store.get(RocksStore.INFLIGHT, Keys.withPacketId(Keys.clientPrefix(client), packetId));
    }

    /** As when everything held falls due: written, then synced. */
    private static void commitHeld(RocksStore store) throws Exception {
        store.writeHeld();
        store.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<String> inflightTexts(RocksStore store) {
        List<StoredSession> sessions = store.recoverSessions();
        assertThat(sessions).hasSize(1);
        return sessions.get(0).inflight().stream()
                .map(i -> i.packetId() + ":" + new String(i.delivery().message().payload(), StandardCharsets.UTF_8))
                .toList();
    }

    /** What a publisher's acknowledgement was told: wait for a commit, go now, or the write failed. */
    private static final class AckProbe implements PendingAck.Completion {
        final List<String> events = new CopyOnWriteArrayList<>();
        final PendingAck ack = new PendingAck(this);

        @Override
        public void done(boolean wrote, boolean failed) {
            events.add(failed ? "failed" : wrote ? "commit" : "now");
        }
    }

    /** A QoS 1 record sent with packet id 1, held, whose publisher has released its hold on the ack. */
    private static AckProbe sentWithWaitingAck(SessionPersistence s) {
        AckProbe probe = new AckProbe();
        PendingAck ack = probe.ack;
        s.inflightSent(1, delivery("a", 1), ack);
        ack.release();
        return probe;
    }

    private static PendingAck waitingAck() {
        return new AckProbe().ack;
    }

    @Test
    void aHeldQos1RecordIsOnDiskOnceTheCommitCompletes() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(1, delivery("a", 1), null);
            assertThat(onDisk(store, "c", 1)).as("held, not written yet").isNull();
            commitHeld(store);
            assertThat(onDisk(store, "c", 1))
                    .as("the commit wrote it before the sync")
                    .isNotNull();
        }
    }

    @Test
    void aPubackBeforeTheCommitCostsNoWriteAndTheQueueEntryStaysGone() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("queued", 1), null);
            commitHeld(store);
            s.queue().poll();
            s.inflightSent(1, delivery("queued", 1), null);
            s.inflightDone(1);
            commitHeld(store);
            assertThat(onDisk(store, "c", 1)).isNull();
        }
        try (RocksStore store = open()) {
            StoredSession recovered = store.recoverSessions().get(0);
            assertThat(recovered.inflight()).isEmpty();
            assertThat(recovered.persistence().queue().size())
                    .as("the delivered message left the queue")
                    .isZero();
        }
    }

    @Test
    void qos2DeliveriesAreWrittenAtOnce() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(2, delivery("exactly once", 2), null);
            assertThat(onDisk(store, "c", 2)).isNotNull();
            // a QoS 2 message delivered at QoS 1 is written at once too: its publisher's packet id is held
            s.inflightSent(3, new Delivery(delivery("downgraded", 2).message(), 1, false, Delivery.NO_IDS, null), null);
            assertThat(onDisk(store, "c", 3)).isNotNull();
        }
    }

    @Test
    void aHeldDeleteNeverLandsAfterANewerRecordWithTheSamePacketId() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(5, delivery("first", 1), null);
            commitHeld(store); // written
            s.inflightDone(5); // a held delete
            s.inflightSent(5, delivery("second", 2), null); // the id is reused for QoS 2: written at once
            commitHeld(store);
            assertThat(inflightTexts(store)).containsExactly("5:second");
        }
    }

    @Test
    void aRecordThatReplacedAHeldDeleteLeavesADeleteWhenCancelled() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(5, delivery("first", 1), null);
            commitHeld(store); // on disk
            s.inflightDone(5); // held delete
            s.inflightSent(5, delivery("second", 1), null); // held record over the held delete
            s.inflightDone(5); // cancelled: the first record must still be deleted
            commitHeld(store);
            assertThat(onDisk(store, "c", 5)).isNull();
        }
    }

    /** The files as a crash would leave them: everything handed to the OS, nothing more (the WAL buffer dropped). */
    private Path crashCopy(RocksStore store) throws Exception {
        store.flushWrites();
        Path copy = dir.resolve("crashed");
        Files.createDirectories(copy);
        try (var files = Files.list(dir.resolve("data"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void aQueueEntryDeletedAtOnceNeverLeavesAGapBehindAHeldOne() throws Exception {
        Path crashed;
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            for (String m : List.of("q0", "q1", "q2")) {
                s.queue().add(delivery(m, 1), null);
            }
            commitHeld(store);
            s.inflightSent(1, s.queue().poll(), null); // q0 becomes inflight: held, with its queue delete
            s.queue().poll(); // q1 goes out at QoS 0 (no inflight record) ...
            s.queue().poll(); // ... and is deleted now, which must take the held q0 delete and record along
            crashed = crashCopy(store);
        }
        try (RocksStore store = RocksStore.open(StoreOptions.defaults().withPath(crashed))) {
            StoredSession recovered = store.recoverSessions().get(0);
            assertThat(recovered.inflight())
                    .singleElement()
                    .satisfies(i -> assertThat(i.packetId()).isEqualTo(1));
            assertThat(recovered.persistence().queue().size()).isEqualTo(1);
            assertThat(new String(
                            recovered.persistence().queue().poll().message().payload(), StandardCharsets.UTF_8))
                    .isEqualTo("q2");
        }
    }

    @Test
    void aQos2RecordWrittenAtOnceTakesAHeldQueueDeleteWithItsRecord() throws Exception {
        Path crashed;
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("q0", 1), null);
            s.queue().add(delivery("q1", 2), null);
            commitHeld(store);
            s.inflightSent(1, s.queue().poll(), null); // q0: held, with its queue delete
            s.inflightSent(2, s.queue().poll(), null); // q1 at QoS 2: written at once, must not write q0's delete alone
            crashed = crashCopy(store);
        }
        try (RocksStore store = RocksStore.open(StoreOptions.defaults().withPath(crashed))) {
            StoredSession recovered = store.recoverSessions().get(0);
            assertThat(recovered.inflight())
                    .as("q0 left the queue, so its record is on disk too")
                    .extracting(i -> i.packetId())
                    .containsExactlyInAnyOrder(1, 2);
            assertThat(recovered.persistence().queue().size()).isZero();
        }
    }

    @Test
    void aCrashBeforeTheCommitLosesAHeldRecordButNotItsQueuedMessage() throws Exception {
        Path crashed;
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("queued", 1), null);
            commitHeld(store);
            s.inflightSent(1, s.queue().poll(), null); // held: no commit came
            crashed = crashCopy(store);
        }
        try (RocksStore store = RocksStore.open(StoreOptions.defaults().withPath(crashed))) {
            StoredSession recovered = store.recoverSessions().get(0);
            assertThat(recovered.inflight()).isEmpty();
            assertThat(recovered.persistence().queue().size())
                    .as("still queued: delivered again after the restart (at least once)")
                    .isEqualTo(1);
        }
    }

    @Test
    void aGracefulCloseWritesWhatIsStillHeld() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(9, delivery("unacked", 1), null);
        }
        try (RocksStore store = open()) {
            assertThat(inflightTexts(store)).containsExactly("9:unacked");
        }
    }

    @Test
    void pubrecOfAHeldRecordIsReadFromTheStage() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.inflightSent(4, delivery("held", 1), null);
            s.inflightReleased(4); // not a QoS 1 flow, but the store must not lose the record either way
            assertThat(onDisk(store, "c", 4)).isNotNull();
            commitHeld(store);
            assertThat(inflightTexts(store)).containsExactly("4:held");
        }
    }

    private static List<String> queuedTexts(RocksStore store) {
        StoredSession recovered = store.recoverSessions().get(0);
        List<String> texts = new java.util.ArrayList<>();
        for (Delivery d; (d = recovered.persistence().queue().poll()) != null; ) {
            texts.add(new String(d.message().payload(), StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static int queueEntriesOnDisk(RocksStore store) {
        int n = 0;
        try (var it = store.db().newIterator(store.family(RocksStore.QUEUES))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aQueuedQos1MessageAnAckWaitsForIsWrittenByTheCommit() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("held", 1), waitingAck());
            assertThat(queueEntriesOnDisk(store)).as("held, not written yet").isZero();
            assertThat(s.queue().size()).isEqualTo(1);
            commitHeld(store);
            assertThat(queueEntriesOnDisk(store))
                    .as("the commit wrote it before the sync")
                    .isEqualTo(1);
        }
        try (RocksStore store = open()) {
            assertThat(queuedTexts(store)).containsExactly("held");
        }
    }

    @Test
    void aQueueEntryDeliveredAndAcknowledgedBeforeTheCommitIsNeverWritten() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("fast", 1), waitingAck());
            s.inflightSent(1, s.queue().poll(), null); // leaves the queue before any commit: the put is cancelled
            s.inflightDone(1); // and the PUBACK cancels the record
            commitHeld(store);
            assertThat(queueEntriesOnDisk(store)).isZero();
            assertThat(onDisk(store, "c", 1)).isNull();
        }
        try (RocksStore store = open()) {
            StoredSession recovered = store.recoverSessions().get(0);
            assertThat(recovered.inflight()).isEmpty();
            assertThat(recovered.persistence().queue().size()).isZero();
        }
    }

    @Test
    void aQueueEntryPolledBeforeTheCommitIsDurableAsItsInflightRecord() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("in flight", 1), waitingAck());
            s.inflightSent(1, s.queue().poll(), null);
            commitHeld(store); // no PUBACK yet: the record is written, the entry never was
            assertThat(queueEntriesOnDisk(store)).isZero();
        }
        try (RocksStore store = open()) {
            assertThat(inflightTexts(store)).containsExactly("1:in flight");
        }
    }

    @Test
    void qos2MessagesAndBrokerMessagesAreQueuedAtOnceAfterTheHeldOnes() throws Exception {
        Path crashed;
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("held q1", 1), waitingAck());
            // a QoS 2 message's packet id is on disk at once, so its copy must be too, after the held entry
            s.queue().add(delivery("q2", 2), waitingAck());
            s.queue().add(delivery("will", 1), null); // nobody's ack waits: written at once
            crashed = crashCopy(store);
        }
        try (RocksStore store = RocksStore.open(StoreOptions.defaults().withPath(crashed))) {
            assertThat(queuedTexts(store)).containsExactly("held q1", "q2", "will");
        }
    }

    @Test
    void aCrashBeforeTheCommitLosesOnlyHeldEntriesAndLeavesNoGap() throws Exception {
        Path crashed;
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("q0", 1), waitingAck());
            commitHeld(store);
            s.queue().add(delivery("q1", 1), waitingAck()); // held: its publisher is still waiting
            s.queue().add(delivery("q2", 1), waitingAck());
            s.queue().poll(); // q0 out at QoS 0: its delete, written at the next add, takes the held q1 and q2
            s.queue().add(delivery("q3", 1), waitingAck()); // held when the crash comes: never acknowledged
            crashed = crashCopy(store);
        }
        try (RocksStore store = RocksStore.open(StoreOptions.defaults().withPath(crashed))) {
            assertThat(queuedTexts(store)).containsExactly("q1", "q2");
        }
    }

    @Test
    void aLongQueueIsReadBackFromDiskIncludingItsHeldTail() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            int n = RocksQueue.WINDOW * 2 + 10;
            for (int i = 0; i < n; i++) {
                s.queue().add(delivery("m" + i, 1), i % 3 != 0 ? waitingAck() : null);
            }
            for (int i = 0; i < n; i++) {
                assertThat(new String(s.queue().poll().message().payload(), StandardCharsets.UTF_8))
                        .isEqualTo("m" + i);
            }
            assertThat(s.queue().poll()).isNull();
        }
    }

    @Test
    void aLongHeldTailIsReadFromMemoryWithoutWritingIt() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            for (int i = 0; i < 10; i++) {
                s.queue().add(delivery("m" + i, 1), null);
            }
            int n = 10 + RocksQueue.WINDOW * 2;
            for (int i = 10; i < n; i++) {
                s.queue().add(delivery("m" + i, 1), waitingAck());
            }
            for (int i = 0; i < n; i++) {
                Delivery d = s.queue().poll();
                assertThat(new String(d.message().payload(), StandardCharsets.UTF_8))
                        .isEqualTo("m" + i);
                s.inflightSent(1, d, null); // as a subscriber that keeps up: sent and acknowledged before a commit
                s.inflightDone(1);
            }
            assertThat(s.queue().poll()).isNull();
            assertThat(queueEntriesOnDisk(store))
                    .as("only the ten written at once")
                    .isEqualTo(10);
            commitHeld(store);
            assertThat(queueEntriesOnDisk(store)).isZero();
        }
    }

    @Test
    void droppingTheOldestHeldEntryCancelsItsPut() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("old", 1), waitingAck());
            s.queue().poll(); // dropped to make room (drop oldest) ...
            s.queue().add(delivery("new", 1), waitingAck()); // ... which the next add deletes
            commitHeld(store);
            assertThat(queueEntriesOnDisk(store)).isEqualTo(1);
        }
        try (RocksStore store = open()) {
            assertThat(queuedTexts(store)).containsExactly("new");
        }
    }

    @Test
    void clearingTheQueueForgetsItsHeldEntries() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            s.queue().add(delivery("on disk", 1), null);
            s.queue().add(delivery("held", 1), waitingAck());
            s.queue().clear();
            commitHeld(store);
            assertThat(queueEntriesOnDisk(store)).isZero();
            s.queue().add(delivery("after", 1), waitingAck());
            commitHeld(store);
        }
        try (RocksStore store = open()) {
            assertThat(queuedTexts(store)).containsExactly("after");
        }
    }

    @Test
    void anAckWhoseHeldRecordIsCancelledByThePubackNeedsNoCommit() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            AckProbe probe = sentWithWaitingAck(s);
            assertThat(probe.events)
                    .as("the record is still held, so the ack waits for it")
                    .isEmpty();
            s.inflightDone(1); // the subscriber's PUBACK first: delivered, nothing left to make durable
            assertThat(probe.events).containsExactly("now");
            assertThat(onDisk(store, "c", 1)).isNull();
        }
    }

    @Test
    void aPubackBeforeThePublisherIsDoneLetsTheAckGoWithoutACommit() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            AckProbe probe = new AckProbe();
            PendingAck ack = probe.ack;
            s.inflightSent(1, delivery("a", 1), ack);
            s.inflightDone(1);
            ack.release();
            assertThat(probe.events).containsExactly("now");
        }
    }

    @Test
    void anAckWhoseHeldRecordTheCommitWroteWaitsForThatCommit() throws Exception {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            AckProbe probe = sentWithWaitingAck(s);
            assertThat(probe.events).isEmpty();
            commitHeld(store); // writes the record before its sync
            assertThat(probe.events).containsExactly("commit");
            s.inflightDone(1); // too late to cancel: a delete follows, the ack stays with the commit
            assertThat(probe.events).containsExactly("commit");
            assertThat(onDisk(store, "c", 1)).isNotNull(); // the held delete is not written yet ...
            commitHeld(store);
            assertThat(onDisk(store, "c", 1)).isNull(); // ... and after the next commit it is gone for good
        }
    }

    @Test
    void aQueuedMessagesAckFollowsItIntoTheInflightRecord() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            AckProbe probe = new AckProbe();
            PendingAck ack = probe.ack;
            s.queue().add(delivery("queued", 1), ack);
            ack.release();
            assertThat(probe.events).isEmpty();
            s.inflightSent(1, s.queue().poll(), null); // sent from the queue: the held put becomes the record
            assertThat(probe.events).as("still to be written").isEmpty();
            s.inflightDone(1);
            assertThat(probe.events).containsExactly("now");
        }
    }

    @Test
    void aQos2MessageQueuedAtOnceIsAWriteTheAckWaitsFor() {
        try (RocksStore store = open()) {
            SessionPersistence s = persistentSession(store);
            AckProbe probe = new AckProbe();
            PendingAck ack = probe.ack;
            s.queue().add(delivery("exactly once", 2), ack);
            ack.release();
            s.inflightSent(1, s.queue().poll(), null);
            s.inflightDone(1);
            assertThat(probe.events).containsExactly("commit");
        }
    }

    /** A probe that, like the broker's publisher ack, asks for a commit when told to and notes when it is synced. */
    private static PendingAck ackThatCommits(RocksStore store, List<String> events) {
        return new PendingAck((wrote, failed) -> {
            events.add(failed ? "failed" : wrote ? "commit" : "now");
            if (wrote && !failed) {
                store.commit().whenComplete((v, e) -> events.add(e == null ? "synced" : "sync failed"));
            }
        });
    }

    private static void awaitEvents(List<String> events, String... expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!events.equals(List.of(expected)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(events).containsExactly(expected);
    }

    @Test
    void aHeldRecordIsWrittenAndSyncedByTheCommitThreadOnceItsDelayPasses() throws Exception {
        Duration delay = Duration.ofMillis(300);
        try (RocksStore store = RocksStore.open(
                StoreOptions.defaults().withPath(dir.resolve("data")).withInflightWriteDelay(delay))) {
            SessionPersistence s = persistentSession(store);
            List<String> events = new CopyOnWriteArrayList<>();
            PendingAck ack = ackThatCommits(store, events);
            long sent = System.nanoTime();
            s.inflightSent(1, delivery("slow subscriber", 1), ack);
            ack.release();
            store.commit().toCompletableFuture().get(10, TimeUnit.SECONDS); // an unrelated commit
            if (System.nanoTime() - sent < delay.toNanos()) {
                assertThat(onDisk(store, "c", 1)).as("held for its PUBACK").isNull();
                assertThat(events).isEmpty();
            }
            // no PUBACK comes: no one asks for a commit, the commit thread writes and syncs it by itself
            awaitEvents(events, "commit", "synced");
            assertThat(System.nanoTime() - sent).isGreaterThanOrEqualTo(delay.toNanos());
            assertThat(onDisk(store, "c", 1)).isNotNull();
        }
    }

    @Test
    void aHeldQueueEntryIsWrittenAndSyncedAtOnceWithoutAnyoneAskingForACommit() throws Exception {
        try (RocksStore store = RocksStore.open(
                StoreOptions.defaults().withPath(dir.resolve("data")).withInflightWriteDelay(HOUR))) {
            SessionPersistence s = persistentSession(store);
            List<String> events = new CopyOnWriteArrayList<>();
            PendingAck ack = ackThatCommits(store, events);
            s.queue().add(delivery("for an offline session", 1), ack);
            ack.release();
            awaitEvents(events, "commit", "synced");
            assertThat(queueEntriesOnDisk(store)).isEqualTo(1);
        }
    }

    @Test
    void aFailedWriteOfHeldRecordsFailsTheAcksWaitingForThem() throws Exception {
        try (RocksStore store = open()) {
            AckProbe probe = sentWithWaitingAck(persistentSession(store));
            store.db().dropColumnFamily(store.family(RocksStore.INFLIGHT)); // writes of inflight records fail now
            assertThatThrownBy(store::writeHeld).isInstanceOf(StoreException.class);
            assertThat(probe.events).containsExactly("failed");
        }
    }
}
