#!/bin/sh
# bench/ocr.sh: OCR of the image-only documents of MMLongBench-Doc (those whose text layer
# is empty: `pdftotext` finds no character). For each: pages, wall and CPU seconds of
# `wukong parse --json --ocr auto`, pages per second, peak RSS, units (and how many carry
# ocr=true), words. Then whether their paragraphs serve `wukong ask`: `wukong eval --ocr`
# on the benchmark's questions about those documents only (evidence page recall).
#
# usage: sh bench/ocr.sh [DOCS_DIR]   (default ../shared/data/mmlongbench/documents)
# env:   WK_BIN (default build/wukong), THREADS (default 1; "1 2" runs both),
#        TIMEOUT (default 0: none; the default 600 s is wall time, which a loaded machine
#        spends before OCR ends), OMP_THREAD_LIMIT (default 1: Tesseract's OpenMP threads would fight ours)
set -u
docs=${1:-../shared/data/mmlongbench/documents}
questions=$(dirname "$docs")/questions.jsonl
bin=${WK_BIN:-build/wukong}
threads_list=${THREADS:-1}
export OMP_THREAD_LIMIT=${OMP_THREAD_LIMIT:-1}
if [ ! -d "$docs" ]; then
	echo "bench/ocr: $docs not found (the shared MMLongBench-Doc documents are absent): nothing to measure"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "bench/ocr: $bin not built (make first, or set WK_BIN)" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wk-ocr.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"

# Image-only documents: not one character of text in the text layer.
: > "$tmp/files"
for f in "$docs"/*.pdf; do
	n=$(pdftotext -q "$f" - 2>/dev/null | tr -d '[:space:]' | wc -c)
	[ "$n" -eq 0 ] && printf '%s\n' "$f" >> "$tmp/files"
done
nfiles=$(wc -l < "$tmp/files")
echo "bench/ocr: $nfiles image-only documents in $docs (OMP_THREAD_LIMIT=$OMP_THREAD_LIMIT)"
[ "$nfiles" -gt 0 ] || exit 0

# One parse of one file with a cold cache; prints "pages wall cpu rss_mb units ocr words".
parse_one() {
	rm -rf "$XDG_CACHE_HOME"
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
		"$bin" parse --json --ocr auto --timeout "${TIMEOUT:-0}" --threads "$1" "$2" > "$tmp/out.json" 2> "$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { echo "bench/ocr: $2: exit $rc: $(tail -1 "$tmp/err")" >&2; return 1; }
	stats=$(jq -r '[.pages, (.units | length), ([.units[] | select(.ocr == true)] | length),
	                ([.units[].text // "" | splits("\\s+") | select(length > 0)] | length)]
	               | @tsv' "$tmp/out.json")
	read -r wall user sys rss < "$tmp/time"
	set -- $stats
	echo "$1 $wall $(echo "$user + $sys" | bc) $((rss / 1024)) $2 $3 $4"
}

for threads in $threads_list; do
	echo
	echo "--threads $threads"
	printf '%-62s %5s %7s %7s %7s %7s %6s %6s %6s\n' document pages wall_s cpu_s pages/s pg/cpu-s rss_MB units ocr
	tp=0 tw=0 tc=0
	while IFS= read -r f; do
		r=$(parse_one "$threads" "$f") || continue
		set -- $r
		printf '%-62s %5d %7.1f %7.1f %7.2f %7.2f %6d %6d %6d\n' "$(basename "$f")" "$1" "$2" "$3" \
			"$(echo "$1 / $2" | bc -l)" "$(echo "$1 / $3" | bc -l)" "$4" "$5" "$6"
		tp=$((tp + $1))
		tw=$(echo "$tw + $2" | bc)
		tc=$(echo "$tc + $3" | bc)
	done < "$tmp/files"
	[ "$tp" -gt 0 ] && printf '%-62s %5d %7.1f %7.1f %7.2f %7.2f\n' total "$tp" "$tw" "$tc" \
		"$(echo "$tp / $tw" | bc -l)" "$(echo "$tp / $tc" | bc -l)"
done

# Can `ask` use them? The benchmark's questions about these documents, through eval.
if [ -f "$questions" ]; then
	names=$(while IFS= read -r f; do basename "$f"; done < "$tmp/files" | jq -R . | jq -s -c .)
	jq -c --argjson names "$names" 'select(.doc_id as $d | $names | index($d))' \
		"$questions" > "$tmp/questions.jsonl"
	echo
	echo "wukong eval --ocr on the $(wc -l < "$tmp/questions.jsonl") questions about these documents:"
	# The cache holds the parses above: eval measures the sampling, not the OCR again.
	"$bin" eval --ocr --quiet --docs "$docs" "$tmp/questions.jsonl"
else
	echo "bench/ocr: $questions not found: evidence recall not measured"
fi
exit 0
