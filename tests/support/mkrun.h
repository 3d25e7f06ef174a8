/* mkrun.h: runs a command (usually $WK_BIN) in a child process under time and memory
 * bounds, capturing what it prints, for the CLI, OCR and hostile-input tests.
 *
 * The child gets RLIMIT_CPU and RLIMIT_AS (the latter not under AddressSanitizer, which
 * reserves terabytes of address space) and is killed when the wall-clock bound passes.
 * Any failure to start the child aborts the test program: these are test fixtures. */
#ifndef WK_MKRUN_H
#define WK_MKRUN_H

#include <stddef.h>

typedef struct mk_limits {
	double wall_seconds; /* killed with SIGKILL after this; 0 = 120 */
	int cpu_seconds;     /* RLIMIT_CPU; 0 = none */
	size_t mem_bytes;    /* RLIMIT_AS; 0 = none */
} mk_limits;

typedef struct mk_result {
	int status;     /* exit status, or -1 when killed by a signal */
	int signal;     /* the signal that ended it, else 0 */
	int timed_out;  /* 1 when the wall-clock bound killed it */
	double seconds; /* wall time */
	long max_rss_kb; /* peak resident memory of the child */
	char *out;      /* stdout, NUL-terminated (malloc'd) */
	char *err;      /* stderr, NUL-terminated (malloc'd) */
} mk_result;

/* Runs argv (argv[0] is a path, the list ends with NULL); fills r. */
void mk_run(char *const argv[], const mk_limits *limits, mk_result *r);
void mk_result_free(mk_result *r);

/* Runs `$WK_BIN parse <args...>` (NULL-terminated) with the limits. */
void mk_run_parse(const mk_limits *limits, mk_result *r, ...);

/* Runs `$WK_BIN <args...>` (NULL-terminated: the subcommand first) with the limits. */
void mk_run_wukong(const mk_limits *limits, mk_result *r, ...);

/* The number of newlines in s (NULL: 0). */
int mk_lines(const char *s);

#endif
