#!/usr/bin/python3
"""Regenerate the D-Bus golden vectors in this directory from real D-Bus implementations.

Run with the system Python (it needs python3-gi and python3-dbus):  /usr/bin/python3 make-golden.py [outdir]
It needs dbus-send, gdbus and dbus-daemon on PATH. See README.md for what each vector is.
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
CAPS = Gio.DBusCapabilityFlags.UNIX_FD_PASSING


def pkg(name):
    """The Debian package version of a tool, for the notes in the vector files."""
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Version}', name], capture_output=True, text=True).stdout
    return '%s %s' % (name, out.strip() or '?')


def save(name, blob, how):
    with open(os.path.join(OUT, name + '.hex'), 'w') as f:
        f.write('# ' + how + '\n')
        hexed = blob.hex()
        for i in range(0, len(hexed), 64):
            f.write(hexed[i:i + 64] + '\n')
    print('wrote', name, len(blob), 'bytes')


def message_length(head):
    order = '<' if head[0:1] == b'l' else '>'
    body, = struct.unpack(order + 'I', head[4:8])
    fields, = struct.unpack(order + 'I', head[12:16])
    return ((16 + fields + 7) & ~7) + body


# ---------------------------------------------------------------- GLib's GDBusMessage serialiser

def glib_vectors():
    for order, suffix in ((Gio.DBusMessageByteOrder.LITTLE_ENDIAN, 'le'), (Gio.DBusMessageByteOrder.BIG_ENDIAN, 'be')):
        how = 'GLib (%s, %s) Gio.DBusMessage.to_blob(), byte order %s' % (
            pkg('libglib2.0-0'), pkg('python3-gi'), suffix)

        m = Gio.DBusMessage.new_signal('/org/freedesktop/NetworkManager/Devices/3',
                                       'org.freedesktop.DBus.Properties', 'PropertiesChanged')
        m.set_body(GLib.Variant('(sa{sv}as)', (
            'org.freedesktop.NetworkManager.Device',
            {'State': GLib.Variant('u', 100), 'Ip4Address': GLib.Variant('s', '192.168.1.23'),
             'Managed': GLib.Variant('b', True)},
            ['Ip6Config'])))
        m.set_serial(42)
        m.set_sender(':1.17')
        m.set_byte_order(order)
        save('glib-signal-properties-changed-' + suffix, m.to_blob(CAPS), how)

        m = Gio.DBusMessage.new_method_call('org.example.Service', '/org/example/Object',
                                            'org.example.Interface', 'EveryType')
        m.set_body(GLib.Variant('(ybnqiuxtdsogvav(is)a{ss}aay)', (
            0xFE, True, -12345, 54321, -2000000000, 4000000000, -9000000000000000000, 18000000000000000000,
            3.25, 'grüße ✓ 𝄞', '/org/example/Path', 'a{sv}(ii)',
            GLib.Variant('(iai)', (7, [1, 2, 3])),
            [GLib.Variant('s', 'x'), GLib.Variant('t', 5), GLib.Variant('v', GLib.Variant('y', 1))],
            (-1, 'struct'), {'a': 'b', 'c': 'd'}, [b'\x01\x02', b''])))
        m.set_serial(7)
        m.set_flags(Gio.DBusMessageFlags.NO_AUTO_START)
        m.set_byte_order(order)
        save('glib-method-call-every-type-' + suffix, m.to_blob(CAPS), how)

        call = Gio.DBusMessage.new_method_call('org.example.Service', '/org/example/Object',
                                               'org.example.Interface', 'Get')
        call.set_serial(99)
        call.set_sender(':1.5')
        reply = call.new_method_reply()
        reply.set_body(GLib.Variant('(s)', ('value',)))
        reply.set_serial(100)
        reply.set_byte_order(order)
        save('glib-method-return-' + suffix, reply.to_blob(CAPS), how)

        err = call.new_method_error_literal('org.example.Error.Failed', 'it failed')
        err.set_serial(101)
        err.set_byte_order(order)
        save('glib-error-' + suffix, err.to_blob(CAPS), how)

        m = Gio.DBusMessage.new_method_call('org.example.Service', '/org/example/Object',
                                            'org.example.Interface', 'TakeFds')
        fds = Gio.UnixFDList()
        r, w = os.pipe()
        fds.append(r)
        fds.append(w)
        os.close(r)
        os.close(w)
        m.set_unix_fd_list(fds)
        m.set_body(GLib.Variant('(hsh)', (0, 'two fds', 1)))
        m.set_serial(8)
        m.set_byte_order(order)
        save('glib-method-call-unix-fds-' + suffix, m.to_blob(CAPS), how)


# ---------------------------------------------------------------- a tiny bus stand-in that records what clients write

class Listener:
    """Accepts one client, answers SASL EXTERNAL, replies to method calls, and records every message."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(1)
        self.messages = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        data = b''
        begun = False
        while not begun:
            while b'\r\n' not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            line, data = data.split(b'\r\n', 1)
            line = line.lstrip(b'\0')
            if line == b'BEGIN':
                begun = True
            elif line.startswith(b'AUTH EXTERNAL '):
                conn.sendall(b'OK 0123456789abcdef0123456789abcdef\r\n')
            elif line == b'AUTH EXTERNAL':
                conn.sendall(b'DATA\r\n')
            elif line.startswith(b'DATA'):
                conn.sendall(b'OK 0123456789abcdef0123456789abcdef\r\n')
            elif line.startswith(b'AUTH'):
                conn.sendall(b'REJECTED EXTERNAL\r\n')
            elif line == b'NEGOTIATE_UNIX_FD':
                conn.sendall(b'AGREE_UNIX_FD\r\n')
        serial = 1000
        while True:
            while len(data) < 16 or len(data) < message_length(data[:16]):
                try:
                    chunk, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(64 * 4))
                except (socket.timeout, OSError):
                    return
                for level, kind, payload in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        for fd in struct.unpack('%di' % (len(payload) // 4), payload[:len(payload) // 4 * 4]):
                            os.close(fd)
                if not chunk:
                    return
                data += chunk
            n = message_length(data[:16])
            blob, data = data[:n], data[n:]
            self.messages.append(blob)
            msg = Gio.DBusMessage.new_from_blob(blob, CAPS)
            if msg.get_message_type() == Gio.DBusMessageType.METHOD_CALL and \
                    not (msg.get_flags() & Gio.DBusMessageFlags.NO_REPLY_EXPECTED):
                reply = msg.new_method_reply()
                if msg.get_member() == 'Hello':
                    reply.set_body(GLib.Variant('(s)', (':1.1',)))
                serial += 1
                reply.set_serial(serial)
                try:
                    conn.sendall(reply.to_blob(CAPS))
                except OSError:
                    return

    def close(self):
        self.thread.join(15)
        self.sock.close()


def capture(tmp, name, command):
    path = os.path.join(tmp, name + '.sock')
    listener = Listener(path)
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS='unix:path=' + path)
    args = [a.replace('@ADDRESS@', 'unix:path=' + path) for a in command]
    subprocess.run(args, env=env, timeout=30, check=True, stdout=subprocess.DEVNULL)
    listener.close()
    return listener.messages


def pick(messages, member):
    for blob in messages:
        if Gio.DBusMessage.new_from_blob(blob, CAPS).get_member() == member:
            return blob
    raise SystemExit('no message with member %s in %d captured' % (member, len(messages)))


def client_vectors(tmp):
    version = 'dbus-send (%s, %s)' % (pkg('dbus-bin'), pkg('libdbus-1-3'))
    msgs = capture(tmp, 'dbus-send-call', [
        'dbus-send', '--address=@ADDRESS@', '--dest=org.example.Service', '--type=method_call',
        '/org/example/Object', 'org.example.Interface.SetThings',
        'string:hello', 'int32:-5', 'uint64:18446744073709551615', 'boolean:true', 'double:2.5',
        'objpath:/org/example/Other', 'array:string:a,bb,ccc', 'dict:string:int32:one,1,two,2',
        'variant:byte:9'])
    save('dbus-send-method-call-le', pick(msgs, 'SetThings'),
         '%s over a socket: dbus-send --address=... --dest=org.example.Service --type=method_call '
         '/org/example/Object org.example.Interface.SetThings string:hello int32:-5 uint64:18446744073709551615 '
         'boolean:true double:2.5 objpath:/org/example/Other array:string:a,bb,ccc dict:string:int32:one,1,two,2 '
         'variant:byte:9' % version)

    msgs = capture(tmp, 'dbus-send-signal', [
        'dbus-send', '--address=@ADDRESS@', '--type=signal', '/org/example/Object',
        'org.example.Interface.Changed', 'string:name', 'uint32:7'])
    save('dbus-send-signal-le', pick(msgs, 'Changed'),
         '%s over a socket: dbus-send --address=... --type=signal /org/example/Object '
         'org.example.Interface.Changed string:name uint32:7' % version)

    gversion = pkg('libglib2.0-bin')
    msgs = capture(tmp, 'gdbus-call', [
        'gdbus', 'call', '--address', '@ADDRESS@', '--dest', 'org.example.Service',
        '--object-path', '/org/example/Object', '--method', 'org.example.Interface.Configure',
        "'text'", "@a{sv} {'k1': <int32 1>, 'k2': <'v'>, 'k3': <@ad [1.5]>}", "(byte 3, [@x -1, 2])",
        "@ay [0x00, 0xff]", "@mi nothing" if False else "@g 'a(sv)'"])
    save('gdbus-method-call-le', pick(msgs, 'Configure'),
         'gdbus (%s) over a socket: gdbus call --address ... --dest org.example.Service --object-path '
         '/org/example/Object --method org.example.Interface.Configure "\'text\'" '
         '"@a{sv} {\'k1\': <int32 1>, \'k2\': <\'v\'>, \'k3\': <@ad [1.5]>}" "(byte 3, [@x -1, 2])" '
         '"@ay [0x00, 0xff]" "@g \'a(sv)\'"' % gversion)

    script = r'''
import os, dbus, dbus.lowlevel, dbus.types
c = dbus.connection.Connection(os.environ["DBUS_SESSION_BUS_ADDRESS"])
# a blocking call first, so that authentication (and fd negotiation) completes before a message with an fd goes out
c.send_message_with_reply_and_block(
    dbus.lowlevel.MethodCallMessage(None, "/org/example/Object", "org.freedesktop.DBus.Peer", "Ping"), 5000)
m = dbus.lowlevel.SignalMessage("/org/example/Object", "org.example.Interface", "Everything")
r, w = os.pipe()
m.append(dbus.Byte(1), True, dbus.Int16(-2), dbus.UInt16(3), dbus.Int32(-4), dbus.UInt32(5), dbus.Int64(-6),
         dbus.UInt64(7), 8.5, "nine", dbus.ObjectPath("/ten"), dbus.Signature("a{sv}"),
         dbus.types.UnixFd(r), {"k": dbus.Int32(1), "s": "v"}, [dbus.Struct((1, "x"), signature="is")],
         signature="ybnqiuxtdsogha{sv}a(is)")
c.send_message(m)
c.flush()
'''
    pyver = '%s, %s' % (pkg('python3-dbus'), pkg('libdbus-1-3'))
    msgs = capture(tmp, 'python-dbus', ['/usr/bin/python3', '-c', script])
    save('python-dbus-signal-le', pick(msgs, 'Everything'),
         '%s (libdbus) over a socket with unix fd passing: a SignalMessage with signature '
         'ybnqiuxtdsogha{sv}a(is), see make-golden.py' % pyver)


# ---------------------------------------------------------------- what a real dbus-daemon writes to its clients

def daemon_vectors(tmp):
    path = os.path.join(tmp, 'bus')
    config = os.path.join(tmp, 'bus.conf')
    with open(config, 'w') as f:
        f.write('''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>''' % path)
    daemon = subprocess.Popen(['dbus-daemon', '--config-file=' + config, '--nofork', '--print-address'],
                              stdout=subprocess.PIPE, text=True)
    try:
        daemon.stdout.readline()
        version = 'dbus-daemon (%s)' % pkg('dbus-daemon')
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.settimeout(10)
        s.sendall(b'\0AUTH EXTERNAL ' + str(os.getuid()).encode().hex().encode() + b'\r\n')
        assert s.recv(4096).startswith(b'OK')
        s.sendall(b'BEGIN\r\n')

        def call(serial, member, sig=None, args=None, dest='org.freedesktop.DBus'):
            m = Gio.DBusMessage.new_method_call(dest, '/org/freedesktop/DBus', 'org.freedesktop.DBus', member)
            if sig:
                m.set_body(GLib.Variant(sig, args))
            m.set_serial(serial)
            s.sendall(m.to_blob(CAPS))

        received = []
        buf = b''

        def read_until(pred):
            nonlocal buf
            deadline = time.time() + 10
            while time.time() < deadline:
                while len(buf) >= 16 and len(buf) >= message_length(buf[:16]):
                    n = message_length(buf[:16])
                    received.append(buf[:n])
                    buf = buf[n:]
                    if pred(received[-1]):
                        return received[-1]
                buf += s.recv(65536)
            raise SystemExit('timed out waiting for the daemon')

        def reply_to(serial):
            return lambda b: Gio.DBusMessage.new_from_blob(b, CAPS).get_reply_serial() == serial

        def member_is(member):
            return lambda b: Gio.DBusMessage.new_from_blob(b, CAPS).get_member() == member

        call(1, 'Hello')
        save('dbus-daemon-hello-reply-le', read_until(reply_to(1)), version + ': its METHOD_RETURN to Hello')
        save('dbus-daemon-name-acquired-le', read_until(member_is('NameAcquired')),
             version + ': the NameAcquired signal it sends after Hello')
        call(2, 'GetNameOwner', '(s)', ('org.example.Nobody',))
        save('dbus-daemon-error-le', read_until(reply_to(2)),
             version + ': its ERROR reply to GetNameOwner("org.example.Nobody")')
        call(3, 'ListNames')
        save('dbus-daemon-list-names-reply-le', read_until(reply_to(3)), version + ': its reply to ListNames')
        call(4, 'AddMatch', '(s)', ("type='signal',interface='org.example.Interface'",))
        read_until(reply_to(4))
        emitter = r'''
import sys, dbus, dbus.lowlevel
c = dbus.bus.BusConnection(sys.argv[1])
m = dbus.lowlevel.SignalMessage("/org/example/Object", "org.example.Interface", "Changed")
m.append("name", {"k": dbus.Int32(1), "label": "text"}, signature="sa{sv}")
c.send_message(m)
c.flush()
'''
        subprocess.run(['/usr/bin/python3', '-c', emitter, 'unix:path=' + path], check=True, timeout=30)
        save('dbus-daemon-forwarded-signal-le', read_until(member_is('Changed')),
             version + ': a python3-dbus signal, signature sa{sv} ("name", {"k": <int32 1>, "label": <"text">}), '
             'as the daemon forwards it to a subscriber, SENDER stitched in')
        s.close()
    finally:
        daemon.terminate()
        daemon.wait(10)


if __name__ == '__main__':
    glib_vectors()
    with tempfile.TemporaryDirectory() as tmp:
        client_vectors(tmp)
        daemon_vectors(tmp)
