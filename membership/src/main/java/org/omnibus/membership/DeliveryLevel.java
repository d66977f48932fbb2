package org.omnibus.membership;

/**
 * When a node hands a sequenced message to the upper layers (after Spread's service levels).
 * <p>
 * Both levels deliver in the one total order; a SAFE message also holds back every message ordered after it
 * until it is delivered. docs/ARCHITECTURE.md, "Membership protocol", states exactly what each level guarantees.
 */
public enum DeliveryLevel
{
    /**
     * Delivered as soon as the node holds it and everything ordered before it. A node that delivers an AGREED message
     * and is then excluded from the primary component (it crashed, or was partitioned away before it noticed) may
     * have delivered it alone; every node that stays in the primary component delivers the same AGREED messages.
     */
    AGREED((short)1),

    /**
     * Delivered once every member of the view holds it (stability), or when a view change makes it part of the
     * agreed end of the view. A SAFE message delivered anywhere is delivered by every node of the primary component
     * that does not crash, whatever happens afterwards.
     */
    SAFE((short)2);

    private final short code;

    DeliveryLevel(final short code)
    {
        this.code = code;
    }

    /**
     * @return the wire code, as in the membership schema's DeliveryLevel enum.
     */
    public short code()
    {
        return code;
    }

    /**
     * @param code a wire code.
     * @return the level, or null when the code is unknown.
     */
    public static DeliveryLevel fromCode(final int code)
    {
        switch (code)
        {
            case 1: return AGREED;
            case 2: return SAFE;
            default: return null;
        }
    }
}
