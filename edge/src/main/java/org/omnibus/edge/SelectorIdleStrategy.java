package org.omnibus.edge;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;

/**
 * Idles the edge agent: after work it keeps polling for a short, bounded time (a reply often arrives within
 * microseconds, and catching it without a wake-up halves a round trip), then yields, then blocks in the
 * selector until a socket is ready, {@link Selector#wakeup()} is called, or the maximum block time passes.
 * With a spin time of zero it blocks at once; busy-spinning forever is a separate, opt-in strategy.
 * <p>
 * For the edge, the selector is {@link EdgeAgent#selector()}: a blocking select there polls the agent's sockets
 * and leaves what it found to the agent's next duty cycle, allocating nothing.
 */
public final class SelectorIdleStrategy implements IdleStrategy
{
    private final Selector selector;
    private final long spinNs;
    private final long maxBlockMs;
    private final NanoClock clock;
    private long idleSinceNs = -1;
    private int yields;

    /**
     * @param selector   the edge agent's {@link EdgeAgent#selector()}.
     * @param spinNs     how long to keep polling after the last work.
     * @param maxBlockMs longest single block, so timers still run on a quiet bus.
     */
    public SelectorIdleStrategy(final Selector selector, final long spinNs, final long maxBlockMs)
    {
        this.selector = selector;
        this.spinNs = spinNs;
        this.maxBlockMs = maxBlockMs;
        this.clock = SystemNanoClock.INSTANCE;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spinNs > 0)
        {
            final long nowNs = clock.nanoTime();
            if (idleSinceNs < 0)
            {
                idleSinceNs = nowNs;
            }
            if (nowNs - idleSinceNs < spinNs)
            {
                if ((++yields & 7) == 0)
                {
                    Thread.yield();
                }
                else
                {
                    Thread.onSpinWait();
                }
                return;
            }
        }
        try
        {
            selector.select(maxBlockMs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void reset()
    {
        idleSinceNs = -1;
        yields = 0;
    }

    @Override
    public String alias()
    {
        return "selector";
    }
}
