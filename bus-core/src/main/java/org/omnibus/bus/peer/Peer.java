package org.omnibus.bus.peer;

import org.omnibus.bus.PeerIds;
import org.omnibus.bus.policy.PolicySnapshot;

/**
 * A connection as the bus sees it: its unique name, credentials, policy snapshot and state.
 * <p>
 * The edge keeps its own connection object in {@link #attachment()}, so a routing decision that lists peers leads
 * straight to the sockets. Single-threaded: owned by the agent that runs the bus.
 */
public final class Peer
{
    /** Authenticated, Hello not yet handled. */
    public static final int STATE_CONNECTED = 0;
    /** Hello handled: the unique name is registered. */
    public static final int STATE_REGISTERED = 1;
    /** The peer called BecomeMonitor: it only receives. */
    public static final int STATE_MONITOR = 2;
    /** Gone. */
    public static final int STATE_DISCONNECTED = 3;

    private final long id;
    private final String uniqueName;
    private final PeerCredentials credentials;
    private final boolean local;
    private PolicySnapshot policy;
    private int state = STATE_CONNECTED;
    private boolean helloPending;
    private int helloSerial;
    private boolean unixFdsEnabled;
    private boolean outgoingQueueFull;
    private long stamp;
    private Object attachment;

    /**
     * @param id          packed peer id, see {@link PeerIds}.
     * @param credentials credentials.
     * @param policy      policy snapshot computed from the credentials.
     * @param local       true when the connection lives on this node.
     */
    public Peer(final long id, final PeerCredentials credentials, final PolicySnapshot policy, final boolean local)
    {
        this.id = id;
        this.uniqueName = PeerIds.uniqueName(id);
        this.credentials = credentials;
        this.policy = policy;
        this.local = local;
    }

    /**
     * @return the packed id.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the unique name {@code :NODE.CONN} (assigned at connect, registered at Hello).
     */
    public String uniqueName()
    {
        return uniqueName;
    }

    /**
     * @return credentials.
     */
    public PeerCredentials credentials()
    {
        return credentials;
    }

    /**
     * @return true when the connection lives on this node.
     */
    public boolean isLocal()
    {
        return local;
    }

    /**
     * @return the policy snapshot consulted for this peer's own, send and receive checks.
     */
    public PolicySnapshot policy()
    {
        return policy;
    }

    /**
     * Replace the snapshot (ReloadConfig).
     *
     * @param policy the new snapshot.
     */
    public void policy(final PolicySnapshot policy)
    {
        this.policy = policy;
    }

    /**
     * @return one of the STATE_ constants.
     */
    public int state()
    {
        return state;
    }

    /**
     * @param state one of the STATE_ constants.
     */
    public void state(final int state)
    {
        this.state = state;
    }

    /**
     * @return true once Hello has been handled (and the peer is not a monitor or gone).
     */
    public boolean isRegistered()
    {
        return state == STATE_REGISTERED;
    }

    /**
     * @return true when Hello was submitted but not yet applied (a cluster orders it first); the edge should not
     * dispatch further messages of this peer until it is registered.
     */
    public boolean isHelloPending()
    {
        return helloPending;
    }

    /**
     * @param helloPending whether Hello is in flight.
     */
    public void helloPending(final boolean helloPending)
    {
        this.helloPending = helloPending;
    }

    /**
     * @return the serial of the Hello call in flight (valid while {@link #isHelloPending()}), so a node that learns
     * of the registration from a state transfer rather than from the command can still answer it.
     */
    public int helloSerial()
    {
        return helloSerial;
    }

    /**
     * @param helloSerial the serial of the Hello call in flight.
     */
    public void helloSerial(final int helloSerial)
    {
        this.helloSerial = helloSerial;
    }

    /**
     * @return true when the peer negotiated unix fd passing.
     */
    public boolean unixFdsEnabled()
    {
        return unixFdsEnabled;
    }

    /**
     * @param enabled set by the edge after NEGOTIATE_UNIX_FD.
     */
    public void unixFdsEnabled(final boolean enabled)
    {
        this.unixFdsEnabled = enabled;
    }

    /**
     * @return true when the edge reports the peer's outgoing queue as full (unicast gets LimitsExceeded).
     */
    public boolean outgoingQueueFull()
    {
        return outgoingQueueFull;
    }

    /**
     * @param full set by the edge.
     */
    public void outgoingQueueFull(final boolean full)
    {
        this.outgoingQueueFull = full;
    }

    /**
     * Mark the peer as a recipient of the fan-out identified by {@code stamp}.
     *
     * @param stamp the current fan-out stamp.
     * @return true when the peer was not yet marked with this stamp.
     */
    public boolean tryMark(final long stamp)
    {
        if (this.stamp == stamp)
        {
            return false;
        }
        this.stamp = stamp;
        return true;
    }

    /**
     * @param stamp a fan-out stamp.
     * @return true when the peer is already marked with it.
     */
    public boolean isMarked(final long stamp)
    {
        return this.stamp == stamp;
    }

    /**
     * @return the edge's object for this peer, or null.
     */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * @param attachment the edge's object for this peer.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return the description used in log and error messages, as dbus-daemon's loginfo.
     */
    public String loginfo()
    {
        return credentials.loginfo();
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "Peer{" + uniqueName + ", state=" + state + ", " + credentials + '}';
    }
}
