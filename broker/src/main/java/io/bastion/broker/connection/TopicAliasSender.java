package io.bastion.broker.connection;

import java.util.HashMap;
import java.util.Map;

/**
 * Server-to-client Topic Aliases of one connection: the first PUBLISH on a topic carries topic and
 * alias, later ones only the two-byte alias. When every alias the client allows is taken, the oldest
 * assignment is reused for the new topic.
 */
final class TopicAliasSender {
    private final String[] topicByAlias;
    private final Map<String, Integer> aliasByTopic = new HashMap<>();
    private int nextAlias = 1;

    TopicAliasSender(int clientMaximum) {
        this.topicByAlias = new String[clientMaximum + 1];
    }

    /** Positive: an alias the client already knows. Negative: a new alias to send with the topic. */
    int aliasFor(String topic) {
        Integer known = aliasByTopic.get(topic);
        if (known != null) {
            return known;
        }
        int alias = nextAlias;
        nextAlias = nextAlias == topicByAlias.length - 1 ? 1 : nextAlias + 1;
        String previous = topicByAlias[alias];
        if (previous != null) {
            aliasByTopic.remove(previous);
        }
        topicByAlias[alias] = topic;
        aliasByTopic.put(topic, alias);
        return -alias;
    }

    /** Undoes a new assignment whose PUBLISH was not sent. */
    void forget(int alias) {
        String topic = topicByAlias[alias];
        if (topic != null) {
            aliasByTopic.remove(topic);
            topicByAlias[alias] = null;
        }
    }
}
