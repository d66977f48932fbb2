package org.omnibus.bus.match;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.agrona.collections.Long2ObjectHashMap;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.name.NameRegistry;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCollector;
import org.omnibus.bus.util.CharSequenceMap;

/**
 * The match rules of this node's peers (AddMatch / RemoveMatch) and the fan-out over them.
 * <p>
 * Two indexes: every rule without a destination key is in the broadcast index (a rule with a destination key
 * never matches a broadcast); every eavesdrop='true' rule is also in the eavesdrop index, the only one a
 * unicast message consults. Within an index rules are grouped by sender, interface, member and exact arg0 or
 * path (see {@link MatchIndex}), so the cost of a fan-out does not grow with rules that cannot match it.
 * <p>
 * Fan-out marks each recipient with a stamp so a peer with several matching rules is listed once, and asks a
 * {@link RecipientFilter} (the router's policy checks) before listing it. Nothing is allocated on that path.
 */
public final class MatchRegistry
{
    private final NameRegistry names;
    private final MatchIndex broadcastIndex = new MatchIndex();
    private final MatchIndex eavesdropIndex = new MatchIndex();
    private final MatchIndex monitorIndex = new MatchIndex();
    private final RecipientFilter acceptAll = (peer) -> true;
    private final Long2ObjectHashMap<ArrayList<MatchRule>> byOwner = new Long2ObjectHashMap<>();
    private final CharSequenceMap<ArrayList<MatchRule>> byReferencedUniqueName = new CharSequenceMap<>();
    private final Fanout fanout = new Fanout();

    /**
     * Final say on each peer a fan-out matched (e.g. policy checks).
     */
    public interface RecipientFilter
    {
        /**
         * @param recipient a peer whose rule matched.
         * @return true to list it.
         */
        boolean accept(Peer recipient);
    }

    /**
     * @param names the name registry (sender and destination keys refer to primary owners).
     */
    public MatchRegistry(final NameRegistry names)
    {
        this.names = names;
    }

    /**
     * Add a rule for a peer (AddMatch). Limits and privileges are the caller's business.
     *
     * @param owner the peer.
     * @param rule  a rule fresh from {@link MatchRuleParser}, not added before.
     */
    public void add(final Peer owner, final MatchRule rule)
    {
        if (null != rule.owner)
        {
            throw new IllegalArgumentException("rule already added: " + rule);
        }
        rule.owner = owner;
        byOwner.computeIfAbsent(owner.id(), (k) -> new ArrayList<>()).add(rule);
        if (null == rule.destination)
        {
            broadcastIndex.add(rule, false);
        }
        if (rule.isEavesdropping())
        {
            eavesdropIndex.add(rule, true);
        }
        referenceAdd(rule.sender, rule);
        if (null != rule.destination && !rule.destination.equals(rule.sender))
        {
            referenceAdd(rule.destination, rule);
        }
    }

    /**
     * Add a rule of a monitor (BecomeMonitor): it selects copies of every message the bus handles, as an
     * eavesdropping rule would.
     *
     * @param monitor the monitoring peer.
     * @param rule    a rule from {@link MatchRuleParser#parseMonitorRule(String)}.
     */
    public void addMonitorRule(final Peer monitor, final MatchRule rule)
    {
        if (null != rule.owner)
        {
            throw new IllegalArgumentException("rule already added: " + rule);
        }
        rule.owner = monitor;
        rule.monitor = true;
        byOwner.computeIfAbsent(monitor.id(), (k) -> new ArrayList<>()).add(rule);
        monitorIndex.add(rule, false);
    }

    /**
     * @return true when some peer monitors the bus.
     */
    public boolean hasMonitors()
    {
        return monitorIndex.size() > 0;
    }

    /**
     * Select the monitors whose rules match a message (dbus-daemon's bus_transaction_capture).
     *
     * @param message     any message the bus handles or sends.
     * @param senderId    the sending peer, or {@link PeerIds#NONE} for the bus driver.
     * @param addressedId the addressed recipient, or {@link PeerIds#NONE} when none (broadcast, the driver, an
     *                    unknown destination: a destination key then compares with the destination header).
     * @param stamp       a fresh fan-out stamp.
     * @param collector   receives the selected monitors.
     */
    public void collectMonitors(
        final MessageView message,
        final long senderId,
        final long addressedId,
        final long stamp,
        final PeerCollector collector)
    {
        if (monitorIndex.size() == 0)
        {
            return;
        }
        fanout.prepare(message, senderId, addressedId, stamp, acceptAll, collector);
        monitorIndex.collect(message, fanout);
        fanout.release();
    }

    /**
     * Remove the most recently added rule of a peer that equals {@code value} (RemoveMatch).
     *
     * @param owner the peer.
     * @param value a parsed rule.
     * @return true when a rule was removed, false when none matched (MatchRuleNotFound).
     */
    public boolean remove(final Peer owner, final MatchRule value)
    {
        final ArrayList<MatchRule> rules = byOwner.get(owner.id());
        if (null == rules)
        {
            return false;
        }
        for (int i = rules.size() - 1; i >= 0; i--)
        {
            final MatchRule rule = rules.get(i);
            if (!rule.monitor && rule.equals(value))
            {
                unlink(rule);
                return true;
            }
        }
        return false;
    }

    /**
     * Remove every rule of a peer (it disconnected or became a monitor).
     *
     * @param owner the peer.
     */
    public void removeAll(final Peer owner)
    {
        final ArrayList<MatchRule> rules = byOwner.get(owner.id());
        if (null != rules)
        {
            for (final MatchRule rule : new ArrayList<>(rules))
            {
                unlink(rule);
            }
        }
    }

    /**
     * Remove every rule whose sender or destination key is a unique name that is gone for good (dbus-daemon
     * drops them when that connection disconnects).
     *
     * @param uniqueName the unique name of the disconnected peer.
     */
    public void removeReferencing(final String uniqueName)
    {
        final ArrayList<MatchRule> rules = byReferencedUniqueName.get(uniqueName);
        if (null != rules)
        {
            for (final MatchRule rule : new ArrayList<>(rules))
            {
                unlink(rule);
            }
        }
    }

    /**
     * @param owner a peer.
     * @return number of its rules.
     */
    public int count(final Peer owner)
    {
        final ArrayList<MatchRule> rules = byOwner.get(owner.id());
        return null == rules ? 0 : rules.size();
    }

    /**
     * @param owner a peer.
     * @return its rules in the order added.
     */
    public List<MatchRule> rules(final Peer owner)
    {
        final ArrayList<MatchRule> rules = byOwner.get(owner.id());
        return null == rules ? List.of() : Collections.unmodifiableList(new ArrayList<>(rules));
    }

    /**
     * @return number of rules in the broadcast index.
     */
    public int broadcastRuleCount()
    {
        return broadcastIndex.size();
    }

    /**
     * @return true when some rule eavesdrops (unicast messages need a fan-out only then).
     */
    public boolean hasEavesdroppers()
    {
        return eavesdropIndex.size() > 0;
    }

    /**
     * Select the peers whose rules match a broadcast signal.
     *
     * @param message   the signal (no destination).
     * @param senderId  the sending peer, or {@link PeerIds#NONE} for the bus driver.
     * @param stamp     a value never used for an earlier fan-out (recipients are marked with it).
     * @param filter    final say on each matched peer.
     * @param collector receives the selected peers.
     */
    public void collectBroadcast(
        final MessageView message,
        final long senderId,
        final long stamp,
        final RecipientFilter filter,
        final PeerCollector collector)
    {
        fanout.prepare(message, senderId, PeerIds.NONE, stamp, filter, collector);
        broadcastIndex.collect(message, fanout);
        fanout.release();
    }

    /**
     * Select the peers whose eavesdropping rules match a unicast message (the addressed recipient must have
     * been marked with the stamp by the caller, so it is not selected again).
     *
     * @param message     the message (with a destination).
     * @param senderId    the sending peer, or {@link PeerIds#NONE} for the bus driver.
     * @param addressedId the addressed recipient, or {@link PeerIds#NONE} for the bus driver.
     * @param stamp       the fan-out stamp.
     * @param filter      final say on each matched peer.
     * @param collector   receives the selected peers.
     */
    public void collectEavesdroppers(
        final MessageView message,
        final long senderId,
        final long addressedId,
        final long stamp,
        final RecipientFilter filter,
        final PeerCollector collector)
    {
        if (eavesdropIndex.size() == 0)
        {
            return;
        }
        fanout.prepare(message, senderId, addressedId, stamp, filter, collector);
        eavesdropIndex.collect(message, fanout);
        fanout.release();
    }

    private void referenceAdd(final String name, final MatchRule rule)
    {
        if (null != name && DBusNames.isUniqueName(name))
        {
            ArrayList<MatchRule> list = byReferencedUniqueName.get(name);
            if (null == list)
            {
                list = new ArrayList<>(2);
                byReferencedUniqueName.put(name, list);
            }
            list.add(rule);
        }
    }

    private void referenceRemove(final String name, final MatchRule rule)
    {
        if (null != name && DBusNames.isUniqueName(name))
        {
            final ArrayList<MatchRule> list = byReferencedUniqueName.get(name);
            if (null != list)
            {
                list.remove(rule);
                if (list.isEmpty())
                {
                    byReferencedUniqueName.remove(name);
                }
            }
        }
    }

    private void unlink(final MatchRule rule)
    {
        final ArrayList<MatchRule> rules = byOwner.get(rule.owner.id());
        for (int i = rules.size() - 1; i >= 0; i--)
        {
            if (rules.get(i) == rule)
            {
                rules.remove(i);
                break;
            }
        }
        if (rules.isEmpty())
        {
            byOwner.remove(rule.owner.id());
        }
        if (rule.monitor)
        {
            monitorIndex.remove(rule, false);
            return;
        }
        if (null != rule.slot)
        {
            broadcastIndex.remove(rule, false);
        }
        if (null != rule.eavesdropSlot)
        {
            eavesdropIndex.remove(rule, true);
        }
        referenceRemove(rule.sender, rule);
        if (null != rule.destination && !rule.destination.equals(rule.sender))
        {
            referenceRemove(rule.destination, rule);
        }
    }

    /**
     * The per-fan-out state handed to the index; reused, so a fan-out allocates nothing.
     */
    private final class Fanout implements MatchIndex.Filter, MatchRule.OwnerCheck
    {
        private long stamp;
        private long addressedId;
        private MessageView message;
        private RecipientFilter filter;
        private PeerCollector collector;
        private String senderUniqueName;
        private NameRegistry.Owner sender;
        private int senderNameCount;

        void prepare(
            final MessageView message,
            final long senderId,
            final long addressedId,
            final long stamp,
            final RecipientFilter filter,
            final PeerCollector collector)
        {
            this.message = message;
            this.stamp = stamp;
            this.addressedId = addressedId;
            this.filter = filter;
            this.collector = collector;
            if (senderId == PeerIds.NONE)
            {
                sender = null;
                senderUniqueName = DBusNames.DBUS_SERVICE;
                senderNameCount = 1;
            }
            else
            {
                sender = names.owner(senderId);
                senderUniqueName = null == sender ? null : sender.uniqueName();
                senderNameCount = null == sender ? 0 : sender.ownedCount();
            }
        }

        void release()
        {
            message = null;
            filter = null;
            collector = null;
            sender = null;
        }

        public int senderNameCount()
        {
            return senderNameCount;
        }

        public String senderName(final int index)
        {
            if (null == sender)
            {
                return senderUniqueName;
            }
            // the unique name is owned too (it is the first joined name), so every primary name is covered
            return sender.isPrimary(index) ? sender.ownedName(index) : null;
        }

        public boolean isMarked(final Peer owner)
        {
            return owner.isMarked(stamp);
        }

        public MatchRule.OwnerCheck destinationCheck()
        {
            return this;
        }

        public boolean accept(final Peer owner)
        {
            owner.tryMark(stamp);
            return filter.accept(owner);
        }

        public PeerCollector collector()
        {
            return collector;
        }

        public boolean isPrimaryOwner(final String name)
        {
            if (addressedId == PeerIds.NONE)
            {
                // the driver, or a destination nobody owns: compare with the destination header
                final CharSequence destination = message.destination();
                return null != destination && CharSequenceMap.contentEquals(name, destination);
            }
            return names.isPrimaryOwner(addressedId, name);
        }
    }
}
