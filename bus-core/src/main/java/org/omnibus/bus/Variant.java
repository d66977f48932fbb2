package org.omnibus.bus;

/**
 * A D-Bus variant: a value with its own signature.
 *
 * @param signature the single complete type of the value.
 * @param value     the value, mapped as {@link MessageView#decodeBody()} describes.
 */
public record Variant(String signature, Object value)
{
}
