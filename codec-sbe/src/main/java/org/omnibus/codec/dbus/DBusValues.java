package org.omnibus.codec.dbus;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Marshals Java values by a signature and unmarshals them back: the convenient (allocating) layer used by tests,
 * tools, the driver's replies and bus-api. Hot paths use {@link DBusBodyCursor} and {@link DBusMarshaller}.
 * <p>
 * Java forms accepted when writing, by type code: {@code y n q i u x t d} any {@link Number} (unsigned types take
 * the low bits); {@code b} {@link Boolean}; {@code h} {@link DBusUnixFd} or a {@link Number}; {@code s} any
 * {@link CharSequence}; {@code o} {@link DBusObjectPath} or a {@link CharSequence}; {@code g} {@link DBusSignature}
 * or a {@link CharSequence}; {@code v} {@link DBusVariant}, or any value whose type {@link #signatureOf} infers;
 * {@code a} a {@link Collection}, an {@code Object[]} or a primitive array; {@code a{..}} a {@link Map};
 * {@code (..)} a {@link DBusStruct}, a {@link List} or an {@code Object[]}.
 * <p>
 * Forms read back: {@code y} Byte, {@code b} Boolean, {@code n} Short, {@code q} Integer, {@code i} Integer,
 * {@code u} Long, {@code x} Long, {@code t} Long (the same 64 bits), {@code d} Double, {@code h}
 * {@link DBusUnixFd}, {@code s} String, {@code o} {@link DBusObjectPath}, {@code g} {@link DBusSignature},
 * {@code v} {@link DBusVariant}, {@code a} List, {@code a{..}} LinkedHashMap (wire order), {@code (..)}
 * {@link DBusStruct}.
 */
public final class DBusValues
{
    private DBusValues()
    {
    }

    /**
     * Marshal values by a signature.
     *
     * @param marshaller where to write.
     * @param signature  a valid signature with one complete type per value.
     * @param values     the values.
     * @throws IllegalArgumentException if the values do not fit the signature.
     */
    public static void write(final DBusMarshaller marshaller, final String signature, final List<?> values)
    {
        int i = 0;
        int n = 0;
        while (i < signature.length())
        {
            if (n >= values.size())
            {
                throw new IllegalArgumentException("too few values for signature " + signature);
            }
            i = writeValue(marshaller, signature, i, values.get(n++));
        }
        if (n != values.size())
        {
            throw new IllegalArgumentException("too many values for signature " + signature);
        }
    }

    /**
     * Unmarshal the whole body of a message.
     *
     * @param message a wrapped message.
     * @return its arguments.
     */
    public static List<Object> readBody(final DBusMessageFlyweight message)
    {
        return readAll(new DBusBodyCursor().wrap(message));
    }

    /**
     * Unmarshal the remaining values of the cursor's current container.
     *
     * @param cursor positioned at the first value to read.
     * @return the values.
     */
    public static List<Object> readAll(final DBusBodyCursor cursor)
    {
        final List<Object> values = new ArrayList<>();
        while (cursor.hasNext())
        {
            values.add(read(cursor));
        }
        return values;
    }

    /**
     * Unmarshal the cursor's next value.
     *
     * @param cursor positioned at the value.
     * @return the value in its read-back Java form.
     */
    public static Object read(final DBusBodyCursor cursor)
    {
        final int type = cursor.peekType();
        switch (type)
        {
            case 'y': return cursor.readByte();
            case 'b': return cursor.readBoolean();
            case 'n': return cursor.readInt16();
            case 'q': return cursor.readUint16();
            case 'i': return cursor.readInt32();
            case 'u': return cursor.readUint32();
            case 'x': return cursor.readInt64();
            case 't': return cursor.readUint64();
            case 'd': return cursor.readDouble();
            case 'h': return new DBusUnixFd(cursor.readUnixFd());
            case 's': return cursor.readStringAsString();
            case 'o': return new DBusObjectPath(cursor.readStringAsString());
            case 'g': return new DBusSignature(cursor.readStringAsString());
            case 'v':
            {
                cursor.enterVariant();
                final String signature = cursor.stringAsString();
                final Object value = read(cursor);
                cursor.exit();
                return new DBusVariant(signature, value);
            }
            case '(':
            {
                cursor.enterStruct();
                final List<Object> fields = readAll(cursor);
                cursor.exit();
                return new DBusStruct(fields);
            }
            case 'a':
            {
                cursor.enterArray();
                final Object result;
                if (cursor.elementType() == '{')
                {
                    final Map<Object, Object> map = new LinkedHashMap<>();
                    while (cursor.hasNext())
                    {
                        cursor.enterDictEntry();
                        final Object key = read(cursor);
                        map.put(key, read(cursor));
                        cursor.exit();
                    }
                    result = map;
                }
                else
                {
                    result = readAll(cursor);
                }
                cursor.exit();
                return result;
            }
            default:
                throw new DBusCodecException(DBusRule.TYPE_MISMATCH, cursor.position());
        }
    }

    /**
     * Infer the signature of a value: Byte y, Boolean b, Short n, Integer i, Long x, Double d, CharSequence s,
     * {@link DBusObjectPath} o, {@link DBusSignature} g, {@link DBusUnixFd} h, {@link DBusVariant} v,
     * {@link DBusStruct} (..), byte[] ay, a non-empty List a + its first element's, a non-empty Map a{..} from
     * its first entry.
     *
     * @param value the value.
     * @return its signature.
     * @throws IllegalArgumentException if the type cannot be inferred (e.g. an empty list).
     */
    public static String signatureOf(final Object value)
    {
        if (value instanceof Byte)
        {
            return "y";
        }
        if (value instanceof Boolean)
        {
            return "b";
        }
        if (value instanceof Short)
        {
            return "n";
        }
        if (value instanceof Integer)
        {
            return "i";
        }
        if (value instanceof Long)
        {
            return "x";
        }
        if (value instanceof Double)
        {
            return "d";
        }
        if (value instanceof CharSequence)
        {
            return "s";
        }
        if (value instanceof DBusObjectPath)
        {
            return "o";
        }
        if (value instanceof DBusSignature)
        {
            return "g";
        }
        if (value instanceof DBusUnixFd)
        {
            return "h";
        }
        if (value instanceof DBusVariant)
        {
            return "v";
        }
        if (value instanceof byte[])
        {
            return "ay";
        }
        if (value instanceof DBusStruct)
        {
            final StringBuilder sb = new StringBuilder("(");
            for (final Object field : ((DBusStruct)value).fields())
            {
                sb.append(signatureOf(field));
            }
            return sb.append(')').toString();
        }
        if (value instanceof List && !((List<?>)value).isEmpty())
        {
            return "a" + signatureOf(((List<?>)value).get(0));
        }
        if (value instanceof Map && !((Map<?, ?>)value).isEmpty())
        {
            final Map.Entry<?, ?> first = ((Map<?, ?>)value).entrySet().iterator().next();
            return "a{" + signatureOf(first.getKey()) + signatureOf(first.getValue()) + "}";
        }
        throw new IllegalArgumentException("cannot infer a D-Bus type for " + value);
    }

    /**
     * End of the complete type starting at {@code index} of a valid signature.
     *
     * @param signature a valid signature.
     * @param index     of the complete type's first code.
     * @return the index just past it.
     */
    public static int skipCompleteType(final String signature, final int index)
    {
        int i = index;
        int open = 0;
        while (true)
        {
            final char c = signature.charAt(i++);
            if (c == 'a')
            {
                continue;
            }
            if (c == '(' || c == '{')
            {
                open++;
                continue;
            }
            if (c == ')' || c == '}')
            {
                open--;
            }
            if (open <= 0)
            {
                return i;
            }
        }
    }

    private static int writeValue(final DBusMarshaller m, final String sig, final int i, final Object value)
    {
        final char type = sig.charAt(i);
        switch (type)
        {
            case 'y': m.putByte(number(value, type).byteValue()); break;
            case 'b': m.putBoolean(cast(value, Boolean.class, type)); break;
            case 'n': m.putInt16(number(value, type).shortValue()); break;
            case 'q': m.putUint16(number(value, type).intValue()); break;
            case 'i': m.putInt32(number(value, type).intValue()); break;
            case 'u': m.putUint32(number(value, type).longValue()); break;
            case 'x':
            case 't':
                m.putInt64(number(value, type).longValue());
                break;
            case 'd': m.putDouble(number(value, type).doubleValue()); break;
            case 'h':
                m.putUnixFd(value instanceof DBusUnixFd ? ((DBusUnixFd)value).index() : number(value, type).intValue());
                break;
            case 's': m.putString(cast(value, CharSequence.class, type)); break;
            case 'o':
                m.putObjectPath(value instanceof DBusObjectPath ?
                    ((DBusObjectPath)value).path() : cast(value, CharSequence.class, type));
                break;
            case 'g':
                m.putSignature(value instanceof DBusSignature ?
                    ((DBusSignature)value).signature() : cast(value, CharSequence.class, type));
                break;
            case 'v':
            {
                final DBusVariant variant = value instanceof DBusVariant ? (DBusVariant)value : DBusVariant.of(value);
                m.beginVariant(variant.signature());
                writeValue(m, variant.signature(), 0, variant.value());
                break;
            }
            case 'a':
                writeArray(m, sig, i, value);
                break;
            case '(':
            {
                final List<?> fields = structFields(value);
                m.beginStruct();
                int j = i + 1;
                for (final Object field : fields)
                {
                    if (sig.charAt(j) == ')')
                    {
                        throw new IllegalArgumentException("too many struct fields for " + sig.substring(i));
                    }
                    j = writeValue(m, sig, j, field);
                }
                if (sig.charAt(j) != ')')
                {
                    throw new IllegalArgumentException("too few struct fields for " + sig.substring(i));
                }
                break;
            }
            default:
                throw new IllegalArgumentException("invalid type code '" + type + "' in " + sig);
        }
        return skipCompleteType(sig, i);
    }

    private static void writeArray(final DBusMarshaller m, final String sig, final int i, final Object value)
    {
        final char element = sig.charAt(i + 1);
        m.beginArray(element);
        if (element == '{')
        {
            if (!(value instanceof Map))
            {
                throw new IllegalArgumentException("a Map is needed for " + sig.substring(i));
            }
            final int keySig = i + 2;
            final int valueSig = skipCompleteType(sig, keySig);
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                m.beginStruct();
                writeValue(m, sig, keySig, entry.getKey());
                writeValue(m, sig, valueSig, entry.getValue());
            }
        }
        else
        {
            for (final Object item : elements(value, sig, i))
            {
                writeValue(m, sig, i + 1, item);
            }
        }
        m.endArray();
    }

    private static List<?> elements(final Object value, final String sig, final int i)
    {
        if (value instanceof List)
        {
            return (List<?>)value;
        }
        if (value instanceof Collection)
        {
            return new ArrayList<>((Collection<?>)value);
        }
        if (value instanceof Object[])
        {
            return Arrays.asList((Object[])value);
        }
        if (value != null && value.getClass().isArray())
        {
            final int length = Array.getLength(value);
            final List<Object> list = new ArrayList<>(length);
            for (int k = 0; k < length; k++)
            {
                list.add(Array.get(value, k));
            }
            return list;
        }
        throw new IllegalArgumentException("a collection or array is needed for " + sig.substring(i));
    }

    private static List<?> structFields(final Object value)
    {
        if (value instanceof DBusStruct)
        {
            return ((DBusStruct)value).fields();
        }
        if (value instanceof List)
        {
            return (List<?>)value;
        }
        if (value instanceof Object[])
        {
            return Arrays.asList((Object[])value);
        }
        throw new IllegalArgumentException("a DBusStruct, List or Object[] is needed for a struct: " + value);
    }

    private static Number number(final Object value, final char type)
    {
        return cast(value, Number.class, type);
    }

    private static <T> T cast(final Object value, final Class<T> type, final char code)
    {
        if (!type.isInstance(value))
        {
            throw new IllegalArgumentException(
                "type '" + code + "' needs a " + type.getSimpleName() + ", got " +
                (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return type.cast(value);
    }
}
