#!/bin/sh
# bench/startup.sh: start-up cost of the wukong process, which every CLI command pays
# (`ask --library` among them, target p95 < 100 ms). Runs `wukong --version` and a
# hello-world built on the fly RUNS times each, interleaved, and prints the medians, the
# ratio wukong/hello, the shared libraries loaded (ldd | wc -l), the symbol bindings the
# dynamic loader makes (LD_DEBUG=bindings) and the objects that bind most.
# It needs no data: ../shared is not read.
#
# usage: sh bench/startup.sh
# env:   WK_BIN (default build/wukong), RUNS (default 51), CC (default cc)
set -u
bin=${WK_BIN:-build/wukong}
runs=${RUNS:-51}
cc=${CC:-cc}
if [ ! -x "$bin" ]; then
	echo "bench/startup: $bin not built (make first, or set WK_BIN)" >&2
	exit 2
fi
echo "bench/startup: needs no data (../shared is not used); $bin, $runs runs each"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wk-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
# The timer forks and execs each command in turn (A, B, A, B...) so that the machine's
# noise falls on both alike, and prints the median wall milliseconds of each.
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
	int n = argc > 3 ? atoi(argv[1]) : 0;
	if (n < 1 || n > 100000)
		return 2;
	double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	char *wk[] = {argv[2], "--version", NULL}, *hello[] = {argv[3], NULL};
	if (!a || !b)
		return 1;
	for (int i = 0; i < n; i++) {
		a[i] = run_ms(wk);
		b[i] = run_ms(hello);
	}
	qsort(a, n, sizeof *a, cmp);
	qsort(b, n, sizeof *b, cmp);
	printf("%.2f %.2f\n", a[n / 2], b[n / 2]);
	return 0;
}
EOF
if ! "$cc" -O2 -o "$tmp/hello" "$tmp/hello.c" || ! "$cc" -O2 -o "$tmp/timer" "$tmp/timer.c"; then
	echo "bench/startup: cannot compile the hello-world baseline with $cc" >&2
	exit 2
fi
case "$bin" in /*) abs=$bin ;; *) abs=$PWD/$bin ;; esac
# One warm-up pass so that both binaries are in the page cache.
"$tmp/timer" 3 "$abs" "$tmp/hello" > /dev/null || exit 1
set -- $("$tmp/timer" "$runs" "$abs" "$tmp/hello") || exit 1
wk_ms=$1
hello_ms=$2
libs=$(ldd "$bin" | wc -l)
hello_libs=$(ldd "$tmp/hello" | wc -l)
LD_DEBUG=bindings "$bin" --version 2> "$tmp/bindings" > /dev/null
LD_DEBUG=bindings "$tmp/hello" 2> "$tmp/hello-bindings" > /dev/null
bindings=$(grep -c 'binding file' "$tmp/bindings")
hello_bindings=$(grep -c 'binding file' "$tmp/hello-bindings")
printf '%-28s %10s %10s\n' "" "wukong" "hello"
printf '%-28s %10s %10s\n' "median wall ms (--version)" "$wk_ms" "$hello_ms"
printf '%-28s %10s %10s\n' "shared libraries (ldd)" "$libs" "$hello_libs"
printf '%-28s %10s %10s\n' "symbol bindings" "$bindings" "$hello_bindings"
echo "ratio wukong/hello: $(echo "$wk_ms $hello_ms" | awk '{printf "%.1f", $1 / $2}')x"
echo "objects that bind most (bindings, object):"
sed -nE 's/.*binding file ([^ ]+) .*/\1/p' "$tmp/bindings" | sort | uniq -c | sort -rn | head -8
