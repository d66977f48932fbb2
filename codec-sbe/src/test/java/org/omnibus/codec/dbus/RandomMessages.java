package org.omnibus.codec.dbus;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates random well-formed D-Bus messages from a seed: random signatures and values (in the Java forms
 * {@link DBusValues} reads back), random header fields in random order, random flags.
 */
final class RandomMessages
{
    static final int UNIX_FDS = 4;
    private static final String BASIC = "ybnqiuxtdhsog";
    private static final String[] TEXT =
    {
        "a", "Z", "_", "0", " ", "é", "ß", "✓", "𝄞", "\uFFFE", "€", "~", "\u007F"
    };

    private final SplittableRandom random;

    /** What the last {@link #message} put in. */
    int type;
    int flags;
    long serial;
    final Map<Integer, Object> fields = new LinkedHashMap<>();
    String signature;
    List<Object> values;

    RandomMessages(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    SplittableRandom random()
    {
        return random;
    }

    DBusMessageBuilder message(final ByteOrder order)
    {
        fields.clear();
        final int roll = random.nextInt(20);
        type = roll == 0 ? 5 + random.nextInt(250) : 1 + roll % 4;
        flags = random.nextInt(256);
        serial = 1 + random.nextLong(0xFFFF_FFFFL);
        final List<Integer> codes = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
        Collections.shuffle(codes, new java.util.Random(random.nextLong()));
        for (final int code : codes)
        {
            final boolean required =
                (code == 1 && (type == 1 || type == 4)) || (code == 2 && type == 4) ||
                (code == 3 && (type == 1 || type == 4)) || (code == 4 && type == 3) ||
                (code == 5 && (type == 2 || type == 3));
            if (required || random.nextInt(3) == 0)
            {
                fields.put(code, fieldValue(code));
            }
        }
        signature = bodySignature();
        values = new ArrayList<>();
        for (int i = 0; i < signature.length(); i = DBusValues.skipCompleteType(signature, i))
        {
            values.add(value(signature, i));
        }
        final DBusMessageBuilder builder = new DBusMessageBuilder(type).flags(flags).serial(serial).byteOrder(order);
        for (final Map.Entry<Integer, Object> field : fields.entrySet())
        {
            switch (field.getKey())
            {
                case 1: builder.path((String)field.getValue()); break;
                case 2: builder.interfaceName((String)field.getValue()); break;
                case 3: builder.member((String)field.getValue()); break;
                case 4: builder.errorName((String)field.getValue()); break;
                case 5: builder.replySerial((Long)field.getValue()); break;
                case 6: builder.destination((String)field.getValue()); break;
                default: builder.sender((String)field.getValue()); break;
            }
        }
        if (signature.indexOf('h') >= 0 || signature.indexOf('v') >= 0 || random.nextInt(5) == 0)
        {
            builder.unixFds(UNIX_FDS);
        }
        return builder.bodyList(signature, values);
    }

    private Object fieldValue(final int code)
    {
        switch (code)
        {
            case 1: return path();
            case 2: return dotted(false);
            case 3: return element(false);
            case 4: return dotted(false);
            case 5: return 1 + random.nextLong(0xFFFF_FFFFL);
            case 6: return random.nextBoolean() ? uniqueName() : dotted(true);
            default: return uniqueName();
        }
    }

    String bodySignature()
    {
        while (true)
        {
            final StringBuilder sb = new StringBuilder();
            final int count = random.nextInt(6);
            for (int i = 0; i < count; i++)
            {
                sb.append(completeType(3));
            }
            if (sb.length() <= DBusProtocol.MAX_SIGNATURE_LENGTH)
            {
                return sb.toString();
            }
        }
    }

    String completeType(final int depth)
    {
        final int roll = random.nextInt(depth <= 0 ? BASIC.length() + 1 : BASIC.length() + 5);
        if (roll < BASIC.length())
        {
            return String.valueOf(BASIC.charAt(roll));
        }
        switch (roll - BASIC.length())
        {
            case 0: return "v";
            case 1: return "a" + completeType(depth - 1);
            case 2: return "a{" + BASIC.charAt(random.nextInt(BASIC.length())) + completeType(depth - 1) + "}";
            default:
            {
                final StringBuilder sb = new StringBuilder("(");
                for (int i = 1 + random.nextInt(3); i > 0; i--)
                {
                    sb.append(completeType(depth - 1));
                }
                return sb.append(')').toString();
            }
        }
    }

    Object value(final String sig, final int i)
    {
        final char type = sig.charAt(i);
        switch (type)
        {
            case 'y': return (byte)random.nextInt(256);
            case 'b': return random.nextBoolean();
            case 'n': return (short)random.nextInt(65536);
            case 'q': return random.nextInt(65536);
            case 'i': return random.nextInt();
            case 'u': return random.nextLong(1L << 32);
            case 'x':
            case 't':
                return random.nextLong();
            case 'd': return random.nextInt(4) == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble();
            case 'h': return new DBusUnixFd(random.nextInt(UNIX_FDS));
            case 's': return text();
            case 'o': return new DBusObjectPath(path());
            case 'g': return new DBusSignature(bodySignature());
            case 'v':
            {
                final String inner = completeType(2);
                return new DBusVariant(inner, value(inner, 0));
            }
            case 'a':
            {
                if (sig.charAt(i + 1) == '{')
                {
                    final Map<Object, Object> map = new LinkedHashMap<>();
                    final int valueSig = DBusValues.skipCompleteType(sig, i + 2);
                    for (int n = random.nextInt(4); n > 0; n--)
                    {
                        map.put(value(sig, i + 2), value(sig, valueSig));
                    }
                    return map;
                }
                final List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(4); n > 0; n--)
                {
                    list.add(value(sig, i + 1));
                }
                return list;
            }
            case '(':
            {
                final List<Object> fields = new ArrayList<>();
                for (int j = i + 1; sig.charAt(j) != ')'; j = DBusValues.skipCompleteType(sig, j))
                {
                    fields.add(value(sig, j));
                }
                return new DBusStruct(fields);
            }
            default:
                throw new IllegalStateException(sig);
        }
    }

    private String text()
    {
        final StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--)
        {
            sb.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return sb.toString();
    }

    private String path()
    {
        final StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(4); n > 0; n--)
        {
            sb.append('/').append(element(true));
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private String element(final boolean digitsFirst)
    {
        final String first = "abcXYZ_";
        final String rest = "abcXYZ_019";
        final StringBuilder sb = new StringBuilder();
        sb.append((digitsFirst ? rest : first).charAt(random.nextInt((digitsFirst ? rest : first).length())));
        for (int n = random.nextInt(6); n > 0; n--)
        {
            sb.append(rest.charAt(random.nextInt(rest.length())));
        }
        return sb.toString();
    }

    private String dotted(final boolean hyphens)
    {
        final StringBuilder sb = new StringBuilder(element(false));
        for (int n = 1 + random.nextInt(3); n > 0; n--)
        {
            sb.append('.').append(element(false));
            if (hyphens && random.nextInt(4) == 0)
            {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    private String uniqueName()
    {
        return ":" + random.nextInt(1000) + "." + random.nextInt(100_000);
    }
}
