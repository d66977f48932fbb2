package org.omnibus.codec.dbus;

import java.util.Objects;

/**
 * A SIGNATURE value, distinct from a string when a type is inferred or read back.
 *
 * @param signature the signature text.
 */
public record DBusSignature(String signature)
{
    /**
     * A signature.
     *
     * @param signature the signature text.
     */
    public DBusSignature
    {
        Objects.requireNonNull(signature, "signature");
    }

    @Override
    public String toString()
    {
        return signature;
    }
}
