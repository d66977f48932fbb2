#!/usr/bin/env bash
# Runs dbus-broker as a private session bus without systemd, for the edge benchmark (EdgeBench starts it).
#
#   dbus-broker-session.sh SOCKET CONFIG LOGDIR
#
# dbus-broker-launch needs (1) its listening socket by socket activation, (2) a journal socket at
# /run/systemd/journal/socket and (3) DBUS_SESSION_BUS_ADDRESS naming its own socket. The script re-executes itself
# in a private mount namespace (unshare --mount --propagation private, so needs root or CAP_SYS_ADMIN), mounts a
# tmpfs over /run/systemd there (over /run if the machine has no /run/systemd) and binds a datagram sink at the
# journal socket that appends what the broker logs to LOGDIR/journal.log. The machine's real /run is never touched:
# the mounts vanish with the namespace when the last process in it ends. The sink ends when the launcher does
# (PR_SET_PDEATHSIG); systemd-socket-activate creates SOCKET and hands it over as fd 3 with LISTEN_FDS/LISTEN_PID.
set -euo pipefail

if [ "${1:-}" != "--in-namespace" ]; then
  exec unshare --mount --propagation private -- bash "$0" --in-namespace "$@"
fi
shift
socket="$1"
config="$2"
logdir="$3"

if [ -d /run/systemd ]; then
  mount -t tmpfs -o mode=0755,size=4m tmpfs /run/systemd
else
  mount -t tmpfs -o mode=0755,size=4m tmpfs /run
  mkdir -p /run/systemd
fi
mkdir -p /run/systemd/journal

/usr/bin/python3 - "$logdir/journal.log" <<'PY' &
import ctypes, signal, socket, sys
ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: end with the process that started us
sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sink.bind("/run/systemd/journal/socket")
with open(sys.argv[1], "ab", buffering=0) as log:
    while True:
        log.write(sink.recv(1 << 16).replace(b"\n", b" ") + b"\n")
PY

for _ in $(seq 200); do
  [ -S /run/systemd/journal/socket ] && break
  sleep 0.025
done
[ -S /run/systemd/journal/socket ] || { echo "journal sink did not start" >&2; exit 1; }

export DBUS_SESSION_BUS_ADDRESS="unix:path=$socket"
exec systemd-socket-activate -E DBUS_SESSION_BUS_ADDRESS -l "$socket" \
  dbus-broker-launch --scope user --config-file "$config"
