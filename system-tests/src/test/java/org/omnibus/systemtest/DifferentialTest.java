package org.omnibus.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test: the same scripted scenario ({@link DifferentialScenario}) runs against the reference, a
 * private dbus-daemon that also refuses unrequested replies, and against the candidate named by
 * {@code omnibus.systest.candidate} (default: Omnibus in-process); the transcripts must be equal. Both are written
 * to the bus log directory for inspection.
 */
@Timeout(180)
class DifferentialTest
{
    /** System property naming the bus compared with the reference. */
    static final String CANDIDATE_PROP_NAME = "omnibus.systest.candidate";

    @TempDir
    Path tempDir;

    @Test
    void candidateBehavesAsTheReference() throws IOException
    {
        final BusKind candidateKind = BusKind.fromId(System.getProperty(CANDIDATE_PROP_NAME, "omnibus"));
        final Transcript reference = play(BusKind.DBUS_DAEMON_STRICT, "reference");
        final Transcript candidate = play(candidateKind, "candidate");

        final String diff = Transcript.diff(reference, candidate);
        assertThat(diff).as("transcript of %s (+) against dbus-daemon (-)", candidateKind).isEmpty();
        assertThat(reference.lines()).as("every client observed something").hasSize(6);
    }

    private Transcript play(final BusKind kind, final String role) throws IOException
    {
        final Path dir = Files.createDirectories(tempDir.resolve(role));
        try (Bus bus = Bus.start(kind, dir, "DifferentialTest-" + role))
        {
            final Transcript transcript = DifferentialScenario.run(bus);
            Files.writeString(bus.logFile().resolveSibling("DifferentialTest-" + role + "-" + kind.id() +
                ".transcript"), transcript.toString(), StandardCharsets.UTF_8);
            return transcript;
        }
    }
}
