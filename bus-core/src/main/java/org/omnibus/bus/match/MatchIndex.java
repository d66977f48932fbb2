package org.omnibus.bus.match;

import java.nio.charset.StandardCharsets;

import org.omnibus.bus.MessageView;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.peer.PeerCollector;
import org.omnibus.bus.util.CharSequenceMap;

/**
 * Rules indexed so that a message only meets rules that may match it: by sender key (none, or a name the
 * sender owns as primary owner), then interface, then member, then by exact arg0 or exact path. Each level
 * has a slot for rules without that key. A message visits at most 1 + (names its sender owns) sender buckets,
 * two interface slots, two member slots and, in each, the rules with its arg0, its path or neither.
 */
final class MatchIndex
{
    private final SenderBucket wildcard = new SenderBucket();
    private final CharSequenceMap<SenderBucket> bySender = new CharSequenceMap<>();
    private final ArgSequence arg0 = new ArgSequence();
    private int size;

    int size()
    {
        return size;
    }

    void add(final MatchRule rule, final boolean eavesdropIndex)
    {
        SenderBucket bucket = wildcard;
        if (null != rule.sender)
        {
            bucket = bySender.get(rule.sender);
            if (null == bucket)
            {
                bucket = new SenderBucket();
                bySender.put(rule.sender, bucket);
            }
        }
        final RuleArray slot = bucket.add(rule);
        if (eavesdropIndex)
        {
            rule.eavesdropSlot = slot;
        }
        else
        {
            rule.slot = slot;
        }
        size++;
    }

    void remove(final MatchRule rule, final boolean eavesdropIndex)
    {
        final SenderBucket bucket = null == rule.sender ? wildcard : bySender.get(rule.sender);
        bucket.remove(rule, eavesdropIndex ? rule.eavesdropSlot : rule.slot);
        if (null != rule.sender && bucket.count == 0)
        {
            bySender.remove(rule.sender);
        }
        if (eavesdropIndex)
        {
            rule.eavesdropSlot = null;
        }
        else
        {
            rule.slot = null;
        }
        size--;
    }

    /**
     * Visit the rules that may match a message from {@code senderName} (or the names in {@code ownedNames}).
     */
    void collect(final MessageView message, final Filter filter)
    {
        if (size == 0)
        {
            return;
        }
        collectBucket(wildcard, message, filter);
        if (!bySender.isEmpty())
        {
            final int n = filter.senderNameCount();
            for (int i = 0; i < n; i++)
            {
                final String name = filter.senderName(i);
                final SenderBucket bucket = null == name ? null : bySender.get(name);
                if (null != bucket)
                {
                    collectBucket(bucket, message, filter);
                }
            }
        }
    }

    private void collectBucket(final SenderBucket bucket, final MessageView message, final Filter filter)
    {
        final CharSequence iface = message.interfaceName();
        if (null != iface && !bucket.byInterface.isEmpty())
        {
            final MemberLevel level = bucket.byInterface.get(iface);
            if (null != level)
            {
                collectLevel(level, message, filter);
            }
        }
        collectLevel(bucket.anyInterface, message, filter);
    }

    private void collectLevel(final MemberLevel level, final MessageView message, final Filter filter)
    {
        final CharSequence member = message.member();
        if (null != member && !level.byMember.isEmpty())
        {
            final RuleSet set = level.byMember.get(member);
            if (null != set)
            {
                collectSet(set, message, filter);
            }
        }
        if (level.anyMember.count > 0)
        {
            collectSet(level.anyMember, message, filter);
        }
    }

    private void collectSet(final RuleSet set, final MessageView message, final Filter filter)
    {
        if (!set.byArg0.isEmpty() && message.argType(0) == 's')
        {
            final RuleArray rules = set.byArg0.get(arg0.wrap(message, 0));
            if (null != rules)
            {
                collectRules(rules, message, filter);
            }
        }
        if (!set.byPath.isEmpty())
        {
            final CharSequence path = message.path();
            if (null != path)
            {
                final RuleArray rules = set.byPath.get(path);
                if (null != rules)
                {
                    collectRules(rules, message, filter);
                }
            }
        }
        if (set.rest.size > 0)
        {
            collectRules(set.rest, message, filter);
        }
    }

    private static void collectRules(final RuleArray array, final MessageView message, final Filter filter)
    {
        final MatchRule[] rules = array.rules;
        for (int i = 0, n = array.size; i < n; i++)
        {
            final MatchRule rule = rules[i];
            final Peer owner = rule.owner;
            if (!filter.isMarked(owner) &&
                rule.matches(message, true, null, filter.destinationCheck(), true) &&
                filter.accept(owner))
            {
                filter.collector().add(owner);
            }
        }
    }

    /**
     * What a fan-out needs besides the message: the names the sender is known by, recipient de-duplication and
     * the recipient's own checks.
     */
    interface Filter
    {
        int senderNameCount();

        String senderName(int index);

        boolean isMarked(Peer owner);

        MatchRule.OwnerCheck destinationCheck();

        /**
         * Final say on a matched owner (marks it); false to skip it.
         */
        boolean accept(Peer owner);

        PeerCollector collector();
    }

    private static final class SenderBucket
    {
        final CharSequenceMap<MemberLevel> byInterface = new CharSequenceMap<>();
        final MemberLevel anyInterface = new MemberLevel();
        int count;

        RuleArray add(final MatchRule rule)
        {
            MemberLevel level = anyInterface;
            if (null != rule.interfaceName)
            {
                level = byInterface.get(rule.interfaceName);
                if (null == level)
                {
                    level = new MemberLevel();
                    byInterface.put(rule.interfaceName, level);
                }
            }
            count++;
            return level.add(rule);
        }

        void remove(final MatchRule rule, final RuleArray slot)
        {
            final MemberLevel level = null == rule.interfaceName ? anyInterface : byInterface.get(rule.interfaceName);
            level.remove(rule, slot);
            if (null != rule.interfaceName && level.count == 0)
            {
                byInterface.remove(rule.interfaceName);
            }
            count--;
        }
    }

    private static final class MemberLevel
    {
        final CharSequenceMap<RuleSet> byMember = new CharSequenceMap<>();
        final RuleSet anyMember = new RuleSet();
        int count;

        RuleArray add(final MatchRule rule)
        {
            RuleSet set = anyMember;
            if (null != rule.member)
            {
                set = byMember.get(rule.member);
                if (null == set)
                {
                    set = new RuleSet();
                    byMember.put(rule.member, set);
                }
            }
            count++;
            return set.add(rule);
        }

        void remove(final MatchRule rule, final RuleArray slot)
        {
            final RuleSet set = null == rule.member ? anyMember : byMember.get(rule.member);
            set.remove(rule, slot);
            if (null != rule.member && set.count == 0)
            {
                byMember.remove(rule.member);
            }
            count--;
        }
    }

    private static final class RuleSet
    {
        final CharSequenceMap<RuleArray> byArg0 = new CharSequenceMap<>();
        final CharSequenceMap<RuleArray> byPath = new CharSequenceMap<>();
        final RuleArray rest = new RuleArray();
        int count;

        RuleArray add(final MatchRule rule)
        {
            final RuleArray slot;
            if (rule.hasExactArg0())
            {
                slot = slotIn(byArg0, arg0Key(rule));
            }
            else if (rule.hasExactPath())
            {
                slot = slotIn(byPath, rule.path);
            }
            else
            {
                slot = rest;
            }
            slot.add(rule);
            count++;
            return slot;
        }

        void remove(final MatchRule rule, final RuleArray slot)
        {
            slot.remove(rule);
            if (slot.isEmpty())
            {
                if (rule.hasExactArg0())
                {
                    byArg0.remove(arg0Key(rule));
                }
                else if (rule.hasExactPath())
                {
                    byPath.remove(rule.path);
                }
            }
            count--;
        }

        private static RuleArray slotIn(final CharSequenceMap<RuleArray> map, final String key)
        {
            RuleArray slot = map.get(key);
            if (null == slot)
            {
                slot = new RuleArray();
                map.put(key, slot);
            }
            return slot;
        }

        /** One char per UTF-8 byte, the form {@link ArgSequence} presents message arguments in. */
        private static String arg0Key(final MatchRule rule)
        {
            return new String(rule.args[0], StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A string argument of a message as a sequence of its UTF-8 bytes (one char per byte), for allocation-free
     * lookups in maps keyed the same way.
     */
    static final class ArgSequence implements CharSequence
    {
        private MessageView message;
        private int index;
        private int length;

        ArgSequence wrap(final MessageView message, final int index)
        {
            this.message = message;
            this.index = index;
            this.length = Math.max(0, message.argLength(index));
            return this;
        }

        public int length()
        {
            return length;
        }

        public char charAt(final int i)
        {
            return (char)(message.argByte(index, i) & 0xFF);
        }

        public CharSequence subSequence(final int start, final int end)
        {
            return toString().subSequence(start, end);
        }

        public String toString()
        {
            final StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++)
            {
                sb.append(charAt(i));
            }
            return sb.toString();
        }
    }
}
