/* wukong.c: the command's entry point: dispatch to a subcommand. */
#include "cli.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"parse", cmd_parse, "parse a PDF into evidence units"},
	{"ask", cmd_ask, "answer a question about a PDF or the library"},
	{"add", cmd_add, "add PDFs to the library"},
	{"ls", cmd_ls, "list the library's documents"},
	{"rm", cmd_rm, "remove documents from the library"},
	{"show", cmd_show, "show one library document"},
	{"serve", cmd_serve, "serve the library over HTTP with a web page"},
	{"eval", cmd_eval, "measure evidence recall and answers on a benchmark"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: wukong COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`wukong COMMAND --help` describes a command. wukong %s, AGPL-3.0-or-later.\n",
	        WK_VERSION);
}

int cli_fail(const wk_error *err)
{
	const char *msg = err && err->message[0] ? err->message : wk_strerror(err ? err->code : 0);
	fprintf(stderr, "wukong: %s\n", msg);
	switch (err ? err->code : WK_EINTERNAL) {
	case WK_ENET:
	case WK_EHTTP:
	case WK_EPROTO:
		return EXIT_LLM;
	case WK_EDB:
	case WK_EIO:
	case WK_EINTERNAL:
	case WK_ENOMEM:
		return EXIT_ENV;
	default:
		return EXIT_INPUT;
	}
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "wukong %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see `wukong %s --help`)\n", cmd);
	return EXIT_INPUT;
}

long cli_parse_long(const char *s, long min, long max)
{
	if (!s || !*s)
		return -1;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	return v;
}

/* glibc grows a thread's heap (the parse workers') by as little as each allocation needs,
 * one mprotect() and TLB flush per page or so: 447 calls for a 33-page paper. A padding
 * of 16 MB makes that a few calls (and keeps up to 16 MB of freed memory per heap for
 * reuse instead of handing it back and faulting it in again): 10% less CPU per parse
 * (bench/parse.sh; 4 MB gave 9%). Pages are only resident once used. */
enum { MALLOC_TOP_PAD = 16 << 20 };

int main(int argc, char **argv)
{
	mallopt(M_TOP_PAD, MALLOC_TOP_PAD);
	if (argc < 2) {
		usage(stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("wukong %s\n", WK_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "wukong: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_INPUT;
}
