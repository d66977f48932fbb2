package org.omnibus.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal D-Bus signature handling: splitting a signature into its top-level complete types.
 */
public final class Signatures
{
    private Signatures()
    {
    }

    /**
     * Split a signature into complete types ("sa{sv}(ii)" gives "s", "a{sv}", "(ii)").
     *
     * @param signature a valid signature, null or empty for none.
     * @return the complete types.
     * @throws IllegalArgumentException if the signature is malformed.
     */
    public static List<String> split(final CharSequence signature)
    {
        final List<String> types = new ArrayList<>();
        if (null == signature)
        {
            return types;
        }
        int i = 0;
        final int n = signature.length();
        while (i < n)
        {
            final int end = endOfCompleteType(signature, i);
            types.add(signature.subSequence(i, end).toString());
            i = end;
        }
        return types;
    }

    /**
     * @param signature a signature.
     * @param start     index of the first character of a complete type.
     * @return index just after that complete type.
     * @throws IllegalArgumentException if the signature is malformed.
     */
    public static int endOfCompleteType(final CharSequence signature, final int start)
    {
        if (start >= signature.length())
        {
            throw new IllegalArgumentException("truncated signature: " + signature);
        }
        final char c = signature.charAt(start);
        switch (c)
        {
            case 'a':
                return endOfCompleteType(signature, start + 1);
            case '(':
            {
                int i = start + 1;
                while (i < signature.length() && signature.charAt(i) != ')')
                {
                    i = endOfCompleteType(signature, i);
                }
                if (i >= signature.length() || i == start + 1)
                {
                    throw new IllegalArgumentException("bad struct in signature: " + signature);
                }
                return i + 1;
            }
            case '{':
            {
                int i = endOfCompleteType(signature, start + 1);
                i = endOfCompleteType(signature, i);
                if (i >= signature.length() || signature.charAt(i) != '}')
                {
                    throw new IllegalArgumentException("bad dict entry in signature: " + signature);
                }
                return i + 1;
            }
            case 'y': case 'b': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'd': case 'h':
            case 's': case 'o': case 'g': case 'v':
                return start + 1;
            default:
                throw new IllegalArgumentException("bad type code '" + c + "' in signature: " + signature);
        }
    }
}
