package io.bastion.broker.connection;

/** Client-to-server Topic Aliases of one connection (MQTT 5 section 3.3.2.3.4). */
final class TopicAliasReceiver {
    private final String[] topics;

    TopicAliasReceiver(int maximum) {
        this.topics = new String[maximum + 1];
    }

    int maximum() {
        return topics.length - 1;
    }

    boolean inRange(int alias) {
        return alias > 0 && alias < topics.length; // [MQTT-3.3.2-8/9]
    }

    void set(int alias, String topic) {
        topics[alias] = topic;
    }

    /** The topic an alias stands for, or null when the client has not set it. */
    String resolve(int alias) {
        return topics[alias];
    }
}
