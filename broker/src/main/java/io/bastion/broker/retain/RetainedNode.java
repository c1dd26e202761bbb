package io.bastion.broker.retain;

import io.bastion.broker.trie.TrieNode;

/**
 * One topic level of the retained-message trie: its children (kept by {@link TrieNode}) and the
 * message retained for the topic ending here. Readers take no lock; writers hold this node's
 * monitor and keep the invariants of {@link TrieNode}: a pruned node never gains children or a
 * message again (see {@link InMemoryRetainedMessages}).
 */
final class RetainedNode extends TrieNode<RetainedNode> {
    /** Written under this node's monitor. */
    volatile RetainedMessage message;

    RetainedNode(RetainedNode parent, String level) {
        super(parent, level);
    }

    @Override
    protected RetainedNode newChild(String level) {
        return new RetainedNode(this, level);
    }

    /** Caller holds this node's monitor. */
    @Override
    protected boolean isEmpty() {
        return message == null && hasNoLiterals();
    }

    @Override
    public String toString() {
        return "RetainedNode[" + level() + "]";
    }
}
