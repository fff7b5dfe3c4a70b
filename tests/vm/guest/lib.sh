# shellcheck shell=bash
# Helpers for a scenario running inside the test VM: source /mnt/harness/lib.sh. Everything a test asserts on is a
# line on the serial console starting with "VM-RESULT " (one NAME, then its value); "VM-NOTE " lines tell the story.

# The seconds since boot, to the hundredth.
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# result NAME VALUE...: one line the test reads back.
result() { echo "VM-RESULT $*"; }

# note TEXT...: progress, with the time since boot.
note() { echo "VM-NOTE [$(uptime_s)] $*"; }

# wait_for SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds (0) or SECONDS have passed (1).
wait_for() {
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
  shift
  until "$@"; do
    (( $(date +%s%N) < deadline )) || return 1
    sleep 0.05
  done
}

# gpio_sim_chip NAME LINES: a simulated GPIO chip of LINES lines through gpio-sim's configfs; prints the
# chip's number N (/dev/gpiochipN) and its sysfs folder, where sim_gpioK/value is line K's level and sim_gpioK/pull its
# pull ("pull-up" or "pull-down": what an unrequested or input line reads).
gpio_sim_chip() {
  local name="$1" lines="$2" config=/sys/kernel/config/gpio-sim
  modprobe gpio-sim || return 1
  mountpoint -q "${config%/*}" || mount -t configfs configfs "${config%/*}"
  mkdir "$config/$name" "$config/$name/bank0" || return 1
  echo "$lines" > "$config/$name/bank0/num_lines"
  echo 1 > "$config/$name/live"
  local device chip
  device="$(cat "$config/$name/dev_name")"
  chip="$(cat "$config/$name/bank0/chip_name")"
  echo "${chip#gpiochip} /sys/devices/platform/$device/$chip"
}
