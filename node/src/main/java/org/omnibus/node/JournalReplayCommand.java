package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.omnibus.persistence.JournalExport;
import org.omnibus.persistence.JournalHandler;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code omnibus journal replay --from SEQ|TIME --to SEQ|TIME [--format=monitor|raw] [--output FILE]}: print or
 * write a range of the journal, or of an export file ({@code --input FILE}).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = OmnibusMain.Version.class,
    description = {"Print (or write to a file) the messages of a range, from the journal or from an export file.",
        "SEQ is a global sequence. TIME is an ISO-8601 instant (2024-05-01T12:00:00Z, 2024-05-01T14:00+02:00),",
        "a local date-time or date (2024-05-01T12:00, 2024-05-01), 'now', or relative to now (-5m, -1h30m,",
        "-90s, -500ms; units ms s m h d w).",
        "A progress bar shows on standard error when it is a terminal and the replay is long, or with --progress."})
final class JournalReplayCommand extends JournalSubcommand
{
    @Mixin
    JournalLocation location;

    @Option(names = "--from", paramLabel = "SEQ|TIME", description = "First message. Default: the journal's first")
    String from;

    @Option(names = "--to", paramLabel = "SEQ|TIME", description = "Last message. Default: the journal's last")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "monitor",
        description = "monitor (dbus-monitor text with the sequence) or raw (the D-Bus messages' bytes, " +
        "concatenated, as dbus-monitor --binary). Default: ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output")
    Path output;

    @Option(names = "--input", paramLabel = "FILE", description = "Read an export file instead of the journal")
    Path input;

    @Option(names = "--progress", description = "Show the progress bar even when standard error is no terminal")
    boolean progress;

    /** Raw output to standard output goes here; a test may redirect it. */
    OutputStream rawStdout = System.out;

    @Override
    int run()
    {
        final boolean raw = parseFormat(format);
        final JournalPosition fromPosition = position("--from", from);
        final JournalPosition toPosition = position("--to", to);
        JournalRange.checkOrder(fromPosition, toPosition);
        if (null != input && location.isGiven())
        {
            throw JournalCliException.badInput("--input reads an export file: --data-dir and --journal do not apply");
        }
        if (null != input && !Files.isRegularFile(input))
        {
            throw JournalCliException.badInput("no such export file: " + input);
        }

        final JournalReader reader = null == input ? location.openReader() : null;
        try
        {
            final JournalRange range = null == reader ? null : JournalRange.resolve(reader, fromPosition, toPosition);
            if (null != reader)
            {
                warnIfDamaged(reader);
            }
            try (Output out = open(raw))
            {
                final JournalPrinter printer = out.printer();
                if (null == reader)
                {
                    replayFile(printer, fromPosition, toPosition);
                }
                else if (!range.isEmpty())
                {
                    replayJournal(reader, range, printer);
                }
                printer.flush();
                report(printer, range);
            }
        }
        finally
        {
            if (null != reader)
            {
                reader.close();
            }
        }
        return 0;
    }

    private void replayJournal(final JournalReader reader, final JournalRange range, final JournalPrinter printer)
    {
        try (JournalTailer tailer = reader.tailer())
        {
            final long start = reader.ceilingSequence(range.fromSeq());
            if (!tailer.seekToSequence(start))
            {
                throw new JournalCliException(JournalCliException.FAILURE,
                    "seq " + start + " is no longer in the journal (retention deleted it meanwhile?)");
            }
            printer.range(range.fromSeq(), range.toSeq());
            final ProgressBar bar = progressBar(reader.countBetween(range.fromSeq(), range.toSeq()));
            while (printer.lastSeq() < range.toSeq() && tailer.poll(printer, 1024) > 0)
            {
                if (null != bar)
                {
                    bar.update(printer.printed() + printer.skipped(), System.nanoTime());
                }
            }
            if (null != bar)
            {
                bar.finish(printer.printed() + printer.skipped(), System.nanoTime());
            }
        }
    }

    private void replayFile(final JournalPrinter printer, final JournalPosition from, final JournalPosition to)
    {
        final ProgressBar bar = progressBar(exportRecordCount(input));
        final TimeFilter filter = new TimeFilter(printer, from, to, bar);
        JournalExport.replay(input, filter);
        if (null != bar)
        {
            bar.finish(filter.seen, System.nanoTime());
        }
    }

    private void report(final JournalPrinter printer, final JournalRange range)
    {
        if (null != range && range.isEmpty())
        {
            err().println("omnibus journal: no messages in the range");
        }
        if (printer.skipped() > 0)
        {
            err().println("omnibus journal: skipped " + printer.skipped() +
                " entries that are not D-Bus messages (raw output holds D-Bus messages only)");
        }
        if (null != output)
        {
            out().println("wrote " + printer.printed() + " messages to " + output);
        }
    }

    private ProgressBar progressBar(final long total)
    {
        final boolean terminal = ProgressBar.isStderrTerminal();
        return progress || terminal ? new ProgressBar(err(), total, progress, terminal, System.nanoTime()) : null;
    }

    private static boolean parseFormat(final String format)
    {
        return switch (format)
        {
            case "monitor" -> false;
            case "raw" -> true;
            default -> throw JournalCliException.badInput("--format must be monitor or raw: " + format);
        };
    }

    /**
     * @return the record count an export file's trailer announces, or 0 if it cannot be read (the replay then
     * reports what is wrong with the file).
     */
    static long exportRecordCount(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < JournalExport.FILE_HEADER_LENGTH + JournalExport.TRAILER_LENGTH)
            {
                return 0;
            }
            final ByteBuffer trailer = ByteBuffer.allocate(JournalExport.TRAILER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(trailer, size - JournalExport.TRAILER_LENGTH);
            return trailer.getInt(0) == -1 ? Math.max(0, trailer.getLong(8)) : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private Output open(final boolean raw)
    {
        try
        {
            if (raw)
            {
                final OutputStream stream = null == output ?
                    new NonClosing(rawStdout) : new FileOutputStream(output.toFile());
                return new Output(JournalPrinter.raw(new BufferedOutputStream(stream, 1 << 16)), null, stream);
            }
            if (null == output)
            {
                return new Output(JournalPrinter.monitor(out()), null, null);
            }
            final Writer writer = new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(output.toFile()), StandardCharsets.UTF_8), 1 << 16);
            return new Output(JournalPrinter.monitor(writer), writer, null);
        }
        catch (final IOException ex)
        {
            throw new JournalCliException(JournalCliException.FAILURE,
                "cannot write " + output + ": " + ex.getMessage());
        }
    }

    /**
     * The printer and what to close after it.
     */
    private record Output(JournalPrinter printer, Writer writer, OutputStream stream) implements AutoCloseable
    {
        @Override
        public void close()
        {
            try
            {
                printer.flush();
                if (null != writer)
                {
                    writer.close();
                }
                if (null != stream)
                {
                    stream.close();
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Standard output, which the command flushes but does not close.
     */
    private static final class NonClosing extends java.io.FilterOutputStream
    {
        NonClosing(final OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException
        {
            flush();
        }
    }

    /**
     * Applies {@code --from} and {@code --to} to an export file, which has no index: sequences directly, times by
     * the running maximum of origin timestamps (the journal time, as the journal itself does).
     */
    private static final class TimeFilter implements JournalHandler
    {
        private final JournalPrinter printer;
        private final JournalPosition from;
        private final JournalPosition to;
        private final ProgressBar bar;
        private long journalTimeNs = Long.MIN_VALUE;
        private long seen;

        TimeFilter(final JournalPrinter printer, final JournalPosition from, final JournalPosition to,
            final ProgressBar bar)
        {
            this.printer = printer;
            this.from = from;
            this.to = to;
            this.bar = bar;
        }

        @Override
        public void onMessage(
            final long globalSeq,
            final long viewId,
            final int originNode,
            final long originSeq,
            final long timestampNs,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            journalTimeNs = Math.max(journalTimeNs, timestampNs);
            seen++;
            if (null != bar && (seen & 1023) == 0)
            {
                bar.update(seen, System.nanoTime());
            }
            if (null != from && (from.isTime() ? journalTimeNs < from.value() : globalSeq < from.value()))
            {
                return;
            }
            if (null != to && (to.isTime() ? journalTimeNs > to.value() : globalSeq > to.value()))
            {
                return;
            }
            printer.onMessage(globalSeq, viewId, originNode, originSeq, timestampNs, buffer, offset, length);
        }
    }
}
