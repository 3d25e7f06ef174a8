#!/bin/sh
# bench/startup.sh: start-up cost of the wukong process, which every CLI command pays
# (`ask --library` among them, target p95 < 100 ms). Runs `wukong --version` and a
# hello-world built on the fly RUNS times each, interleaved, and prints the medians, the
# ratio wukong/hello, the shared libraries loaded (ldd | wc -l), the symbol bindings the
# dynamic loader makes (LD_DEBUG=bindings) and the objects that bind most. WK_BEFORE, a
# second wukong binary (e.g. one linked another way), adds a column measured in the same run.
# It needs no data: ../shared is not read.
#
# usage: sh bench/startup.sh
# env:   WK_BIN (default build/wukong), WK_BEFORE (none), RUNS (default 51), CC (default cc)
set -u
bin=${WK_BIN:-build/wukong}
before=${WK_BEFORE:-}
runs=${RUNS:-51}
cc=${CC:-cc}
if [ ! -x "$bin" ]; then
	echo "bench/startup: $bin not built (make first, or set WK_BIN)" >&2
	exit 2
fi
if [ -n "$before" ] && [ ! -x "$before" ]; then
	echo "bench/startup: WK_BEFORE=$before is not an executable" >&2
	exit 2
fi
echo "bench/startup: needs no data (../shared is not used); $bin${before:+ and $before}, $runs runs each"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wk-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
# The timer forks and execs each program in turn (A, B, A, B...) so that the machine's
# noise falls on all alike, and prints the median wall milliseconds of each. Every program
# but the last (the hello-world) gets --version.
cat > "$tmp/timer.c" <<'EOF'
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double run_ms(char **argv)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench/startup: %s failed\n", argv[0]);
		exit(1);
	}
	return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}
static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}
int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[1]) : 0, progs = argc - 2;
	if (n < 1 || n > 100000)
		return 2;
	double *ms = malloc((size_t)n * progs * sizeof *ms);
	if (!ms)
		return 1;
	for (int i = 0; i < n; i++)
		for (int p = 0; p < progs; p++) {
			char *args[] = {argv[2 + p], p < progs - 1 ? "--version" : NULL, NULL};
			ms[p * n + i] = run_ms(args);
		}
	for (int p = 0; p < progs; p++) {
		qsort(ms + p * n, n, sizeof *ms, cmp);
		printf("%.2f%c", ms[p * n + n / 2], p < progs - 1 ? ' ' : '\n');
	}
	return 0;
}
EOF
if ! "$cc" -O2 -o "$tmp/hello" "$tmp/hello.c" || ! "$cc" -O2 -o "$tmp/timer" "$tmp/timer.c"; then
	echo "bench/startup: cannot compile the hello-world baseline with $cc" >&2
	exit 2
fi
# Absolute paths: the timer execs them as given.
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
progs="$(abs "$bin") ${before:+$(abs "$before")} $tmp/hello"
# One warm-up pass so that every binary is in the page cache.
# shellcheck disable=SC2086
"$tmp/timer" 3 $progs > /dev/null || exit 1
# shellcheck disable=SC2086
ms=$("$tmp/timer" "$runs" $progs) || exit 1
# Prints "LIBS BINDINGS" of a program (run as `PROG --version`).
counts() {
	LD_DEBUG=bindings "$1" --version 2> "$tmp/bindings" > /dev/null
	echo "$(ldd "$1" | wc -l) $(grep -c 'binding file' "$tmp/bindings")"
}
# shellcheck disable=SC2086
set -- $(counts "$tmp/hello") $(counts "$bin") $([ -n "$before" ] && counts "$before")
hello_libs=$1 hello_bindings=$2 libs=$3 bindings=$4 before_libs=${5:-} before_bindings=${6:-}
# shellcheck disable=SC2086
set -- $ms
wk_ms=$1
if [ -n "$before" ]; then before_ms=$2 hello_ms=$3; else before_ms="" hello_ms=$2; fi
row() {
	if [ -n "$before" ]; then printf '%-28s %10s %10s %10s\n' "$@"; else printf '%-28s %10s %10s\n' "$1" "$2" "$4"; fi
}
row "" "wukong" "before" "hello"
row "median wall ms (--version)" "$wk_ms" "$before_ms" "$hello_ms"
row "shared libraries (ldd)" "$libs" "$before_libs" "$hello_libs"
row "symbol bindings" "$bindings" "$before_bindings" "$hello_bindings"
echo "ratio wukong/hello: $(echo "$wk_ms $hello_ms" | awk '{printf "%.1f", $1 / $2}')x"
[ -n "$before" ] && echo "ratio before/hello: $(echo "$before_ms $hello_ms" | awk '{printf "%.1f", $1 / $2}')x"
echo "objects that bind most in $bin (bindings, object):"
LD_DEBUG=bindings "$bin" --version 2>&1 > /dev/null |
	sed -nE 's/.*binding file ([^ ]+) .*/\1/p' | sort | uniq -c | sort -rn | head -8
