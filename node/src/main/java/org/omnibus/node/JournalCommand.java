package org.omnibus.node;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code omnibus journal}: read a node's journal, also while the node runs (a read-only open that takes no lock).
 * Subcommands: {@code stats}, {@code tail}, {@code replay}, {@code export}, {@code import}.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    versionProvider = OmnibusMain.Version.class,
    description = {
        "Read a node's journal of the ordered stream, also while the node runs.",
        "The journal is DIR/journal under the node's --data-dir (default ./data), or --journal DIR."},
    subcommands = {
        JournalStatsCommand.class,
        JournalTailCommand.class,
        JournalReplayCommand.class,
        JournalExportCommand.class,
        JournalImportCommand.class})
public final class JournalCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("omnibus journal: a subcommand is required (stats, tail, replay, " +
            "export, import); see omnibus journal --help");
        return JournalCliException.BAD_INPUT;
    }

    /**
     * Quiet the libraries' logging for a command-line tool: Chronicle's notices and the journal's own INFO lines
     * would mix with what the command prints.
     */
    static void quietLogs()
    {
        setLevel("net.openhft", Level.ERROR);
        setLevel("org.omnibus.persistence", Level.WARN);
    }

    private static void setLevel(final String name, final Level level)
    {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger)
        {
            logger.setLevel(level);
        }
    }
}
