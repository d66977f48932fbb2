package org.omnibus.bus.name;

/**
 * Where the driver sends name-registry commands. On a single node the sink applies each command at once
 * ({@link org.omnibus.bus.Bus#applyNameCommand}); in a cluster it submits the command to the total order and the
 * node applies it on delivery, on every node in the same order.
 */
@FunctionalInterface
public interface NameCommandSink
{
    /**
     * @param command the command to apply (now or once ordered).
     */
    void submit(NameCommand command);
}
