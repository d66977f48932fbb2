package org.omnibus.node;

import org.omnibus.persistence.JournalCorruptionException;
import org.omnibus.persistence.JournalReader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/**
 * What every {@code omnibus journal} subcommand shares: one-line errors with an exit code (2 bad input, 1 failure),
 * the output streams, the clock for relative times.
 */
abstract class JournalSubcommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call()
    {
        JournalCommand.quietLogs();
        final PrintWriter err = err();
        try
        {
            return run();
        }
        catch (final JournalCliException ex)
        {
            err.println("omnibus journal: " + ex.getMessage());
            return ex.exitCode();
        }
        catch (final JournalCorruptionException ex)
        {
            err.println("omnibus journal: " + ex.getMessage());
            return JournalCliException.FAILURE;
        }
        catch (final UncheckedIOException ex)
        {
            err.println("omnibus journal: " + ex.getMessage() +
                (null == ex.getCause() ? "" : " (" + ex.getCause().getMessage() + ")"));
            return JournalCliException.FAILURE;
        }
        finally
        {
            out().flush();
            err.flush();
        }
    }

    /**
     * @return the exit code.
     * @throws JournalCliException for a problem to report in one line.
     */
    abstract int run();

    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    PrintWriter err()
    {
        return spec.commandLine().getErr();
    }

    static long nowNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    JournalPosition position(final String option, final String text)
    {
        return null == text ? null : JournalPosition.parse(option, text, nowNs(), ZoneId.systemDefault());
    }

    void warnIfDamaged(final JournalReader reader)
    {
        final JournalCorruptionException damage = reader.damage();
        if (null != damage)
        {
            err().println("omnibus journal: warning: " + damage.getMessage());
        }
    }
}
