/* cmd_eval.c: `wukong eval`: evidence recall and answer metrics on a benchmark
 * (MMLongBench-Doc or QASPER questions), docs/eval.md. */
#include "cli.h"
#include "cli_ask.h" /* --llm URL, --model, --vision, --fallback, --no-llm */
#include "cli_budget.h"
#include "cli_read.h" /* --ocr */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct eval_cli {
	wk_eval_opts opts;
	const char *questions;
	int quiet;
	cli_budget parse; /* --max-memory, --timeout */
	cli_ask ask; /* the ask service, with the language model when one is configured */
} eval_cli;

static const char usage_text[] =
	"usage: wukong eval [--format mmlongbench|qasper] QUESTIONS.jsonl [--docs DIR]\n"
	"                   [--budget N] [--json] [--limit N] [--jobs N] [--misses N]\n"
	"                   [--details FILE] [--no-cache] [--ocr MODE] [--quiet]\n\n"
	"Samples evidence for every question of a benchmark and measures it: page recall\n"
	"@5 and @budget (MMLongBench-Doc) or gold-evidence bigram coverage (QASPER),\n"
	"units, pages and tokens per question, latency, and answer metrics (ANLS, F1,\n"
	"ROUGE-L, MMLongBench-Doc score). Documents are looked up by doc_id in DIR\n"
	"(default: QUESTIONS' folder/documents, else QUESTIONS' folder).\n\n"
	"  --format F    mmlongbench (default) or qasper\n"
	"  --docs DIR    folder of the documents\n"
	"  --budget N    evidence token budget (default 2048, at least 16)\n"
	"  --scorer S    the sampler's scoring model (default lexical)\n"
	"  --limit N     only the first N questions\n"
	"  --jobs N      documents evaluated in parallel (default 1)\n"
	"  --misses N    list the N worst-missed questions (default 10)\n"
	"  --details F   write one JSON line per question to F (gold, answer, pages by\n"
	"                score, recall, metrics, latency)\n"
	"  --no-cache    parse every document afresh (parse latency without the cache)\n"
	"  --ocr MODE    auto (default): OCR image-only documents, their figures kept apart\n"
	"                from the text-layer ones; never: count them and leave them out;\n"
	"                always: OCR every page\n"
	"  --json        the report as JSON\n"
	"  --quiet       no progress lines on stderr\n"
	CLI_BUDGET_HELP
	CLI_LLM_HELP_COMMON;

static void progress(void *user, int done, int total, const char *doc_id, const char *status)
{
	eval_cli *c = user;
	if (!c->quiet)
		fprintf(stderr, "wukong eval: [%d/%d] %s: %s\n", done, total, doc_id, status);
}

/* Returns 0, or an exit status when the arguments are wrong (-1 after --help). */
static int parse_args(int argc, char **argv, eval_cli *c)
{
	wk_eval_opts *o = &c->opts;
	const cli_option table[] = {
		{"format", 0, CLI_STRING, &o->format},
		{"docs", 0, CLI_STRING, &o->docs_dir},
		{"details", 0, CLI_STRING, &o->details},
		{"scorer", 0, CLI_STRING, &o->scorer},
		{"budget", 0, CLI_INT, &o->budget, 16, 1000000},
		{"limit", 0, CLI_INT, &o->limit, 1, 100000000},
		{"jobs", 'j', CLI_INT, &o->jobs, 1, 64},
		{"misses", 0, CLI_INT, &o->misses, 0, 100000},
		{"json", 0, CLI_FLAG, &o->json},
		{"no-cache", 0, CLI_FLAG, &o->no_cache},
		{"ocr", 0, CLI_CALL, &o->ocr, 0, 0, cli_set_ocr},
		{"quiet", 'q', CLI_FLAG, &c->quiet},
		CLI_BUDGET_OPTIONS(&c->parse),
		CLI_LLM_OPTIONS(&c->ask),
	};
	char **args;
	int nargs;
	int rc = cli_parse_options("eval", argc, argv, table, CLI_NOPTS(table), usage_text, &args,
	                           &nargs);
	if (rc >= 0)
		return rc ? rc : -1;
	if (nargs > 1)
		return cli_usage_error("eval", "one questions file only ('%s' and '%s')", args[0],
		                       args[1]);
	if (!nargs)
		return cli_usage_error("eval", "no questions file");
	c->questions = args[0];
	if (strcmp(o->format, "mmlongbench") && strcmp(o->format, "qasper"))
		return cli_usage_error("eval", "unknown format '%s' (mmlongbench or qasper)", o->format);
	return 0;
}

/* QUESTIONS' folder + "/documents" when that exists, else QUESTIONS' folder. malloc'd. */
static char *default_docs_dir(const char *questions)
{
	const char *slash = strrchr(questions, '/');
	size_t n = slash ? (size_t)(slash - questions) : 1;
	char *dir = malloc(n + 16);
	if (!dir)
		return NULL;
	snprintf(dir, n + 16, "%.*s/documents", (int)n, slash ? questions : ".");
	if (access(dir, F_OK) != 0)
		dir[n] = '\0';
	return dir;
}

/* After the run: a model that answered nothing is a failed backend, not a score of 0. */
static int model_status(cli_ask *ask)
{
	if (!ask->on)
		return 0;
	int successes = 0;
	wk_error first = {0};
	int failures = wk_asker_failures(ask->asker, &successes, &first);
	if (failures > 0 && successes == 0) {
		fprintf(stderr, "wukong: %s\n", first.message);
		return EXIT_LLM;
	}
	if (failures > 0)
		fprintf(stderr, "wukong eval: the language model failed on %d questions (scored as no "
		                "answer)\n", failures);
	return 0;
}

int cmd_eval(int argc, char **argv)
{
	eval_cli c = {0};
	wk_eval_opts_init(&c.opts);
	c.opts.user = &c;
	c.opts.on_document = progress;
	cli_ask_init(&c.ask);
	c.parse = (cli_budget)CLI_BUDGET_INIT;
	int rc = parse_args(argc, argv, &c);
	c.ask.scorer = c.opts.scorer;
	if (rc || (rc = cli_ask_setup(&c.ask, "eval", c.opts.budget, 1)) >= 0) {
		cli_ask_free(&c.ask);
		return rc < 0 ? 0 : rc;
	}
	c.opts.asker = c.ask.asker; /* the same service as `wukong ask` */
	if (c.parse.max_memory_mb > 0)
		c.opts.max_memory = (size_t)c.parse.max_memory_mb << 20;
	c.opts.timeout = c.parse.timeout;
	char *dir = NULL;
	if (!c.opts.docs_dir)
		c.opts.docs_dir = dir = default_docs_dir(c.questions);
	char *report = NULL;
	int skipped = 0;
	wk_error err = {0};
	rc = wk_eval_run(c.questions, &c.opts, &report, &skipped, &err);
	free(dir);
	if (rc) {
		cli_ask_free(&c.ask);
		return cli_fail(&err);
	}
	fputs(report, stdout);
	if (report[0] && report[strlen(report) - 1] != '\n')
		fputc('\n', stdout);
	wk_free(report);
	int st = model_status(&c.ask);
	cli_ask_free(&c.ask);
	return st ? st : skipped > 0 ? EXIT_PARTIAL : 0;
}
