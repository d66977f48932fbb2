package org.omnibus.bus.driver;

import org.omnibus.bus.match.MatchRule;
import org.omnibus.bus.peer.Peer;

/**
 * What serves the driver's {@code org.omnibus.Journal} interface: durable subscriptions over the node's journal.
 * The driver checks the path, the signature and the match rule (a broadcast-signal rule) and hands the call
 * over; the service answers through the {@link DriverCall} (reply or error), on the bus' thread. Without a
 * service the driver answers {@code org.freedesktop.DBus.Error.NotSupported}.
 */
public interface JournalService
{
    /**
     * {@code Subscribe(s match_rule, t from_seq) → (t subscription_id, t start_seq)}.
     *
     * @param call    the call, answered here.
     * @param rule    the parsed rule (no destination, no eavesdropping, signals only).
     * @param fromSeq first sequence wanted, 0 for the first the journal holds (unsigned, at most Long.MAX_VALUE).
     */
    void subscribe(DriverCall call, MatchRule rule, long fromSeq);

    /**
     * {@code SubscribeFromTime(s match_rule, t unix_time_ns) → (t subscription_id, t start_seq)}.
     *
     * @param call       the call, answered here.
     * @param rule       the parsed rule.
     * @param unixTimeNs ns since the epoch.
     */
    void subscribeFromTime(DriverCall call, MatchRule rule, long unixTimeNs);

    /**
     * {@code Unsubscribe(t subscription_id)}.
     *
     * @param call           the call, answered here.
     * @param subscriptionId one of the caller's subscriptions.
     */
    void unsubscribe(DriverCall call, long subscriptionId);

    /**
     * {@code GetPosition() → (t first_seq, t last_seq)}.
     *
     * @param call the call, answered here.
     */
    void position(DriverCall call);

    /**
     * A local peer is gone: its subscriptions end.
     *
     * @param peer the peer.
     */
    void onDisconnect(Peer peer);
}
