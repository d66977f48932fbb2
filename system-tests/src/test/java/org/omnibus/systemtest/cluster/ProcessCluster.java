package org.omnibus.systemtest.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;
import org.omnibus.test.Tests;

/**
 * A cluster of {@link ClusterMemberMain} processes: start, restart and kill members, follow their views, wait until
 * the run is quiescent, and judge what every incarnation did with the simulator's {@link Checker} (replaying their
 * {@link EventLog}s).
 */
final class ProcessCluster implements AutoCloseable
{
    static final String SECRET = "omnibus-process-cluster-secret";

    /** Where the members live on the network. */
    interface Network
    {
        /** @return command words that run a member on node {@code id}'s host (e.g. ip netns exec), or none. */
        List<String> prefix(int id);

        /** @return node {@code id}'s address: its unicast endpoint host and multicast interface. */
        String host(int id);

        /** @return node {@code id}'s unicast port. */
        int port(int id);

        /** @return the multicast group:port. */
        String multicast();

        /** @return the multicast TTL. */
        int ttl();
    }

    /** A view as a member printed it. */
    record ViewLine(long id, boolean primary, int[] members, long[] incarnations, long nanos)
    {
        static ViewLine parse(final String line)
        {
            final Map<String, String> values = MemberProcess.parse(line);
            final String[] parts = values.get("members").split(",");
            final int[] ids = new int[parts.length];
            final long[] incarnations = new long[parts.length];
            for (int i = 0; i < parts.length; i++)
            {
                final String[] idInc = parts[i].split("/");
                ids[i] = Integer.parseInt(idInc[0]);
                incarnations[i] = Long.parseLong(idInc[1]);
            }
            return new ViewLine(Long.parseLong(values.get("id")), Boolean.parseBoolean(values.get("primary")), ids,
                incarnations, Long.parseLong(values.get("nanos")));
        }

        boolean hasExactly(final int... ids)
        {
            final int[] a = members.clone();
            final int[] b = ids.clone();
            Arrays.sort(a);
            Arrays.sort(b);
            return Arrays.equals(a, b);
        }

        int coordinator()
        {
            return members[0];
        }
    }

    private final Path dir;
    private final Path logDir;
    private final int size;
    private final Network network;
    private final Map<String, String> extraOptions;
    private final int streamBase;
    private final MemberProcess[] members;
    private final List<MemberProcess> everyProcess = new ArrayList<>();

    /**
     * @param dir          holds the members' data directories.
     * @param name         of the run: its logs (stdout, stderr, event logs) go to
     *                     {@code ${omnibus.systest.logs}/cluster/NAME-<time>} (under target/, kept after the test),
     *                     or into {@code dir} if that property is not set.
     * @param size         members 1 .. size.
     * @param network      where they live.
     * @param extraOptions more {@link ClusterMemberMain} options.
     * @throws IOException if the directories cannot be made.
     */
    ProcessCluster(
        final Path dir,
        final String name,
        final int size,
        final Network network,
        final Map<String, String> extraOptions) throws IOException
    {
        this.dir = dir;
        final String logs = System.getProperty("omnibus.systest.logs");
        this.logDir = Files.createDirectories(logs == null ? dir.resolve("logs") :
            Path.of(logs, "cluster", name + "-" + System.currentTimeMillis()));
        this.size = size;
        this.network = network;
        this.extraOptions = extraOptions;
        this.streamBase = 1_000 + (int)(ProcessHandle.current().pid() % 10_000) * 4;
        this.members = new MemberProcess[size + 1];
    }

    Path logDir()
    {
        return logDir;
    }

    /**
     * Start (or restart, from its data directory) member {@code id}.
     *
     * @param id the node.
     * @return the process.
     * @throws IOException if it cannot be started.
     */
    MemberProcess start(final int id) throws IOException
    {
        final Map<String, String> options = new LinkedHashMap<>();
        options.put("node", String.valueOf(id));
        options.put("data", dir.resolve("node-" + id).toString());
        options.put("log", logDir.toString());
        final StringBuilder founders = new StringBuilder();
        final StringBuilder peers = new StringBuilder();
        for (int other = 1; other <= size; other++)
        {
            founders.append(other == 1 ? "" : ",").append(other);
            if (other != id)
            {
                peers.append(peers.length() == 0 ? "" : ",").append(other).append('@')
                    .append(network.host(other)).append(':').append(network.port(other));
            }
        }
        options.put("members", founders.toString());
        options.put("peers", peers.toString());
        options.put("multicast", network.multicast());
        options.put("interface", network.host(id));
        options.put("ttl", String.valueOf(network.ttl()));
        options.put("endpoint", network.host(id) + ":" + network.port(id));
        options.put("streams", String.valueOf(streamBase));
        options.putAll(extraOptions);
        final MemberProcess process = MemberProcess.start(network.prefix(id), id, options, SECRET, logDir);
        members[id] = process;
        everyProcess.add(process);
        return process;
    }

    MemberProcess member(final int id)
    {
        return members[id];
    }

    /**
     * @param id a member.
     * @return the last view it printed, or null.
     */
    ViewLine latestView(final int id)
    {
        final List<String> lines = members[id].lines();
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            if (lines.get(i).startsWith("view "))
            {
                return ViewLine.parse(lines.get(i));
            }
        }
        return null;
    }

    /**
     * Wait until each of {@code ids} has installed the same primary view whose members are exactly {@code ids}.
     *
     * @param timeout how long at most.
     * @param ids     the members.
     * @return that view, as the first of them printed it.
     */
    ViewLine awaitPrimaryView(final Duration timeout, final int... ids)
    {
        final ViewLine[] found = new ViewLine[1];
        Tests.await(() ->
        {
            ViewLine first = null;
            for (final int id : ids)
            {
                final ViewLine view = latestView(id);
                if (view == null || !view.primary() || !view.hasExactly(ids) ||
                    (first != null && first.id() != view.id()))
                {
                    return false;
                }
                if (first == null)
                {
                    first = view;
                }
            }
            found[0] = first;
            return true;
        }, timeout, () -> "members " + Arrays.toString(ids) + " in one primary view; " + describe(ids));
        return found[0];
    }

    /**
     * Wait until the given members are done submitting, OPERATIONAL, at the same sequence, and each has delivered
     * all it submitted.
     *
     * @param timeout how long at most.
     * @param ids     the members.
     */
    void awaitQuiescent(final Duration timeout, final int... ids)
    {
        Tests.await(() ->
        {
            long seq = -1;
            for (final int id : ids)
            {
                final Map<String, String> status = members[id].status(Duration.ofSeconds(10));
                if (!"OPERATIONAL".equals(status.get("state")) || Boolean.parseBoolean(status.get("submitting")) ||
                    !status.get("ownDelivered").equals(status.get("submitted")))
                {
                    return false;
                }
                final long lastSeq = Long.parseLong(status.get("lastSeq"));
                if (seq >= 0 && lastSeq != seq)
                {
                    return false;
                }
                seq = lastSeq;
            }
            return true;
        }, timeout, () -> "a quiescent cluster; " + describe(ids));
    }

    long lastSeq(final int id)
    {
        return Long.parseLong(members[id].status(Duration.ofSeconds(10)).get("lastSeq"));
    }

    String describe(final int... ids)
    {
        final StringBuilder sb = new StringBuilder();
        for (final int id : ids)
        {
            final MemberProcess member = members[id];
            sb.append("\n  node ").append(id).append(member == null ? " not started" : member.isAlive() ?
                " " + lastLines(member) : " dead " + lastLines(member));
        }
        return sb.toString();
    }

    private static List<String> lastLines(final MemberProcess member)
    {
        final List<String> lines = member.lines();
        return lines.subList(Math.max(0, lines.size() - 3), lines.size());
    }

    /**
     * Ask every live member to exit cleanly, replay every incarnation's event log, and run the checker's final check
     * with the last incarnation of each cleanly exited member as the live processes.
     *
     * @return the violations (the processes' own on-the-spot findings included), empty if the run is correct.
     * @throws IOException if a log cannot be read.
     */
    List<String> exitAndCheck() throws IOException
    {
        final List<String> violations = new ArrayList<>();
        for (int id = 1; id <= size; id++)
        {
            final MemberProcess member = members[id];
            if (member != null && member.isAlive() && !member.exit(Duration.ofSeconds(30)))
            {
                violations.add("node " + id + " did not exit cleanly");
            }
        }
        for (final MemberProcess process : everyProcess)
        {
            for (final String line : process.lines())
            {
                if (line.startsWith("violation "))
                {
                    violations.add("node " + process.nodeId() + " (pid " + process.pid() + ") saw: " + line);
                }
            }
        }
        final Checker checker = new Checker();
        final Map<Integer, TreeMap<Long, EventLog.Replay>> byNode = new TreeMap<>();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir, "node-*-*.events"))
        {
            for (final Path log : logs)
            {
                final EventLog.Replay replay = EventLog.replay(log, checker);
                byNode.computeIfAbsent(replay.app().nodeId(), (k) -> new TreeMap<>())
                    .put(replay.app().incarnation(), replay);
            }
        }
        final List<SimApp> live = new ArrayList<>();
        for (final TreeMap<Long, EventLog.Replay> incarnations : byNode.values())
        {
            for (final EventLog.Replay replay : incarnations.values())
            {
                replay.app().alive(false);
            }
            final EventLog.Replay last = incarnations.lastEntry().getValue();
            if (last.cleanExit())
            {
                last.app().alive(true);
                live.add(last.app());
            }
        }
        checker.finalCheck(live);
        violations.addAll(checker.violations());
        return violations;
    }

    /** Kill whatever still runs, and leave every process's output in the log directory. */
    public void close()
    {
        for (final MemberProcess process : everyProcess)
        {
            process.close();
            try
            {
                Files.write(logDir.resolve("node-" + process.nodeId() + "-pid" + process.pid() + ".out"),
                    process.lines());
            }
            catch (final IOException ex)
            {
                // Diagnostics only.
            }
        }
    }

    static IntFunction<List<String>> noPrefix()
    {
        return (id) -> List.of();
    }
}
