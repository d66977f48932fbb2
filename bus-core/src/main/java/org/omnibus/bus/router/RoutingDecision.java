package org.omnibus.bus.router;

/**
 * What the edge must do with a message it handed to the bus. Reused from message to message.
 * <ul>
 * <li>{@link #DELIVER}: queue the message unchanged (only the sender header stitched in) to every local
 * recipient in order, and send it to every remote recipient / to the cluster when {@link #toCluster()}. For a
 * unicast message the first recipient is the addressed one ({@link #hasAddressedRecipient()}), the others
 * eavesdrop. A broadcast may have no recipient at all.</li>
 * <li>{@link #DRIVER}: the bus driver handled it; its answers are in the outbox.</li>
 * <li>{@link #REJECTED}: not delivered; the error for the sender ({@link #errorName()},
 * {@link #errorMessage()}) is in the outbox when the sender is local.</li>
 * <li>{@link #DROPPED}: nothing to do (e.g. a method return without destination).</li>
 * <li>{@link #DISCONNECT}: the sender broke the protocol; close it ({@link #reason()} says why).</li>
 * </ul>
 * Whatever the action, a copy goes to every peer in {@link #monitors()}. In every case the edge then drains the
 * bus' outbox.
 */
public final class RoutingDecision
{
    /** Deliver to the recipients. */
    public static final int DELIVER = 1;
    /** Handled by the driver. */
    public static final int DRIVER = 2;
    /** Refused with an error. */
    public static final int REJECTED = 3;
    /** Silently dropped. */
    public static final int DROPPED = 4;
    /** Disconnect the sender. */
    public static final int DISCONNECT = 5;

    private final RecipientList recipients = new RecipientList();
    private final RecipientList monitors = new RecipientList();
    private int action;
    private boolean addressed;
    private boolean toCluster;
    private String errorName;
    private String errorMessage;
    private String reason;

    /**
     * @return one of the action constants.
     */
    public int action()
    {
        return action;
    }

    /**
     * @return the recipients (for {@link #DELIVER}).
     */
    public RecipientList recipients()
    {
        return recipients;
    }

    /**
     * @return monitors (BecomeMonitor) that get a copy of the message whatever the action, even when it is
     * rejected or goes to the driver; usually empty.
     */
    public RecipientList monitors()
    {
        return monitors;
    }

    /**
     * @return true when the first local recipient (or, when there is no local recipient, the first remote
     * one) is the addressed recipient of a unicast message.
     */
    public boolean hasAddressedRecipient()
    {
        return addressed;
    }

    /**
     * @return true when a broadcast must also go to the other nodes of the cluster.
     */
    public boolean toCluster()
    {
        return toCluster;
    }

    /**
     * @return error name of a {@link #REJECTED} message.
     */
    public String errorName()
    {
        return errorName;
    }

    /**
     * @return error message of a {@link #REJECTED} message.
     */
    public String errorMessage()
    {
        return errorMessage;
    }

    /**
     * @return why a message was dropped or its sender must be disconnected.
     */
    public String reason()
    {
        return reason;
    }

    void reset()
    {
        recipients.clear();
        monitors.clear();
        action = 0;
        addressed = false;
        toCluster = false;
        errorName = null;
        errorMessage = null;
        reason = null;
    }

    void deliver(final boolean addressed, final boolean toCluster)
    {
        this.action = DELIVER;
        this.addressed = addressed;
        this.toCluster = toCluster;
    }

    void driver()
    {
        this.action = DRIVER;
    }

    void reject(final String errorName, final String errorMessage)
    {
        this.action = REJECTED;
        this.errorName = errorName;
        this.errorMessage = errorMessage;
    }

    void drop(final String reason)
    {
        this.action = DROPPED;
        this.reason = reason;
    }

    void disconnect(final String reason)
    {
        this.action = DISCONNECT;
        this.reason = reason;
    }
}
