#!/usr/bin/env bash
# The edge benchmark in one command: Omnibus vs dbus-daemon vs dbus-broker, the same client processes against each
# (org.omnibus.benchmarks.edge.EdgeBench; docs/BENCHMARKS.md, "Edge vs dbus-daemon and dbus-broker").
#
#   benchmarks/run-edge-bench.sh [EdgeBench options]      e.g. --buses=dbus-daemon,dbus-broker --runs=5
#   benchmarks/run-edge-bench.sh --help
#
# Builds what it needs first (the harness, and the node when Omnibus is among the buses) if any source is newer
# than the jars, or always with OMNIBUS_BENCH_REBUILD=1. Results: benchmarks/target/edge-bench/ (results.md,
# runs.csv, <bus>/*.hgrm, logs/). Needs root (or CAP_SYS_ADMIN) for dbus-broker's private mount namespace.
# Everything it starts runs in one process group that is killed on exit, and its temporary directory is removed,
# also on failure or Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

modules=(benchmarks)
jars=(benchmarks/target/benchmarks.jar)
case " $* " in
  *" --buses="*|*" --buses "*) case "$*" in *omnibus*) modules+=(node); jars+=(node/target/omnibus-node.jar);; esac ;;
  *) modules+=(node); jars+=(node/target/omnibus-node.jar) ;;
esac

# A jar is stale when any source or pom of the repository is newer (cheap and safe: maven rebuilds incrementally).
newer_source() {
  find . \( -name .git -o -name target \) -prune -o \( -name '*.java' -o -name '*.xml' \) -newer "$1" -print -quit
}
stale=0
[ -n "${OMNIBUS_BENCH_REBUILD:-}" ] && stale=1
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(newer_source "$jar")" ]; then
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  list="$(IFS=,; echo "${modules[*]}")"
  echo "run-edge-bench: building $list (mvn -B -q -DskipTests -pl $list -am package) ..." >&2
  mvn -B -q -DskipTests -pl "$list" -am package >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/omnibus-edge-bench.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# setsid: the harness and everything it starts form one process group that cleanup() can end as a whole.
setsid java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC \
  -cp "benchmarks/target/benchmarks.jar" \
  org.omnibus.benchmarks.edge.EdgeBench --work-dir="$work" "$@" &
pid=$!
set +e
wait "$pid"
status=$?
set -e
exit "$status"
