/* cli_ask.h: what `wukong ask` and `wukong eval` share: the language model options
 * (--llm URL, --model, --vision, --fallback extractive, --no-llm, and --jobs for ask),
 * the ask service they build from them (wk_asker, include/wukong.h), and how an answer
 * is printed and what exit status it gives. The policy itself (retry, fallback, the
 * circuit breaker) is the library's: this file only turns options into it.
 *
 * A command adds CLI_LLM_OPTIONS to its option table, calls cli_ask_setup once the
 * command line is read (settings: command line, then environment, then config file), and
 * asks through c->asker. The model answers when a URL is set anywhere and --no-llm is
 * not given. */
#ifndef WK_CLI_ASK_H
#define WK_CLI_ASK_H

#include "cli.h"
#include "cli_opts.h"

#include <stdio.h>

typedef struct cli_ask {
	/* options */
	const char *url, *model; /* from the command line, NULL when not given */
	int vision;              /* --vision */
	int fallback;            /* --fallback extractive */
	int off;                 /* --no-llm */
	int jobs;                /* --jobs (ask --questions), default 1 */
	int library;             /* set by the command: evidence named by its document */
	const char *scorer;      /* set by the command: the sampler's scoring model, NULL */
	/* set by cli_ask_setup */
	wk_llm_opts llm;
	int on;                  /* the model answers */
	int stream;              /* answers stream to the terminal as the model writes */
	wk_asker *asker;
	size_t streamed;         /* bytes of the current answer streamed (one job only) */
} cli_ask;

/* The language model's options as lines of a command's option table (cli_opts.h). */
#define CLI_LLM_OPTIONS(c)                                                    \
	{"llm", 0, CLI_CALL, &(c)->url, 0, 0, cli_set_url},                       \
	{"model", 0, CLI_STRING, &(c)->model},                                    \
	{"vision", 0, CLI_FLAG, &(c)->vision},                                    \
	{"fallback", 0, CLI_CALL, &(c)->fallback, 0, 0, cli_set_fallback},        \
	{"no-llm", 0, CLI_FLAG, &(c)->off}

#define CLI_LLM_HELP CLI_LLM_HELP_COMMON                                                  \
	"  --jobs N           questions in flight at once with --questions (default 1)\n"

/* Without --jobs, for commands that have their own. */
#define CLI_LLM_HELP_COMMON                                                               \
	"\nLanguage model (OpenAI-compatible chat completions; see docs/llm.md):\n"            \
	"  --llm URL          the server's base URL, e.g. http://127.0.0.1:8080/v1\n"         \
	"                     (also WUKONG_LLM_URL or `url` in ~/.config/wukong/config);\n"    \
	"                     the key comes from WUKONG_API_KEY\n"                             \
	"  --model NAME       the model to ask for (WUKONG_MODEL)\n"                           \
	"  --vision           send figure and table crops as images\n"                         \
	"  --fallback extractive  when the model fails, print the extractive answer\n"         \
	"                     instead, marked as such (else exit status 3)\n"                  \
	"  --no-llm           answer extractively even when a URL is configured\n"

/* The setters of --llm (an http:// or https:// URL) and --fallback (extractive). */
const char *cli_set_url(void *url, const char *value);
const char *cli_set_fallback(void *fallback, const char *value);

void cli_ask_init(cli_ask *c);

/* Loads the environment and the config file under the command line's settings, decides
 * whether the model answers and whether it streams (stdout a terminal, not `json`, one
 * job), and makes c->asker for `budget` tokens. Returns -1 to go on, else the exit
 * status. */
int cli_ask_setup(cli_ask *c, const char *cmd, int budget, int json);

/* Releases what cli_ask_setup made; more than once is fine. */
void cli_ask_free(cli_ask *c);

/* The per-call callbacks: the model's answer streamed to stdout when c->stream. */
wk_ask_calls cli_ask_calls(cli_ask *c);

/* Prints a result: its JSON line, or the answer with its citations and the evidence,
 * best first (SHOW_ITEMS of them, or all when `verbose`). */
void cli_ask_print(FILE *out, const cli_ask *c, const wk_ask_result *r, int json, int verbose);

/* After wk_ask: prints the fallback's warning or the error, and returns the exit status
 * (EXIT_LLM when the model failed, else what cli_fail gives; 0 for WK_OK). */
int cli_ask_status(cli_ask *c, int rc, const wk_ask_result *r, const wk_error *err);

#endif
