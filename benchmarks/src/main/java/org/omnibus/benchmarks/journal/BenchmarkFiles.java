package org.omnibus.benchmarks.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for the journal benchmarks, under {@code java.io.tmpdir} (point it at the disk to
 * measure).
 */
final class BenchmarkFiles
{
    private BenchmarkFiles()
    {
    }

    static Path createTempDirectory(final String prefix) throws IOException
    {
        return Files.createTempDirectory(prefix);
    }

    static void delete(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
