package org.omnibus.membership.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.omnibus.membership.View;

/**
 * Records what every process of a simulated run did and checks the protocol's guarantees, some on the spot and the
 * rest after the run:
 * <ul>
 *   <li>one successor per primary view (no split brain), one value per view id;</li>
 *   <li>a (view, sequence) pair names one message everywhere;</li>
 *   <li>each process delivers consecutive sequences, no duplicate, per-origin FIFO without gaps;</li>
 *   <li>nothing is delivered outside OPERATIONAL / FLUSHING (install) or in a view never installed as primary;</li>
 *   <li>every live node ends with the same delivered history (the "chain"); every message submitted by a process
 *   still alive at the end is in it;</li>
 *   <li>every process's deliveries are a prefix of the chain, except at most a tail of AGREED messages of one view,
 *   after which it delivers nothing more until a state transfer (a node excluded after delivering alone);
 *   SAFE messages are never in such a tail.</li>
 * </ul>
 * Used by the simulator and, through the membership test-jar, by the real clusters of the system tests (there the
 * processes' {@link SimApp}s record on several agent threads, so every method is synchronized). A process whose state
 * came from a digest snapshot ({@link SimApp#DIGEST}) is compared with the final history by the digest of its prefix.
 */
public final class Checker
{
    final List<String> violations = new ArrayList<>();
    final List<SimApp> processes = new ArrayList<>();
    final Map<Long, View> primaryViews = new HashMap<>();
    final Map<Long, Long> successors = new HashMap<>();
    final Map<Long, Map<Long, Long>> stamps = new HashMap<>();
    final Map<Long, Boolean> submitted = new TreeMap<>();
    final Map<Long, SimApp> submitter = new HashMap<>();
    long deliveries;
    long nonPrimaryInstalls;
    long snapshots;
    long divergentTails;
    long divergentDeliveries;

    /**
     * @param node        origin node (< 2^16).
     * @param incarnation origin incarnation (< 2^16).
     * @param originSeq   origin sequence (< 2^32).
     * @return the key of a message: what its payload starts with (8 bytes, little-endian).
     */
    public static long key(final int node, final long incarnation, final long originSeq)
    {
        return ((long)node << 48) | (incarnation << 32) | originSeq;
    }

    /**
     * @param key a message key.
     * @return the key of its origin incarnation.
     */
    public static long originKey(final long key)
    {
        return ((key >>> 48) << 32) | ((key >>> 32) & 0xFFFF);
    }

    /**
     * @param key a message key.
     * @return its origin sequence.
     */
    public static long originSeq(final long key)
    {
        return key & 0xFFFF_FFFFL;
    }

    /**
     * @param key a message key.
     * @return "node/incarnation#originSeq".
     */
    public static String describeKey(final long key)
    {
        return (key >>> 48) + "/" + ((key >>> 32) & 0xFFFF) + "#" + originSeq(key);
    }

    /**
     * Record a violation (the first 50 are kept).
     *
     * @param message what went wrong.
     */
    public synchronized void violation(final String message)
    {
        if (violations.size() < 50)
        {
            violations.add(message);
        }
    }

    /**
     * @param app a process to judge.
     */
    public synchronized void register(final SimApp app)
    {
        processes.add(app);
    }

    /**
     * A message was submitted (accepted by its origin).
     *
     * @param app  the origin process.
     * @param key  the message key.
     * @param safe whether SAFE.
     */
    public synchronized void onSubmitted(final SimApp app, final long key, final boolean safe)
    {
        submitted.put(key, safe);
        submitter.put(key, app);
    }

    synchronized void onDeliver(final SimApp app, final SimApp.Entry entry)
    {
        deliveries++;
        if (!primaryViews.containsKey(entry.viewId))
        {
            violation(app.name() + " delivered " + entry + " in a view never installed as primary");
        }
        final Long previous = stamps.computeIfAbsent(entry.viewId, v -> new HashMap<>())
            .putIfAbsent(entry.seq, entry.key);
        if (previous != null && previous != entry.key)
        {
            violation(app.name() + " delivered " + entry + " but another process delivered " +
                describeKey(previous) + " at the same view and sequence");
        }
    }

    synchronized void onView(final SimApp app, final View view)
    {
        if (!view.isPrimary())
        {
            nonPrimaryInstalls++;
            return;
        }
        final View known = primaryViews.putIfAbsent(view.viewId(), view);
        if (known != null && !known.equals(view))
        {
            violation(app.name() + " installed " + view + " but another process installed " + known);
        }
        final Long successor = successors.putIfAbsent(view.predecessorViewId(), view.viewId());
        if (successor != null && successor != view.viewId())
        {
            violation("split brain: primary view " + view.predecessorViewId() + " has two successors, " +
                successor + " and " + view.viewId() + " (installed by " + app.name() + ")");
        }
    }

    synchronized void onSnapshot(final SimApp app, final long asOfSeq)
    {
        snapshots++;
    }

    /** @return counts of views, snapshots and divergent tails seen. */
    public synchronized String statistics()
    {
        return "primaryViews=" + primaryViews.size() + " nonPrimaryInstalls=" + nonPrimaryInstalls +
            " snapshots=" + snapshots + " divergentTails=" + divergentTails + " (" + divergentDeliveries +
            " deliveries)";
    }

    /** @return the violations found so far (a copy). */
    public synchronized List<String> violations()
    {
        return new ArrayList<>(violations);
    }

    /** @return messages delivered, over every process. */
    public synchronized long deliveries()
    {
        return deliveries;
    }

    /** @return messages submitted. */
    public synchronized int submittedCount()
    {
        return submitted.size();
    }

    /**
     * The checks after a run that converged.
     *
     * @param live the processes alive at the end.
     */
    public synchronized void finalCheck(final List<SimApp> live)
    {
        if (live.isEmpty())
        {
            return;
        }
        SimApp reference = null;
        for (final SimApp app : live)
        {
            if (app.baseSeq == 0)
            {
                reference = app;
                break;
            }
        }
        if (reference == null)
        {
            violation("no live process holds its whole history (every one started from a digest snapshot)");
            return;
        }
        final List<SimApp.Entry> chain = reference.state;
        final long[] prefixDigests = prefixDigests(chain);
        for (final SimApp app : live)
        {
            if (app.baseSeq > chain.size() || prefixDigests[(int)app.baseSeq] != app.baseDigest)
            {
                violation(app.name() + " started from a snapshot as of " + app.baseSeq +
                    " whose digest is not that of the final history's prefix");
            }
            else if (!sameHistory(chain.subList((int)app.baseSeq, chain.size()), app.state))
            {
                violation(app.name() + " ends with a history different from " + reference.name() +
                    firstDifference(chain.subList((int)app.baseSeq, chain.size()), app.state));
            }
        }
        final Set<Long> keys = new HashSet<>();
        final Map<Long, Long> lastOrigin = new HashMap<>();
        for (int i = 0; i < chain.size(); i++)
        {
            final SimApp.Entry e = chain.get(i);
            if (e.seq != i + 1)
            {
                violation("the final history has sequence " + e.seq + " at position " + (i + 1));
            }
            if (!keys.add(e.key))
            {
                violation("the final history holds " + describeKey(e.key) + " twice");
            }
            final long expected = lastOrigin.getOrDefault(originKey(e.key), 0L) + 1;
            if (originSeq(e.key) != expected)
            {
                violation("the final history holds " + describeKey(e.key) + " where origin seq " + expected +
                    " was expected");
            }
            lastOrigin.put(originKey(e.key), originSeq(e.key));
        }
        for (final Map.Entry<Long, Boolean> s : submitted.entrySet())
        {
            final SimApp origin = submitter.get(s.getKey());
            if ((origin.alive || origin.leftCleanly) && !keys.contains(s.getKey()))
            {
                violation("lost: " + describeKey(s.getKey()) + (s.getValue() ? " (SAFE)" : " (AGREED)") +
                    " submitted by " + origin.name() + (origin.alive ? " which is alive" : " which left cleanly") +
                    ", is not in the final history");
            }
        }
        for (final SimApp app : processes)
        {
            for (final SimApp.Segment segment : app.segments)
            {
                checkSegment(app, segment, chain);
            }
        }
    }

    private static long[] prefixDigests(final List<SimApp.Entry> chain)
    {
        final long[] digests = new long[chain.size() + 1];
        for (int i = 0; i < chain.size(); i++)
        {
            digests[i + 1] = chain.get(i).digest(digests[i]);
        }
        return digests;
    }

    private void checkSegment(final SimApp app, final SimApp.Segment segment, final List<SimApp.Entry> chain)
    {
        if (segment.base == null)
        {
            if (segment.baseSeq > chain.size() || prefixDigests(chain)[(int)segment.baseSeq] != segment.baseDigest)
            {
                violation(app.name() + " installed a snapshot as of " + segment.baseSeq +
                    " that is not a prefix of the final history");
                return;
            }
        }
        else
        {
            for (int i = 0; i < segment.base.size(); i++)
            {
                final SimApp.Entry e = segment.base.get(i);
                if (!e.sameAs(at(chain, e.seq)))
                {
                    violation(app.name() + " installed a snapshot that is not a prefix of the final history at " + e);
                    return;
                }
            }
        }
        boolean diverged = false;
        long divergedView = View.NONE;
        for (final SimApp.Entry e : segment.deliveries)
        {
            final boolean matches = e.sameAs(at(chain, e.seq));
            if (matches && !diverged)
            {
                continue;
            }
            if (matches)
            {
                violation(app.name() + " delivered " + e + " of the final history after a divergent delivery");
                return;
            }
            if (!diverged)
            {
                diverged = true;
                divergedView = e.viewId;
                divergentTails++;
            }
            divergentDeliveries++;
            if (e.safe)
            {
                violation(app.name() + " delivered SAFE " + e + " which is not in the final history " +
                    "(final history has " + at(chain, e.seq) + ")");
                return;
            }
            if (e.viewId != divergedView)
            {
                violation(app.name() + " delivered a divergent tail across views, at " + e);
                return;
            }
        }
    }

    private static SimApp.Entry at(final List<SimApp.Entry> chain, final long seq)
    {
        return seq >= 1 && seq <= chain.size() ? chain.get((int)seq - 1) : null;
    }

    private static boolean sameHistory(final List<SimApp.Entry> a, final List<SimApp.Entry> b)
    {
        if (a.size() != b.size())
        {
            return false;
        }
        for (int i = 0; i < a.size(); i++)
        {
            if (!a.get(i).sameAs(b.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static String firstDifference(final List<SimApp.Entry> a, final List<SimApp.Entry> b)
    {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++)
        {
            if (!a.get(i).sameAs(b.get(i)))
            {
                return " (first difference at position " + (i + 1) + ": " + a.get(i) + " vs " + b.get(i) + ")";
            }
        }
        return " (lengths " + a.size() + " vs " + b.size() + ")";
    }
}
