package org.omnibus.codec.dbus;

import java.util.Objects;

/**
 * A VARIANT value for {@link DBusMessageBuilder} and {@link DBusValues}: a value with the signature (a single
 * complete type) it is marshalled with.
 *
 * @param signature single complete type of the value.
 * @param value     the value, in the Java forms {@link DBusValues} describes.
 */
public record DBusVariant(String signature, Object value)
{
    /**
     * A variant.
     *
     * @param signature single complete type of the value.
     * @param value     the value.
     */
    public DBusVariant
    {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(value, "value");
    }

    /**
     * A variant whose signature is inferred from the value ({@link DBusValues#signatureOf(Object)}).
     *
     * @param value a value whose type can be inferred.
     * @return the variant.
     */
    public static DBusVariant of(final Object value)
    {
        return new DBusVariant(DBusValues.signatureOf(value), value);
    }
}
