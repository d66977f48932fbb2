package org.omnibus.benchmarks.codec;

import org.omnibus.codec.dbus.DBusMessageBuilder;
import org.omnibus.codec.dbus.DBusVariant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages the codec benchmarks decode, built once.
 */
final class CodecMessages
{
    private CodecMessages()
    {
    }

    /**
     * A typical signal: a PropertiesChanged-like {@code sa{sv}} from a unique name, about 200 bytes.
     *
     * @return the message bytes.
     */
    static byte[] signal()
    {
        return signal("/org/example/Dev3");
    }

    /**
     * The typical signal from another object path: same size, a header of its own.
     *
     * @param path object path, 17 characters to keep the size.
     * @return the message bytes.
     */
    static byte[] signal(final String path)
    {
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("State", new DBusVariant("u", 100L));
        properties.put("Address", new DBusVariant("s", "10.0.0.23"));
        return DBusMessageBuilder
            .signal(path, "org.example.Device", "Changed")
            .sender(":1.42").serial(1234)
            .body("sa{sv}", "org.example.Device", properties)
            .build();
    }

    /**
     * A typical method call: {@code org.freedesktop.DBus.Properties.Get} to a well-known name, signature
     * {@code ss}.
     *
     * @return the message bytes.
     */
    static byte[] methodCall()
    {
        return DBusMessageBuilder
            .methodCall("org.example.Service", "/org/example/Device/3", "org.freedesktop.DBus.Properties", "Get")
            .sender(":1.42").serial(77)
            .body("ss", "org.example.Device", "State")
            .build();
    }

    static List<String> describe()
    {
        return List.of("signal " + signal().length + " bytes", "method call " + methodCall().length + " bytes");
    }
}
