package io.bastion.broker.subscription;

/**
 * Receives the result of {@link SubscriptionTree#match}. Called on the matching thread while the
 * walk is in progress: keep it short and do not block.
 */
public interface SubscriptionVisitor {
    /** A non-shared subscription that matches. A client with several matching filters is visited once per filter. */
    void subscriber(SubscriptionEntry entry);

    /** A {@code $share} group whose filter matches and that had at least one member when visited. */
    void sharedGroup(SharedGroup group);
}
