package org.omnibus.bus;

import java.util.List;

import org.omnibus.bus.name.NameChange;
import org.omnibus.bus.peer.Peer;

/**
 * What {@link Bus#installSnapshot} did and what the node must do next. The bus has already signalled the changes
 * to its local peers (outbox), answered the Hello calls the transferred state completed, dropped the match rules
 * that named vanished unique names, and failed local calls waiting on vanished remote peers (NoReply).
 *
 * @param asOfSeq     the last global sequence the installed state includes; the next delivery is asOfSeq + 1.
 * @param changes     the primary-owner changes between the state before and after, in the order signalled: unique
 *                    names that appeared (by id), well-known names that changed owner (sorted), unique names that
 *                    vanished (by id).
 * @param orphans     local peers that were registered here but are not in the installed state: the cluster
 *                    unregistered them while this node was away (its departure released their names). They cannot
 *                    go on under a unique name the bus declared gone: close their connections (and call
 *                    {@link Bus#disconnect} as for any closed connection).
 * @param unknownIds  peer ids of this node registered in the installed state without a connection here (left over
 *                    from an earlier run of this node, or disconnected while the node was away): once the install
 *                    callback has returned, submit {@code NameCommand.unregister(id)} for each.
 */
public record StateInstall(long asOfSeq, List<NameChange> changes, List<Peer> orphans, long[] unknownIds)
{
}
