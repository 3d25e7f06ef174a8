/* cli.h: the `wukong` command's subcommands. Each cmd_*.c file implements one or a few,
 * using only include/wukong.h (and libc, jansson for JSON output).
 *
 * Exit status, everywhere:
 *   0  success
 *   1  partial success (some inputs failed, the rest were processed)
 *   2  bad input: usage, unreadable or invalid file, bad question
 *   3  the language model backend failed
 *   4  internal or environment error (database, disk) */
#ifndef WK_CLI_H
#define WK_CLI_H

#include "wukong.h"

enum { EXIT_PARTIAL = 1, EXIT_INPUT = 2, EXIT_LLM = 3, EXIT_ENV = 4 };

int cmd_parse(int argc, char **argv);
int cmd_ask(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Prints "wukong: <message>" (or the code's description when the message is empty) to
 * stderr and returns the exit status that fits the error code. */
int cli_fail(const wk_error *err);

/* Prints "wukong <cmd>: <printf message>" to stderr and returns EXIT_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a positive integer option value; returns -1 when it is not one. */
long cli_parse_long(const char *s, long min, long max);

#endif
