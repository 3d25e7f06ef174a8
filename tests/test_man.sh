#!/bin/sh
# test_man.sh: the man page, --help and the shell completions agree. man/wukong.1 is what
# scripts/mkman.sh makes from the help texts (regenerate it when a help text changes);
# every option a help text names is one the command takes; bash completion offers the
# subcommands and a command's options. Prints TAP.
bin=${WK_BIN:-build/wukong}
tmp=${WK_TMP:-$(mktemp -d)}/man
mkdir -p "$tmp"
echo "1..4"
if sh scripts/mkman.sh "$bin" >"$tmp/wukong.1" && cmp -s "$tmp/wukong.1" man/wukong.1; then
	echo "ok 1 - man/wukong.1 is what the help texts make (scripts/mkman.sh)"
else
	echo "not ok 1 - man/wukong.1 is what the help texts make (scripts/mkman.sh)"
	diff man/wukong.1 "$tmp/wukong.1" | head -20 | sed 's/^/# /'
fi
bad=""
for cmd in $("$bin" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	for opt in $("$bin" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		# "x" is the option's value or an operand; --help then stops the command
		timeout 20 "$bin" "$cmd" "$opt" x --help </dev/null 2>&1 | grep -q "unknown option" &&
			bad="$bad $cmd$opt"
	done
done
[ -z "$bad" ] && echo "ok 2 - every option a help text names is taken by its command" ||
	echo "not ok 2 - every option a help text names is taken by its command:$bad"
complete_words() { # words... -> what bash completion offers for the last one
	bash -c '. completions/wukong.bash; wukong() { "$WK_BIN_ABS" "$@"; }
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wukong; echo "${COMPREPLY[*]}"' _ "$@"
}
export WK_BIN_ABS=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
got=$(complete_words wukong a)
[ "$got" = "ask add" ] && echo "ok 3 - bash completes subcommands" ||
	echo "not ok 3 - bash completes subcommands (got '$got')"
got=$(complete_words wukong add --j)
[ "$got" = "--jobs" ] && echo "ok 4 - bash completes a command's options from its help" ||
	echo "not ok 4 - bash completes a command's options from its help (got '$got')"
