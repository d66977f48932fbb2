package org.omnibus.bus.match;

import java.nio.charset.StandardCharsets;

import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.DBusNames;
import org.omnibus.bus.MessageType;

/**
 * Parses match rule text exactly as dbus-daemon's bus_match_rule_parse (bus/signals.c), quirks included:
 * <ul>
 * <li>the text is at most 1024 bytes (else LimitsExceeded);</li>
 * <li>{@code key=value} pairs separated by ','; whitespace around keys is skipped, never around values;</li>
 * <li>values may be quoted with '; inside quotes nothing is special but the closing quote; outside quotes
 * {@code \'} is a literal quote and any other backslash is kept literally (a trailing one too);</li>
 * <li>at most 16 pairs are read, the rest is ignored; an empty key (text starting with '=') ends the rule;</li>
 * <li>the argument number of argN keys is read like C's strtoul with base 0 (so arg010 is arg8 and arg0x1 is
 * arg1), and must be at most 63;</li>
 * <li>error messages are dbus-daemon's, trailing newlines included.</li>
 * </ul>
 */
public final class MatchRuleParser
{
    /** Longest rule text in bytes (DBUS_MAXIMUM_MATCH_RULE_LENGTH). */
    public static final int MAXIMUM_RULE_LENGTH = 1024;

    private static final int MAX_RULE_TOKENS = 16;

    private MatchRuleParser()
    {
    }

    /**
     * Parse a rule.
     *
     * @param text the rule text (a D-Bus string).
     * @return the rule.
     * @throws MatchRuleException MatchRuleInvalid or LimitsExceeded with dbus-daemon's message.
     */
    public static MatchRule parse(final String text) throws MatchRuleException
    {
        return parse(text, false);
    }

    /**
     * Parse a rule of BecomeMonitor: monitors always eavesdrop.
     *
     * @param text the rule text.
     * @return the rule, with eavesdrop='true' whatever the text says.
     * @throws MatchRuleException MatchRuleInvalid or LimitsExceeded with dbus-daemon's message.
     */
    public static MatchRule parseMonitorRule(final String text) throws MatchRuleException
    {
        return parse(text, true);
    }

    private static MatchRule parse(final String text, final boolean monitor) throws MatchRuleException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAXIMUM_RULE_LENGTH)
        {
            throw new MatchRuleException(DBusErrors.LIMITS_EXCEEDED,
                "Match rule text is " + bytes.length + " bytes, maximum is " + MAXIMUM_RULE_LENGTH);
        }

        // tokenize the whole text first: a syntax error anywhere wins over a bad key or value
        final String[] keys = new String[MAX_RULE_TOKENS];
        final byte[][] values = new byte[MAX_RULE_TOKENS][];
        int count = 0;
        final Tokenizer tokenizer = new Tokenizer(bytes);
        while (count < MAX_RULE_TOKENS && tokenizer.pos < bytes.length)
        {
            final String key = tokenizer.nextKey();
            if (null == key)
            {
                break;
            }
            keys[count] = key;
            values[count] = tokenizer.nextValue();
            count++;
        }

        final Builder rule = new Builder();
        for (int i = 0; i < count; i++)
        {
            apply(rule, keys[i], values[i]);
        }
        if (monitor)
        {
            rule.flags |= MatchRule.CLIENT_IS_EAVESDROPPING;
        }
        return new MatchRule(rule, text);
    }

    private static void apply(final Builder rule, final String key, final byte[] valueBytes)
        throws MatchRuleException
    {
        final String value = new String(valueBytes, StandardCharsets.UTF_8);
        switch (key)
        {
            case "type":
            {
                if ((rule.flags & MatchRule.MESSAGE_TYPE) != 0)
                {
                    throw MatchRuleException.invalid("Key " + key + " specified twice in match rule\n");
                }
                final int type = MessageType.fromString(value);
                if (type == MessageType.INVALID)
                {
                    throw MatchRuleException.invalid("Invalid message type (" + value + ") in match rule\n");
                }
                rule.messageType = type;
                rule.flags |= MatchRule.MESSAGE_TYPE;
                break;
            }
            case "sender":
            {
                if ((rule.flags & MatchRule.SENDER) != 0)
                {
                    throw MatchRuleException.invalid("Key " + key + " specified twice in match rule\n");
                }
                if (!DBusNames.isValidBusName(value))
                {
                    throw MatchRuleException.invalid("Sender name '" + value + "' is invalid\n");
                }
                rule.sender = value;
                rule.flags |= MatchRule.SENDER;
                break;
            }
            case "interface":
            {
                if ((rule.flags & MatchRule.INTERFACE) != 0)
                {
                    throw MatchRuleException.invalid("Key " + key + " specified twice in match rule\n");
                }
                if (!DBusNames.isValidInterface(value))
                {
                    throw MatchRuleException.invalid("Interface name '" + value + "' is invalid\n");
                }
                rule.interfaceName = value;
                rule.flags |= MatchRule.INTERFACE;
                break;
            }
            case "member":
            {
                if ((rule.flags & MatchRule.MEMBER) != 0)
                {
                    throw MatchRuleException.invalid("Key " + key + " specified twice in match rule\n");
                }
                if (!DBusNames.isValidMember(value))
                {
                    throw MatchRuleException.invalid("Member name '" + value + "' is invalid\n");
                }
                rule.member = value;
                rule.flags |= MatchRule.MEMBER;
                break;
            }
            case "path":
            case "path_namespace":
            {
                if ((rule.flags & (MatchRule.PATH | MatchRule.PATH_NAMESPACE)) != 0)
                {
                    throw MatchRuleException.invalid("path or path_namespace specified twice in match rule\n");
                }
                if (!DBusNames.isValidPath(value))
                {
                    throw MatchRuleException.invalid("Path '" + value + "' is invalid\n");
                }
                rule.path = value;
                rule.flags |= "path".equals(key) ? MatchRule.PATH : MatchRule.PATH_NAMESPACE;
                break;
            }
            case "destination":
            {
                if ((rule.flags & MatchRule.DESTINATION) != 0)
                {
                    throw MatchRuleException.invalid("Key " + key + " specified twice in match rule\n");
                }
                if (!DBusNames.isValidBusName(value))
                {
                    throw MatchRuleException.invalid("Destination name '" + value + "' is invalid\n");
                }
                rule.destination = value;
                rule.flags |= MatchRule.DESTINATION;
                break;
            }
            case "eavesdrop":
            {
                if ("true".equals(value))
                {
                    rule.flags |= MatchRule.CLIENT_IS_EAVESDROPPING;
                }
                else if ("false".equals(value))
                {
                    rule.flags &= ~MatchRule.CLIENT_IS_EAVESDROPPING;
                }
                else
                {
                    throw MatchRuleException.invalid(
                        "eavesdrop='" + value + "' is invalid, it should be 'true' or 'false'\n");
                }
                break;
            }
            default:
                if (key.startsWith("arg"))
                {
                    applyArg(rule, key, value, valueBytes);
                }
                else
                {
                    throw MatchRuleException.invalid("Unknown key \"" + key + "\" in match rule");
                }
        }
    }

    private static void applyArg(final Builder rule, final String key, final String value, final byte[] valueBytes)
        throws MatchRuleException
    {
        if (key.length() < 4)
        {
            throw MatchRuleException.invalid("Key '" + key + "' in match rule starts with 'arg' but lacks an arg " +
                "number. Should be 'arg0' or 'arg7' for example.\n");
        }
        final long[] parsed = strtoul(key, 3);
        if (null == parsed)
        {
            throw MatchRuleException.invalid("Key '" + key + "' in match rule starts with 'arg' but could not " +
                "parse arg number. Should be 'arg0' or 'arg7' for example.\n");
        }
        final long arg = parsed[0];
        final int end = (int)parsed[1];
        final String argText = Long.toUnsignedString(arg);

        boolean isPath = false;
        boolean isNamespace = false;
        if (end != key.length())
        {
            if (end + 4 == key.length() && key.endsWith("path"))
            {
                isPath = true;
            }
            else if ("arg0namespace".equals(key))
            {
                isNamespace = true;
                if (!DBusNames.isValidBusNamespace(value))
                {
                    throw MatchRuleException.invalid(
                        "arg0namespace='" + value + "' is not a valid prefix of a bus name");
                }
            }
            else
            {
                throw MatchRuleException.invalid("Key '" + key + "' in match rule contains junk after argument " +
                    "number (" + argText + "). Only 'arg" + argText + "path' (for example) or 'arg0namespace' " +
                    "are valid");
            }
        }

        if (Long.compareUnsigned(arg, MatchRule.MAXIMUM_ARG_NUMBER) > 0)
        {
            throw MatchRuleException.invalid("Key '" + key + "' in match rule has arg number " + argText +
                " but the maximum is " + MatchRule.MAXIMUM_ARG_NUMBER + ".\n");
        }
        final int index = (int)arg;
        if (index < rule.argsLen && null != rule.args[index])
        {
            throw MatchRuleException.invalid("Argument " + key + " matched more than once in match rule\n");
        }
        rule.args[index] = valueBytes;
        rule.argFlags[index] = (isPath ? MatchRule.ARG_IS_PATH : 0) | (isNamespace ? MatchRule.ARG_NAMESPACE : 0);
        rule.argsLen = Math.max(rule.argsLen, index + 1);
        rule.flags |= MatchRule.ARGS;
    }

    /**
     * C's strtoul(s + start, &amp;end, 0): optional whitespace and sign, then a hex (0x), octal (0) or decimal
     * number.
     *
     * @return {value as unsigned 64 bits, end index}, or null when no digits were read or the value overflowed.
     */
    static long[] strtoul(final String s, final int start)
    {
        int i = start;
        final int n = s.length();
        while (i < n && isCSpace(s.charAt(i)))
        {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-'))
        {
            negative = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i < n && s.charAt(i) == '0')
        {
            if (i + 2 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') &&
                Character.digit(s.charAt(i + 2), 16) >= 0)
            {
                base = 16;
                i += 2;
            }
            else
            {
                base = 8;
            }
        }
        final int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < n)
        {
            final char c = s.charAt(i);
            final int d = c < 128 ? Character.digit(c, base) : -1;
            if (d < 0)
            {
                break;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0)
            {
                overflow = true;
            }
            value = value * base + d;
            i++;
        }
        if (i == digitsStart || overflow)
        {
            return null;
        }
        return new long[]{negative ? -value : value, i};
    }

    private static boolean isCSpace(final char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    private static boolean isWhite(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * find_key / find_value of bus/signals.c over the UTF-8 bytes.
     */
    private static final class Tokenizer
    {
        private final byte[] s;
        int pos;

        Tokenizer(final byte[] s)
        {
            this.s = s;
        }

        String nextKey() throws MatchRuleException
        {
            int p = pos;
            while (p < s.length && isWhite(s[p]))
            {
                p++;
            }
            final int keyStart = p;
            while (p < s.length && s[p] != '=' && !isWhite(s[p]))
            {
                p++;
            }
            final int keyEnd = p;
            while (p < s.length && isWhite(s[p]))
            {
                p++;
            }
            if (keyStart == keyEnd)
            {
                pos = p;
                return null; // empty rule, trailing whitespace, or '=' without key: nothing more is read
            }
            if (p >= s.length || s[p] != '=')
            {
                throw MatchRuleException.invalid("Match rule has a key with no subsequent '=' character");
            }
            pos = p + 1;
            return new String(s, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8);
        }

        byte[] nextValue() throws MatchRuleException
        {
            final java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
            int p = pos;
            int quote = 0;
            loop:
            while (p < s.length)
            {
                final byte b = s[p];
                if (quote == 0)
                {
                    switch (b)
                    {
                        case '\'':
                            quote = '\'';
                            break;
                        case ',':
                            p++;
                            break loop;
                        case '\\':
                            quote = '\\';
                            break;
                        default:
                            value.write(b);
                    }
                }
                else if (quote == '\\')
                {
                    if (b != '\'')
                    {
                        value.write('\\');
                    }
                    value.write(b);
                    quote = 0;
                }
                else
                {
                    if (b == '\'')
                    {
                        quote = 0;
                    }
                    else
                    {
                        value.write(b);
                    }
                }
                p++;
            }
            if (quote == '\\')
            {
                value.write('\\');
            }
            else if (quote == '\'')
            {
                throw MatchRuleException.invalid("Unbalanced quotation marks in match rule");
            }
            pos = p;
            return value.toByteArray();
        }
    }

    static final class Builder
    {
        int flags;
        int messageType = MessageType.INVALID;
        String interfaceName;
        String member;
        String sender;
        String destination;
        String path;
        final byte[][] args = new byte[MatchRule.MAXIMUM_ARG_NUMBER + 1][];
        final int[] argFlags = new int[MatchRule.MAXIMUM_ARG_NUMBER + 1];
        int argsLen;
    }
}
