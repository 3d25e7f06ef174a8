#!/bin/sh
# test_man.sh: the man page, --help and the shell completions agree. man/wukong.1 is what
# scripts/mkman.sh makes from the help texts (regenerate it when a help text changes);
# every option a help text names is one the command takes; bash and zsh completion offer
# the subcommands and a command's options (zsh is a test dependency: without it the zsh
# checks fail). Prints TAP.
bin=${WK_BIN:-build/wukong}
tmp=${WK_TMP:-$(mktemp -d)}/man
mkdir -p "$tmp"
echo "1..7"
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
if command -v zsh >/dev/null 2>&1 && zsh -n completions/_wukong 2>"$tmp/zsh-n"; then
	echo "ok 5 - zsh reads completions/_wukong (zsh -n)"
else
	echo "not ok 5 - zsh reads completions/_wukong (zsh -n; zsh is in scripts/install-deps.sh)"
	sed 's/^/# /' "$tmp/zsh-n" 2>/dev/null
fi
# words... -> what _wukong hands zsh for the last word. Outside a completion widget zsh's
# _describe, compadd and _files are stood in for by functions that print what they are given.
zsh_complete() {
	zsh -f -c '_describe() { print -r -- ${(P)2}; }
		compadd() { print -r -- ${(P)2}; }
		_files() { print -r -- "(files)"; }
		wukong() { "$WK_BIN_ABS" "$@"; }
		words=("$@"); CURRENT=$#; PREFIX=${@[-1]}
		. ./completions/_wukong' _ "$@" 2>&1
}
got=$(zsh_complete wukong a)
case "$got" in
*"ask:answer a question"*"add:add PDFs"*) echo "ok 6 - zsh completes subcommands with what they do" ;;
*) echo "not ok 6 - zsh completes subcommands with what they do (got '$got')" ;;
esac
got=$(zsh_complete wukong add --j)
files=$(zsh_complete wukong add pap)
case "$got" in
*--jobs*--password*) [ "$files" = "(files)" ] &&
	echo "ok 7 - zsh completes a command's options from its help, and files after it" ||
	echo "not ok 7 - zsh completes files after a command (got '$files')" ;;
*) echo "not ok 7 - zsh completes a command's options from its help (got '$got')" ;;
esac
