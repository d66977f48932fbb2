package org.omnibus.bus.reply;

import org.agrona.collections.Long2LongHashMap;

/**
 * Method calls waiting for their reply: (caller, serial, callee) with a deadline. A method return or error only
 * passes when it answers such a pending call (dbus-broker's rule; dbus-daemon's send_requested_reply), and it
 * consumes it. Calls time out after the configured reply timeout (dbus-daemon's reply_timeout; none by
 * default) and fail at once when the callee disconnects; both give the caller a NoReply error.
 * <p>
 * Entries are pooled and indexed by an open hash of the triple; the deadline order is the insertion order (one
 * timeout for all), kept in a linked list. In steady state nothing is allocated. Deterministic.
 */
public final class ReplyRegistry
{
    /** The call is now pending. */
    public static final int OK = 0;
    /** The caller already waits for a reply to the same serial from the same callee. */
    public static final int DUPLICATE = 1;
    /** The caller reached max_replies_per_connection. */
    public static final int LIMIT = 2;

    /** NoReply message when the callee disconnected (dbus-daemon's wording). */
    public static final String CALLEE_DISCONNECTED_MESSAGE =
        "Message recipient disconnected from message bus without replying";
    /** NoReply message on timeout (dbus-daemon's wording). */
    public static final String TIMEOUT_MESSAGE = "Message did not receive a reply (timeout by message bus)";

    private static final long NEVER = Long.MAX_VALUE;

    /**
     * Told about calls that will not get their reply.
     */
    @FunctionalInterface
    public interface NoReplyHandler
    {
        /**
         * @param caller             the peer waiting.
         * @param serial             the serial of its call.
         * @param callee             the peer that was called.
         * @param calleeDisconnected true when the callee is gone, false on timeout.
         */
        void onNoReply(long caller, int serial, long callee, boolean calleeDisconnected);
    }

    private static final class Entry
    {
        long caller;
        int serial;
        long callee;
        long deadlineNs;
        Entry chain;
        Entry prev;
        Entry next;
    }

    private int maxRepliesPerCaller;
    private long timeoutNs;
    private final Long2LongHashMap countByCaller = new Long2LongHashMap(0);
    private Entry[] table = new Entry[64];
    private Entry free;
    private Entry head;
    private Entry tail;
    private int size;

    /**
     * @param maxRepliesPerCaller max_replies_per_connection.
     * @param timeoutNs           reply timeout in ns; zero or negative for none.
     */
    public ReplyRegistry(final int maxRepliesPerCaller, final long timeoutNs)
    {
        this.maxRepliesPerCaller = maxRepliesPerCaller;
        this.timeoutNs = timeoutNs > 0 ? timeoutNs : 0;
    }

    /**
     * Change the limits (ReloadConfig); pending calls keep their deadlines.
     *
     * @param maxRepliesPerCaller max_replies_per_connection.
     * @param timeoutNs           reply timeout in ns; zero or negative for none.
     */
    public void limits(final int maxRepliesPerCaller, final long timeoutNs)
    {
        this.maxRepliesPerCaller = maxRepliesPerCaller;
        this.timeoutNs = timeoutNs > 0 ? timeoutNs : 0;
    }

    /**
     * Record that {@code caller} waits for a reply to {@code serial} from {@code callee}.
     *
     * @param caller the calling peer.
     * @param serial the call's serial.
     * @param callee the called peer.
     * @param nowNs  current time.
     * @return {@link #OK}, {@link #DUPLICATE} or {@link #LIMIT}.
     */
    public int expect(final long caller, final int serial, final long callee, final long nowNs)
    {
        if (null != find(caller, serial, callee))
        {
            return DUPLICATE;
        }
        final long count = countByCaller.get(caller);
        if (count >= maxRepliesPerCaller)
        {
            return LIMIT;
        }
        if (size + 1 > table.length * 3 / 4)
        {
            grow();
        }
        Entry e = free;
        if (null == e)
        {
            e = new Entry();
        }
        else
        {
            free = e.chain;
        }
        e.caller = caller;
        e.serial = serial;
        e.callee = callee;
        e.deadlineNs = timeoutNs > 0 ? nowNs + timeoutNs : NEVER;
        final int bucket = bucket(caller, serial, callee);
        e.chain = table[bucket];
        table[bucket] = e;
        e.prev = tail;
        e.next = null;
        if (null == tail)
        {
            head = e;
        }
        else
        {
            tail.next = e;
        }
        tail = e;
        size++;
        countByCaller.put(caller, count + 1);
        return OK;
    }

    /**
     * @param replier     the peer sending a reply (the callee).
     * @param receiver    the peer the reply goes to (the caller).
     * @param replySerial the reply's reply serial.
     * @return true when that call is pending.
     */
    public boolean isExpected(final long replier, final long receiver, final int replySerial)
    {
        return null != find(receiver, replySerial, replier);
    }

    /**
     * Consume the pending call a reply answers.
     *
     * @param replier     the peer sending the reply.
     * @param receiver    the peer the reply goes to.
     * @param replySerial the reply's reply serial.
     * @return true when the call was pending (and is no more).
     */
    public boolean consume(final long replier, final long receiver, final int replySerial)
    {
        final Entry e = find(receiver, replySerial, replier);
        if (null == e)
        {
            return false;
        }
        removeEntry(e);
        return true;
    }

    /**
     * @param caller a peer.
     * @return how many of its calls are pending.
     */
    public int pendingCount(final long caller)
    {
        return (int)countByCaller.get(caller);
    }

    /**
     * @return number of pending calls.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return the earliest deadline, or {@link Long#MAX_VALUE} when nothing can time out.
     */
    public long nextDeadlineNs()
    {
        return null == head ? NEVER : head.deadlineNs;
    }

    /**
     * Expire the calls whose deadline passed, oldest first.
     *
     * @param nowNs   current time.
     * @param handler told about each expired call.
     * @return number of expired calls.
     */
    public int poll(final long nowNs, final NoReplyHandler handler)
    {
        int expired = 0;
        while (null != head && head.deadlineNs <= nowNs)
        {
            final Entry e = head;
            final long caller = e.caller;
            final int serial = e.serial;
            final long callee = e.callee;
            removeEntry(e);
            handler.onNoReply(caller, serial, callee, false);
            expired++;
        }
        return expired;
    }

    /**
     * A peer went away: forget the calls it waits for, and fail the calls waiting for it (oldest first).
     *
     * @param peer    the peer.
     * @param handler told about each call that will never get its reply.
     */
    public void onPeerGone(final long peer, final NoReplyHandler handler)
    {
        Entry e = head;
        while (null != e)
        {
            final Entry next = e.next;
            if (e.caller == peer)
            {
                removeEntry(e);
            }
            else if (e.callee == peer)
            {
                final long caller = e.caller;
                final int serial = e.serial;
                removeEntry(e);
                handler.onNoReply(caller, serial, peer, true);
            }
            e = next;
        }
    }

    private Entry find(final long caller, final int serial, final long callee)
    {
        for (Entry e = table[bucket(caller, serial, callee)]; null != e; e = e.chain)
        {
            if (e.caller == caller && e.serial == serial && e.callee == callee)
            {
                return e;
            }
        }
        return null;
    }

    private void removeEntry(final Entry e)
    {
        final int bucket = bucket(e.caller, e.serial, e.callee);
        Entry prevInChain = null;
        for (Entry c = table[bucket]; null != c; c = c.chain)
        {
            if (c == e)
            {
                if (null == prevInChain)
                {
                    table[bucket] = c.chain;
                }
                else
                {
                    prevInChain.chain = c.chain;
                }
                break;
            }
            prevInChain = c;
        }
        if (null == e.prev)
        {
            head = e.next;
        }
        else
        {
            e.prev.next = e.next;
        }
        if (null == e.next)
        {
            tail = e.prev;
        }
        else
        {
            e.next.prev = e.prev;
        }
        final long count = countByCaller.get(e.caller) - 1;
        if (count <= 0)
        {
            countByCaller.remove(e.caller);
        }
        else
        {
            countByCaller.put(e.caller, count);
        }
        size--;
        e.prev = null;
        e.next = null;
        e.chain = free;
        free = e;
    }

    private int bucket(final long caller, final int serial, final long callee)
    {
        long h = caller * 0x9E3779B97F4A7C15L;
        h ^= serial * 0xC2B2AE3D27D4EB4FL;
        h ^= callee * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int)h & (table.length - 1);
    }

    private void grow()
    {
        final Entry[] old = table;
        table = new Entry[old.length * 2];
        for (Entry e = head; null != e; e = e.next)
        {
            final int bucket = bucket(e.caller, e.serial, e.callee);
            e.chain = table[bucket];
            table[bucket] = e;
        }
        assert old.length > 0;
    }
}
