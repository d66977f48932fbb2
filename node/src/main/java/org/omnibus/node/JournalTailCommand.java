package org.omnibus.node;

import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalReader;
import org.omnibus.persistence.JournalTailer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code omnibus journal tail [-f] [-n N]}: the last N messages as {@code dbus-monitor} prints them, each prefixed
 * with its global sequence; with {@code --follow}, then what the node appends, until interrupted.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = OmnibusMain.Version.class,
    description = {"Print the last N messages as dbus-monitor does, with their sequence.",
        "With --follow, keep printing what the node appends until interrupted (Ctrl-C)."})
final class JournalTailCommand extends JournalSubcommand
{
    /** How long the follow loop sleeps when nothing new was appended. */
    static final long FOLLOW_IDLE_MS = 20;

    @Mixin
    JournalLocation location;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
        description = "Number of messages to print first. Default: ${DEFAULT-VALUE}")
    long count;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new messages")
    boolean follow;

    @Override
    int run()
    {
        if (count < 0)
        {
            throw JournalCliException.badInput("-n must not be negative: " + count);
        }
        try (JournalReader reader = location.openReader(); JournalTailer tailer = reader.tailer())
        {
            warnIfDamaged(reader);
            final long last = reader.lastSequence();
            final JournalPrinter printer = JournalPrinter.monitor(out());
            if (Journal.NULL_SEQUENCE != last)
            {
                final long start = reader.startOfLast(count);
                if (!tailer.seekToSequence(start))
                {
                    throw new JournalCliException(JournalCliException.FAILURE,
                        "seq " + start + " is no longer in the journal (retention deleted it meanwhile?)");
                }
                printer.range(start, follow ? Long.MAX_VALUE : last);
                while (printer.lastSeq() < last && tailer.poll(printer, 256) > 0)
                {
                    printer.flush();
                }
            }
            printer.flush();
            if (follow)
            {
                follow(tailer, printer);
            }
        }
        return 0;
    }

    /**
     * Print what is appended until the thread is interrupted (the process ends on Ctrl-C; tests interrupt).
     */
    private static void follow(final JournalTailer tailer, final JournalPrinter printer)
    {
        while (!Thread.currentThread().isInterrupted())
        {
            if (tailer.poll(printer, 256) > 0)
            {
                printer.flush();
                continue;
            }
            try
            {
                Thread.sleep(FOLLOW_IDLE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
