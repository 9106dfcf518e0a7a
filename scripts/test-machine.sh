#!/usr/bin/env bash
# The Debian packages the tests start, installed through apt when missing: the first step of
# `npm test`, and of CI (.ci/run calls it too). Root installs them (about a minute, once per
# machine); anyone else gets the one command to run, in the first second, instead of a failure
# deep in the suite.
#
#   chromium, libnss3-tools, fonts-noto-cjk  the browser tests (test/browser): Debian's Chromium with
#                                            the person's certificate in an NSS store, Japanese pages
#   haproxy, nginx-light                     the load-balancer tests, in front of two gateways
#   galera-4, rsync, iproute2                the three-node Galera test (rsync state transfer, watched with ss)
#   make, g++, python3                       .ci/on-node compiles better-sqlite3 for another Node line
set -euo pipefail

packages=(chromium libnss3-tools fonts-noto-cjk haproxy nginx-light galera-4 rsync iproute2 make g++ python3)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need Debian packages that are not installed: ${missing[*]}" >&2
  echo "Install them once (as root), then run npm test again:" >&2
  echo "  sudo sh -c '$command'" >&2
  exit 1
fi
echo "Installing the Debian packages the tests start: ${missing[*]}"
# Another apt (a second npm test, the machine's own updates) may hold dpkg's lock: wait for it.
lock_wait=(-o DPkg::Lock::Timeout=600)
apt-get "${lock_wait[@]}" update -qq
DEBIAN_FRONTEND=noninteractive apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
