package org.omnibus.bus.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omnibus.bus.BusFixture.driverCall;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.omnibus.bus.BusFixture;
import org.omnibus.bus.SimpleMessage;
import org.omnibus.bus.peer.Peer;

/**
 * Routing in steady state allocates nothing: a broadcast signal fanned out through the match index with policy
 * checks, and a method call with its reply (pending-reply bookkeeping included).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteadyStateAllocationTest
{
    private static final int WARMUP = 100_000;
    private static final int MEASURED = 100_000;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private long allocatedBytes()
    {
        return threads.getCurrentThreadAllocatedBytes();
    }

    @Test
    void broadcastSignalFanOut()
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final BusFixture f = new BusFixture();
        final Peer emitter = f.client(1000);
        f.send(emitter, driverCall("RequestName", "su", "com.example.Emitter", 0L));
        for (int i = 0; i < 60; i++)
        {
            final Peer subscriber = f.client(1000);
            final String rule;
            switch (i % 6)
            {
                case 0:
                    rule = "type='signal',interface='com.example.I',member='Changed'";
                    break;
                case 1:
                    rule = "type='signal',sender='com.example.Emitter',path='/obj/1'";
                    break;
                case 2:
                    rule = "type='signal',interface='com.example.I',member='Changed',arg0='key'";
                    break;
                case 3:
                    rule = "type='signal',interface='com.example.I',member='Other'";
                    break;
                case 4:
                    rule = "type='signal',member='Changed',arg0='another-key'";
                    break;
                default:
                    rule = "type='signal',sender=':1.0',path_namespace='/obj'";
                    break;
            }
            f.send(subscriber, driverCall("AddMatch", "s", rule));
        }
        f.drain();
        final SimpleMessage signal = SimpleMessage.signal("/obj/1", "com.example.I", "Changed")
            .body("su", "key", 7L);
        final RoutingDecision decision = new RoutingDecision();

        for (int i = 0; i < WARMUP; i++)
        {
            f.bus.route(emitter, signal, i, decision);
        }
        assertThat(decision.action()).isEqualTo(RoutingDecision.DELIVER);
        assertThat(decision.recipients().size()).isEqualTo(40);

        final long before = allocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            f.bus.route(emitter, signal, i, decision);
        }
        final long allocated = allocatedBytes() - before;
        assertThat(decision.recipients().size()).isEqualTo(40);
        assertThat(f.bus.outbox().isEmpty()).isTrue();
        assertThat(allocated).as("bytes allocated routing %d broadcasts", MEASURED).isLessThan(1024);
    }

    @Test
    void broadcastFromWireBytes()
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final BusFixture f = new BusFixture();
        final Peer emitter = f.client(1000);
        for (int i = 0; i < 20; i++)
        {
            final Peer subscriber = f.client(1000);
            f.send(subscriber, driverCall("AddMatch", "s", i % 2 == 0 ?
                "type='signal',interface='com.example.I',member='Changed',arg0='key'" :
                "type='signal',sender=':1.0',arg1path='/obj/'"));
        }
        f.drain();
        final byte[] bytes = org.omnibus.bus.wire.BusOutputEncoder.encode(
            SimpleMessage.signal("/obj/1", "com.example.I", "Changed").body("so", "key", "/obj/1/x"), 9);
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(bytes);
        final org.omnibus.codec.dbus.DBusMessageFlyweight flyweight = new org.omnibus.codec.dbus.DBusMessageFlyweight();
        final org.omnibus.bus.wire.DBusMessageView view = new org.omnibus.bus.wire.DBusMessageView();
        final RoutingDecision decision = new RoutingDecision();

        for (int i = 0; i < WARMUP; i++)
        {
            f.bus.route(emitter, view.wrap(flyweight.wrap(buffer, 0, bytes.length)), i, decision);
        }
        assertThat(decision.recipients().size()).isEqualTo(20);
        final long before = allocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            f.bus.route(emitter, view.wrap(flyweight.wrap(buffer, 0, bytes.length)), i, decision);
        }
        final long allocated = allocatedBytes() - before;
        assertThat(decision.recipients().size()).isEqualTo(20);
        assertThat(allocated).as("bytes allocated parsing and routing %d broadcasts", MEASURED).isLessThan(1024);
    }

    @Test
    void methodCallAndReply()
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final BusFixture f = new BusFixture();
        final Peer caller = f.client(1000);
        final Peer callee = f.client(1000);
        f.send(callee, driverCall("RequestName", "su", "com.example.Callee", 0L));
        f.drain();
        final SimpleMessage call = SimpleMessage.methodCall("com.example.Callee", "/obj", "com.example.I", "Do")
            .body("s", "argument");
        final SimpleMessage reply = SimpleMessage.methodReturn(caller.uniqueName(), 0);
        final RoutingDecision decision = new RoutingDecision();

        int serial = 100;
        for (int i = 0; i < WARMUP; i++)
        {
            roundTrip(f, caller, callee, call, reply, ++serial, decision);
        }
        final long before = allocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            roundTrip(f, caller, callee, call, reply, ++serial, decision);
        }
        final long allocated = allocatedBytes() - before;
        assertThat(f.bus.replies().size()).isZero();
        assertThat(allocated).as("bytes allocated routing %d calls and replies", MEASURED).isLessThan(1024);
    }

    private static void roundTrip(
        final BusFixture f,
        final Peer caller,
        final Peer callee,
        final SimpleMessage call,
        final SimpleMessage reply,
        final int serial,
        final RoutingDecision decision)
    {
        call.serial(serial);
        f.bus.route(caller, call, serial, decision);
        if (decision.action() != RoutingDecision.DELIVER || decision.recipients().get(0) != callee)
        {
            throw new AssertionError("call not delivered");
        }
        reply.replySerial(serial).serial(serial);
        f.bus.route(callee, reply, serial, decision);
        if (decision.action() != RoutingDecision.DELIVER || decision.recipients().get(0) != caller)
        {
            throw new AssertionError("reply not delivered");
        }
    }
}
