#!/bin/sh
# Install the Debian packages heard needs to build and test, when missing.
# Idempotent and quiet when everything is there.
set -e
PKGS="build-essential meson ninja-build pkg-config libjansson-dev libutf8proc-dev
libstemmer-dev libcmocka-dev libpcre2-dev libmicrohttpd-dev libsqlite3-dev libpq-dev postgresql curl"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages:$missing (run as root or: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
