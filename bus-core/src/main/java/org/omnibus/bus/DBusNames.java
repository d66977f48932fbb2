package org.omnibus.bus;

/**
 * Validation of D-Bus names, exactly as libdbus' dbus-marshal-validate.c accepts them.
 * <p>
 * All checks work on any {@link CharSequence} and allocate nothing. Names are ASCII: a character outside the
 * allowed set (including any non-ASCII character) makes a name invalid.
 */
public final class DBusNames
{
    /** The bus driver's well-known name. */
    public static final String DBUS_SERVICE = "org.freedesktop.DBus";
    /** The bus driver's interface. */
    public static final String DBUS_INTERFACE = "org.freedesktop.DBus";
    /** The bus driver's canonical object path. */
    public static final String DBUS_PATH = "/org/freedesktop/DBus";
    /** Maximum length of bus, interface, member and error names. */
    public static final int MAXIMUM_NAME_LENGTH = 255;

    private DBusNames()
    {
    }

    /**
     * @param c a character.
     * @return true for [A-Za-z_].
     */
    static boolean isInitialNameChar(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    /**
     * @param c a character.
     * @return true for [A-Za-z0-9_].
     */
    static boolean isNameChar(final char c)
    {
        return isInitialNameChar(c) || (c >= '0' && c <= '9');
    }

    private static boolean isInitialBusNameChar(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    }

    private static boolean isBusNameChar(final char c)
    {
        return isInitialBusNameChar(c) || (c >= '0' && c <= '9');
    }

    /**
     * An object path: "/" or "/" separated non-empty [A-Za-z0-9_] elements, no trailing slash.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidPath(final CharSequence s)
    {
        final int len = s.length();
        if (len == 0 || s.charAt(0) != '/')
        {
            return false;
        }
        int lastSlash = 0;
        for (int i = 1; i < len; i++)
        {
            final char c = s.charAt(i);
            if (c == '/')
            {
                if (i - lastSlash < 2)
                {
                    return false;
                }
                lastSlash = i;
            }
            else if (!isNameChar(c))
            {
                return false;
            }
        }
        return !(len - lastSlash < 2 && len > 1);
    }

    /**
     * An interface name: at least two dot-separated elements of [A-Za-z_][A-Za-z0-9_]*, at most 255 characters.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidInterface(final CharSequence s)
    {
        final int len = s.length();
        if (len == 0 || len > MAXIMUM_NAME_LENGTH)
        {
            return false;
        }
        if (!isInitialNameChar(s.charAt(0)))
        {
            return false;
        }
        boolean sawDot = false;
        for (int i = 1; i < len; i++)
        {
            final char c = s.charAt(i);
            if (c == '.')
            {
                if (i + 1 == len || !isInitialNameChar(s.charAt(i + 1)))
                {
                    return false;
                }
                sawDot = true;
                i++;
            }
            else if (!isNameChar(c))
            {
                return false;
            }
        }
        return sawDot;
    }

    /**
     * An error name: same rules as an interface name.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidErrorName(final CharSequence s)
    {
        return isValidInterface(s);
    }

    /**
     * A member name: [A-Za-z_][A-Za-z0-9_]*, at most 255 characters.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidMember(final CharSequence s)
    {
        final int len = s.length();
        if (len == 0 || len > MAXIMUM_NAME_LENGTH || !isInitialNameChar(s.charAt(0)))
        {
            return false;
        }
        for (int i = 1; i < len; i++)
        {
            if (!isNameChar(s.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A bus name: a unique name (":" then dot-separated [A-Za-z0-9_-] elements) or a well-known name (at least two
     * dot-separated elements, none starting with a digit), at most 255 characters.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidBusName(final CharSequence s)
    {
        return isValidBusName(s, false);
    }

    /**
     * A prefix of a bus name as arg0namespace accepts it: like a well-known name but one element suffices.
     *
     * @param s candidate.
     * @return true when valid.
     */
    public static boolean isValidBusNamespace(final CharSequence s)
    {
        return isValidBusName(s, true);
    }

    private static boolean isValidBusName(final CharSequence s, final boolean isNamespace)
    {
        final int len = s.length();
        if (len == 0 || len > MAXIMUM_NAME_LENGTH)
        {
            return false;
        }

        final char first = s.charAt(0);
        if (first == ':')
        {
            for (int i = 1; i < len; i++)
            {
                final char c = s.charAt(i);
                if (c == '.')
                {
                    if (i + 1 == len || !isBusNameChar(s.charAt(i + 1)))
                    {
                        return false;
                    }
                    i++;
                }
                else if (!isBusNameChar(c))
                {
                    return false;
                }
            }
            return true;
        }

        if (!isInitialBusNameChar(first))
        {
            return false;
        }
        boolean sawDot = false;
        for (int i = 1; i < len; i++)
        {
            final char c = s.charAt(i);
            if (c == '.')
            {
                if (i + 1 == len || !isInitialBusNameChar(s.charAt(i + 1)))
                {
                    return false;
                }
                sawDot = true;
                i++;
            }
            else if (!isBusNameChar(c))
            {
                return false;
            }
        }
        return isNamespace || sawDot;
    }

    /**
     * @param s a bus name.
     * @return true when it starts with ':'.
     */
    public static boolean isUniqueName(final CharSequence s)
    {
        return s.length() > 0 && s.charAt(0) == ':';
    }

    /**
     * @param s a name.
     * @return true when it is the bus driver's name.
     */
    public static boolean isDriverName(final CharSequence s)
    {
        return null != s && org.omnibus.bus.util.CharSequenceMap.contentEquals(DBUS_SERVICE, s);
    }

    /**
     * Whether {@code name} equals {@code prefix} or starts with {@code prefix} followed by '.'
     * (as _dbus_string_starts_with_words_c_str with '.').
     *
     * @param name   a name.
     * @param prefix a prefix.
     * @return true when the name lies in the prefix' namespace.
     */
    public static boolean startsWithWords(final CharSequence name, final CharSequence prefix)
    {
        final int n = prefix.length();
        if (name.length() < n)
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            if (name.charAt(i) != prefix.charAt(i))
            {
                return false;
            }
        }
        return name.length() == n || name.charAt(n) == '.';
    }
}
