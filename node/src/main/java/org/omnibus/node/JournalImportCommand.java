package org.omnibus.node;

import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code omnibus journal import --input FILE}: append an export file's messages to a journal (creating it if need
 * be). Writing needs the journal's lock: the node must not be running.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = OmnibusMain.Version.class,
    description = {"Append an export file's messages to a journal (the node must be stopped: this writes).",
        "They must follow on from its last message with no gap; a missing journal is created."})
final class JournalImportCommand extends JournalSubcommand
{
    @Mixin
    JournalLocation location;

    @Option(names = "--input", paramLabel = "FILE", required = true, description = "Export file to read")
    Path input;

    @Override
    int run()
    {
        if (!Files.isRegularFile(input))
        {
            throw JournalCliException.badInput("no such export file: " + input);
        }
        final Path directory = location.directory();
        final Journal journal;
        try
        {
            journal = Journal.open(new JournalContext().directory(directory));
        }
        catch (final IllegalStateException ex)
        {
            throw new JournalCliException(JournalCliException.FAILURE, ex.getMessage() + "; stop the node first");
        }
        try (journal)
        {
            final long count = JournalExport.importInto(journal, input);
            out().println("imported " + count + " messages into " + directory + "; it holds seq " +
                journal.firstSequence() + " .. " + journal.lastSequence());
        }
        catch (final IllegalStateException ex)
        {
            throw new JournalCliException(JournalCliException.FAILURE, ex.getMessage());
        }
        return 0;
    }
}
