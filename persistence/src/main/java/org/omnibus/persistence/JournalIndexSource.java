package org.omnibus.persistence;

import java.nio.file.Path;

/**
 * What a {@link JournalTailer} needs from the journal it reads: the published sequence index. Implemented for
 * the writer's {@link Journal} and for a read-only {@link JournalReader}.
 */
interface JournalIndexSource
{
    /**
     * @return the last sequence held, or {@link Journal#NULL_SEQUENCE}; read it before {@link #snapshot()}.
     */
    long lastSequence();

    /**
     * @return the current index snapshot.
     */
    IndexSnapshot snapshot();

    /**
     * @return the journal directory, for messages.
     */
    Path directory();
}
