package org.omnibus.systemtest.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.View;
import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;

/**
 * What one node process (one incarnation) did, as a file the test replays into the membership simulator's
 * {@link SimApp} and {@link Checker}: the same calls, in the same order, as if the checker had watched the process.
 * A process killed with {@code kill -9} leaves a log whose tail may be cut: the checker sees a prefix of what it did,
 * which is still a valid history to judge.
 * <p>
 * Records: H (node, incarnation, founder), U (submitted key, safe), D (a delivery), V (a view), S (a digest
 * snapshot installed), E (clean exit).
 */
final class EventLog implements AutoCloseable
{
    private static final byte HEADER = 'H';
    private static final byte SUBMITTED = 'U';
    private static final byte DELIVERED = 'D';
    private static final byte VIEW = 'V';
    private static final byte SNAPSHOT = 'S';
    private static final byte END = 'E';

    private final DataOutputStream out;

    EventLog(final Path file, final int nodeId, final long incarnation, final boolean founder)
    {
        try
        {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            out.writeByte(HEADER);
            out.writeInt(nodeId);
            out.writeLong(incarnation);
            out.writeBoolean(founder);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    synchronized void submitted(final long key, final boolean safe) throws IOException
    {
        out.writeByte(SUBMITTED);
        out.writeLong(key);
        out.writeBoolean(safe);
    }

    synchronized void delivered(
        final long viewId,
        final long seq,
        final int originNode,
        final long originIncarnation,
        final long originSeq,
        final DeliveryLevel level,
        final long payloadKey,
        final MembershipState state) throws IOException
    {
        out.writeByte(DELIVERED);
        out.writeLong(viewId);
        out.writeLong(seq);
        out.writeInt(originNode);
        out.writeLong(originIncarnation);
        out.writeLong(originSeq);
        out.writeByte(level.code());
        out.writeLong(payloadKey);
        out.writeByte(state.ordinal());
    }

    synchronized void view(final View view) throws IOException
    {
        out.writeByte(VIEW);
        out.writeLong(view.viewId());
        out.writeLong(view.predecessorViewId());
        out.writeLong(view.endSeq());
        out.writeBoolean(view.isPrimary());
        out.writeInt(view.size());
        for (int i = 0; i < view.size(); i++)
        {
            out.writeInt(view.memberId(i));
            out.writeLong(view.memberIncarnation(i));
        }
    }

    synchronized void snapshot(final long asOfSeq, final long digest, final Map<Long, Long> origins)
        throws IOException
    {
        out.writeByte(SNAPSHOT);
        out.writeLong(asOfSeq);
        out.writeLong(digest);
        out.writeInt(origins.size());
        for (final Map.Entry<Long, Long> e : origins.entrySet())
        {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    synchronized void flush() throws IOException
    {
        out.flush();
    }

    /** Mark a clean exit and close. */
    public synchronized void close() throws IOException
    {
        out.writeByte(END);
        out.close();
    }

    /** What a replay found. */
    record Replay(SimApp app, boolean cleanExit, long deliveries, long submissions)
    {
    }

    /**
     * Feed a log to a new {@link SimApp} registered with the checker.
     *
     * @param file    the log.
     * @param checker the checker.
     * @return the process's recording and whether it exited cleanly.
     * @throws IOException if the file cannot be read.
     */
    static Replay replay(final Path file, final Checker checker) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)))
        {
            if (in.readByte() != HEADER)
            {
                throw new IOException(file + " is not an event log");
            }
            final SimApp app = new SimApp(in.readInt(), in.readLong(), in.readBoolean(), checker)
                .snapshotMode(SimApp.DIGEST);
            checker.register(app);
            long deliveries = 0;
            long submissions = 0;
            boolean clean = false;
            final MembershipState[] states = MembershipState.values();
            try
            {
                while (!clean)
                {
                    final byte type = in.readByte();
                    switch (type)
                    {
                        case SUBMITTED:
                        {
                            final long key = in.readLong();
                            final boolean safe = readBoolean(in);
                            checker.onSubmitted(app, key, safe);
                            submissions++;
                            break;
                        }
                        case DELIVERED:
                        {
                            final long viewId = in.readLong();
                            final long seq = in.readLong();
                            final int originNode = in.readInt();
                            final long originIncarnation = in.readLong();
                            final long originSeq = in.readLong();
                            final DeliveryLevel level = DeliveryLevel.fromCode(in.readByte());
                            final long payloadKey = in.readLong();
                            final MembershipState state = states[in.readByte()];
                            app.record(viewId, seq, originNode, originIncarnation, originSeq, level, payloadKey, state);
                            deliveries++;
                            break;
                        }
                        case VIEW:
                            app.onViewChange(readView(in));
                            break;
                        case SNAPSHOT:
                        {
                            final long asOfSeq = in.readLong();
                            final long digest = in.readLong();
                            final int count = in.readInt();
                            final Map<Long, Long> origins = new HashMap<>();
                            for (int i = 0; i < count; i++)
                            {
                                origins.put(in.readLong(), in.readLong());
                            }
                            app.installDigest(asOfSeq, digest, origins);
                            break;
                        }
                        case END:
                            clean = true;
                            break;
                        default:
                            throw new IOException(file + ": unknown record type " + type);
                    }
                }
            }
            catch (final EOFException ex)
            {
                // A log cut by kill -9: what was written is a prefix of what the process did.
            }
            return new Replay(app, clean, deliveries, submissions);
        }
    }

    private static boolean readBoolean(final InputStream in) throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException();
        }
        return b != 0;
    }

    private static View readView(final DataInputStream in) throws IOException
    {
        final long viewId = in.readLong();
        final long predecessor = in.readLong();
        final long endSeq = in.readLong();
        final boolean primary = in.readBoolean();
        final int size = in.readInt();
        final int[] ids = new int[size];
        final long[] incarnations = new long[size];
        for (int i = 0; i < size; i++)
        {
            ids[i] = in.readInt();
            incarnations[i] = in.readLong();
        }
        return new View(viewId, predecessor, endSeq, primary, ids, incarnations);
    }
}
