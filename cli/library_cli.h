/* library_cli.h: what the library commands (add, ls, rm, show) share. */
#ifndef WK_LIBRARY_CLI_H
#define WK_LIBRARY_CLI_H

#include <stddef.h>

/* Grows an array to hold `need` items of `elem` bytes; exits on out of memory. */
void *wk_cli_grow(void *array, int *cap, int need, size_t elem);

/* Monotonic milliseconds. */
double wk_cli_now(void);

/* Formats a Unix time as "2026-11-25 09:30" (local time) into out. */
void wk_cli_date(long long t, char *out, size_t size);

/* `wukong ask --library` (doc NULL) and `wukong ask DOC` for a library document: prints
 * the answer (JSON with `json`) and returns the exit status. db NULL: the default.
 * llm (cli_llm.h; NULL: extractive) answers with the language model when one is on. */
struct cli_llm;
int wk_cli_ask_library(const char *db, const char *doc, const char *question, int budget,
                       int json, const struct cli_llm *llm);

#endif
