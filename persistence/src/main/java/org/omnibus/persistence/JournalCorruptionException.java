package org.omnibus.persistence;

/**
 * The journal holds damage it will not serve past: a corrupt entry, a gap in the sequence, or a file Chronicle
 * cannot read on. Names the file and the byte position.
 */
public final class JournalCorruptionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long position;
    private final long chronicleIndex;
    private final String reason;

    /**
     * @param file           the cycle file, or null if unknown.
     * @param position       byte offset of the entry's Chronicle header in the file, or -1 if unknown.
     * @param chronicleIndex the entry's Chronicle index, or -1 if unknown.
     * @param reason         what is wrong.
     * @param hint           what the operator can do, or null.
     */
    public JournalCorruptionException(
        final String file, final long position, final long chronicleIndex, final String reason, final String hint)
    {
        super(message(file, position, chronicleIndex, reason, hint));
        this.file = file;
        this.position = position;
        this.chronicleIndex = chronicleIndex;
        this.reason = reason;
    }

    /**
     * @return what is wrong, without the file, position and hint.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return the damaged file, or null if unknown.
     */
    public String file()
    {
        return file;
    }

    /**
     * @return byte offset of the damaged entry in the file, or -1.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return Chronicle index of the damaged entry, or -1.
     */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }

    private static String message(
        final String file, final long position, final long index, final String reason, final String hint)
    {
        final StringBuilder sb = new StringBuilder("journal damaged in file ")
            .append(null == file ? "(unknown)" : file)
            .append(" at position ").append(position);
        if (index >= 0)
        {
            sb.append(" (Chronicle index 0x").append(Long.toHexString(index)).append(')');
        }
        sb.append(": ").append(reason);
        if (null != hint)
        {
            sb.append(". ").append(hint);
        }
        return sb.toString();
    }
}
