package io.bastion.store;

/** How far a write must have gone before a QoS 1/2 PUBLISH is acknowledged. */
public enum Durability {
    /** Every acknowledgement waits for its own WAL sync: the slowest, nothing acknowledged is ever lost. */
    SYNC,
    /**
     * Acknowledgements wait for a WAL sync that covers every write of a short window (a group commit):
     * nothing acknowledged is lost, one fsync serves many messages.
     */
    GROUP_COMMIT,
    /** Nothing on disk: state lives in memory and ends with the process. */
    MEMORY
}
