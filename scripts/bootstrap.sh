#!/bin/sh
# Installs the Debian packages gnomon needs to build, test and demo.
# Idempotent and quiet when everything is already present.
set -eu

PKGS="meson ninja-build pkg-config gcc clang llvm libclang-rt-14-dev \
libcmocka-dev gcovr tshark linuxptp chrony iproute2 procps \
perl libssl-dev libmnl-dev libjansson-dev libmicrohttpd-dev gnuplot-nox \
chromium curl rt-tests"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "bootstrap: missing packages:$missing" >&2
	echo "bootstrap: run as root (or install them) and retry" >&2
	exit 1
fi

echo "bootstrap: installing$missing"
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "bootstrap: done"
