package org.omnibus.membership.aeron;

/**
 * Test hook: decides, per sending node, whether a received membership frame reaches the state machine. Dropping
 * every frame from the nodes of another side is a clean partition at the membership level (as JGroups' DISCARD
 * layer), while Aeron below keeps its connections. Called on the agent thread for every frame: keep it cheap.
 */
@FunctionalInterface
public interface FrameFilter
{
    /**
     * @param fromNodeId the sending node.
     * @return true to hand the frame to the state machine, false to drop it (counted as filtered).
     */
    boolean accept(int fromNodeId);
}
