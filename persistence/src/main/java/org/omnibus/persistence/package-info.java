/**
 * The node's journal of the ordered stream, on Chronicle Queue.
 * <p>
 * {@link org.omnibus.persistence.Journal} appends sequenced messages (envelope plus SBE frame, CRC-checked, see
 * {@link org.omnibus.persistence.JournalEntry}), indexes them by global sequence, supersedes unstable tails with
 * marker entries, recovers on open and applies retention; {@link org.omnibus.persistence.JournalTailer} replays
 * from a sequence or a time and follows live appends; {@link org.omnibus.persistence.JournalExport} writes and
 * reads the export file. Settings: {@link org.omnibus.persistence.JournalContext} and
 * {@link org.omnibus.persistence.JournalConfiguration}. docs/ARCHITECTURE.md, section "Journal", has the formats
 * and the recovery and retention rules.
 */
package org.omnibus.persistence;
