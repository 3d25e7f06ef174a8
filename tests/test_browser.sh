#!/bin/sh
# test_browser.sh: the web page in real headless Chromium (Debian's /usr/bin/chromium,
# driven by playwright-core): upload, ask, answer, evidence, highlight on the page image,
# figure crop, phone-sized layout. Prints TAP. Screenshots go to tests/browser/screenshots/.
# Needs tests/browser/setup.sh to have run: without Chromium or node_modules it FAILS.
here=$(cd "$(dirname "$0")" && pwd)
browser="$here/browser"
fail() {
	echo "1..1"
	echo "not ok 1 - $1"
	exit 1
}
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run tests/browser/setup.sh"
command -v node >/dev/null 2>&1 || fail "node is missing: run tests/browser/setup.sh"
[ -d "$browser/node_modules/playwright-core" ] ||
	fail "tests/browser/node_modules is missing: run tests/browser/setup.sh"
bin=${WK_BIN:-$here/../build/wukong}
tools=${WK_TOOLS:-$here/../build/tests/tools}
[ -x "$bin" ] || fail "no wukong binary at $bin (run make)"
[ -x "$tools/mkservepdf" ] || fail "no $tools/mkservepdf (run make tests)"
[ -x "$tools/fake_llm" ] || fail "no $tools/fake_llm (run make tests)"
tmp=$(mktemp -d "${WK_TMP:-${TMPDIR:-/tmp}}/browser.XXXXXX")
server=""
llm=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	[ -n "$llm" ] && kill "$llm" 2>/dev/null && wait "$llm" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
"$tools/mkservepdf" "$tmp/zebra.pdf" || fail "could not write the test PDF"
"$tools/mkservepdf" --locked "pw-$$-secret" "$tmp/locked.pdf" || fail "could not write the encrypted PDF"
# A model server for the streamed answer (tests/tools/fake_llm serves while its stdin is
# open: a fifo held by this script).
mkfifo "$tmp/llm-in"
"$tools/fake_llm" --port 0 <"$tmp/llm-in" >"$tmp/llm-port" 2>"$tmp/llm-log" &
llm=$!
exec 9>"$tmp/llm-in"
llm_port=""
i=0
while [ $i -lt 100 ] && [ -z "$llm_port" ]; do
	llm_port=$(head -n 1 "$tmp/llm-port")
	[ -z "$llm_port" ] && sleep 0.1
	i=$((i + 1))
done
[ -n "$llm_port" ] || fail "the fake model server did not start: $(cat "$tmp/llm-log")"
WUKONG_LLM_URL="http://127.0.0.1:$llm_port/v1" \
	"$bin" serve --db "$tmp/lib.db" --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/log" &
server=$!
port=""
i=0
while [ $i -lt 100 ] && [ -z "$port" ]; do
	port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
	[ -z "$port" ] && sleep 0.1
	i=$((i + 1))
done
[ -n "$port" ] || fail "the server did not start: $(cat "$tmp/log")"
node "$browser/run.mjs" "http://127.0.0.1:$port/" "$tmp/zebra.pdf" "$browser/screenshots" \
	"$tmp/locked.pdf" "pw-$$-secret"
rc=$?
if [ $rc -ne 0 ]; then
	echo "# server log:"
	sed 's/^/# /' "$tmp/log" | tail -30
fi
exit $rc
