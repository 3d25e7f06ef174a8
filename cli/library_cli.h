/* library_cli.h: what the library commands (add, ls, rm, show) share. */
#ifndef WK_LIBRARY_CLI_H
#define WK_LIBRARY_CLI_H

#include <stddef.h>

/* --db in every help text that takes it: a library is a file or a PostgreSQL URI. */
#define CLI_DB_HELP                                                                            \
	"  --db LIBRARY       the library: a file path or a postgresql:// URI (default\n"         \
	"                     $WUKONG_DB, else $XDG_DATA_HOME/wukong/library.db)\n"

/* Grows an array to hold `need` items of `elem` bytes; exits on out of memory. */
void *wk_cli_grow(void *array, int *cap, int need, size_t elem);

/* Monotonic milliseconds. */
double wk_cli_now(void);

/* Formats a Unix time as "2026-11-25 09:30" (local time) into out. */
void wk_cli_date(long long t, char *out, size_t size);

/* Opens the library `db` (NULL: the default) for command `cmd`. A command that only
 * reads (create 0) refuses a library that does not exist: "no library at PATH", exit 2,
 * and nothing is created; add and serve (create 1) make it and say so once on stderr.
 * Returns -1 with *lib open, else the exit status (the error printed). */
typedef struct wk_library wk_library;
int wk_cli_library_open(const char *cmd, const char *db, int create, wk_library **lib);

/* The path of the library `db` (NULL: the default) when no file is there yet, else NULL;
 * malloc'd. A database given as a URL is never missing. */
char *wk_cli_library_missing(const char *db);

/* Finds a library document by what a user may call it: its id or a unique id prefix, its
 * file name with or without the extension, its title, or a unique prefix of any of these
 * (case-insensitive). Returns -1 with id (17 bytes) filled, else the exit status after a
 * one-line error (none found; several found, listed). */
int wk_cli_library_find(const char *cmd, wk_library *lib, const char *name, char *id);

#endif
