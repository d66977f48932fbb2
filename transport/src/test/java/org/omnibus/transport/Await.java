package org.omnibus.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waiting in tests: wait for a condition with a deadline instead of sleeping. A copy of the await helpers of
 * test-support's {@code org.omnibus.test.Tests}: test-support depends on membership, which depends on this module,
 * so this module's tests cannot depend on test-support.
 */
final class Await
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SPINS_BEFORE_PARK = 16;

    private Await()
    {
    }

    /**
     * Evaluate {@code condition} until it is true or the timeout passes. The condition may do work (e.g. poll a
     * transport): it is evaluated in a loop that backs off from yielding to parking up to 1 ms while it stays false.
     *
     * @param condition to wait for; may have side effects.
     * @param timeout   how long to wait at most.
     * @throws AssertionError if the condition is still false at the deadline.
     */
    static void await(final BooleanSupplier condition, final Duration timeout)
    {
        await(condition, timeout, () -> "condition");
    }

    /**
     * Evaluate {@code condition} until it is true or the timeout passes.
     *
     * @param condition to wait for; may have side effects.
     * @param timeout   how long to wait at most.
     * @param message   describes what was awaited, for the failure message (evaluated only on failure).
     * @throws AssertionError if the condition is still false at the deadline.
     */
    static void await(final BooleanSupplier condition, final Duration timeout, final Supplier<String> message)
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeout.toNanos();
        int idleRounds = 0;
        while (!condition.getAsBoolean())
        {
            final long nowNs = System.nanoTime();
            if (nowNs - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + message.get());
            }

            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted while waiting for: " + message.get());
            }

            idle(idleRounds++);
        }
    }

    /**
     * Evaluate {@code condition} until it is true or the timeout passes, running {@code work} before each
     * evaluation (e.g. a duty cycle of the agents under test).
     *
     * @param work      run before each evaluation; returns work done, 0 meaning idle (then the loop backs off).
     * @param condition to wait for.
     * @param timeout   how long to wait at most.
     * @param message   describes what was awaited, for the failure message (evaluated only on failure).
     * @throws AssertionError if the condition is still false at the deadline.
     */
    static void await(
        final WorkSupplier work,
        final BooleanSupplier condition,
        final Duration timeout,
        final Supplier<String> message)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        int idleRounds = 0;
        while (true)
        {
            final int workCount = work.doWork();
            if (condition.getAsBoolean())
            {
                return;
            }

            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + message.get());
            }

            if (Thread.currentThread().isInterrupted())
            {
                throw new AssertionError("interrupted while waiting for: " + message.get());
            }

            if (workCount > 0)
            {
                idleRounds = 0;
            }
            else
            {
                idle(idleRounds++);
            }
        }
    }

    /**
     * Work done in an await loop: a duty cycle returning how much it did.
     */
    @FunctionalInterface
    interface WorkSupplier
    {
        /**
         * @return work done, 0 when idle.
         */
        int doWork();
    }

    private static void idle(final int idleRounds)
    {
        if (idleRounds < SPINS_BEFORE_PARK)
        {
            Thread.yield();
        }
        else
        {
            final int shift = Math.min(idleRounds - SPINS_BEFORE_PARK, 10);
            LockSupport.parkNanos(Math.min(1_000L << shift, MAX_PARK_NS));
        }
    }
}
