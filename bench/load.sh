#!/bin/sh
# bench/load.sh: load test of `wukong serve`: CLIENTS (32) concurrent clients asking
# questions for DURATION (60) seconds with wrk. Prints requests/s, p50/p95/p99 latency,
# errors (must be 0), the servers' CPU time per request and their resident memory before
# and after (must be stable).
#
#   sh bench/load.sh                 (BUILD=build by default; DURATION=60 CLIENTS=32)
#   DB=postgresql://... SERVERS=2 KILL=1 sh bench/load.sh
#                                    two servers on one PostgreSQL library, the clients
#                                    split between them, in two runs of DURATION: both
#                                    servers up (0 errors), then the second killed with
#                                    SIGKILL half-way: the first must keep answering with
#                                    0 errors (errors only on the killed one's clients)
#
# DB: the library (default a new SQLite file); a URI's library should be empty or hold
# only these documents. On a pgtmp.sh cluster (host=/tmp/wukong-pg.*) the PostgreSQL
# server's CPU time is reported too.
# The library: the first DOCS (10) PDFs of ../shared/data/papers when present, else
# generated fixtures (said in the output). wrk comes from Debian (installed when missing).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
DURATION=${DURATION:-60}
CLIENTS=${CLIENTS:-32}
DOCS=${DOCS:-10}
bin="$here/$BUILD/wukong"
[ -x "$bin" ] || { echo "load.sh: no $bin: run make BUILD=$BUILD" >&2; exit 2; }
if ! command -v wrk >/dev/null 2>&1; then
	echo "load.sh: installing wrk (Debian)" >&2
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wukong-load.XXXXXX")
SERVERS=${SERVERS:-1}
KILL=${KILL:-0}
db=${DB:-$tmp/lib.db}
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# start_server N: server N on the library; its pid in $tmp/pidN, its URL in $tmp/urlN.
start_server() {
	"$bin" serve --db "$db" --listen 127.0.0.1:0 --max-clients 64 --quiet >"$tmp/out$1" 2>"$tmp/log$1" &
	echo $! >"$tmp/pid$1"
	pids="$pids $!"
	port=""
	for _ in $(seq 100); do
		port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out$1")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "load.sh: server $1 did not start: $(cat "$tmp/log$1")" >&2; exit 4; }
	echo "http://127.0.0.1:$port" >"$tmp/url$1"
}
for i in $(seq "$SERVERS"); do start_server "$i"; done
server=$(cat "$tmp/pid1")
url=$(cat "$tmp/url1")

papers="$here/../shared/data/papers"
if [ -d "$papers" ]; then
	echo "library: first $DOCS PDFs of ../shared/data/papers"
	ls "$papers"/*.pdf | head -n "$DOCS" >"$tmp/list"
else
	echo "library: ../shared/data absent: $DOCS generated copies of the test fixture"
	for i in $(seq "$DOCS"); do
		"$here/$BUILD/tests/tools/mkservepdf" "$tmp/fixture$i.pdf"
		printf '%%%% copy %s\n' "$i" >>"$tmp/fixture$i.pdf" # distinct bytes, distinct ids
		echo "$tmp/fixture$i.pdf"
	done >"$tmp/list"
fi
while IFS= read -r f; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$f" "$url/v1/documents")
	[ "$code" = 201 ] || [ "$code" = 200 ] || echo "load.sh: upload of $f gave $code" >&2
done <"$tmp/list"
echo "documents: $(curl -s "$url/v1/documents" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')"

cat >"$tmp/ask.lua" <<'LUA'
local questions = {
  "What dataset is used for the evaluation?",
  "What are the main contributions of the paper?",
  "How does the proposed method compare with the baseline?",
  "What is shown in Figure 2?",
  "Which metric improved the most in the results table?",
  "What limitations do the authors mention?",
  "How many participants took part in the study?",
  "What is the time complexity of the algorithm?",
}
local n = 0
request = function()
  n = n + 1
  local q = questions[(n % #questions) + 1]
  return wrk.format("POST", "/v1/ask", {["Content-Type"] = "application/json"},
                    '{"question": "' .. q .. '"}')
end
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("requests: %d in %.1f s = %.1f requests/s\n", summary.requests,
           summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n",
           latency:percentile(50) / 1000, latency:percentile(95) / 1000,
           latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d (connect %d, read %d, write %d, non-2xx %d, timeout %d)\n",
           errors, e.connect, e.read, e.write, e.status, e.timeout))
end
LUA

rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server/status"; }
# CPU seconds (user + system) of a process; 0 once it is gone.
cpu_of() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
		"/proc/$1/stat" 2>/dev/null || echo 0
}
# CPU seconds of the PostgreSQL cluster's processes, when it is a local pgtmp.sh cluster.
pg_cpu() {
	dir=$(echo "$db" | sed -n 's|.*host=\(/[^&]*\).*|\1|p')
	[ -n "$dir" ] && [ -r "$dir/data/postmaster.pid" ] || { echo ""; return; }
	master=$(head -n 1 "$dir/data/postmaster.pid")
	total=$(cpu_of "$master")
	for c in $(ps -o pid= --ppid "$master"); do
		total=$(awk "BEGIN { print $total + $(cpu_of "$c") }")
	done
	echo "$total"
}
# servers_cpu [SKIP]: CPU seconds of the servers but server SKIP.
servers_cpu() {
	total=0
	for i in $(seq "$SERVERS"); do
		[ "$i" = "${1:-0}" ] && continue
		total=$(awk "BEGIN { print $total + $(cpu_of "$(cat "$tmp/pid$i")") }")
	done
	echo "$total"
}
per=$((CLIENTS / SERVERS))
# wrk_all SECONDS OUT: CLIENTS clients split over the servers; pids in $wrks.
wrk_all() {
	wrks=""
	for i in $(seq "$SERVERS"); do
		wrk -t2 -c"$per" -d"$1s" --timeout 30s -s "$tmp/ask.lua" "$(cat "$tmp/url$i")" >"$tmp/$2$i" &
		wrks="$wrks $!"
	done
}
# report RUN KILLED: each server's figures, the totals; fail=1 on an error where none may be.
report() {
	sum=0
	for i in $(seq "$SERVERS"); do
		[ "$SERVERS" -gt 1 ] && echo "-- server $i ($per clients)$([ "$i" = "$2" ] && echo ', killed half-way')"
		sed -n '/^requests:/,$p' "$tmp/$1$i"
		errors=$(sed -n 's/^errors: \([0-9]*\).*/\1/p' "$tmp/$1$i")
		[ "${errors:-1}" -eq 0 ] || [ "$i" = "$2" ] || fail=1
		rps=$(sed -n 's/^requests: .* = \([0-9.]*\) requests\/s/\1/p' "$tmp/$1$i")
		sum=$(awk "BEGIN { print $sum + ${rps:-0} }")
	done
	[ "$SERVERS" -gt 1 ] && echo "all servers: $sum requests/s"
	return 0
}
# cpu_line RUN C0 P0 [SKIP]: the CPU the run cost, per request (the servers but SKIP;
# PostgreSQL's includes the killed server's sessions only as far as they got).
cpu_line() {
	n=0
	for i in $(seq "$SERVERS"); do
		[ "$i" = "${4:-0}" ] && continue
		n=$((n + $(sed -n 's/^requests: \([0-9]*\) .*/\1/p' "$tmp/$1$i")))
	done
	c=$(awk "BEGIN { print $(servers_cpu "${4:-0}") - $2 }")
	line="CPU: servers $c s ($(awk "BEGIN { printf \"%.1f\", $c * 1000 / ($n > 0 ? $n : 1) }") ms a request)"
	if [ -n "$3" ]; then
		p=$(awk "BEGIN { print $(pg_cpu) - $3 }")
		line="$line, PostgreSQL $p s ($(awk "BEGIN { printf \"%.1f\", $p * 1000 / ($n > 0 ? $n : 1) }") ms a request)"
	fi
	echo "$line; machine load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "warm-up: 10 s"
wrk_all 10 warm
for w in $wrks; do wait "$w" || true; done
before=$(rss)
fail=0
echo "load: $CLIENTS clients for $DURATION s over $SERVERS server(s) on $(echo "$db" | sed 's|//[^@/]*@|//|')"
c0=$(servers_cpu)
p0=$(pg_cpu)
wrk_all "$DURATION" run
for w in $wrks; do wait "$w" || true; done
report run 0
cpu_line run "$c0" "$p0"
if [ "$KILL" = 1 ] && [ "$SERVERS" -ge 2 ]; then
	echo "load with a server killed: $CLIENTS clients for $DURATION s; server $SERVERS gets SIGKILL after $((DURATION / 2)) s"
	c0=$(servers_cpu "$SERVERS")
	p0=$(pg_cpu)
	wrk_all "$DURATION" kill
	sleep $((DURATION / 2))
	kill -9 "$(cat "$tmp/pid$SERVERS")"
	for w in $wrks; do wait "$w" || true; done
	report kill "$SERVERS"
	cpu_line kill "$c0" "$p0" "$SERVERS"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/documents")" = 200 ] ||
		{ echo "server 1 no longer answers"; fail=1; }
fi
after=$(rss)
echo "server RSS: before $((before / 1024)) MiB, after $((after / 1024)) MiB ($(awk "BEGIN { printf \"%+.1f\", ($after - $before) * 100 / $before }")%)"
[ "$fail" = 0 ] || { echo "FAIL: errors under load where there must be none" >&2; exit 1; }
echo "ok: no errors but on the killed server's connections"
