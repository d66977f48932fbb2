package org.omnibus.node;

import org.omnibus.persistence.JournalExport;
import org.omnibus.persistence.JournalReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code omnibus journal export --from SEQ|TIME --to SEQ|TIME --output FILE}: write a range to the journal's
 * export format ({@link JournalExport}), which {@code replay --input} and {@code import} read.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = OmnibusMain.Version.class,
    description = {"Write a range of the journal to an export file.",
        "'replay --input FILE' and 'import --input FILE' read it (checked records, a trailer with the count).",
        "SEQ|TIME as for replay."})
final class JournalExportCommand extends JournalSubcommand
{
    @Mixin
    JournalLocation location;

    @Option(names = "--from", paramLabel = "SEQ|TIME", description = "First message. Default: the journal's first")
    String from;

    @Option(names = "--to", paramLabel = "SEQ|TIME", description = "Last message. Default: the journal's last")
    String to;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "Export file to write")
    Path output;

    @Override
    int run()
    {
        final JournalPosition fromPosition = position("--from", from);
        final JournalPosition toPosition = position("--to", to);
        JournalRange.checkOrder(fromPosition, toPosition);
        try (JournalReader reader = location.openReader())
        {
            final JournalRange range = JournalRange.resolve(reader, fromPosition, toPosition);
            warnIfDamaged(reader);
            final long count = JournalExport.export(reader, range.fromSeq(), range.toSeq(), output);
            out().println("exported " + count + " messages" +
                (range.isEmpty() ? "" : " (seq " + range.fromSeq() + " .. " + range.toSeq() + ")") + " to " + output);
        }
        return 0;
    }
}
