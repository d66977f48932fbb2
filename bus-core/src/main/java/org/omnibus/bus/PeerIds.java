package org.omnibus.bus;

/**
 * Peer ids: a unique name {@code :NODE.CONN} packed into a long, {@code NODE} in the high 32 bits and {@code CONN}
 * in the low 32 bits (both unsigned). Unique names are never reused: connection ids come from a per-node counter.
 */
public final class PeerIds
{
    /** No peer (also used for the bus driver itself). */
    public static final long NONE = -1L;

    private PeerIds()
    {
    }

    /**
     * @param nodeId       node id (0..2^32-1).
     * @param connectionId connection id on that node (0..2^32-1).
     * @return the packed id.
     */
    public static long id(final long nodeId, final long connectionId)
    {
        return (nodeId << 32) | (connectionId & 0xFFFF_FFFFL);
    }

    /**
     * @param peerId a packed id.
     * @return its node id.
     */
    public static long nodeId(final long peerId)
    {
        return peerId >>> 32;
    }

    /**
     * @param peerId a packed id.
     * @return its connection id.
     */
    public static long connectionId(final long peerId)
    {
        return peerId & 0xFFFF_FFFFL;
    }

    /**
     * @param peerId a packed id.
     * @return the unique name {@code :NODE.CONN}.
     */
    public static String uniqueName(final long peerId)
    {
        return ":" + nodeId(peerId) + "." + connectionId(peerId);
    }

    /**
     * Parse a unique name in canonical form (decimal numbers without leading zeros) without allocating.
     *
     * @param name a name.
     * @return the packed id, or {@link #NONE} if the name is not a canonical {@code :NODE.CONN}.
     */
    public static long parse(final CharSequence name)
    {
        final int len = name.length();
        if (len < 4 || name.charAt(0) != ':')
        {
            return NONE;
        }
        int i = 1;
        long node = 0;
        final int nodeStart = i;
        while (i < len && name.charAt(i) != '.')
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9' || (i == nodeStart + 1 && name.charAt(nodeStart) == '0'))
            {
                return NONE;
            }
            node = node * 10 + (c - '0');
            if (node > 0xFFFF_FFFFL)
            {
                return NONE;
            }
            i++;
        }
        if (i == nodeStart || i >= len - 1)
        {
            return NONE;
        }
        i++;
        final int connStart = i;
        long conn = 0;
        while (i < len)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9' || (i == connStart + 1 && name.charAt(connStart) == '0'))
            {
                return NONE;
            }
            conn = conn * 10 + (c - '0');
            if (conn > 0xFFFF_FFFFL)
            {
                return NONE;
            }
            i++;
        }
        return id(node, conn);
    }
}
