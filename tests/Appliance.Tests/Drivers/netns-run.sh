#!/usr/bin/env bash
# Runs inside a fresh network namespace (unshare --net, started by NetnsExfiltrationTests): brings up its loopback
# interface with the plant and "cloud" addresses on it (the namespace's only interface), starts listeners on them, checks that nothing can leave
# (no route but the namespace's own addresses), then runs the appliance for a few seconds.
#   netns-run.sh DIR APPLIANCE CONFIG SECONDS [NEW_CONFIG]
# With NEW_CONFIG, after SECONDS it is copied over CONFIG and the appliance gets SIGHUP, then runs SECONDS more.
set -euo pipefail
dir="$1" appliance="$2" config="$3" seconds="$4" new_config="${5:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

ip link set lo up
for address in 10.0.0.50 10.0.0.5 10.0.0.66; do
  ip addr add "$address/32" dev lo
done

# No route out: every address this namespace can reach is its own.
if ip route get 192.0.2.1 >/dev/null 2>&1; then
  echo "netns: a route out of the namespace exists" >&2
  exit 90
fi
ip -o route show table all > "$dir/routes.txt"

python3 "$here/listeners.py" "$dir/received" 10.0.0.50:502 10.0.0.50:5020 10.0.0.5:502 10.0.0.66:443 &
listeners=$!
trap 'kill $listeners 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -f "$dir/received/ready" ] && break; sleep 0.1; done

"$appliance" run --config "$config" --console > "$dir/stdout.txt" 2> "$dir/stderr.txt" &
gateway=$!
sleep "$seconds"
if [ -n "$new_config" ]; then
  cp "$new_config" "$config"
  kill -HUP "$gateway"
  sleep "$seconds"
fi
kill -TERM "$gateway"
wait "$gateway" && echo 0 > "$dir/exit" || echo $? > "$dir/exit"
sleep 0.3
kill -TERM "$listeners"
wait "$listeners" || true
