/* cli_opts.h: the one option parser of every subcommand (getopt_long underneath).
 *
 * A subcommand describes its options in a table, one line each, pointing at the fields
 * they set, and calls cli_parse_options: options may come anywhere among the operands,
 * "--" ends them, "-h"/"--help" prints the usage, and every mistake is one line naming
 * the option ("unknown option --bogus", "--db needs a value", "--dpi must be a whole
 * number from 18 to 600 (got '0')") with exit status 2. Adding a flag to a command is
 * adding a line to its table. */
#ifndef WK_CLI_OPTS_H
#define WK_CLI_OPTS_H

typedef enum cli_kind {
	CLI_FLAG,   /* no value: *(int *)target = 1 */
	CLI_SET,    /* no value: *(int *)target = min */
	CLI_STRING, /* *(const char **)target = value (it stays in argv) */
	CLI_INT,    /* *(int *)target = value, a whole number in [min, max] */
	CLI_CALL,   /* call(target, value) checks and stores the value */
} cli_kind;

/* Checks and stores an option's value; returns NULL when it was taken, else what the
 * value should have been ("must be auto, always or never"). */
typedef const char *(*cli_setter)(void *target, const char *value);

typedef struct cli_option {
	const char *name; /* the long name without its dashes: "budget" for --budget */
	char letter;      /* the short form ('v' for -v), 0 for none */
	cli_kind kind;
	void *target;     /* what the option sets (see cli_kind) */
	long min, max;    /* CLI_INT bounds; CLI_SET's value is min */
	cli_setter call;  /* CLI_CALL only */
} cli_option;

/* The number of entries of a table (an array, not a pointer). */
#define CLI_NOPTS(table) ((int)(sizeof(table) / sizeof((table)[0])))

/* Parses argv[1..argc) for subcommand `cmd` by the table. On success the operands are
 * moved, in order, to argv[1..1 + *noperands) and *operands points at the first.
 * Returns -1 to go on, 0 after printing `usage` for --help, else EXIT_INPUT after a
 * one-line error on stderr. */
int cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts, int nopts,
                      const char *usage, char ***operands, int *noperands);

#endif
