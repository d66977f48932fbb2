package org.omnibus.bus.policy;

import org.omnibus.bus.MessageType;

/**
 * One {@code <allow>} or {@code <deny>} element of a policy, as dbus-daemon's BusPolicyRule. Null strings mean
 * "any" (the config file's "*"). Immutable.
 */
public final class PolicyRule
{
    /** What a rule is about. */
    public enum Kind
    {
        /** send_* attributes. */
        SEND,
        /** receive_* attributes (or a lone eavesdrop attribute). */
        RECEIVE,
        /** own or own_prefix. */
        OWN,
        /** user: who may connect. */
        USER,
        /** group: who may connect. */
        GROUP
    }

    /** send_broadcast not given. */
    public static final int BROADCAST_ANY = 0;
    /** send_broadcast="false". */
    public static final int BROADCAST_FALSE = 1;
    /** send_broadcast="true". */
    public static final int BROADCAST_TRUE = 2;

    /** Largest number of fds a message may carry (DBUS_MAXIMUM_MESSAGE_UNIX_FDS). */
    public static final int MAXIMUM_MESSAGE_UNIX_FDS = (1 << 27) / 4;

    /** A uid or gid of "*". */
    public static final long ANY_ID = -1L;

    final Kind kind;
    final boolean allow;
    final int messageType;
    final String path;
    final String interfaceName;
    final String member;
    final String error;
    final String name;
    final boolean namePrefix;
    final int broadcast;
    final boolean eavesdrop;
    final boolean requestedReply;
    final boolean log;
    final int minFds;
    final int maxFds;
    final long id;

    private PolicyRule(final Builder b)
    {
        this.kind = b.kind;
        this.allow = b.allow;
        this.messageType = b.messageType;
        this.path = b.path;
        this.interfaceName = b.interfaceName;
        this.member = b.member;
        this.error = b.error;
        this.name = b.name;
        this.namePrefix = b.namePrefix;
        this.broadcast = b.broadcast;
        this.eavesdrop = b.eavesdrop;
        this.requestedReply = b.requestedReply;
        this.log = b.log;
        this.minFds = b.minFds;
        this.maxFds = b.maxFds;
        this.id = b.id;
    }

    /**
     * @param kind  the kind of rule.
     * @param allow true for {@code <allow>}, false for {@code <deny>}.
     * @return a builder.
     */
    public static Builder builder(final Kind kind, final boolean allow)
    {
        return new Builder(kind, allow);
    }

    /**
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return true for allow, false for deny.
     */
    public boolean allow()
    {
        return allow;
    }

    /**
     * @return message type or {@link MessageType#INVALID} for any.
     */
    public int messageType()
    {
        return messageType;
    }

    /**
     * @return path or null.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return interface or null.
     */
    public String interfaceName()
    {
        return interfaceName;
    }

    /**
     * @return member or null.
     */
    public String member()
    {
        return member;
    }

    /**
     * @return error name or null.
     */
    public String error()
    {
        return error;
    }

    /**
     * @return send_destination(_prefix), receive_sender or own(_prefix) value, or null for any.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return true for send_destination_prefix and own_prefix.
     */
    public boolean namePrefix()
    {
        return namePrefix;
    }

    /**
     * @return one of the BROADCAST_ constants.
     */
    public int broadcast()
    {
        return broadcast;
    }

    /**
     * @return eavesdrop attribute.
     */
    public boolean eavesdrop()
    {
        return eavesdrop;
    }

    /**
     * @return send_requested_reply / receive_requested_reply attribute.
     */
    public boolean requestedReply()
    {
        return requestedReply;
    }

    /**
     * @return log attribute.
     */
    public boolean log()
    {
        return log;
    }

    /**
     * @return min_fds.
     */
    public int minFds()
    {
        return minFds;
    }

    /**
     * @return max_fds.
     */
    public int maxFds()
    {
        return maxFds;
    }

    /**
     * @return uid (USER) or gid (GROUP), {@link #ANY_ID} for "*".
     */
    public long id()
    {
        return id;
    }

    /**
     * @return true for rules that concern a connection's messages and names (not who may connect).
     */
    public boolean isPerClient()
    {
        return kind != Kind.USER && kind != Kind.GROUP;
    }

    /**
     * @return true when the rule matches every message or name of its kind (bus_client_policy_optimize).
     */
    boolean isCatchAll()
    {
        switch (kind)
        {
            case SEND:
            case RECEIVE:
                return messageType == MessageType.INVALID && null == path && null == interfaceName &&
                    null == member && null == error && null == name;
            case OWN:
                return null == name && !namePrefix;
            default:
                return false;
        }
    }

    /** {@inheritDoc} */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(allow ? "<allow" : "<deny");
        switch (kind)
        {
            case SEND:
            case RECEIVE:
            {
                final String p = kind == Kind.SEND ? " send_" : " receive_";
                if (messageType != MessageType.INVALID)
                {
                    sb.append(p).append("type=\"").append(MessageType.toString(messageType)).append('"');
                }
                appendAttr(sb, p + "path", path);
                appendAttr(sb, p + "interface", interfaceName);
                appendAttr(sb, p + "member", member);
                appendAttr(sb, p + "error", error);
                appendAttr(sb, kind == Kind.SEND ? (namePrefix ? " send_destination_prefix" : " send_destination") :
                    " receive_sender", name);
                if (eavesdrop)
                {
                    sb.append(" eavesdrop=\"true\"");
                }
                if (requestedReply)
                {
                    sb.append(p).append("requested_reply=\"true\"");
                }
                break;
            }
            case OWN:
                sb.append(namePrefix ? " own_prefix=\"" : " own=\"").append(null == name ? "*" : name).append('"');
                break;
            case USER:
                sb.append(" user=\"").append(id == ANY_ID ? "*" : Long.toString(id)).append('"');
                break;
            case GROUP:
                sb.append(" group=\"").append(id == ANY_ID ? "*" : Long.toString(id)).append('"');
                break;
            default:
                break;
        }
        return sb.append("/>").toString();
    }

    private static void appendAttr(final StringBuilder sb, final String attr, final String value)
    {
        if (null != value)
        {
            sb.append(attr).append("=\"").append(value).append('"');
        }
    }

    /**
     * Builds a {@link PolicyRule}.
     */
    public static final class Builder
    {
        private final Kind kind;
        private final boolean allow;
        private int messageType = MessageType.INVALID;
        private String path;
        private String interfaceName;
        private String member;
        private String error;
        private String name;
        private boolean namePrefix;
        private int broadcast = BROADCAST_ANY;
        private boolean eavesdrop;
        private boolean requestedReply;
        private boolean log;
        private int minFds;
        private int maxFds = MAXIMUM_MESSAGE_UNIX_FDS;
        private long id = ANY_ID;

        Builder(final Kind kind, final boolean allow)
        {
            this.kind = kind;
            this.allow = allow;
        }

        /**
         * @param messageType a {@link MessageType}, INVALID for any.
         * @return this.
         */
        public Builder messageType(final int messageType)
        {
            this.messageType = messageType;
            return this;
        }

        /**
         * @param path path or null.
         * @return this.
         */
        public Builder path(final String path)
        {
            this.path = path;
            return this;
        }

        /**
         * @param interfaceName interface or null.
         * @return this.
         */
        public Builder interfaceName(final String interfaceName)
        {
            this.interfaceName = interfaceName;
            return this;
        }

        /**
         * @param member member or null.
         * @return this.
         */
        public Builder member(final String member)
        {
            this.member = member;
            return this;
        }

        /**
         * @param error error name or null.
         * @return this.
         */
        public Builder error(final String error)
        {
            this.error = error;
            return this;
        }

        /**
         * @param name   destination, sender or owned name, null for any.
         * @param prefix true for the _prefix forms.
         * @return this.
         */
        public Builder name(final String name, final boolean prefix)
        {
            this.name = name;
            this.namePrefix = prefix;
            return this;
        }

        /**
         * @param broadcast a BROADCAST_ constant.
         * @return this.
         */
        public Builder broadcast(final int broadcast)
        {
            this.broadcast = broadcast;
            return this;
        }

        /**
         * @param eavesdrop eavesdrop attribute.
         * @return this.
         */
        public Builder eavesdrop(final boolean eavesdrop)
        {
            this.eavesdrop = eavesdrop;
            return this;
        }

        /**
         * @param requestedReply requested_reply attribute.
         * @return this.
         */
        public Builder requestedReply(final boolean requestedReply)
        {
            this.requestedReply = requestedReply;
            return this;
        }

        /**
         * @param log log attribute.
         * @return this.
         */
        public Builder log(final boolean log)
        {
            this.log = log;
            return this;
        }

        /**
         * @param minFds min_fds.
         * @param maxFds max_fds.
         * @return this.
         */
        public Builder fds(final int minFds, final int maxFds)
        {
            this.minFds = minFds;
            this.maxFds = maxFds;
            return this;
        }

        /**
         * @param id uid or gid, {@link #ANY_ID} for "*".
         * @return this.
         */
        public Builder id(final long id)
        {
            this.id = id;
            return this;
        }

        /**
         * @return the rule.
         */
        public PolicyRule build()
        {
            return new PolicyRule(this);
        }
    }
}
