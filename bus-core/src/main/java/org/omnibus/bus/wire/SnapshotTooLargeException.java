package org.omnibus.bus.wire;

/**
 * The replicated state does not fit the largest message the cluster carries, so no snapshot can be sent: a node
 * that needs a state transfer cannot be admitted until the state shrinks (or the limit grows: a larger Aeron term
 * length). Nothing was written.
 */
public final class SnapshotTooLargeException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final int length;
    private final int maxLength;

    /**
     * @param length    the snapshot's length.
     * @param maxLength the limit.
     * @param owners    registered peers.
     * @param names     well-known names.
     */
    public SnapshotTooLargeException(final int length, final int maxLength, final int owners, final int names)
    {
        super("name registry snapshot of " + length + " bytes exceeds the limit of " + maxLength + " bytes (" +
            owners + " peers, " + names + " well-known names)");
        this.length = length;
        this.maxLength = maxLength;
    }

    /**
     * @return the snapshot's length.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the limit.
     */
    public int maxLength()
    {
        return maxLength;
    }
}
