#!/bin/sh
# bench/startup.sh: start-up cost of the wukong process, which every CLI command pays
# (`ask --library` among them, target p95 < 100 ms). Runs `wukong --version` and a
# hello-world built on the fly RUNS times each, interleaved, and prints the medians of the
# wall time, the CPU time and the page faults, the ratio wukong/hello, the shared libraries
# loaded (ldd | wc -l), the symbol bindings the dynamic loader makes (LD_DEBUG=bindings)
# and the objects that bind most. WK_BEFORE, a second wukong binary (e.g. one linked another
# way), adds a column measured in the same run.
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
# noise falls on all alike, and prints three lines, each with a median per program: the
# wall milliseconds, the CPU milliseconds (user + system, from wait4) and the page faults
# (minor + major). On a shared machine the last two are the meaningful ones: the load of
# the other cores lengthens the wall time but not the CPU a process uses or the pages it
# touches. Every program but the last (the hello-world) gets --version.
cat > "$tmp/timer.c" <<'EOF'
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static void run(char **argv, double *wall, double *cpu, double *faults)
{
	struct timespec a, b;
	struct rusage ru;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	wait4(pid, &st, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench/startup: %s failed\n", argv[0]);
		exit(1);
	}
	*wall = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	*cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	*faults = (double)(ru.ru_minflt + ru.ru_majflt);
}
static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}
static void print_medians(double *v, int n, int progs, const char *fmt)
{
	for (int p = 0; p < progs; p++) {
		qsort(v + p * n, n, sizeof *v, cmp);
		printf(fmt, v[p * n + n / 2]);
		putchar(p < progs - 1 ? ' ' : '\n');
	}
}
int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[1]) : 0, progs = argc - 2;
	if (n < 1 || n > 100000)
		return 2;
	double *wall = malloc((size_t)n * progs * sizeof *wall);
	double *cpu = malloc((size_t)n * progs * sizeof *cpu);
	double *faults = malloc((size_t)n * progs * sizeof *faults);
	if (!wall || !cpu || !faults)
		return 1;
	for (int i = 0; i < n; i++)
		for (int p = 0; p < progs; p++) {
			char *args[] = {argv[2 + p], p < progs - 1 ? "--version" : NULL, NULL};
			run(args, &wall[p * n + i], &cpu[p * n + i], &faults[p * n + i]);
		}
	print_medians(wall, n, progs, "%.2f");
	print_medians(cpu, n, progs, "%.2f");
	print_medians(faults, n, progs, "%.0f");
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
medians=$("$tmp/timer" "$runs" $progs) || exit 1
# Prints "LIBS BINDINGS" of a program (run as `PROG --version`).
counts() {
	LD_DEBUG=bindings "$1" --version 2> "$tmp/bindings" > /dev/null
	echo "$(ldd "$1" | wc -l) $(grep -c 'binding file' "$tmp/bindings")"
}
# shellcheck disable=SC2046
set -- $(counts "$tmp/hello") $(counts "$bin") $([ -n "$before" ] && counts "$before")
hello_libs=$1 hello_bindings=$2 libs=$3 bindings=$4 before_libs=${5:-} before_bindings=${6:-}
# Prints the medians of line $1 of the timer's output as "WUKONG BEFORE HELLO" (BEFORE
# empty without WK_BEFORE).
medians() {
	# shellcheck disable=SC2046
	set -- $(echo "$medians" | sed -n "${1}p")
	if [ -n "$before" ]; then echo "$1 $2 $3"; else echo "$1 - $2"; fi
}
# shellcheck disable=SC2046
set -- $(medians 1)
wk_ms=$1 before_ms=$2 hello_ms=$3
row() {
	if [ -n "$before" ]; then printf '%-28s %10s %10s %10s\n' "$@"; else printf '%-28s %10s %10s\n' "$1" "$2" "$4"; fi
}
row "" "wukong" "before" "hello"
row "median wall ms (--version)" "$wk_ms" "$before_ms" "$hello_ms"
# shellcheck disable=SC2046
row "median CPU ms" $(medians 2)
# shellcheck disable=SC2046
row "median page faults" $(medians 3)
row "shared libraries (ldd)" "$libs" "$before_libs" "$hello_libs"
row "symbol bindings" "$bindings" "$before_bindings" "$hello_bindings"
echo "ratio wukong/hello: $(echo "$wk_ms $hello_ms" | awk '{printf "%.1f", $1 / $2}')x"
[ -n "$before" ] && echo "ratio before/hello: $(echo "$before_ms $hello_ms" | awk '{printf "%.1f", $1 / $2}')x"
echo "objects that bind most in $bin (bindings, object):"
LD_DEBUG=bindings "$bin" --version 2>&1 > /dev/null |
	sed -nE 's/.*binding file ([^ ]+) .*/\1/p' | sort | uniq -c | sort -rn | head -8
