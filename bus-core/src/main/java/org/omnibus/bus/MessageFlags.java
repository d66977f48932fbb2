package org.omnibus.bus;

/**
 * D-Bus header flag bits.
 */
public final class MessageFlags
{
    /** The sender does not want a reply. */
    public static final int NO_REPLY_EXPECTED = 0x1;
    /** The bus must not start a service to deliver the message. */
    public static final int NO_AUTO_START = 0x2;
    /** The caller is prepared to wait for interactive authorization. */
    public static final int ALLOW_INTERACTIVE_AUTHORIZATION = 0x4;

    private MessageFlags()
    {
    }
}
