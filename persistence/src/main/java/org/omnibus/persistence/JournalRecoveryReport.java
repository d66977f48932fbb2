package org.omnibus.persistence;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Journal} found and did when it opened.
 *
 * @param firstSequence      first sequence held after recovery, or {@link Journal#NULL_SEQUENCE}.
 * @param lastSequence       last sequence held after recovery, or {@link Journal#NULL_SEQUENCE}.
 * @param nextSequence       sequence the next append must carry, or {@link Journal#NULL_SEQUENCE} for any.
 * @param documents          Chronicle documents read.
 * @param markers            truncation markers read.
 * @param tornTailDiscarded  whether the last entry was damaged (a write cut short) and was superseded.
 * @param truncatedAtIndex   Chronicle index from which damaged entries were superseded because the journal was
 *                           opened with truncation on corruption, or -1.
 * @param truncationReason   what was wrong there, or null.
 * @param quarantinedFiles   cycle files moved aside because Chronicle could not read them to the end.
 * @param scanNs             time the scan took.
 */
public record JournalRecoveryReport(
    long firstSequence,
    long lastSequence,
    long nextSequence,
    long documents,
    long markers,
    boolean tornTailDiscarded,
    long truncatedAtIndex,
    String truncationReason,
    List<Path> quarantinedFiles,
    long scanNs)
{
}
