package org.omnibus.bus.policy;

import java.util.ArrayList;
import java.util.List;

import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageType;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.PeerIds;
import org.omnibus.bus.util.CharSequenceMap;

/**
 * The policy of one connection: the rules that apply to its credentials, in the order dbus-daemon's
 * bus_policy_create_client_policy puts them (default, groups, user, mandatory) and with the same optimisation
 * (a catch-all rule drops the rules of its kind before it). Computed once when a connection authenticates and
 * consulted read-only for every own, send and receive check; the last matching rule wins.
 * <p>
 * Send and receive checks return a result that packs the decision and the number of rules that matched (used in
 * dbus-daemon's error messages): see {@link #isAllowed(int)} and {@link #matchedRules(int)}. No allocation.
 */
public final class PolicySnapshot
{
    private final PolicyRule[] rules;

    PolicySnapshot(final List<PolicyRule> rules)
    {
        this.rules = optimize(rules).toArray(new PolicyRule[0]);
    }

    /**
     * A snapshot from an explicit rule list (tests, tools).
     *
     * @param rules per-client rules in evaluation order.
     * @return the snapshot.
     */
    public static PolicySnapshot of(final List<PolicyRule> rules)
    {
        return new PolicySnapshot(rules);
    }

    /**
     * @param result a send or receive check result.
     * @return true when the message may pass.
     */
    public static boolean isAllowed(final int result)
    {
        return (result & 1) != 0;
    }

    /**
     * @param result a send or receive check result.
     * @return how many rules matched ("toggles" in dbus-daemon).
     */
    public static int matchedRules(final int result)
    {
        return result >>> 1;
    }

    /**
     * @return the rules after optimisation, in evaluation order.
     */
    public List<PolicyRule> rules()
    {
        return List.of(rules);
    }

    /**
     * May the connection own (or queue for) a name?
     *
     * @param name a well-known name.
     * @return true when allowed.
     */
    public boolean canOwn(final CharSequence name)
    {
        boolean allowed = false;
        for (final PolicyRule rule : rules)
        {
            if (rule.kind != PolicyRule.Kind.OWN)
            {
                continue;
            }
            if (!rule.namePrefix && null != rule.name)
            {
                if (!CharSequenceMap.contentEquals(rule.name, name))
                {
                    continue;
                }
            }
            else if (rule.namePrefix && !DBusNames.startsWithWords(name, rule.name))
            {
                continue;
            }
            allowed = rule.allow;
        }
        return allowed;
    }

    /**
     * May the connection send this message to this recipient (bus_client_policy_check_can_send)?
     *
     * @param message        the message.
     * @param requestedReply true when the message is a reply to a pending call.
     * @param receiverId     the proposed recipient, or {@link PeerIds#NONE} for the bus driver (then
     *                       send_destination compares with the destination header).
     * @param names          name ownership, for send_destination and send_destination_prefix.
     * @return the packed result.
     */
    public int checkSend(
        final MessageView message, final boolean requestedReply, final long receiverId, final NameOwnershipView names)
    {
        boolean allowed = false;
        int toggles = 0;
        final int type = message.type();
        final boolean isReply = message.replySerial() != 0;
        for (final PolicyRule rule : rules)
        {
            if (rule.kind != PolicyRule.Kind.SEND)
            {
                continue;
            }
            if (rule.messageType != MessageType.INVALID && type != rule.messageType)
            {
                continue;
            }
            if (isReply)
            {
                if (!requestedReply && rule.allow && rule.requestedReply && !rule.eavesdrop)
                {
                    continue;
                }
                if (requestedReply && !rule.allow && !rule.requestedReply)
                {
                    continue;
                }
            }
            if (!fieldsMatch(rule, message))
            {
                continue;
            }
            if (rule.broadcast != PolicyRule.BROADCAST_ANY)
            {
                final boolean isBroadcast = null == message.destination() && type == MessageType.SIGNAL;
                if (isBroadcast ? rule.broadcast == PolicyRule.BROADCAST_FALSE :
                    rule.broadcast == PolicyRule.BROADCAST_TRUE)
                {
                    continue;
                }
            }
            if (null != rule.name)
            {
                if (receiverId == PeerIds.NONE)
                {
                    final CharSequence destination = message.destination();
                    if (rule.namePrefix)
                    {
                        if (null == destination || !DBusNames.startsWithWords(destination, rule.name))
                        {
                            continue;
                        }
                    }
                    else if (null == destination || !CharSequenceMap.contentEquals(rule.name, destination))
                    {
                        continue;
                    }
                }
                else if (rule.namePrefix ? !names.isQueuedOwnerByPrefix(receiverId, rule.name) :
                    !names.isInQueue(receiverId, rule.name))
                {
                    continue;
                }
            }
            if (!fdsMatch(rule, message))
            {
                continue;
            }
            allowed = rule.allow;
            toggles++;
        }
        return (toggles << 1) | (allowed ? 1 : 0);
    }

    /**
     * May the connection receive this message (bus_client_policy_check_can_receive)?
     *
     * @param message        the message.
     * @param requestedReply true when the message is a reply to a pending call.
     * @param senderId       the sending peer, or {@link PeerIds#NONE} for the bus driver (then receive_sender
     *                       compares with "org.freedesktop.DBus").
     * @param eavesdropping  true when the connection is neither the addressed recipient nor a broadcast's.
     * @param names          name ownership, for receive_sender.
     * @return the packed result.
     */
    public int checkReceive(
        final MessageView message,
        final boolean requestedReply,
        final long senderId,
        final boolean eavesdropping,
        final NameOwnershipView names)
    {
        boolean allowed = false;
        int toggles = 0;
        final int type = message.type();
        final boolean isReply = message.replySerial() != 0;
        for (final PolicyRule rule : rules)
        {
            if (rule.kind != PolicyRule.Kind.RECEIVE)
            {
                continue;
            }
            if (rule.messageType != MessageType.INVALID && type != rule.messageType)
            {
                continue;
            }
            if (eavesdropping && rule.allow && !rule.eavesdrop)
            {
                continue;
            }
            if (!eavesdropping && !rule.allow && rule.eavesdrop)
            {
                continue;
            }
            if (isReply)
            {
                if (!requestedReply && rule.allow && rule.requestedReply && !rule.eavesdrop)
                {
                    continue;
                }
                if (requestedReply && !rule.allow && !rule.requestedReply)
                {
                    continue;
                }
            }
            if (!fieldsMatch(rule, message))
            {
                continue;
            }
            if (null != rule.name)
            {
                if (senderId == PeerIds.NONE)
                {
                    if (!DBusNames.DBUS_SERVICE.equals(rule.name))
                    {
                        continue;
                    }
                }
                else if (!names.isInQueue(senderId, rule.name))
                {
                    continue;
                }
            }
            if (!fdsMatch(rule, message))
            {
                continue;
            }
            allowed = rule.allow;
            toggles++;
        }
        return (toggles << 1) | (allowed ? 1 : 0);
    }

    private static boolean fieldsMatch(final PolicyRule rule, final MessageView message)
    {
        if (null != rule.path)
        {
            final CharSequence path = message.path();
            if (null != path && !CharSequenceMap.contentEquals(rule.path, path))
            {
                return false;
            }
        }
        if (null != rule.interfaceName)
        {
            // an allow rule does not apply to a message without interface; a deny rule does
            final CharSequence iface = message.interfaceName();
            if (null == iface ? rule.allow : !CharSequenceMap.contentEquals(rule.interfaceName, iface))
            {
                return false;
            }
        }
        if (null != rule.member)
        {
            final CharSequence member = message.member();
            if (null != member && !CharSequenceMap.contentEquals(rule.member, member))
            {
                return false;
            }
        }
        if (null != rule.error)
        {
            final CharSequence error = message.errorName();
            return null == error || CharSequenceMap.contentEquals(rule.error, error);
        }
        return true;
    }

    private static boolean fdsMatch(final PolicyRule rule, final MessageView message)
    {
        if (rule.minFds > 0 || rule.maxFds < PolicyRule.MAXIMUM_MESSAGE_UNIX_FDS)
        {
            final int fds = message.unixFds();
            return fds >= rule.minFds && fds <= rule.maxFds;
        }
        return true;
    }

    private static List<PolicyRule> optimize(final List<PolicyRule> input)
    {
        final List<PolicyRule> rules = new ArrayList<>(input.size());
        for (final PolicyRule rule : input)
        {
            if (!rule.isPerClient())
            {
                continue;
            }
            if (rule.isCatchAll())
            {
                rules.removeIf((r) -> r.kind == rule.kind);
            }
            rules.add(rule);
        }
        return rules;
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "PolicySnapshot" + List.of(rules);
    }
}
