#!/bin/sh
# bench/parse.sh: parsing speed and memory of `wukong parse --json` (structure, no crops)
# against MuPDF's raw text extraction (`mutool draw -F stext`) on the same files, in the
# same run. Prints the median of RUNS runs of each, pages/s, the ratio ours/mutool, and
# the peak RSS; then builds a 500-page PDF and reports its peak RSS (target < 300 MB).
#
# usage: sh bench/parse.sh [FOLDER]   (default ../shared/data/papers)
# env:   WK_BIN (default build/wukong), RUNS (default 3), BIG_PAGES (default 500)
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

measure() { # label command... -> "label wall cpu peak_kb" (medians, max peak)
	label=$1
	shift
	: > "$tmp/wall"
	: > "$tmp/cpu"
	peak=0
	i=0
	while [ $i -lt "$runs" ]; do
		r=$(over_files "$@")
		echo "$r" | cut -d' ' -f1 >> "$tmp/wall"
		echo "$r" | cut -d' ' -f2 >> "$tmp/cpu"
		kb=$(echo "$r" | cut -d' ' -f3)
		[ "$kb" -gt "$peak" ] && peak=$kb
		i=$((i + 1))
	done
	echo "$label $(median < "$tmp/wall") $(median < "$tmp/cpu") $peak"
}


echo "bench/parse: $(wc -l < "$tmp/ok") files, $pages pages from $dir, median of $runs runs"
m=$(measure mutool mutool draw -q -F stext -o /dev/null)
o1=$(measure wukong-1 "$bin" parse --json --threads 1)
o2=$(measure wukong-2 "$bin" parse --json --threads 2)
report() { # label wall cpu peak_kb
	echo "$2 $3 $4" | awk -v p="$pages" -v l="$1" '{printf "  %-22s wall %7.2f s %7.1f pages/s   cpu %7.2f s %7.1f pages/cpu-s   peak RSS %6.1f MB\n", l, $1, p / $1, $2, p / $2, $3 / 1024}'
}
report "mutool draw -F stext" $(echo "$m" | cut -d' ' -f2-)
report "wukong --threads 1" $(echo "$o1" | cut -d' ' -f2-)
report "wukong --threads 2" $(echo "$o2" | cut -d' ' -f2-)
echo "$m $o1 $o2" | awk '{printf "  ratio ours/mutool, pages per wall second: 1 thread %.2f, 2 threads %.2f (target >= 1.3 on 1 thread)\n", $2 / $6, $2 / $10;
                         printf "  ratio ours/mutool, pages per CPU second:  1 thread %.2f, 2 threads %.2f\n", $3 / $7, $3 / $11;
                         printf "  2 threads / 1 thread, pages per wall second: %.2f (target > 1; wall time: a quiet machine only)\n", $6 / $10}'

# Memory: one document of about BIG_PAGES pages made of the folder's files.
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
