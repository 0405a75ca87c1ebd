#!/bin/sh
# install_test.sh - `make install` puts in place what the README promises:
# the heard binary, heard-server in libexec/heard (which heard serve runs),
# the library, headers, heard.pc, the man page, the models and the
# dashboard files. Installs the build into a temporary DESTDIR.
#
#   sh tests/install_test.sh BUILD_DIR
set -u
B=${1:?usage: sh tests/install_test.sh BUILD_DIR}
T=$(mktemp -d "${TMPDIR:-/tmp}/heard-install.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
if ! meson install -C "$B" --no-rebuild --quiet --destdir "$T/root" >"$T/log" 2>&1; then
    cat "$T/log" >&2
    echo "install_test: meson install failed" >&2
    exit 1
fi
prefix=$(meson introspect "$B" --buildoptions |
    tr ',' '\n' | grep -A3 '"name": "prefix"' | sed -n 's/.*"value": "\(.*\)".*/\1/p' | head -n 1)
[ -n "$prefix" ] || { echo "install_test: cannot read the prefix of $B" >&2; exit 2; }
R=$T/root$prefix
fails=0
# need PATH: an installed file (PATH under the prefix)
need() {
    [ -f "$R/$1" ] || { echo "install_test: missing $1" >&2; fails=$((fails + 1)); }
}
# need_named NAME: a file of that name anywhere under the prefix (the
# library directory depends on the platform)
need_named() {
    [ -n "$(find "$R" -name "$1" | head -n 1)" ] ||
        { echo "install_test: missing $1" >&2; fails=$((fails + 1)); }
}
need bin/heard
need libexec/heard/heard-server
need_named "libheard.so.*"
need include/heard/heard.h
need include/heard/heard_io.h
need_named heard.pc
need share/man/man1/heard.1
need share/heard/models/emotions.hm
need share/heard/models/cs.hm
need share/heard/models/lexicon.tsv
need share/heard/web/index.html
# heard looks for the installed server at the path compiled into it
srv=$(sed -n 's/^#define HEARD_SERVER_INSTPATH "\(.*\)"$/\1/p' "$B/heard_config.h")
[ -n "$srv" ] && [ -x "$T/root$srv" ] ||
    { echo "install_test: heard-server not installed where heard looks ($srv)" >&2; fails=$((fails + 1)); }
"$T/root$srv" serve --help 2>&1 | grep -q "usage: heard serve" ||
    { echo "install_test: heard-server serve --help gives no usage" >&2; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] || exit 1
echo "install_test: all installed"
