package org.omnibus.bus.driver;

import java.util.function.Supplier;

/**
 * A read-only property of a driver interface.
 *
 * @param name   property name.
 * @param type   its D-Bus type.
 * @param getter produces the value (mapped as {@link org.omnibus.bus.MessageView#decodeBody()} describes).
 */
public record DriverProperty(String name, String type, Supplier<Object> getter)
{
}
