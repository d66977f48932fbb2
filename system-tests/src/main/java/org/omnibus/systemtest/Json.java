package org.omnibus.systemtest;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON text for the commands sent to {@link PyClient} (strings, numbers, booleans, null, lists, maps).
 * The text matches Python's {@code json.dumps} defaults, so a test may compare against what the client prints.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * @param value a String, Number, Boolean, null, Collection, Object[] or Map with String keys.
     * @return the JSON text.
     */
    public static String write(final Object value)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(final StringBuilder sb, final Object value)
    {
        if (value == null)
        {
            sb.append("null");
        }
        else if (value instanceof Boolean || value instanceof Number)
        {
            sb.append(value);
        }
        else if (value instanceof CharSequence)
        {
            string(sb, value.toString());
        }
        else if (value instanceof Object[])
        {
            write(sb, java.util.Arrays.asList((Object[])value));
        }
        else if (value instanceof Collection)
        {
            sb.append('[');
            final Iterator<?> it = ((Collection<?>)value).iterator();
            while (it.hasNext())
            {
                write(sb, it.next());
                if (it.hasNext())
                {
                    sb.append(", ");
                }
            }
            sb.append(']');
        }
        else if (value instanceof Map)
        {
            sb.append('{');
            final Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>)value).entrySet().iterator();
            while (it.hasNext())
            {
                final Map.Entry<?, ?> entry = it.next();
                string(sb, String.valueOf(entry.getKey()));
                sb.append(": ");
                write(sb, entry.getValue());
                if (it.hasNext())
                {
                    sb.append(", ");
                }
            }
            sb.append('}');
        }
        else
        {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void string(final StringBuilder sb, final String text)
    {
        sb.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
