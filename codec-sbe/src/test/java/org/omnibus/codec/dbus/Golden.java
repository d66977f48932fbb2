package org.omnibus.codec.dbus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Loads a golden vector from {@code src/test/resources/golden/NAME.hex}: hex text, '#' comment lines ignored.
 */
final class Golden
{
    private Golden()
    {
    }

    static byte[] load(final String name)
    {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".hex"))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no golden vector " + name);
            }
            final StringBuilder hex = new StringBuilder();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n"))
            {
                if (!line.startsWith("#"))
                {
                    hex.append(line.strip());
                }
            }
            return HexFormat.of().parseHex(hex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
