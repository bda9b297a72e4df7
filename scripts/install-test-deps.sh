#!/usr/bin/env bash
# Installs what the browser tests need and the machine lacks: Debian's Chromium and its ChromeDriver, Firefox
# ESR (driven over WebDriver BiDi, no driver needed), and iproute2 (ip, tc) for the tests across network
# namespaces (iptables, tcpdump and coturn for the ICE-TCP and TURN ones).
# Idempotent and quick when they are already there. Needs root (or sudo) for apt-get.
set -euo pipefail

need=()
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -x /usr/lib/firefox-esr/firefox-esr ] || need+=(firefox-esr)
{ command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || need+=(iproute2)
# IceTcpNetnsIT: drops UDP inside the client namespace only, and captures what crosses the veth pair.
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
# ...and the TURN fallback there relays through a real coturn, which the test starts and stops itself.
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-test-deps: please install ${need[*]} (Debian packages); the browser tests need them" >&2
  exit 1
fi
echo "install-test-deps: installing ${need[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
