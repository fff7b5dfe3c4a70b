#!/bin/bash
# Inside the test VM (tests/vm/boot; RelayVmTests writes relays.toml and pulls beside it): the appliance drives relays
# on a gpio-sim chip through System.Device.Gpio's libgpiod driver, the character device a Pi uses, and this reports
# what the simulator's sysfs reads at every step as "VM-RESULT levels-STEP L0L1L2..." (one digit per line of the
# chip) and which lines a process holds as outputs ("VM-RESULT held-STEP H0H1H2...", from gpioinfo), with the control
# channel's answers and the kernel's record of the writes at shutdown. The test decides what is right; this only
# observes.
#   pulls        "LINE PULL" rows: each relay line pulled to the level its relay must NOT have at rest, so a line the
#                appliance does not drive reads wrong
#   alarm-lines  the lines of the alarm relays, which an alarm switches
#   relays.toml  the configuration, with @chip@ where the simulated chip's number goes
set -euo pipefail
source /mnt/harness/lib.sh

app=/mnt/appliance/appliance
socket=/run/appliance/control.sock
lines=8

read -r chip sysfs < <(gpio_sim_chip relays "$lines")
result chip "$chip"
while read -r line pull; do echo "$pull" > "$sysfs/sim_gpio$line/pull"; done < pulls
mkdir -p /etc/appliance
sed "s/@chip@/$chip/g" relays.toml > /etc/appliance/relays.toml
echo 1234 | "$app" pin set /tmp/console.pin >/dev/null

# The kernel's GPIO numbers of this chip (gpiolib's trace events name lines by them).
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
base="$(sed -n "s/^gpiochip$chip: GPIOs \([0-9]*\)-.*/\1/p" /sys/kernel/debug/gpio)"
result gpio-base "$base"

# levels: every line's level as the simulator reads it, line 0 first.
levels() {
  local out="" line
  for ((line = 0; line < lines; line++)); do out+="$(cat "$sysfs/sim_gpio$line/value")"; done
  echo "$out"
}

# observe STEP: the levels and the held lines now.
observe() {
  result "levels-$1" "$(levels)"
  result "held-$1" "$(gpioinfo "gpiochip$chip" | awk '/^[[:space:]]+line/ { printf "%d", ($0 ~ /output/ && $0 ~ /\[used/) }')"
}

# alarm_relays_moved BEFORE: every alarm relay's line reads other than in the levels BEFORE.
alarm_relays_moved() {
  local now line
  now="$(levels)"
  for line in $(cat alarm-lines); do [ "${now:line:1}" != "${1:line:1}" ] || return 1; done
}

# ask JSON: one request on the control channel; prints the answer.
ask() { printf '%s\n' "$1" | socat -t 10 - "UNIX-CONNECT:$socket"; }

run=0
pid=""
start_appliance() {
  run=$((run + 1))
  rm -f "$socket"
  "$app" run --config /etc/appliance/relays.toml --console >"/tmp/telemetry.$run" 2>"/tmp/appliance.$run.log" &
  pid=$!
  # Ready once the control channel answers; the relays were opened before it listens.
  if ! wait_for 30 "$app" status --socket "$socket" >/dev/null 2>&1; then
    note "run $run did not answer on $socket"
  fi
}

show_log() { sed "s/^/APPLIANCE-LOG $run: /" "/tmp/appliance.$run.log"; }
trap 'show_log' EXIT

# The simulator before anything runs: the pulls.
observe idle

# 1. Started: every relay at its safe state.
start_appliance
observe start

# 2. Manual relays switched over the control channel, with the PIN; an alarm relay refuses.
result answer-spare-on "$(ask '{"op":"relay-set","name":"spare","on":true,"pin":"1234"}')"
observe spare-on
result answer-fan-off "$(ask '{"op":"relay-set","name":"fan","on":false,"pin":"1234"}')"
observe fan-off
result answer-beacon-on "$(ask '{"op":"relay-set","name":"beacon","on":true,"pin":"1234"}')"

# 3. An alarm: a wrong PIN on the control channel is one ("relay ... switch refused ...: wrong PIN"); the alarm
#    relays follow within the controller's half-second period.
before="$(levels)"
result answer-wrong-pin "$(ask '{"op":"relay-set","name":"spare","on":false,"pin":"9999"}')"
wait_for 10 alarm_relays_moved "$before" || note "the alarm relays did not all switch within 10 s"
observe alarm

# 4. SIGTERM with every relay away from its safe state: the kernel's trace records each value written to the chip
#    while the appliance stops, then the lines are released (gpio-sim then reads each line's pull again).
echo 1 > /sys/kernel/tracing/events/gpio/gpio_value/enable
echo > /sys/kernel/tracing/trace
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
echo 0 > /sys/kernel/tracing/events/gpio/gpio_value/enable
result exit-term "$code"
writes=""
for ((line = 0; line < lines; line++)); do
  # The last value set on this line while stopping, or "-" if none.
  last="$(awk -v gpio="$((base + line))" '$0 ~ /gpio_value:/ && $(NF-2) == gpio && $(NF-1) == "set" { value = $NF } END { print (value == "" ? "-" : value) }' /sys/kernel/tracing/trace)"
  writes+="$last"
done
result writes-at-stop "$writes"
observe after-term
show_log

# 5. kill -9 with a relay switched on, then a restart: safe again at start. (Killed, the lines are released and read
#    their pulls: away from safe, whatever they were.)
start_appliance
ask '{"op":"relay-set","name":"spare","on":true,"pin":"1234"}' >/dev/null
observe before-kill
kill -KILL "$pid"
wait "$pid" || true
observe after-kill
show_log

start_appliance
observe restart
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
result exit-restart "$code"
