#!/bin/sh
# bench/halves.sh: page recall and answer accuracy of an MMLongBench-Doc eval on the two
# halves of its documents (docs/sampling.md, "The method"): the documents in the order of
# their first question in QUESTIONS; the 1st, 3rd, 5th ... are the tuning half, the 2nd,
# 4th ... the held-out half. DETAILS is the file `wukong eval --details` wrote.
#
#   wukong eval QUESTIONS --ocr never --details /tmp/d.jsonl
#   sh bench/halves.sh QUESTIONS /tmp/d.jsonl
set -eu
if [ $# -ne 2 ] || [ ! -r "$1" ] || [ ! -r "$2" ]; then
	echo "usage: sh bench/halves.sh QUESTIONS.jsonl DETAILS.jsonl" >&2
	exit 2
fi
command -v jq >/dev/null || { echo "bench/halves.sh: jq is not installed" >&2; exit 4; }
jq -rn --slurpfile q "$1" --slurpfile d "$2" '
  ($q | reduce .[].doc_id as $id ([]; if index([$id]) then . else . + [$id] end)) as $order
  | def half($id): if (($order | index($id)) % 2) == 0 then "tuning" else "held-out" end;
  def row($name; $rows):
    ($rows | map(select(.measured))) as $m
    | ($rows | map(select(.metrics))) as $a
    | "\($name)\t\($m | length)\t\(if ($m | length) > 0 then ($m | map(.recall.at_5) | add / length * 1000 | round / 1000) else "-" end)\t\(if ($m | length) > 0 then ($m | map(.recall.at_budget) | add / length * 1000 | round / 1000) else "-" end)\t\(if ($a | length) > 0 then ($a | map(.metrics.mmlongbench) | add / length * 1000 | round / 1000) else "-" end)";
  ($d | map(. + {half: half(.doc_id), type: $q[.line - 1].doc_type})) as $rows
  | "set\tmeasured\t@5\t@budget\taccuracy",
    row("all"; $rows), row("tuning"; $rows | map(select(.half == "tuning"))),
    row("held-out"; $rows | map(select(.half == "held-out"))),
    ($rows | map(.type) | unique[] as $t
     | row("\($t), tuning"; $rows | map(select(.type == $t and .half == "tuning"))),
       row("\($t), held-out"; $rows | map(select(.type == $t and .half == "held-out"))))
' | column -t -s "$(printf '\t')"
