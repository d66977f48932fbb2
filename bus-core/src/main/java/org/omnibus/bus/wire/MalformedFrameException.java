package org.omnibus.bus.wire;

/**
 * A frame that cannot be decoded: another schema or a newer version, another template, truncated, a length or
 * count that runs past the frame's end, an unknown enum value, or contents that break the message's rules (for
 * example a RequestName command without a valid name). Decoding the same bytes fails the same way on every node.
 */
public final class MalformedFrameException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the offending value.
     */
    public MalformedFrameException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause   the underlying error.
     */
    public MalformedFrameException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
