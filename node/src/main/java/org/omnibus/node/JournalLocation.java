package org.omnibus.node;

import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalReader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where an {@code omnibus journal} command finds the journal: {@code --data-dir DIR} (the node's data directory,
 * the journal being {@code DIR/journal}) or {@code --journal DIR}.
 */
final class JournalLocation
{
    /** The node's default data directory, as {@code omnibus start} uses it. */
    static final Path DEFAULT_DATA_DIR = Path.of("data");

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Node data directory; the journal is DIR/" + JournalConfiguration.DATA_DIR_JOURNAL_NAME +
        ". Default: ./data")
    Path dataDir;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (instead of --data-dir)")
    Path journal;

    /**
     * @return whether either option was given.
     */
    boolean isGiven()
    {
        return null != dataDir || null != journal;
    }

    /**
     * @return the journal directory.
     * @throws JournalCliException if both options were given.
     */
    Path directory()
    {
        if (null != dataDir && null != journal)
        {
            throw JournalCliException.badInput("--data-dir and --journal cannot both be given");
        }
        return null != journal ? journal : JournalConfiguration.journalDirectory(
            null != dataDir ? dataDir : DEFAULT_DATA_DIR);
    }

    /**
     * Open the journal read-only: no lock, so a node may be writing it.
     *
     * @return the reader.
     * @throws JournalCliException if there is no journal there.
     */
    JournalReader openReader()
    {
        final Path directory = directory();
        try
        {
            return JournalReader.open(directory);
        }
        catch (final IllegalArgumentException ex)
        {
            throw JournalCliException.badInput(ex.getMessage());
        }
    }
}
