#!/bin/sh
# test_install.sh: `make install PREFIX=...` installs the binary, the library, the header
# and wukong.pc, and a program built with `pkg-config --cflags --libs wukong` links and
# answers a question about the example PDF. Prints TAP.
build=${WK_BUILD:-build}
tmp=${WK_TMP:-$(mktemp -d)}/install
prefix=$tmp/prefix
echo "1..4"
mkdir -p "$tmp"
# The same build as the tests (SANITIZE too), so nothing is rebuilt with other flags.
if make -s install PREFIX="$prefix" BUILD="$build" SANITIZE="${WK_SANITIZE:-0}" >"$tmp.log" 2>&1; then
	echo "ok 1 - make install succeeds"
else
	echo "not ok 1 - make install succeeds"; head -20 "$tmp.log" | sed 's/^/# /'
fi
n=0
for f in bin/wukong lib/libwukong.a include/wukong.h lib/pkgconfig/wukong.pc \
	share/man/man1/wukong.1 share/bash-completion/completions/wukong \
	share/zsh/site-functions/_wukong; do
	[ -f "$prefix/$f" ] || { n=$((n + 1)); echo "# missing $f"; }
done
[ "$n" -eq 0 ] && echo "ok 2 - binary, library, header and wukong.pc are installed" ||
	echo "not ok 2 - binary, library, header and wukong.pc are installed"
san=""
case "$build" in *san*) san="-fsanitize=address,undefined" ;; esac
# shellcheck disable=SC2046
if cc -std=c11 -Wall -Wextra -Werror $san -o "$tmp/minimal" examples/minimal.c \
	$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs wukong) 2>"$tmp/cc.log"; then
	echo "ok 3 - a program links with pkg-config --cflags --libs wukong, warning-free"
else
	echo "not ok 3 - a program links with pkg-config --cflags --libs wukong, warning-free"
	head -20 "$tmp/cc.log" | sed 's/^/# /'
fi
out=$("$tmp/minimal" examples/wukong.pdf "How many tokens does the sampler keep?" 2>&1)
if echo "$out" | grep -q "2048"; then
	echo "ok 4 - the installed library answers from the example PDF"
else
	echo "not ok 4 - the installed library answers from the example PDF"
	echo "$out" | sed 's/^/# /'
fi
