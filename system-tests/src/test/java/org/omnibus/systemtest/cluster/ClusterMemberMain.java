package org.omnibus.systemtest.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportPeer;
import org.omnibus.transport.TransportStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group member as a process, for the multi-process and network namespace tests. It runs a {@link Group} whose
 * upper layer is the simulator's {@link SimApp} (digest snapshots) and writes what it does to an {@link EventLog}
 * for the test to judge; it talks with the test over stdin (commands) and stdout (events).
 * <p>
 * Options ({@code --name=value}): node, data (directory), log (directory of event logs), members (founders,
 * comma-separated), multicast (group:port), interface, ttl, endpoint (own unicast host:port), peers
 * ({@code id@host:port,...}), streams (first of four stream ids), heartbeat-ms, suspicion-ms. The cluster secret
 * comes from the environment variable {@code OMNIBUS_CLUSTER_SECRET}.
 * <p>
 * Commands: {@code submit COUNT PER_SECOND SAFE_EVERY} (in a thread; prints {@code submitted N} when done),
 * {@code status}, {@code exit}. Events: {@code ready incarnation=N}, {@code view id=.. primary=.. members=a/i,b/j
 * nanos=T}, {@code state S nanos=T}, {@code status ...}, {@code violation ...}, {@code bye}. End of stdin means exit.
 */
public final class ClusterMemberMain
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMemberMain.class);

    private final PrintStream out;
    private final Group group;
    private final SimApp app;
    private final EventLog log;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
    private final Checker localChecker = new Checker();
    private volatile MembershipState state = MembershipState.JOINING;
    private volatile long ownDelivered;
    private volatile long submitted;
    private volatile Thread submitter;

    private ClusterMemberMain(final Map<String, String> options, final PrintStream out) throws IOException
    {
        this.out = out;
        final int nodeId = Integer.parseInt(options.get("node"));
        final String secret = System.getenv("OMNIBUS_CLUSTER_SECRET");
        if (secret == null || secret.isEmpty())
        {
            throw new IllegalStateException("OMNIBUS_CLUSTER_SECRET is not set");
        }
        final int streams = Integer.parseInt(options.getOrDefault("streams", "1001"));
        final TransportContext transport = new TransportContext()
            .multicastEndpoint(options.get("multicast"))
            .multicastInterface(options.get("interface"))
            .multicastTtl(Integer.parseInt(options.getOrDefault("ttl", "0")))
            .endpoint(options.get("endpoint"))
            .dirDeleteOnStart(true)
            .streamId(TransportStream.CONTROL, streams)
            .streamId(TransportStream.SUBMIT, streams + 1)
            .streamId(TransportStream.ORDERED, streams + 2)
            .streamId(TransportStream.CATCH_UP, streams + 3);
        final String peers = options.getOrDefault("peers", "");
        for (final String peer : peers.split(","))
        {
            if (!peer.isBlank())
            {
                final String[] parts = peer.split("@");
                transport.peer(TransportPeer.of(Integer.parseInt(parts[0]), parts[1]));
            }
        }
        final String[] memberText = options.get("members").split(",");
        final int[] members = new int[memberText.length];
        for (int i = 0; i < members.length; i++)
        {
            members[i] = Integer.parseInt(memberText[i].trim());
        }

        final Relay relay = new Relay();
        final GroupContext ctx = new GroupContext()
            .nodeId(nodeId)
            .dataDir(new File(options.get("data")))
            .clusterSecret(secret)
            .initialMembers(members)
            .bootstrapMode(BootstrapMode.AUTO)
            .listener(relay)
            .stateTransferHandler(relay)
            .transportContext(transport);
        ctx.membershipContext()
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(options.getOrDefault("heartbeat-ms",
                "100"))))
            .suspicionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(options.getOrDefault("suspicion-ms",
                "1000"))));
        ctx.conclude();
        app = new SimApp(nodeId, ctx.incarnation(), ctx.bootstrap(), localChecker).snapshotMode(SimApp.DIGEST)
            .stateSource(() -> state);
        log = new EventLog(Path.of(options.get("log"), "node-" + nodeId + "-" + ctx.incarnation() + ".events"), nodeId,
            ctx.incarnation(), ctx.bootstrap());
        group = Group.launch(ctx);
        out.println("ready incarnation=" + ctx.incarnation() + " bootstrap=" + ctx.bootstrap() + " endpoint=" +
            group.localPeer().endpoint());
    }

    /** Records into the live {@link SimApp} (for snapshots and on-the-spot checks) and the event log. */
    private final class Relay implements MembershipListener, StateTransferHandler
    {
        public void onDeliver(
            final long viewId,
            final long globalSeq,
            final int originNode,
            final long originIncarnation,
            final long originSeq,
            final DeliveryLevel level,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            app.onDeliver(viewId, globalSeq, originNode, originIncarnation, originSeq, level, buffer, offset, length);
            if (originNode == app.nodeId() && originIncarnation == app.incarnation())
            {
                ownDelivered = originSeq;
            }
            try
            {
                log.delivered(viewId, globalSeq, originNode, originIncarnation, originSeq, level,
                    length < 8 ? -1 : buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), state);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        public void onViewChange(final View view)
        {
            app.onViewChange(view);
            try
            {
                log.view(view);
                log.flush();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            final StringBuilder members = new StringBuilder();
            for (int i = 0; i < view.size(); i++)
            {
                members.append(i == 0 ? "" : ",").append(view.memberId(i)).append('/')
                    .append(view.memberIncarnation(i));
            }
            out.println("view id=" + view.viewId() + " primary=" + view.isPrimary() + " members=" + members +
                " nanos=" + System.nanoTime());
        }

        public void onStateChange(final MembershipState from, final MembershipState to)
        {
            state = to;
            out.println("state " + to + " nanos=" + System.nanoTime());
        }

        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return app.takeSnapshot(asOfSeq, buffer, offset);
        }

        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            app.installSnapshot(asOfSeq, buffer, offset, length);
            final Long own = app.originTable().get(((long)app.nodeId() << 32) | app.incarnation());
            ownDelivered = own == null ? 0 : own;
            try
            {
                log.snapshot(asOfSeq, app.digest(), app.originTable());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private void submit(final long count, final long perSecond, final int safeEvery)
    {
        final long intervalNs = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        long nextNs = System.nanoTime();
        for (long i = 0; i < count && !Thread.currentThread().isInterrupted(); i++)
        {
            if (intervalNs > 0)
            {
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                }
                nextNs += intervalNs;
            }
            final long originSeq = submitted + 1;
            final long key = Checker.key(app.nodeId(), app.incarnation(), originSeq);
            final boolean safe = safeEvery > 0 && originSeq % safeEvery == 0;
            payload.putLong(0, key, ByteOrder.LITTLE_ENDIAN);
            int result;
            while ((result = group.submit(safe ? DeliveryLevel.SAFE : DeliveryLevel.AGREED, payload, 0,
                payload.capacity())) == Group.BACK_PRESSURED)
            {
                LockSupport.parkNanos(100_000);
            }
            if (result != Group.ACCEPTED)
            {
                out.println("submit failed " + result);
                return;
            }
            try
            {
                log.submitted(key, safe);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            submitted = originSeq;
        }
        out.println("submitted " + submitted);
    }

    private void status()
    {
        final View view = group.view();
        out.println("status state=" + group.state() + " primary=" + group.isPrimary() + " view=" +
            (view == null ? -1 : view.viewId()) + " size=" + (view == null ? 0 : view.size()) + " lastSeq=" +
            app.lastSeq() + " submitted=" + submitted + " ownDelivered=" + ownDelivered + " delivered=" +
            app.delivered() + " submitting=" + (submitter != null && submitter.isAlive()) + " " + group.counters());
    }

    private void run() throws IOException, InterruptedException
    {
        final Thread flusher = new Thread(() ->
        {
            long ticks = 0;
            while (!Thread.currentThread().isInterrupted())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                if (++ticks % 5 == 0)
                {
                    LOG.info("state={} lastSeq={} submitted={} ownDelivered={} {}", group.state(), app.lastSeq(),
                        submitted, ownDelivered, group.counters());
                }
                try
                {
                    log.flush();
                }
                catch (final IOException ex)
                {
                    return;
                }
            }
        }, "event-log-flusher");
        flusher.setDaemon(true);
        flusher.start();

        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null)
        {
            final String[] words = line.trim().split("\\s+");
            switch (words[0])
            {
                case "submit":
                {
                    final long count = Long.parseLong(words[1]);
                    final long rate = Long.parseLong(words[2]);
                    final int safeEvery = Integer.parseInt(words[3]);
                    final Thread previous = submitter;
                    if (previous != null)
                    {
                        previous.join();
                    }
                    submitter = new Thread(() -> submit(count, rate, safeEvery), "submitter");
                    submitter.start();
                    break;
                }
                case "status":
                    status();
                    break;
                case "exit":
                    shutdown(flusher);
                    return;
                default:
                    out.println("unknown command " + line);
            }
        }
        shutdown(flusher);
    }

    private void shutdown(final Thread flusher) throws IOException, InterruptedException
    {
        final Thread s = submitter;
        if (s != null)
        {
            s.interrupt();
            s.join();
        }
        flusher.interrupt();
        group.close();
        log.close();
        for (final String violation : localChecker.violations())
        {
            out.println("violation " + violation);
        }
        out.println("bye");
        out.flush();
    }

    /**
     * @param args {@code --name=value} options.
     * @throws Exception on failure (the test sees the exit code and stderr).
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = new HashMap<>();
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        new ClusterMemberMain(options, out).run();
        System.exit(0);
    }
}
