#!/bin/sh
# bench/ocr.sh: OCR speed and quality.
# 1. Speed on the image-only documents of MMLongBench-Doc (those whose text layer is
#    empty: `pdftotext` finds no character). For each: pages, wall and CPU seconds of
#    `wukong parse --json --ocr auto`, pages per second and per CPU-second, peak RSS, units
#    (and how many carry ocr=true), words; with each thread count of THREADS, and the
#    speed-up of the last over the first.
# 2. Word accuracy: text-layer pages of the other documents (ACC_PAGES per document,
#    spread over it) are rendered grey at SCAN_DPI into an image-only PDF, as a scanner
#    would give them, and OCR'd; the words read are compared with the words of the text
#    layer (`pdftotext`, lower case, letters and digits): recall = reference words read
#    (each counted as often as it occurs, the word-accuracy figure), precision = words read
#    that are in the reference (low precision is noise read from pictures).
# 3. Whether the image-only documents' paragraphs serve `wukong ask`: `wukong eval --ocr`
#    on the benchmark's questions about those documents only (evidence page recall).
#
#    On a shared, loaded machine wall time measures the load: the CPU seconds per page of
#    each thread count, and their ratio in the same run, are what the code decides.
#
# usage: sh bench/ocr.sh [DOCS_DIR]   (default ../shared/data/mmlongbench/documents)
# env:   WK_BIN (default build/wukong), THREADS (default "1 2"), PAGES (e.g. "1-10": only
#        those pages of each image-only document, for a quicker run; default all),
#        REPEAT (default 1: passes of part 1, thread counts alternating; medians reported),
#        ACC_PAGES (default 1; 0 skips part 2), SCAN_DPI (default 150),
#        PARTS (default "speed accuracy eval"), TIMEOUT (default 0: none; the default 600 s
#        is wall time, which a loaded machine spends before OCR ends), OMP_THREAD_LIMIT
#        (unset: wukong gives each page Tesseract reads its share of the cores)
set -u
docs=${1:-../shared/data/mmlongbench/documents}
questions=$(dirname "$docs")/questions.jsonl
bin=${WK_BIN:-build/wukong}
threads_list=${THREADS:-1 2}
acc_pages=${ACC_PAGES:-1}
repeat=${REPEAT:-1}
scan_dpi=${SCAN_DPI:-150}
parts=${PARTS:-speed accuracy eval}
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
echo "bench/ocr: $nfiles image-only documents in $docs (OMP_THREAD_LIMIT=${OMP_THREAD_LIMIT:-unset})"
[ "$nfiles" -gt 0 ] || exit 0

# One parse of one file with a cold cache; prints "pages wall cpu rss_mb units ocr words".
parse_one() {
	rm -rf "$XDG_CACHE_HOME"
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
		"$bin" parse --json --ocr auto --timeout "${TIMEOUT:-0}" --threads "$1" ${PAGES:+--pages "$PAGES"} \
		"$2" > "$tmp/out.json" 2> "$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { echo "bench/ocr: $2: exit $rc: $(tail -1 "$tmp/err")" >&2; return 1; }
	# Pages read: with PAGES, those of the range (ocr_pages misses blank ones).
	stats=$(jq -r --arg range "${PAGES:-}" '.pages as $n | [(if $range == "" then $n else
	                ($range | split("-") | (.[0] | tonumber) as $a
	                 | (if ($range | test("-$")) then $n elif length == 1 then $a else .[1] | tonumber end) as $b
	                 | ([([$b, $n] | min), $a] | max) - $a + 1) end), (.units | length), ([.units[] | select(.ocr == true)] | length),
	                ([.units[].text // "" | splits("\\s+") | select(length > 0)] | length)]
	               | @tsv' "$tmp/out.json")
	read -r wall user sys rss < "$tmp/time"
	set -- $stats
	echo "$1 $wall $(echo "$user + $sys" | bc) $((rss / 1024)) $2 $3 $4"
}

# One pass over the image-only documents with `--threads $1`: the per-document table, and
# "threads pages wall cpu" appended to $tmp/runs.
speed_pass() {
	echo
	echo "--threads $1 (repetition $2 of $repeat)"
	printf '%-62s %5s %7s %7s %7s %7s %6s %6s %6s\n' document pages wall_s cpu_s pages/s pg/cpu-s rss_MB units ocr
	tp=0 tw=0 tc=0
	while IFS= read -r f; do
		r=$(parse_one "$1" "$f") || continue
		set -- "$1" "$2" $r
		printf '%-62s %5d %7.1f %7.1f %7.2f %7.2f %6d %6d %6d\n' "$(basename "$f")" "$3" "$4" "$5" \
			"$(echo "$3 / $4" | bc -l)" "$(echo "$3 / $5" | bc -l)" "$6" "$7" "$8"
		tp=$((tp + $3))
		tw=$(echo "$tw + $4" | bc)
		tc=$(echo "$tc + $5" | bc)
	done < "$tmp/files"
	[ "$tp" -gt 0 ] || return 0
	printf '%-62s %5d %7.1f %7.1f %7.2f %7.2f\n' total "$tp" "$tw" "$tc" \
		"$(echo "$tp / $tw" | bc -l)" "$(echo "$tp / $tc" | bc -l)"
	echo "$1 $tp $tw $tc" >> "$tmp/runs"
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }

# Thread counts alternate within each repetition, so that a change of load on a shared
# machine falls on all of them alike; the ratios are taken within a repetition.
speed() {
	: > "$tmp/runs"
	rep=1
	while [ "$rep" -le "$repeat" ]; do
		for threads in $threads_list; do
			speed_pass "$threads" "$rep"
		done
		rep=$((rep + 1))
	done
	echo
	echo "medians of $repeat repetition(s):"
	for threads in $threads_list; do
		awk -v t="$threads" '$1 == t { print $2 / $3 }' "$tmp/runs" | median > "$tmp/m_rate"
		awk -v t="$threads" '$1 == t { print $2 / $4 }' "$tmp/runs" | median > "$tmp/m_cpu"
		[ -s "$tmp/m_rate" ] && printf '  --threads %s: %.3f pages/s, %.3f pages per CPU-second\n' \
			"$threads" "$(cat "$tmp/m_rate")" "$(cat "$tmp/m_cpu")"
	done
	first=${threads_list%% *} last=${threads_list##* }
	[ "$first" != "$last" ] || return 0
	# Per repetition: wall speed-up and CPU-per-page ratio of the last thread count over the first.
	awk -v a="$first" -v b="$last" '
		$1 == a { pa[++na] = $2; wa[na] = $3; ca[na] = $4 }
		$1 == b { pb[++nb] = $2; wb[nb] = $3; cb[nb] = $4 }
		END { for (i = 1; i <= na && i <= nb; i++)
			print (pb[i] / wb[i]) / (pa[i] / wa[i]), (cb[i] / pb[i]) / (ca[i] / pa[i]) }' \
		"$tmp/runs" > "$tmp/ratios"
	[ -s "$tmp/ratios" ] || return 0
	printf 'pages per wall second, --threads %s over --threads %s: %.2fx (median of %s; load average %s)\n' \
		"$last" "$first" "$(cut -d' ' -f1 "$tmp/ratios" | median)" \
		"$(awk '{ printf "%s%.2f", sep, $1; sep = " " }' "$tmp/ratios")" \
		"$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'CPU seconds per page, --threads %s over --threads %s: %.2f (1.00: threads add no work; the wall speed-up on idle cores is then the thread count)\n' \
		"$last" "$first" "$(cut -d' ' -f2 "$tmp/ratios" | median)"
}

# Lower-case words of letters and digits, one per line.
words() { tr '[:upper:]' '[:lower:]' | tr -cs '[:alnum:]' '\n' | grep -v '^$'; }

# Part 2: text-layer pages rendered into one image-only PDF, OCR'd, compared word by word.
accuracy() {
	: > "$tmp/acc.list"
	for f in "$docs"/*.pdf; do
		grep -qxF "$f" "$tmp/files" && continue
		n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
		[ -n "$n" ] && [ "$n" -gt 0 ] || continue
		i=1
		while [ "$i" -le "$acc_pages" ]; do # pages at i/(ACC_PAGES+1) of the document
			p=$(( (n * i + acc_pages) / (acc_pages + 1) ))
			[ "$p" -ge 1 ] || p=1
			pdftotext -q -f "$p" -l "$p" "$f" - 2>/dev/null | words > "$tmp/ref"
			# Pages with little text say little about accuracy.
			[ "$(wc -l < "$tmp/ref")" -ge 50 ] && printf '%s\t%s\n' "$f" "$p" >> "$tmp/acc.list"
			i=$((i + 1))
		done
	done
	npages=$(wc -l < "$tmp/acc.list")
	[ "$npages" -gt 0 ] || { echo "bench/ocr: no text-layer page to measure accuracy on"; return; }
	k=0
	set --
	while IFS="$(printf '\t')" read -r f p; do
		k=$((k + 1))
		mutool draw -q -r "$scan_dpi" -c gray -o "$tmp/scan$k.png" "$f" "$p" 2>/dev/null
		pdftotext -q -f "$p" -l "$p" "$f" - 2>/dev/null | words | sort > "$tmp/ref$k"
		set -- "$@" "$tmp/scan$k.png"
	done < "$tmp/acc.list"
	mutool convert -O compress -o "$tmp/scans.pdf" "$@" > /dev/null 2>&1
	rm -f "$tmp"/scan*.png
	threads=${threads_list##* }
	rm -rf "$XDG_CACHE_HOME"
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" parse --json --ocr auto --timeout "${TIMEOUT:-0}" \
		--threads "$threads" "$tmp/scans.pdf" > "$tmp/scans.json" 2> "$tmp/err" ||
		{ echo "bench/ocr: accuracy: $(tail -1 "$tmp/err")" >&2; return; }
	ref=0 got=0 hit=0
	k=0
	while [ "$k" -lt "$npages" ]; do
		k=$((k + 1))
		jq -r --argjson p "$k" '.units[] | select(.page == $p) | .text // ""' "$tmp/scans.json" |
			words | sort > "$tmp/ocr$k"
		set -- $(wc -l < "$tmp/ref$k") $(wc -l < "$tmp/ocr$k") \
			$(comm -12 "$tmp/ref$k" "$tmp/ocr$k" | wc -l)
		ref=$((ref + $1)) got=$((got + $2)) hit=$((hit + $3))
	done
	read -r wall user sys < "$tmp/time"
	echo
	printf 'word accuracy: %d text-layer pages of %d documents rendered at %d dpi, OCR with --threads %d\n' \
		"$npages" "$(cut -f1 "$tmp/acc.list" | sort -u | wc -l)" "$scan_dpi" "$threads"
	printf '  reference words %d, words read %d, matched %d: recall (word accuracy) %.3f, precision %.3f\n' \
		"$ref" "$got" "$hit" "$(echo "$hit / $ref" | bc -l)" "$(echo "$hit / ($got + ($got == 0))" | bc -l)"
	printf '  %.1f s wall, %.1f CPU-s: %.2f pages per CPU-second\n' "$wall" "$(echo "$user + $sys" | bc)" \
		"$(echo "$npages / ($user + $sys)" | bc -l)"
}

case " $parts " in *" speed "*) speed ;; esac
case " $parts " in *" accuracy "*) [ "$acc_pages" -gt 0 ] && accuracy ;; esac
case " $parts " in *" eval "*) ;; *) exit 0 ;; esac

# Can `ask` use them? The benchmark's questions about these documents, through eval.
if [ -f "$questions" ]; then
	names=$(while IFS= read -r f; do basename "$f"; done < "$tmp/files" | jq -R . | jq -s -c .)
	jq -c --argjson names "$names" 'select(.doc_id as $d | $names | index($d))' \
		"$questions" > "$tmp/questions.jsonl"
	echo
	echo "wukong eval --ocr on the $(wc -l < "$tmp/questions.jsonl") questions about these documents:"
	# The cache holds the parses above: eval measures the sampling, not the OCR again.
	"$bin" eval --ocr auto --quiet --docs "$docs" "$tmp/questions.jsonl"
else
	echo "bench/ocr: $questions not found: evidence recall not measured"
fi
exit 0
