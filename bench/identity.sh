#!/bin/sh
# bench/identity.sh: the output of `wukong parse --json` is unchanged by a speed change.
# Parses every PDF of the folders with a reference binary (kept before the change) and
# with the current one, at one and two threads, and prints the files whose JSON differs.
# A speed change must print "0 differ"; a change meant to alter the output bumps
# WK_PARSER_VERSION instead. The "parser" field (the version) is left out of the
# comparison. Exit 0 when all are identical, 1 otherwise, 2 on bad usage.
#
# usage: WK_REF=/path/to/old/wukong sh bench/identity.sh [FOLDER...]
#        (default folders: ../shared/data/papers ../shared/data/mmlongbench/documents)
# env:   WK_BIN (default build/wukong), WK_REF (required), OUT (keep the JSON there)
set -u
bin=${WK_BIN:-build/wukong}
ref=${WK_REF:-}
if [ -z "$ref" ] || [ ! -x "$ref" ] || [ ! -x "$bin" ]; then
	echo "bench/identity: set WK_REF to the reference binary (and build $bin)" >&2
	exit 2
fi
[ $# -gt 0 ] || set -- ../shared/data/papers ../shared/data/mmlongbench/documents
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/wk-identity.XXXXXX")}
[ -n "${OUT:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out/ref" "$out/new"
# Both binaries parse with their own empty cache and config.
export XDG_CACHE_HOME="$out/xdg/cache" XDG_DATA_HOME="$out/xdg/data" XDG_CONFIG_HOME="$out/xdg/config"
norm() { sed -E 's/"parser":"[^"]*"/"parser":""/'; }
files=0
differ=0
for dir in "$@"; do
	[ -d "$dir" ] || { echo "bench/identity: $dir not found, skipped"; continue; }
	for f in "$dir"/*.pdf; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .pdf)
		"$ref" parse --json --ocr never --threads 1 "$f" 2>/dev/null | norm > "$out/ref/$name.json"
		files=$((files + 1))
		for th in 1 2; do
			"$bin" parse --json --ocr never --threads $th "$f" 2>/dev/null | norm > "$out/new/$name.$th.json"
			if ! cmp -s "$out/ref/$name.json" "$out/new/$name.$th.json"; then
				echo "  differs: $f (--threads $th)"
				differ=$((differ + 1))
			fi
		done
	done
done
echo "bench/identity: $files files, each at 1 and 2 threads: $differ differ"
[ "$differ" -eq 0 ]
