/* cli_budget.c: the budget options shared by the commands that parse (cli_budget.h). */
#include "cli_budget.h"

#include <stdlib.h>

const char *cli_set_seconds(void *target, const char *value)
{
	char *end;
	double t = strtod(value, &end);
	if (*end || end == value || t < 0 || t > 1e6)
		return "must be seconds from 0 to 1000000";
	*(double *)target = t;
	return NULL;
}

void cli_budget_apply(const cli_budget *b, wk_parse_opts *opts)
{
	if (b->max_memory_mb > 0)
		opts->max_memory = (size_t)b->max_memory_mb << 20;
	if (b->timeout >= 0)
		opts->timeout = b->timeout;
}
