/* cli_budget.h: --max-memory MB and --timeout S, one document's budget, the same on
 * every command that parses (parse, ask, add, eval; serve has its own meaning: a total
 * for all uploads at once). */
#ifndef WK_CLI_BUDGET_H
#define WK_CLI_BUDGET_H

#include "cli_opts.h"
#include "wukong.h"

typedef struct cli_budget {
	int max_memory_mb; /* 0: the library's default */
	double timeout;    /* seconds; < 0: the library's default; 0: none */
} cli_budget;

#define CLI_BUDGET_INIT {0, -1}

/* The two lines of a command's option table. */
#define CLI_BUDGET_OPTIONS(b)                                                                  \
	{"max-memory", 0, CLI_INT, &(b)->max_memory_mb, 16, 1 << 20},                            \
	{"timeout", 0, CLI_CALL, &(b)->timeout, 0, 0, cli_set_seconds}

/* Their lines of a command's usage text. */
#define CLI_BUDGET_HELP                                                                        \
	"  --max-memory MB    memory the PDF library may use for one document (default 1024)\n"  \
	"  --timeout S        seconds to parse one document (default 600, 0 = no limit),\n"  \
	"                     and 30 more for each page needing OCR\n"

/* Stores seconds from 0 to 1000000 (a cli_setter). */
const char *cli_set_seconds(void *target, const char *value);
/* Puts the options given into parse options made by wk_parse_opts_init. */
void cli_budget_apply(const cli_budget *b, wk_parse_opts *opts);

#endif
