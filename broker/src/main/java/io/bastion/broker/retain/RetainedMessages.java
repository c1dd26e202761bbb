package io.bastion.broker.retain;

import java.util.function.Consumer;

/** The broker's retained messages, one per topic (3.3.1.3). A durable store implements it too. */
public interface RetainedMessages {
    /**
     * Stores, replaces, or — for an empty payload — deletes the topic's retained message
     * [MQTT-3.3.1-5/6/7].
     */
    void put(RetainedMessage message);

    void remove(String topic);

    /**
     * Visits each unexpired retained message whose topic matches the filter (wildcards allowed; a
     * filter starting with a wildcard skips {@code $} topics [MQTT-4.7.2-1]). {@code nowMillis}
     * lets expired ones be skipped and lazily removed.
     */
    void match(String topicFilter, long nowMillis, Consumer<RetainedMessage> consumer);

    /** Number of stored messages, expired ones not yet removed included. */
    int size();

    /** Removes expired messages; returns how many. */
    int purgeExpired(long nowMillis);
}
