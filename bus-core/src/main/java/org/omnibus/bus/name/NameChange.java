package org.omnibus.bus.name;

/**
 * A change of a name's primary owner, as returned by the {@link NameRegistry}. The driver turns it into
 * NameLost (to the old owner), NameOwnerChanged (broadcast) and NameAcquired (to the new owner), in that order.
 *
 * @param name     the name (well-known or unique).
 * @param oldOwner unique name of the previous primary owner, or null when the name had none.
 * @param newOwner unique name of the new primary owner, or null when the name has none now.
 */
public record NameChange(String name, String oldOwner, String newOwner)
{
    /**
     * @return the old owner or "" as NameOwnerChanged carries it.
     */
    public String oldOwnerArg()
    {
        return null == oldOwner ? "" : oldOwner;
    }

    /**
     * @return the new owner or "" as NameOwnerChanged carries it.
     */
    public String newOwnerArg()
    {
        return null == newOwner ? "" : newOwner;
    }
}
