/* cli_llm.h: the language model options that `wukong ask` and `wukong eval` share
 * (--llm URL, --model NAME, --vision, --jobs N, --fallback extractive, --no-llm), the
 * question asked through the model with the context-length retry and the extractive
 * fallback, and a small ordered thread pool for --jobs.
 *
 * A command adds CLI_LLM_OPTIONS to its option table, calls cli_llm_setup once the command
 * line is read (settings: command line, then environment, then config file), and asks
 * through cli_llm_ask. The model is used when a URL is set anywhere and --no-llm is not
 * given. */
#ifndef WK_CLI_LLM_H
#define WK_CLI_LLM_H

#include "cli.h"
#include "cli_opts.h"

#include <pthread.h>
#include <stdio.h>

/* The language model's options as lines of a command's option table (cli_opts.h); a
 * command that asks questions one after another adds {"jobs", ...} for l->jobs. */
#define CLI_LLM_OPTIONS(l)                                                    \
	{"llm", 0, CLI_CALL, &(l)->url, 0, 0, cli_llm_set_url},                   \
	{"model", 0, CLI_STRING, &(l)->model},                                    \
	{"vision", 0, CLI_FLAG, &(l)->vision},                                    \
	{"fallback", 0, CLI_CALL, &(l)->fallback, 0, 0, cli_llm_set_fallback},   \
	{"no-llm", 0, CLI_FLAG, &(l)->off}

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

typedef struct cli_llm {
	wk_llm_opts opts;
	const char *url, *model; /* from the command line, NULL when not given */
	int vision;              /* 1 when --vision */
	int jobs;                /* --jobs, default 1 */
	int fallback;            /* --fallback extractive */
	int off;                 /* --no-llm */
	int on;                  /* set by cli_llm_setup: the model answers */
	int stream;              /* set by cli_llm_setup: answers stream to the terminal */
	/* private: what changes while questions run (through `state`, so that the functions
	 * below can take a const cli_llm) */
	struct cli_llm_state {
		size_t streamed;       /* bytes streamed for the current question (one job only) */
		pthread_mutex_t lock;  /* guards what follows: batch jobs answer concurrently */
		int failures, successes;
		wk_error first;        /* the first failure, repeated once the server is down */
	} storage, *state;
} cli_llm;

void cli_llm_init(cli_llm *l);
/* Releases what cli_llm_setup loaded; calling it more than once is fine. */
void cli_llm_free(cli_llm *l);

/* The setters of --llm (an http:// or https:// URL) and --fallback (extractive). */
const char *cli_llm_set_url(void *url, const char *value);
const char *cli_llm_set_fallback(void *fallback, const char *value);

/* Loads the environment and the config file under the command line's settings and decides
 * whether the model answers and whether it streams (stdout a terminal, not `json`, one
 * job). Returns -1 to go on, else the exit status. */
int cli_llm_setup(cli_llm *l, const char *cmd, int json);

/* Samples and answers one question about one document: with the model when l->on (one
 * retry with half the budget on a context-length error), else extractively. When the
 * model fails and --fallback extractive was given, warns on stderr and answers
 * extractively, with mode "extractive-fallback". *backend (may be NULL) is set to 1 when
 * the error returned is the model server's. `ms` gets sample and answer times. */
int cli_llm_ask(const cli_llm *l, const wk_index *index, const wk_doc *doc, const char *question,
                const wk_ask_opts *ask, wk_selection **sel, wk_answer **ans, wk_timing *ms,
                int *backend, wk_error *err);

/* How many questions the model failed on so far. */
int cli_llm_failures(const cli_llm *l);

/* The same for a selection made by the caller (wukong eval, ask --library) over `docs`
 * (what the items' doc fields index): on a context-length error the model gets one more
 * try with the best-scored half of the evidence. Thread-safe. */
int cli_llm_answer(const cli_llm *l, const wk_doc *const *docs, const wk_selection *sel,
                   const char *question, wk_answer **out, int *backend, wk_error *err);

/* 1 when the model is on and failed every question it was asked (at least one); *first
 * (may be NULL) receives the first failure. After 3 failures without a success the
 * server is taken for down: later questions fail at once with that first error. */
int cli_llm_all_failed(const cli_llm *l, wk_error *first);

/* 1 when the text of `ans` was already streamed to stdout (do not print it again). */
int cli_llm_streamed(const cli_llm *l, const wk_answer *ans);

/* Prints the error and returns the exit status: EXIT_LLM for a model server's failure,
 * else what cli_fail gives. */
int cli_llm_fail(const wk_error *err, int backend);

/* Runs work(ctx, i) for every i in [0, n) on `jobs` threads and calls done(ctx, i) from
 * the calling thread in order of i, each as soon as it and all before it are finished. */
void cli_run_ordered(int n, int jobs, void (*work)(void *ctx, int i),
                     void (*done)(void *ctx, int i), void *ctx);

#endif
