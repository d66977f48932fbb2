package org.omnibus.membership;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A few state machines wired together by hand: frames move only when the test says so, through a filter that can
 * cut links, and the clock moves only when the test advances it. Nothing is random.
 */
final class ManualCluster
{
    final List<TestNode> nodes = new ArrayList<>();
    final ArrayDeque<TestNode.Frame> inFlight = new ArrayDeque<>();
    final boolean[][] cut;
    final boolean[] down;
    long nowNs;
    Predicate<TestNode.Frame> dropFilter = f -> false;

    ManualCluster(final int count)
    {
        final int[] initial = new int[count];
        for (int i = 0; i < count; i++)
        {
            initial[i] = i + 1;
        }
        cut = new boolean[count + 1][count + 1];
        down = new boolean[count + 1];
        for (int i = 1; i <= count; i++)
        {
            nodes.add(new TestNode(i).start(TestNode.context(i, 1, initial), nowNs));
        }
    }

    TestNode node(final int id)
    {
        return nodes.get(id - 1);
    }

    /** Cut (or restore) both directions between two nodes. */
    void cut(final int a, final int b, final boolean isCut)
    {
        cut[a][b] = isCut;
        cut[b][a] = isCut;
    }

    /** Isolate a node from every other (or reconnect it). */
    void isolate(final int id, final boolean isolated)
    {
        for (int i = 1; i <= nodes.size(); i++)
        {
            if (i != id)
            {
                cut(id, i, isolated);
            }
        }
    }

    void crash(final int id)
    {
        down[id] = true;
    }

    TestNode restart(final int id, final long incarnation)
    {
        final int[] initial = new int[nodes.size()];
        for (int i = 0; i < initial.length; i++)
        {
            initial[i] = i + 1;
        }
        final TestNode node = new TestNode(id).start(TestNode.context(id, incarnation, initial), nowNs);
        nodes.set(id - 1, node);
        down[id] = false;
        return node;
    }

    /** Move every frame sent so far (and those they cause) until the network is quiet. */
    void deliverAll()
    {
        collect();
        int guard = 0;
        while (!inFlight.isEmpty())
        {
            final TestNode.Frame frame = inFlight.poll();
            for (final TestNode to : nodes)
            {
                if (to.nodeId == frame.from || down[to.nodeId] || cut[frame.from][to.nodeId] ||
                    (frame.destination >= 0 && frame.destination != to.nodeId) || dropFilter.test(frame))
                {
                    continue;
                }
                to.membership.onFrame(frame.buffer(), 0, frame.bytes.length, nowNs);
                to.membership.doWork(nowNs);
            }
            collect();
            if (++guard > 1_000_000)
            {
                throw new IllegalStateException("frames do not stop");
            }
        }
    }

    private void collect()
    {
        for (final TestNode node : nodes)
        {
            if (down[node.nodeId])
            {
                node.sent.clear();
            }
            else
            {
                inFlight.addAll(node.drain());
            }
        }
    }

    /** Advance the clock in steps, running every node's timers and moving frames at each step. */
    void run(final long durationNs, final long stepNs)
    {
        final long end = nowNs + durationNs;
        while (nowNs < end)
        {
            nowNs = Math.min(end, nowNs + stepNs);
            for (final TestNode node : nodes)
            {
                if (!down[node.nodeId])
                {
                    node.membership.doWork(nowNs);
                }
            }
            deliverAll();
        }
    }

    void run(final long durationNs)
    {
        run(durationNs, 1_000_000L);
    }
}
