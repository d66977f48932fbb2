#!/usr/bin/python3
"""A python3-dbus client driven line by line, for the system tests.

Usage: /usr/bin/python3 -u pyclient.py ADDRESS

Connects to the bus at ADDRESS (dbus.bus.BusConnection, so Hello is done), prints
"ready<TAB>UNIQUE_NAME", then reads one JSON command per line from stdin and prints one event per
line on stdout, fields separated by tabs, values as JSON:

  {"id": N, "op": "call", "dest": D, "path": P, "iface": I, "member": M, "sig": S, "args": [...],
   "no_reply": false}        (an argument "fd:PATH" passes a file descriptor open on PATH; one received is
                              printed as "fd:INODE")
      -> reply<TAB>N<TAB>SIG<TAB>ARGS   or   error<TAB>N<TAB>ERROR_NAME<TAB>ARGS
  {"id": N, "op": "emit", "path": P, "iface": I, "member": M, "sig": S, "args": [...], "dest": D?}
      -> sent<TAB>N
  {"id": N, "op": "serve", "path": P}
      answer method calls to P: Echo returns its arguments, Fail returns the error
      org.omnibus.Test.Failed with its first argument as message, Hold never answers, any other
      member gets org.freedesktop.DBus.Error.UnknownMethod. Each call is printed as
      call<TAB>SENDER<TAB>PATH<TAB>IFACE<TAB>MEMBER<TAB>SIG<TAB>ARGS
      -> served<TAB>N
  {"id": N, "op": "exit"}   close the connection and exit (closing stdin does the same)

Every signal received is printed as
  signal<TAB>SENDER<TAB>DESTINATION<TAB>PATH<TAB>IFACE<TAB>MEMBER<TAB>SIG<TAB>ARGS
and a disconnection from the bus as "disconnected".
"""
import json
import os
import sys

import dbus
import dbus.bus
import dbus.lowlevel
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib


def plain(value):
    """A dbus-python value as plain JSON data (variants are unwrapped, dict keys become strings, a file descriptor
    becomes "fd:INODE" of the file it refers to)."""
    if isinstance(value, dbus.types.UnixFd):
        fd = value.take()
        try:
            return "fd:%d" % os.fstat(fd).st_ino
        finally:
            os.close(fd)
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32, dbus.Int64,
                          dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature, str)):
        return str(value)
    if isinstance(value, dbus.Dictionary):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (dbus.Array, dbus.Struct, list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return list(value)
    if isinstance(value, int):
        return int(value)
    return repr(value)


def out(*fields):
    sys.stdout.write("\t".join(fields) + "\n")
    sys.stdout.flush()


def args_json(message):
    return json.dumps([plain(a) for a in message.get_args_list()])


def text(value):
    return "" if value is None else str(value)


class Client:
    def __init__(self, address):
        self.loop = GLib.MainLoop()
        self.bus = dbus.bus.BusConnection(address, mainloop=DBusGMainLoop())
        self.bus.set_exit_on_disconnect(False)
        self.bus.add_message_filter(self.on_message)
        self.served = set()
        self.held = []
        self.pending = b""
        GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, self.on_stdin)
        out("ready", self.bus.get_unique_name())

    def on_message(self, connection, message):
        kind = message.get_type()
        if kind == dbus.lowlevel.MESSAGE_TYPE_SIGNAL:
            if message.get_interface() == "org.freedesktop.DBus.Local" and message.get_member() == "Disconnected":
                out("disconnected")
                self.loop.quit()
                return dbus.lowlevel.HANDLER_RESULT_HANDLED
            out("signal", text(message.get_sender()), text(message.get_destination()), text(message.get_path()),
                text(message.get_interface()), text(message.get_member()), text(message.get_signature()),
                args_json(message))
            return dbus.lowlevel.HANDLER_RESULT_HANDLED
        if kind == dbus.lowlevel.MESSAGE_TYPE_METHOD_CALL and message.get_path() in self.served:
            out("call", text(message.get_sender()), text(message.get_path()), text(message.get_interface()),
                text(message.get_member()), text(message.get_signature()), args_json(message))
            self.answer(message)
            return dbus.lowlevel.HANDLER_RESULT_HANDLED
        return dbus.lowlevel.HANDLER_RESULT_NOT_YET_HANDLED

    def answer(self, call):
        member = call.get_member()
        if member == "Hold":
            self.held.append(call)
            return
        if call.get_no_reply():
            return
        if member == "Echo":
            reply = dbus.lowlevel.MethodReturnMessage(call)
            signature = call.get_signature()
            if signature:
                reply.append(*call.get_args_list(), signature=signature)
        elif member == "Fail":
            args = call.get_args_list()
            reply = dbus.lowlevel.ErrorMessage(call, "org.omnibus.Test.Failed", str(args[0]) if args else "failed")
        else:
            reply = dbus.lowlevel.ErrorMessage(call, "org.freedesktop.DBus.Error.UnknownMethod",
                                               "No such method " + text(member))
        self.bus.send_message(reply)

    def on_stdin(self, source, condition):
        data = os.read(source, 65536) if condition & GLib.IO_IN else b""
        if not data:
            self.exit()
            return False
        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            if line.strip():
                self.command(json.loads(line))
        return True

    def command(self, cmd):
        op = cmd["op"]
        ident = str(cmd.get("id", 0))
        if op == "call":
            message = dbus.lowlevel.MethodCallMessage(cmd.get("dest"), cmd["path"], cmd.get("iface"), cmd["member"])
            self.fill(message, cmd)
            if cmd.get("no_reply"):
                message.set_no_reply(True)
                self.bus.send_message(message)
                out("sent", ident)
            else:
                self.bus.send_message_with_reply(message, lambda reply: self.on_reply(ident, reply), 30.0)
        elif op == "emit":
            message = dbus.lowlevel.SignalMessage(cmd["path"], cmd["iface"], cmd["member"])
            if cmd.get("dest"):
                message.set_destination(cmd["dest"])
            self.fill(message, cmd)
            self.bus.send_message(message)
            out("sent", ident)
        elif op == "serve":
            self.served.add(cmd["path"])
            out("served", ident)
        elif op == "exit":
            self.exit()
        else:
            out("bad-command", ident, json.dumps(op))

    @staticmethod
    def fill(message, cmd):
        if cmd.get("sig"):
            message.append(*[Client.arg(a) for a in cmd.get("args", [])], signature=cmd["sig"])

    @staticmethod
    def arg(value):
        """A command argument: the string "fd:PATH" passes a file descriptor open on PATH."""
        if isinstance(value, str) and value.startswith("fd:"):
            fd = os.open(value[3:], os.O_RDONLY)
            try:
                return dbus.types.UnixFd(fd)
            finally:
                os.close(fd)
        return value

    def on_reply(self, ident, reply):
        if reply.get_type() == dbus.lowlevel.MESSAGE_TYPE_ERROR:
            out("error", ident, text(reply.get_error_name()), args_json(reply))
        else:
            out("reply", ident, text(reply.get_signature()), args_json(reply))

    def exit(self):
        self.bus.close()
        self.loop.quit()


def main():
    client = Client(sys.argv[1])
    client.loop.run()


if __name__ == "__main__":
    main()
