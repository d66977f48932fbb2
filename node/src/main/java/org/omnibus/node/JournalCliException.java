package org.omnibus.node;

/**
 * A problem an {@code omnibus journal} command reports as one line on standard error, with its exit code.
 */
final class JournalCliException extends RuntimeException
{
    /** Exit code for bad input: options, ranges, times, a directory that holds no journal. */
    static final int BAD_INPUT = 2;
    /** Exit code for a failure while working: damage, I/O, a journal held by a node. */
    static final int FAILURE = 1;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    JournalCliException(final int exitCode, final String message)
    {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static JournalCliException badInput(final String message)
    {
        return new JournalCliException(BAD_INPUT, message);
    }

    int exitCode()
    {
        return exitCode;
    }
}
