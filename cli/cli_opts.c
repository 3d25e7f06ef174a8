/* cli_opts.c: one getopt_long parser for every subcommand (see cli_opts.h). */
#include "cli_opts.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MAX_OPTIONS 64   /* a command with more would be hard to use anyway */
#define LONG_BASE 256    /* getopt values of long options: LONG_BASE + table index */
#define OPT_HELP (LONG_BASE + MAX_OPTIONS)

static int takes_value(cli_kind kind)
{
	return kind == CLI_STRING || kind == CLI_INT || kind == CLI_CALL;
}

/* The getopt tables: "-:h" first, so that operands come back in order (value 1) whatever
 * POSIXLY_CORRECT says, and a missing value is told apart (':') from an unknown option. */
static void build(const cli_option *opts, int n, struct option *longs, char *shorts)
{
	size_t s = 0;
	shorts[s++] = '-';
	shorts[s++] = ':';
	shorts[s++] = 'h';
	for (int i = 0; i < n; i++) {
		int arg = takes_value(opts[i].kind) ? required_argument : no_argument;
		longs[i] = (struct option){opts[i].name, arg, NULL, LONG_BASE + i};
		if (opts[i].letter) {
			shorts[s++] = opts[i].letter;
			if (arg == required_argument)
				shorts[s++] = ':';
		}
	}
	shorts[s] = '\0';
	longs[n] = (struct option){"help", no_argument, NULL, OPT_HELP};
	longs[n + 1] = (struct option){NULL, 0, NULL, 0};
}

/* "--name" or "-x": how the user wrote the option at argv[at], up to any "=value". */
static void spelled(char **argv, int at, int letter, char *out, size_t size)
{
	if (letter > 0 && letter < LONG_BASE) {
		snprintf(out, size, "-%c", letter);
		return;
	}
	const char *a = argv[at];
	size_t n = strcspn(a, "=");
	snprintf(out, size, "%.*s", (int)(n < 200 ? n : 200), a);
}

static int take(const char *cmd, const cli_option *o, const char *value)
{
	const char *why = NULL;
	switch (o->kind) {
	case CLI_FLAG: *(int *)o->target = 1; return -1;
	case CLI_SET: *(int *)o->target = (int)o->min; return -1;
	case CLI_STRING: *(const char **)o->target = value; return -1;
	case CLI_INT: {
		long v = cli_parse_long(value, o->min, o->max);
		if (v >= 0) { /* every bound in use is >= 0 */
			*(int *)o->target = (int)v;
			return -1;
		}
		return cli_usage_error(cmd, "--%s must be a whole number from %ld to %ld (got '%s')",
		                       o->name, o->min, o->max, value);
	}
	case CLI_CALL: why = o->call(o->target, value); break;
	}
	if (!why)
		return -1;
	return cli_usage_error(cmd, "--%s %s (got '%s')", o->name, why, value);
}

static int find_letter(const cli_option *opts, int n, int c)
{
	for (int i = 0; i < n; i++)
		if (opts[i].letter == c)
			return i;
	return -1;
}

int cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts, int nopts,
                      const char *usage, char ***operands, int *noperands)
{
	struct option longs[MAX_OPTIONS + 2];
	char shorts[3 * MAX_OPTIONS + 4], name[210];
	if (nopts > MAX_OPTIONS)
		nopts = MAX_OPTIONS;
	build(opts, nopts, longs, shorts);
	int kept = 1, c, st = -1;
	optind = 0; /* GNU: start afresh */
	opterr = 0;
	while (st < 0 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		int i = c >= LONG_BASE && c < LONG_BASE + nopts ? c - LONG_BASE
		      : c > 1 && c < LONG_BASE && c != 'h' && c != '?' && c != ':'
		          ? find_letter(opts, nopts, c) : -1;
		if (c == 1) {
			argv[kept++] = optarg; /* operands move down over the options read */
		} else if (c == 'h' || c == OPT_HELP) {
			fputs(usage, stdout);
			return 0;
		} else if (i >= 0) {
			st = take(cmd, &opts[i], optarg);
		} else if (c == ':') {
			spelled(argv, optind - 1, optopt, name, sizeof name);
			st = cli_usage_error(cmd, "%s needs a value", name);
		} else if (optopt >= LONG_BASE) {
			spelled(argv, optind - 1, 0, name, sizeof name);
			st = cli_usage_error(cmd, "%s takes no value", name);
		} else {
			spelled(argv, optind - 1, optopt, name, sizeof name);
			st = cli_usage_error(cmd, "unknown option %s", name);
		}
	}
	if (st >= 0)
		return st;
	while (optind < argc) /* after "--" */
		argv[kept++] = argv[optind++];
	*operands = argv + 1;
	*noperands = kept - 1;
	return -1;
}
