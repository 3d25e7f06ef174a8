#!/bin/sh
# Runs every test program in $1/tests (or those named after it) and prints a summary;
# the last line is "N passed, N failed". Exit status 0 only when nothing failed.
# Test programs are cmocka suites (and tests/test_*.sh scripts that print TAP); their TAP output is counted line by line, and a
# program that crashes or exits non-zero without reporting a failure counts one failure.
build=${1:-build}
shift 2>/dev/null
passed=0
failed=0
failures=""
export CMOCKA_MESSAGE_OUTPUT=TAP
export WK_BIN="$PWD/$build/wukong"
export WK_TOOLS="$PWD/$build/tests/tools"
export WK_TESTDATA="$PWD/tests/data"
# Keep the tests away from the user's real caches and libraries.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wukong-test.XXXXXX")
export XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export WK_TMP="$tmp"
if [ -z "${WK_TEST_PG:-}" ]; then
	echo "PostgreSQL pass of the library and serve tests: skipped (WK_TEST_PG is unset;" \
		"\`WK_TEST_PG=\$(sh scripts/pgtmp.sh start)\` makes a cluster, as .ci/run does)"
fi
if [ $# -gt 0 ]; then
	progs=""
	for t in "$@"; do
		if [ -f "tests/test_$t.sh" ]; then progs="$progs tests/test_$t.sh"; else progs="$progs $build/tests/test_$t"; fi
	done
else
	progs=$(ls "$build"/tests/test_* 2>/dev/null | grep -v '\.[od]$')
	# Script tests (TAP on stdout), e.g. the browser test.
	progs="$progs $(ls tests/test_*.sh 2>/dev/null)"
fi
for prog in $progs; do
	name=$(basename "$prog")
	out="$tmp/$name.out"
	"$prog" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$name: exited with status $rc"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		failures="$failures $name"
		echo "---- $name ----"
		cat "$out"
	else
		echo "$name: $p passed"
	fi
done
[ -n "$failures" ] && echo "failing:$failures"
rm -rf "$tmp"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
