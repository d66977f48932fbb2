package org.omnibus.codec.dbus;

/**
 * A UNIX_FD value: the index of a file descriptor among those sent with the message.
 *
 * @param index the index, below the message's UNIX_FDS field.
 */
public record DBusUnixFd(int index)
{
}
