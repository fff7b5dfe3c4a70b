#!/bin/bash
# Inside the test VM (tests/vm/boot; WatchdogVmTests writes watchdog.toml and mode beside it): the appliance standalone
# with [watchdog] device = "/dev/watchdog" on softdog, polling the built-in PLC simulator on 127.0.0.1 and storing
# its telemetry in a spool on a small tmpfs. The kernel resets the machine if the appliance stops kicking; boot runs
# QEMU with -no-reboot, so a reset ends the VM without the "VM-EXIT" line. What the mode file says happens after a
# healthy stretch of three timeouts:
#   healthy    a clean stop (SIGTERM: the magic close), then two more timeouts alive
#   unhealthy  the spool's file system is filled: no poll group can store, the appliance says UNHEALTHY and stops
#              kicking while it keeps running
#   hang       the appliance is frozen (SIGSTOP): nothing kicks
# "VM-RESULT alive-after SECONDS" after the healthy stretch, and "alive-after-stop" or "alive-after-fault" once the
# time given after the stop or the fault has passed without a reset, for the test to judge.
set -euo pipefail
source /mnt/harness/lib.sh

app=/mnt/appliance/appliance
mode="$(cat mode)"

modprobe softdog
mkdir -p /var/lib/appliance
mount -t tmpfs -o size=16m tmpfs /var/lib/appliance

"$app" plc-sim --listen 127.0.0.1:5020 >/dev/null 2>/tmp/plc-sim.log &
wait_for 30 grep -q listening /tmp/plc-sim.log || note "plc-sim did not say it listens"

"$app" run --config watchdog.toml >/dev/null 2>/tmp/appliance.log &
pid=$!
# The appliance's log on the console as it is written: what it said is there even when the machine resets. Each kind
# of line (its text without the time and numbers) at most twice: a full spool is refused ten times a second.
show_log() {
  local line kind
  local -A seen=()
  while IFS= read -r line; do
    kind="${line#* }"
    kind="${kind//[0-9.]/}"
    seen[$kind]=$((${seen[$kind]:-0} + 1))
    ((seen[$kind] > 2)) || echo "APPLIANCE-LOG: $line"
  done
}
tail -F /tmp/appliance.log 2>/dev/null | show_log &
wait_for 30 grep -q "watchdog armed" /tmp/appliance.log || note "the appliance did not arm the watchdog"
watchdog=/sys/class/watchdog/watchdog0
timeout="$(cat $watchdog/timeout)" # as the appliance set it
result watchdog "$(cat $watchdog/identity) timeout=$timeout state=$(cat $watchdog/state)"

# alive NAME SECONDS: stays up SECONDS more, saying so each second (a reset cuts this short), then reports NAME.
alive() {
  local second
  for ((second = 1; second <= $2; second++)); do
    sleep 1
    note "alive $second s; appliance $(ps -o stat= -p "$pid" 2>/dev/null || echo gone)"
  done
  result "$1" "$2"
}

alive alive-after $((3 * timeout))
result spool "$(ls -l /var/lib/appliance | tail -n +2 | tr -s ' ' | cut -d' ' -f5,9 | paste -sd,)"

case "$mode" in
healthy)
  kill -TERM "$pid"
  code=0
  wait "$pid" || code=$?
  result exit-term "$code"
  result watchdog-after-stop "state=$(cat $watchdog/state)"
  alive alive-after-stop $((2 * timeout))
  ;;
unhealthy)
  dd if=/dev/zero of=/var/lib/appliance/fill bs=64k 2>/dev/null || true
  result spool-full "$(uptime_s) $(df --output=avail /var/lib/appliance | tail -1 | tr -d ' ')"
  wait_for 40 grep -q UNHEALTHY /tmp/appliance.log || note "the appliance did not say UNHEALTHY within 40 s"
  result unhealthy-at "$(uptime_s) $(grep -m1 UNHEALTHY /tmp/appliance.log || true)"
  result appliance-running "$(ps -o stat= -p "$pid" || echo gone)"
  alive alive-after-fault 30
  ;;
hang)
  kill -STOP "$pid"
  result stopped-at "$(uptime_s) $(ps -o stat= -p "$pid")"
  alive alive-after-fault 30
  ;;
*)
  echo "watchdog.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
