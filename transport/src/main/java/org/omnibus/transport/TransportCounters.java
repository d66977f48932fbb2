package org.omnibus.transport;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.CloseHelper;

/**
 * The transport's counters, allocated in the media driver's counters file so AeronStat and other tools see them
 * next to the driver's own. Type ids 7100-7199 belong to the transport.
 * <p>
 * The values stay readable (frozen) after the transport is closed.
 * <p>
 * Counts are per send attempt: one send that met back-pressure three times before it succeeded adds three to
 * {@link #backPressured()}.
 */
public final class TransportCounters implements AutoCloseable
{
    /**
     * Type id: offer attempts answered BACK_PRESSURED.
     */
    public static final int BACK_PRESSURED_TYPE_ID = 7100;

    /**
     * Type id: offer attempts answered NOT_CONNECTED (for a send to all in unicast mode: peers skipped).
     */
    public static final int NOT_CONNECTED_TYPE_ID = 7101;

    /**
     * Type id: offer attempts answered ADMIN_ACTION.
     */
    public static final int ADMIN_ACTION_TYPE_ID = 7102;

    /**
     * Type id: sends that gave up after the configured attempts and returned a negative code to the caller.
     */
    public static final int SEND_RETRIES_EXHAUSTED_TYPE_ID = 7103;

    /**
     * Type id: images that became available.
     */
    public static final int IMAGES_AVAILABLE_TYPE_ID = 7104;

    /**
     * Type id: images that became unavailable.
     */
    public static final int IMAGES_UNAVAILABLE_TYPE_ID = 7105;

    /**
     * Type id: sends that returned CLOSED or MAX_POSITION_EXCEEDED.
     */
    public static final int SEND_FAILURES_TYPE_ID = 7106;

    private final Counter backPressured;
    private final Counter notConnected;
    private final Counter adminAction;
    private final Counter sendRetriesExhausted;
    private final Counter imagesAvailable;
    private final Counter imagesUnavailable;
    private final Counter sendFailures;
    private final long[] finalValues = new long[7];
    private volatile boolean closed;

    TransportCounters(final Aeron aeron, final int nodeId)
    {
        final String suffix = ": node=" + nodeId;
        backPressured = aeron.addCounter(BACK_PRESSURED_TYPE_ID, "omnibus transport back-pressured" + suffix);
        notConnected = aeron.addCounter(NOT_CONNECTED_TYPE_ID, "omnibus transport not-connected" + suffix);
        adminAction = aeron.addCounter(ADMIN_ACTION_TYPE_ID, "omnibus transport admin-action" + suffix);
        sendRetriesExhausted = aeron.addCounter(
            SEND_RETRIES_EXHAUSTED_TYPE_ID, "omnibus transport send retries exhausted" + suffix);
        imagesAvailable = aeron.addCounter(IMAGES_AVAILABLE_TYPE_ID, "omnibus transport images available" + suffix);
        imagesUnavailable = aeron.addCounter(
            IMAGES_UNAVAILABLE_TYPE_ID, "omnibus transport images unavailable" + suffix);
        sendFailures = aeron.addCounter(SEND_FAILURES_TYPE_ID, "omnibus transport send failures" + suffix);
    }

    /**
     * @return offer attempts answered BACK_PRESSURED.
     */
    public long backPressured()
    {
        return closed ? finalValues[0] : backPressured.get();
    }

    /**
     * @return offer attempts answered NOT_CONNECTED.
     */
    public long notConnected()
    {
        return closed ? finalValues[1] : notConnected.get();
    }

    /**
     * @return offer attempts answered ADMIN_ACTION.
     */
    public long adminAction()
    {
        return closed ? finalValues[2] : adminAction.get();
    }

    /**
     * @return sends that gave up after the configured attempts.
     */
    public long sendRetriesExhausted()
    {
        return closed ? finalValues[3] : sendRetriesExhausted.get();
    }

    /**
     * @return images that became available.
     */
    public long imagesAvailable()
    {
        return closed ? finalValues[4] : imagesAvailable.get();
    }

    /**
     * @return images that became unavailable.
     */
    public long imagesUnavailable()
    {
        return closed ? finalValues[5] : imagesUnavailable.get();
    }

    /**
     * @return sends that returned CLOSED or MAX_POSITION_EXCEEDED.
     */
    public long sendFailures()
    {
        return closed ? finalValues[6] : sendFailures.get();
    }

    void onBackPressured()
    {
        backPressured.incrementRelease();
    }

    void onNotConnected()
    {
        notConnected.incrementRelease();
    }

    void onAdminAction()
    {
        adminAction.incrementRelease();
    }

    void onSendRetriesExhausted()
    {
        sendRetriesExhausted.incrementRelease();
    }

    void onImageAvailable()
    {
        imagesAvailable.incrementRelease();
    }

    void onImageUnavailable()
    {
        imagesUnavailable.incrementRelease();
    }

    void onSendFailure()
    {
        sendFailures.incrementRelease();
    }

    /**
     * Free the counters. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }

        final Counter[] counters = {
            backPressured, notConnected, adminAction, sendRetriesExhausted, imagesAvailable, imagesUnavailable,
            sendFailures };
        for (int i = 0; i < counters.length; i++)
        {
            finalValues[i] = counters[i].isClosed() ? 0 : counters[i].get();
        }
        closed = true;

        CloseHelper.closeAll(
            backPressured, notConnected, adminAction, sendRetriesExhausted, imagesAvailable, imagesUnavailable,
            sendFailures);
    }
}
