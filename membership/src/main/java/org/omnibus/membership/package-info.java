/**
 * The membership layer: views, failure detection, total order with AGREED and SAFE delivery, view change with
 * flush (one Paxos round per primary view), primary component, authenticated join, leave and state transfer, as one
 * deterministic state machine per node ({@link org.omnibus.membership.Membership}).
 * <p>
 * The state machine consumes events ({@link org.omnibus.membership.Membership#onFrame frames},
 * {@link org.omnibus.membership.Membership#doWork timer ticks}, {@link org.omnibus.membership.Membership#submit
 * submissions}, {@link org.omnibus.membership.Membership#leave leave}) and produces actions through three interfaces:
 * {@link org.omnibus.membership.MembershipOutbound} (SBE frames of the membership schema, to everyone or to one node),
 * {@link org.omnibus.membership.MembershipListener} (deliveries in the total order, views) and
 * {@link org.omnibus.membership.StateTransferHandler} (snapshots of the upper layers' replicated state). It does no
 * I/O, starts no thread, reads no clock (time comes with every event) and draws randomness only from a seed, so the
 * deterministic simulator in the tests and the Aeron glue drive exactly the same code.
 * <p>
 * docs/ARCHITECTURE.md, "Membership protocol", describes the message flow, the guarantees of each delivery level,
 * the failure handling and the limits, in terms that can be checked against this package.
 */
package org.omnibus.membership;
