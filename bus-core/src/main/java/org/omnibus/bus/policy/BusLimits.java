package org.omnibus.bus.policy;

import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code <limit>} values of a configuration, with dbus-daemon's built-in defaults. Times are milliseconds.
 */
public final class BusLimits
{
    /** Every limit dbus-daemon knows, with its config name and built-in default. */
    public enum Limit
    {
        /** Bytes a connection may have queued for the bus to read. */
        MAX_INCOMING_BYTES("max_incoming_bytes", 127L * 1024 * 1024, false),
        /** Fds a connection may have queued for the bus to read. */
        MAX_INCOMING_UNIX_FDS("max_incoming_unix_fds", 64, false),
        /** Bytes queued towards one connection. */
        MAX_OUTGOING_BYTES("max_outgoing_bytes", 127L * 1024 * 1024, false),
        /** Fds queued towards one connection. */
        MAX_OUTGOING_UNIX_FDS("max_outgoing_unix_fds", 64, false),
        /** Largest message. */
        MAX_MESSAGE_SIZE("max_message_size", 32L * 1024 * 1024, false),
        /** Most fds in one message. */
        MAX_MESSAGE_UNIX_FDS("max_message_unix_fds", 16, false),
        /** Activation timeout. */
        SERVICE_START_TIMEOUT("service_start_timeout", 25_000, true),
        /** Authentication timeout. */
        AUTH_TIMEOUT("auth_timeout", 30_000, true),
        /** How long fds may wait in the bus. */
        PENDING_FD_TIMEOUT("pending_fd_timeout", 150_000, true),
        /** How long a method call waits for its reply; -1 (the default) for ever. */
        REPLY_TIMEOUT("reply_timeout", -1, true),
        /** Registered connections. */
        MAX_COMPLETED_CONNECTIONS("max_completed_connections", 2048, true),
        /** Connections still authenticating. */
        MAX_INCOMPLETE_CONNECTIONS("max_incomplete_connections", 64, true),
        /** Registered connections per uid. */
        MAX_CONNECTIONS_PER_USER("max_connections_per_user", 256, true),
        /** Activations in progress. */
        MAX_PENDING_SERVICE_STARTS("max_pending_service_starts", 512, true),
        /** Names owned or queued for per connection, the unique name included. */
        MAX_NAMES_PER_CONNECTION("max_names_per_connection", 512, true),
        /** Match rules per connection. */
        MAX_MATCH_RULES_PER_CONNECTION("max_match_rules_per_connection", 512, true),
        /** Pending method calls per caller. */
        MAX_REPLIES_PER_CONNECTION("max_replies_per_connection", 128, true),
        /** Containers (not supported; parsed). */
        MAX_CONTAINERS("max_containers", 512, true),
        /** Containers per user (not supported; parsed). */
        MAX_CONTAINERS_PER_USER("max_containers_per_user", 16, true),
        /** Container metadata (not supported; parsed). */
        MAX_CONTAINER_METADATA_BYTES("max_container_metadata_bytes", 4096, true),
        /** Connections per container (not supported; parsed). */
        MAX_CONNECTIONS_PER_CONTAINER("max_connections_per_container", 8, true);

        private final String configName;
        private final long defaultValue;
        private final boolean mustBeInt;

        Limit(final String configName, final long defaultValue, final boolean mustBeInt)
        {
            this.configName = configName;
            this.defaultValue = defaultValue;
            this.mustBeInt = mustBeInt;
        }

        /**
         * @return the name in {@code <limit name="...">}.
         */
        public String configName()
        {
            return configName;
        }

        /**
         * @return dbus-daemon's built-in default.
         */
        public long defaultValue()
        {
            return defaultValue;
        }

        /**
         * @param name a config name.
         * @return the limit or null.
         */
        public static Limit byConfigName(final String name)
        {
            for (final Limit limit : values())
            {
                if (limit.configName.equals(name))
                {
                    return limit;
                }
            }
            return null;
        }
    }

    private final EnumMap<Limit, Long> values = new EnumMap<>(Limit.class);

    /**
     * Limits with the built-in defaults.
     */
    public BusLimits()
    {
        for (final Limit limit : Limit.values())
        {
            values.put(limit, limit.defaultValue);
        }
    }

    /**
     * @param other limits to copy.
     */
    public BusLimits(final BusLimits other)
    {
        values.putAll(other.values);
    }

    /**
     * @param limit a limit.
     * @return its value.
     */
    public long get(final Limit limit)
    {
        return values.get(limit);
    }

    /**
     * Set a limit as a {@code <limit>} element does.
     *
     * @param name  config name.
     * @param value value.
     * @throws ConfigException with dbus-daemon's message for an unknown name, a negative or too large value.
     */
    public void set(final String name, final long value)
    {
        final Limit limit = Limit.byConfigName(name);
        if (null == limit)
        {
            throw new ConfigException("There is no limit called \"" + name + "\"\n");
        }
        if (value < 0)
        {
            throw new ConfigException("<limit name=\"" + name + "\"> must be a positive number\n");
        }
        if (limit.mustBeInt && value > Integer.MAX_VALUE)
        {
            throw new ConfigException("<limit name=\"" + name + "\"> value is too large\n");
        }
        values.put(limit, value);
    }

    /**
     * @param limit a limit.
     * @param value its value, unchecked.
     * @return this.
     */
    public BusLimits with(final Limit limit, final long value)
    {
        values.put(limit, value);
        return this;
    }

    /**
     * @return every limit and value.
     */
    public Map<Limit, Long> asMap()
    {
        return new EnumMap<>(values);
    }

    /**
     * @return max_names_per_connection.
     */
    public int maxNamesPerConnection()
    {
        return (int)get(Limit.MAX_NAMES_PER_CONNECTION);
    }

    /**
     * @return max_match_rules_per_connection.
     */
    public int maxMatchRulesPerConnection()
    {
        return (int)get(Limit.MAX_MATCH_RULES_PER_CONNECTION);
    }

    /**
     * @return max_replies_per_connection.
     */
    public int maxRepliesPerConnection()
    {
        return (int)get(Limit.MAX_REPLIES_PER_CONNECTION);
    }

    /**
     * @return reply_timeout in ms; zero or negative means no timeout.
     */
    public long replyTimeoutMs()
    {
        return get(Limit.REPLY_TIMEOUT);
    }

    /**
     * @return max_completed_connections.
     */
    public int maxCompletedConnections()
    {
        return (int)get(Limit.MAX_COMPLETED_CONNECTIONS);
    }

    /**
     * @return max_connections_per_user.
     */
    public int maxConnectionsPerUser()
    {
        return (int)get(Limit.MAX_CONNECTIONS_PER_USER);
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "BusLimits" + values;
    }
}
