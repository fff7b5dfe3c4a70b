# shellcheck shell=bash
# The cache of the Debian systems this repository builds with mmdebstrap: the VM tests' system (tests/vm/rootfs) and
# the appliance's images (image/build). Sourced by both; each keeps its systems in its own area of the cache:
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/appliance/
#     debs/         every downloaded .deb, reused by every build of either (file names carry the architecture)
#     AREA/lock     one build at a time per area (flock)
#     AREA/build.*  a build in progress; renamed to its final name when complete, so nobody sees half a system
#
# Usage: source it, then
#   cache_area AREA               creates the area and the debs folder; prints the area's folder
#   cache_lock AREA_DIR           waits for the area's lock (held on file descriptor 9 until the script exits) and
#                                 removes what a killed build left behind
#   cache_remove DIR              unmounts what a build left mounted in DIR, then deletes it
#   cache_mmdebstrap_hooks WORK   prints mmdebstrap's options that put the cached debs into the new root (and writes
#                                 the hook script of cache_keep_debs_hook into WORK)
#   cache_keep_debs_hook WORK     prints a customize hook that keeps what apt downloaded in the cache

build_cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/appliance"
build_cache_debs="$build_cache_root/debs"

cache_area() {
  mkdir -p "$build_cache_root/$1"
  # The debs were kept in the VM tests' area before the image shared them: move them once, not download them again.
  if [ ! -d "$build_cache_debs" ] && [ -d "$build_cache_root/vm/debs" ]; then
    mv "$build_cache_root/vm/debs" "$build_cache_debs"
  fi
  mkdir -p "$build_cache_debs"
  echo "$build_cache_root/$1"
}

cache_remove() {
  local mount
  # mmdebstrap unmounts what it mounted, but a failed hook or a killed build may leave the chroot's /proc, /sys or
  # /dev behind (deepest first).
  for mount in $(awk -v root="$1/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$mount" || true; done
  rm -rf "$1"
}

cache_lock() {
  exec 9>"$1/lock"
  flock 9
  # Holding the lock, no other build of this area runs: a build folder left now is from a build that was killed.
  local stale
  for stale in "$1"/build.*; do
    [ -d "$stale" ] && cache_remove "$stale"
  done
  return 0
}

cache_mmdebstrap_hooks() {
  # A hook run on this machine (the new root as $1): keeps the packages downloaded so far for the next build. Each
  # file appears whole in the cache (copied, then renamed), so concurrent builds can share it.
  cat > "$1/keep-debs" <<'HOOK'
for deb in "$1"/var/cache/apt/archives/*.deb; do
  [ -e "$deb" ] || continue
  name="${deb##*/}"
  [ -e "$2/$name" ] || { cp "$deb" "$2/.$name.part" && mv "$2/.$name.part" "$2/$name"; }
done
HOOK
  # One option per line (read them with mapfile): the cached debs go into the new root before apt downloads anything.
  printf '%s\n' \
    "--skip=download/empty" \
    "--setup-hook=mkdir -p \"\$1\"/var/cache/apt/archives" \
    "--setup-hook=sync-in '$build_cache_debs' /var/cache/apt/archives"
}

# cache_keep_debs_hook WORK: a customize hook (its command) that keeps what apt downloaded so far in the cache; use it
# after the packages are installed and after any hook that downloads more, before the debs are deleted.
cache_keep_debs_hook() {
  echo "sh '$1/keep-debs' \"\$1\" '$build_cache_debs'"
}
