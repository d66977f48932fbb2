package org.omnibus.bus.driver;

import java.util.function.Supplier;

/**
 * A read-only property of a driver interface.
 *
 * @param name   property name.
 * @param type   its D-Bus type.
 * @param getter produces the value (in the forms of {@link org.omnibus.codec.dbus.DBusValues}).
 */
public record DriverProperty(String name, String type, Supplier<Object> getter)
{
}
