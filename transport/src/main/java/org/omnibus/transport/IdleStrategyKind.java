package org.omnibus.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Idle strategies a transport may use for the media driver's agents. Only {@link #BACKOFF} and {@link #SLEEPING}
 * are fit for shared machines; {@link #YIELDING} and {@link #BUSY_SPIN} burn a core each and are opt-in.
 */
public enum IdleStrategyKind
{
    /**
     * Spin, then yield, then park with an exponential back-off up to 1 ms (Aeron's default).
     */
    BACKOFF("backoff"),

    /**
     * Park for a fixed 100 µs whenever idle.
     */
    SLEEPING("sleeping"),

    /**
     * {@link Thread#yield()} whenever idle.
     */
    YIELDING("yielding"),

    /**
     * Busy spin: lowest latency, one full core per agent.
     */
    BUSY_SPIN("busy-spin");

    private final String configName;

    IdleStrategyKind(final String configName)
    {
        this.configName = configName;
    }

    /**
     * The name used in configuration.
     *
     * @return the name used in configuration.
     */
    public String configName()
    {
        return configName;
    }

    /**
     * A new strategy instance (each agent needs its own).
     *
     * @return a new strategy instance.
     */
    public IdleStrategy newIdleStrategy()
    {
        switch (this)
        {
            case SLEEPING:
                return new SleepingIdleStrategy(SLEEP_PERIOD_NS);
            case YIELDING:
                return new YieldingIdleStrategy();
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case BACKOFF:
            default:
                return new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, MAX_PARK_NS);
        }
    }

    /**
     * Parse a configuration name ("backoff", "sleeping", "yielding", "busy-spin"), case-insensitive.
     *
     * @param name to parse.
     * @return the matching kind.
     * @throws IllegalArgumentException if the name is unknown.
     */
    public static IdleStrategyKind fromConfigName(final String name)
    {
        for (final IdleStrategyKind kind : values())
        {
            if (kind.configName.equalsIgnoreCase(name.trim()))
            {
                return kind;
            }
        }

        throw new IllegalArgumentException(
            "unknown idle strategy '" + name + "' (expected backoff, sleeping, yielding or busy-spin)");
    }

    private static final long SLEEP_PERIOD_NS = 100_000L;
    private static final long MAX_SPINS = 10;
    private static final long MAX_YIELDS = 5;
    private static final long MIN_PARK_NS = 1_000L;
    private static final long MAX_PARK_NS = 1_000_000L;
}
