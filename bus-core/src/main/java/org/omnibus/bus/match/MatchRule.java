package org.omnibus.bus.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.omnibus.bus.MessageType;
import org.omnibus.bus.MessageView;
import org.omnibus.bus.peer.Peer;
import org.omnibus.bus.util.CharSequenceMap;

/**
 * A parsed match rule (see {@link MatchRuleParser}). Two rules are equal when dbus-daemon's match_rule_equal
 * says so: same keys with the same values (eavesdrop='false' is the same as no eavesdrop key). Immutable once
 * parsed; the {@link MatchRegistry} records the owning peer when the rule is added.
 */
public final class MatchRule
{
    static final int MESSAGE_TYPE = 1;
    static final int INTERFACE = 1 << 1;
    static final int MEMBER = 1 << 2;
    static final int SENDER = 1 << 3;
    static final int DESTINATION = 1 << 4;
    static final int PATH = 1 << 5;
    static final int ARGS = 1 << 6;
    static final int PATH_NAMESPACE = 1 << 7;
    static final int CLIENT_IS_EAVESDROPPING = 1 << 8;

    static final int ARG_IS_PATH = 1;
    static final int ARG_NAMESPACE = 2;

    /** Highest argN index (DBUS_MAXIMUM_MATCH_RULE_ARG_NUMBER). */
    public static final int MAXIMUM_ARG_NUMBER = 63;

    final int flags;
    final int messageType;
    final String interfaceName;
    final String member;
    final String sender;
    final String destination;
    final String path;
    final byte[][] args;
    final int[] argFlags;
    final String text;

    Peer owner;
    boolean monitor;
    RuleArray slot;
    RuleArray eavesdropSlot;

    MatchRule(final MatchRuleParser.Builder b, final String text)
    {
        this.flags = b.flags;
        this.messageType = b.messageType;
        this.interfaceName = b.interfaceName;
        this.member = b.member;
        this.sender = b.sender;
        this.destination = b.destination;
        this.path = b.path;
        this.args = Arrays.copyOf(b.args, b.argsLen);
        this.argFlags = Arrays.copyOf(b.argFlags, b.argsLen);
        this.text = text;
    }

    /**
     * @return message type or {@link MessageType#INVALID} when the rule has no type key.
     */
    public int messageType()
    {
        return messageType;
    }

    /**
     * @return interface key or null.
     */
    public String interfaceName()
    {
        return interfaceName;
    }

    /**
     * @return member key or null.
     */
    public String member()
    {
        return member;
    }

    /**
     * @return sender key or null.
     */
    public String sender()
    {
        return sender;
    }

    /**
     * @return destination key or null.
     */
    public String destination()
    {
        return destination;
    }

    /**
     * @return path or path_namespace key, or null.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return true when the path key is path_namespace.
     */
    public boolean isPathNamespace()
    {
        return (flags & PATH_NAMESPACE) != 0;
    }

    /**
     * @return true for eavesdrop='true'.
     */
    public boolean isEavesdropping()
    {
        return (flags & CLIENT_IS_EAVESDROPPING) != 0;
    }

    /**
     * @return one more than the highest argN index used, 0 when none.
     */
    public int argCount()
    {
        return args.length;
    }

    /**
     * @param index argument index.
     * @return the value of argN / argNpath / arg0namespace as a string, or null when the rule has no key for it.
     */
    public String arg(final int index)
    {
        return index < args.length && null != args[index] ? new String(args[index], StandardCharsets.UTF_8) : null;
    }

    /**
     * @param index argument index.
     * @return true for an argNpath key.
     */
    public boolean isArgPath(final int index)
    {
        return index < args.length && (argFlags[index] & ARG_IS_PATH) != 0;
    }

    /**
     * @param index argument index.
     * @return true for the arg0namespace key.
     */
    public boolean isArgNamespace(final int index)
    {
        return index < args.length && (argFlags[index] & ARG_NAMESPACE) != 0;
    }

    /**
     * @return the text the rule was parsed from.
     */
    public String text()
    {
        return text;
    }

    /**
     * @return the peer that added the rule, null when not added.
     */
    public Peer owner()
    {
        return owner;
    }

    /**
     * @return true when arg0 is an exact string key (the registry indexes such rules by arg0).
     */
    boolean hasExactArg0()
    {
        return args.length > 0 && null != args[0] && argFlags[0] == 0;
    }

    /**
     * @return true when the path key is an exact path (the registry indexes such rules by path).
     */
    boolean hasExactPath()
    {
        return (flags & PATH) != 0;
    }

    /**
     * Does a message match this rule (dbus-daemon's match_rule_matches)?
     *
     * @param message            the message.
     * @param senderIsOwner      how to check the sender key: true when the caller already established it, else
     *                           the key is checked by {@code senderCheck}.
     * @param senderCheck        answers whether the message's sender is the primary owner of a name (used when
     *                           {@code senderIsOwner} is false and the rule has a sender key).
     * @param destinationCheck   answers whether the addressed recipient is the primary owner of a name (used for
     *                           eavesdropping rules with a destination key); may be null for broadcasts.
     * @param skipInterfaceAndMember true when the caller's index already matched interface and member.
     * @return true when every key matches.
     */
    boolean matches(
        final MessageView message,
        final boolean senderIsOwner,
        final OwnerCheck senderCheck,
        final OwnerCheck destinationCheck,
        final boolean skipInterfaceAndMember)
    {
        final int flags = this.flags;
        final boolean eavesdrop = (flags & CLIENT_IS_EAVESDROPPING) != 0;

        if ((flags & MESSAGE_TYPE) != 0 && messageType != message.type())
        {
            return false;
        }
        if (!skipInterfaceAndMember)
        {
            if ((flags & INTERFACE) != 0)
            {
                final CharSequence iface = message.interfaceName();
                if (null == iface || !CharSequenceMap.contentEquals(interfaceName, iface))
                {
                    return false;
                }
            }
            if ((flags & MEMBER) != 0)
            {
                final CharSequence m = message.member();
                if (null == m || !CharSequenceMap.contentEquals(member, m))
                {
                    return false;
                }
            }
        }
        if ((flags & SENDER) != 0 && !senderIsOwner && !senderCheck.isPrimaryOwner(sender))
        {
            return false;
        }

        final CharSequence messageDestination = message.destination();
        if ((flags & DESTINATION) != 0)
        {
            if (null == messageDestination || !eavesdrop)
            {
                return false;
            }
            if (!destinationCheck.isPrimaryOwner(destination))
            {
                return false;
            }
        }
        else if (!eavesdrop && null != messageDestination)
        {
            return false;
        }

        if ((flags & (PATH | PATH_NAMESPACE)) != 0)
        {
            final CharSequence p = message.path();
            if (null == p)
            {
                return false;
            }
            if ((flags & PATH) != 0)
            {
                if (!CharSequenceMap.contentEquals(path, p))
                {
                    return false;
                }
            }
            else
            {
                final int len = path.length();
                if (p.length() < len)
                {
                    return false;
                }
                for (int i = 0; i < len; i++)
                {
                    if (p.charAt(i) != path.charAt(i))
                    {
                        return false;
                    }
                }
                if (len > 1 && p.length() > len && p.charAt(len) != '/')
                {
                    return false;
                }
            }
        }

        if ((flags & ARGS) != 0)
        {
            return argsMatch(message);
        }
        return true;
    }

    private boolean argsMatch(final MessageView message)
    {
        for (int i = 0; i < args.length; i++)
        {
            final byte[] expected = args[i];
            if (null == expected)
            {
                continue;
            }
            final int type = message.argType(i);
            final boolean isPath = (argFlags[i] & ARG_IS_PATH) != 0;
            if (type != 's' && (!isPath || type != 'o'))
            {
                return false;
            }
            final int actualLength = message.argLength(i);
            if (actualLength < 0)
            {
                return false;
            }
            final int expectedLength = expected.length;
            if (isPath)
            {
                if (actualLength < expectedLength &&
                    (actualLength == 0 || message.argByte(i, actualLength - 1) != '/'))
                {
                    return false;
                }
                if (expectedLength < actualLength && (expectedLength == 0 || expected[expectedLength - 1] != '/'))
                {
                    return false;
                }
                if (!regionEquals(message, i, expected, Math.min(actualLength, expectedLength)))
                {
                    return false;
                }
            }
            else if ((argFlags[i] & ARG_NAMESPACE) != 0)
            {
                if (expectedLength > actualLength || !regionEquals(message, i, expected, expectedLength))
                {
                    return false;
                }
                if (expectedLength < actualLength && message.argByte(i, expectedLength) != '.')
                {
                    return false;
                }
            }
            else if (expectedLength != actualLength || !regionEquals(message, i, expected, expectedLength))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean regionEquals(
        final MessageView message, final int index, final byte[] expected, final int length)
    {
        for (int j = 0; j < length; j++)
        {
            if (message.argByte(index, j) != expected[j])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Does a broadcast match this rule, as for a subscriber outside the index (a durable subscription)?
     *
     * @param message     the message.
     * @param senderCheck answers whether the message's sender is the primary owner of a name (for a sender key).
     * @return true when every key matches; false for a message with a destination unless the rule eavesdrops.
     */
    public boolean matchesMessage(final MessageView message, final OwnerCheck senderCheck)
    {
        return matches(message, false, senderCheck, NO_OWNER, false);
    }

    private static final OwnerCheck NO_OWNER = (name) -> false;

    /**
     * Answers "is the peer in question the primary owner of this name?" without allocating.
     */
    public interface OwnerCheck
    {
        /**
         * @param name a name from a rule.
         * @return true when the peer in question is its primary owner.
         */
        boolean isPrimaryOwner(String name);
    }

    /** {@inheritDoc} */
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof MatchRule))
        {
            return false;
        }
        final MatchRule that = (MatchRule)o;
        if (flags != that.flags || messageType != that.messageType || args.length != that.args.length)
        {
            return false;
        }
        if (!Objects.equals(interfaceName, that.interfaceName) || !Objects.equals(member, that.member) ||
            !Objects.equals(sender, that.sender) || !Objects.equals(destination, that.destination) ||
            !Objects.equals(path, that.path))
        {
            return false;
        }
        for (int i = 0; i < args.length; i++)
        {
            if (argFlags[i] != that.argFlags[i] || !Arrays.equals(args[i], that.args[i]))
            {
                return false;
            }
        }
        return true;
    }

    /** {@inheritDoc} */
    public int hashCode()
    {
        int h = flags * 31 + messageType;
        h = h * 31 + Objects.hash(interfaceName, member, sender, destination, path);
        for (final byte[] arg : args)
        {
            h = h * 31 + Arrays.hashCode(arg);
        }
        return h;
    }

    /**
     * @return the canonical text of the rule (dbus-daemon's match_rule_to_string order).
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        if ((flags & MESSAGE_TYPE) != 0)
        {
            append(sb, "type", MessageType.toString(messageType));
        }
        if ((flags & INTERFACE) != 0)
        {
            append(sb, "interface", interfaceName);
        }
        if ((flags & MEMBER) != 0)
        {
            append(sb, "member", member);
        }
        if ((flags & PATH) != 0)
        {
            append(sb, "path", path);
        }
        if ((flags & PATH_NAMESPACE) != 0)
        {
            append(sb, "path_namespace", path);
        }
        if ((flags & SENDER) != 0)
        {
            append(sb, "sender", sender);
        }
        if ((flags & DESTINATION) != 0)
        {
            append(sb, "destination", destination);
        }
        if ((flags & CLIENT_IS_EAVESDROPPING) != 0)
        {
            append(sb, "eavesdrop", "true");
        }
        for (int i = 0; i < args.length; i++)
        {
            if (null != args[i])
            {
                final String key = (argFlags[i] & ARG_IS_PATH) != 0 ? "arg" + i + "path" :
                    (argFlags[i] & ARG_NAMESPACE) != 0 ? "arg0namespace" : "arg" + i;
                append(sb, key, new String(args[i], StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    private static void append(final StringBuilder sb, final String key, final String value)
    {
        if (sb.length() > 0)
        {
            sb.append(',');
        }
        sb.append(key).append("='");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '\'')
            {
                sb.append("'\\''");
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('\'');
    }
}
