package org.omnibus.codec.dbus;

import java.util.Arrays;
import java.util.List;

/**
 * A STRUCT value: its fields in order.
 *
 * @param fields the field values.
 */
public record DBusStruct(List<Object> fields)
{
    /**
     * A struct.
     *
     * @param fields the field values.
     */
    public DBusStruct
    {
        fields = List.copyOf(fields);
    }

    /**
     * A struct of the given fields.
     *
     * @param fields the field values.
     * @return the struct.
     */
    public static DBusStruct of(final Object... fields)
    {
        return new DBusStruct(Arrays.asList(fields));
    }
}
