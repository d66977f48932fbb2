package org.omnibus.bus.driver;

import java.util.List;

/**
 * An interface of the bus driver: its methods and properties (the table rows) and extra introspection data
 * (signals).
 *
 * @param name               interface name.
 * @param methods            its methods in table order.
 * @param properties         its properties.
 * @param extraIntrospection XML inserted after methods and properties (signals), may be empty.
 * @param flags              {@link #ANY_PATH}, {@link #UNINTERESTING}, {@link #HIDDEN}.
 */
public record DriverInterface(
    String name, List<DriverMethod> methods, List<DriverProperty> properties, String extraIntrospection, int flags)
{
    /** Available at every object path (else only at /org/freedesktop/DBus). */
    public static final int ANY_PATH = 1;
    /** Not listed in the Interfaces property. */
    public static final int UNINTERESTING = 2;
    /** Dispatched but neither introspected nor listed (an extension a plain local bus keeps out of sight). */
    public static final int HIDDEN = 4;

    /**
     * @param name a method name.
     * @return the method or null.
     */
    public DriverMethod method(final CharSequence name)
    {
        for (final DriverMethod m : methods)
        {
            if (m.name().contentEquals(name))
            {
                return m;
            }
        }
        return null;
    }

    /**
     * @param name a property name.
     * @return the property or null.
     */
    public DriverProperty property(final String name)
    {
        for (final DriverProperty p : properties)
        {
            if (p.name().equals(name))
            {
                return p;
            }
        }
        return null;
    }
}
