#!/bin/sh
# bench/parse.sh: parsing speed and memory of `wukong parse --json` (structure, no crops)
# against MuPDF's raw text extraction (`mutool draw -F stext`) on the same files, in the
# same run. Prints the median of RUNS interleaved runs of each, pages/s, the ratio
# ours/mutool (of the medians, and the median of each round's own ratio), and
# the peak RSS; then builds a 500-page PDF and reports its peak RSS (target < 300 MB).
#
# usage: sh bench/parse.sh [FOLDER]   (default ../shared/data/papers)
# env:   WK_BIN (default build/wukong), RUNS (default 3), BIG_PAGES (default 500, 0 = no
#        memory measure)
set -u
dir=${1:-../shared/data/papers}
bin=${WK_BIN:-build/wukong}
runs=${RUNS:-3}
big_pages=${BIG_PAGES:-500}
if [ ! -d "$dir" ]; then
	echo "bench/parse: $dir not found (the shared papers are absent): nothing to measure"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "bench/parse: $bin not built (make first, or set WK_BIN)" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wk-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ls "$dir"/*.pdf > "$tmp/files" 2>/dev/null
nfiles=$(wc -l < "$tmp/files")
[ "$nfiles" -gt 0 ] || { echo "bench/parse: no PDF in $dir"; exit 0; }

# Pages as wukong counts them; files wukong refuses are left out of every measurement.
: > "$tmp/ok"
pages=0
while IFS= read -r f; do
	n=$("$bin" parse --json "$f" 2>/dev/null | grep -o '"pages":[0-9]*' | head -1 | cut -d: -f2)
	if [ -n "$n" ]; then
		printf '%s\n' "$f" >> "$tmp/ok"
		pages=$((pages + n))
	else
		echo "bench/parse: skipping $f (wukong refuses it)"
	fi
done < "$tmp/files"

# Runs a command over every file, prints "wall_seconds cpu_seconds peak_kb" (wall time of
# the loop, user+system time summed, the largest max RSS of one process). The machine may
# be shared: CPU time is the steadier measure of work, wall time shows what threads buy.
over_files() {
	peak=0
	cpu=0
	start=$(date +%s.%N)
	while IFS= read -r f; do
		/usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$@" "$f" > /dev/null 2>&1
		line=$(tail -1 "$tmp/rss")
		kb=${line%% *}
		cpu=$(echo "$line" | awk -v c="$cpu" '{print c + $2 + $3}')
		[ "$kb" -gt "$peak" ] 2>/dev/null && peak=$kb
	done < "$tmp/ok"
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc -l) $cpu $peak"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The three commands take turns, round after round (mutool, wukong 1 thread, wukong 2
# threads, then again), rather than RUNS runs of one and then of the next: on a machine
# whose load moves (others' builds and tests), back-to-back runs of one command would
# all meet the same load and the ratio would compare two different machines. Each
# round also gives its own ratio (the same load for both), whose median is printed
# with the ratio of the medians.
: > "$tmp/rounds"
i=0
while [ $i -lt "$runs" ]; do
	echo "$(over_files mutool draw -q -F stext -o /dev/null) $(over_files "$bin" parse --json --threads 1) $(over_files "$bin" parse --json --threads 2)" >> "$tmp/rounds"
	i=$((i + 1))
done
column_median() { cut -d' ' -f"$1" "$tmp/rounds" | median; }
column_max() { cut -d' ' -f"$1" "$tmp/rounds" | sort -n | tail -1; }
# "wall cpu peak_kb" of one command: medians of its rounds, the largest peak.
summary() { echo "$(column_median "$1") $(column_median $(($1 + 1))) $(column_max $(($1 + 2)))"; }

echo "bench/parse: $(wc -l < "$tmp/ok") files, $pages pages from $dir, median of $runs interleaved runs"
m=$(summary 1)
o1=$(summary 4)
o2=$(summary 7)
report() { # label wall cpu peak_kb
	echo "$2 $3 $4" | awk -v p="$pages" -v l="$1" '{printf "  %-22s wall %7.2f s %7.1f pages/s   cpu %7.2f s %7.1f pages/cpu-s   peak RSS %6.1f MB\n", l, $1, p / $1, $2, p / $2, $3 / 1024}'
}
report "mutool draw -F stext" $m
report "wukong --threads 1" $o1
report "wukong --threads 2" $o2
echo "$m $o1 $o2" | awk '{printf "  ratio ours/mutool, pages per wall second: 1 thread %.2f, 2 threads %.2f (target >= 1.3 on 1 thread)\n", $1 / $4, $1 / $7;
                         printf "  ratio ours/mutool, pages per CPU second:  1 thread %.2f, 2 threads %.2f\n", $2 / $5, $2 / $8;
                         printf "  2 threads / 1 thread, pages per wall second: %.2f (target > 1; wall time: a quiet machine only)\n", $4 / $7}'
r1=$(awk '{print $1 / $4}' "$tmp/rounds" | median)
rc=$(awk '{print $2 / $5}' "$tmp/rounds" | median)
echo "$r1 $rc" | awk '{printf "  median of the rounds own ratios (1 thread): %.2f wall, %.2f CPU\n", $1, $2}'

# Memory: one document of about BIG_PAGES pages made of the folder's files (BIG_PAGES=0:
# none).
[ "$big_pages" -gt 0 ] 2>/dev/null || exit 0
set --
count=0
while IFS= read -r f; do
	[ "$count" -ge "$big_pages" ] && break
	n=$("$bin" parse --json --pages 1-1 "$f" 2>/dev/null | grep -o '"pages":[0-9]*' | head -1 | cut -d: -f2)
	[ -n "$n" ] || continue
	set -- "$@" "$f"
	count=$((count + n))
done < "$tmp/ok"
while [ "$count" -lt "$big_pages" ]; do # repeat the list until it is long enough
	set -- "$@" "$@"
	count=$((count * 2))
done
mutool merge -o "$tmp/big.pdf" "$@" > /dev/null 2>&1
bigp=$("$bin" parse --json --pages 1-1 "$tmp/big.pdf" 2>/dev/null | grep -o '"pages":[0-9]*' | head -1 | cut -d: -f2)
for th in 1 2; do
	start=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$tmp/rss" "$bin" parse --json --threads $th "$tmp/big.pdf" > /dev/null 2>&1
	end=$(date +%s.%N)
	kb=$(tail -1 "$tmp/rss")
	echo "$bigp $kb $start $end $th" | awk '{printf "  %d-page document, %d thread(s): %.1f s, peak RSS %.1f MB (target < 300 MB)\n", $1, $5, $4 - $3, $2 / 1024}'
done
