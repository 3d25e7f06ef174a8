/* cmd_eval.c: `wukong eval`: evidence recall and answer metrics on a benchmark
 * (MMLongBench-Doc or QASPER questions), docs/eval.md. */
#include "cli.h"
#include "cli_llm.h" /* llm: --llm URL, --model, --vision, --fallback, --no-llm */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct eval_cli {
	wk_eval_opts opts;
	const char *questions;
	int quiet;
	cli_llm llm; /* llm: the language model that answers, when one is configured */
} eval_cli;

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: wukong eval [--format mmlongbench|qasper] QUESTIONS.jsonl [--docs DIR]\n"
	        "                   [--budget N] [--json] [--limit N] [--jobs N] [--misses N]\n"
	        "                   [--details FILE] [--no-cache] [--ocr] [--quiet]\n\n"
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
	        "  --ocr         OCR image-only documents (still left out of text-layer figures)\n"
	        "  --json        the report as JSON\n"
	        "  --quiet       no progress lines on stderr\n");
	fputs(CLI_LLM_HELP_COMMON, out); /* llm */
}

/* The answer step, one function so that other answerers (a language model) can be added
 * as branches here. */
static int answer_step(void *user, const wk_doc *doc, const wk_selection *sel, const char *question,
                       wk_answer **out, wk_error *err)
{
	eval_cli *c = user; /* llm: the model when one is configured, else extractive */
	return cli_llm_answer(&c->llm, &doc, sel, question, out, NULL, err);
}

static void progress(void *user, int done, int total, const char *doc_id, const char *status)
{
	eval_cli *c = user;
	if (!c->quiet)
		fprintf(stderr, "wukong eval: [%d/%d] %s: %s\n", done, total, doc_id, status);
}

static int int_option(const char *name, const char *value, long min, long max, int *out)
{
	long v = cli_parse_long(value, min, max);
	if (v < 0)
		return cli_usage_error("eval", "%s needs a number from %ld to %ld, not '%s'", name,
		                       min, max, value ? value : "");
	*out = (int)v;
	return 0;
}

/* Where the value of a text option goes, NULL when `a` is not one. */
static const char **string_option(eval_cli *c, const char *a)
{
	if (!strcmp(a, "--format"))
		return &c->opts.format;
	if (!strcmp(a, "--docs"))
		return &c->opts.docs_dir;
	if (!strcmp(a, "--details"))
		return &c->opts.details;
	if (!strcmp(a, "--scorer"))
		return &c->opts.scorer;
	return NULL;
}

/* Returns 0, or an exit status when the arguments are wrong (-1 after --help). */
static int parse_args(int argc, char **argv, eval_cli *c)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL, **text;
		int rc = 0;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(a, "--json")) {
			c->opts.json = 1;
		} else if (!strcmp(a, "--no-cache")) {
			c->opts.no_cache = 1;
		} else if (!strcmp(a, "--ocr")) {
			c->opts.ocr = WK_OCR_AUTO;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			c->quiet = 1;
		} else if ((text = string_option(c, a))) {
			if (!v)
				return cli_usage_error("eval", "%s needs a value", a);
			*text = v;
			i++;
		} else if (!strcmp(a, "--budget")) {
			rc = int_option(a, v, 16, 1000000, &c->opts.budget), i++;
		} else if (!strcmp(a, "--limit")) {
			rc = int_option(a, v, 1, 100000000, &c->opts.limit), i++;
		} else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
			rc = int_option(a, v, 1, 64, &c->opts.jobs), i++;
		} else if (!strcmp(a, "--misses")) {
			rc = int_option(a, v, 0, 100000, &c->opts.misses), i++;
		} else if (cli_llm_is_arg(a)) { /* llm */
			rc = cli_llm_arg(&c->llm, "eval", argc, argv, &i);
			if (rc >= 0)
				return rc;
			rc = 0;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("eval", "unknown option '%s'", a);
		} else if (c->questions) {
			return cli_usage_error("eval", "one questions file only ('%s' and '%s')",
			                       c->questions, a);
		} else {
			c->questions = a;
		}
		if (rc)
			return rc;
	}
	if (!c->questions)
		return cli_usage_error("eval", "no questions file");
	if (strcmp(c->opts.format, "mmlongbench") && strcmp(c->opts.format, "qasper"))
		return cli_usage_error("eval", "unknown format '%s' (mmlongbench or qasper)",
		                       c->opts.format);
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

int cmd_eval(int argc, char **argv)
{
	eval_cli c = {0};
	wk_eval_opts_init(&c.opts);
	c.opts.answer = answer_step;
	c.opts.user = &c;
	c.opts.on_document = progress;
	cli_llm_init(&c.llm); /* llm */
	int rc = parse_args(argc, argv, &c);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = cli_llm_setup(&c.llm, "eval", 1)) >= 0) /* llm */
		return rc;
	char *dir = NULL;
	if (!c.opts.docs_dir)
		c.opts.docs_dir = dir = default_docs_dir(c.questions);
	char *report = NULL;
	int skipped = 0;
	wk_error err = {0};
	rc = wk_eval_run(c.questions, &c.opts, &report, &skipped, &err);
	free(dir);
	if (rc) {
		cli_llm_free(&c.llm); /* llm */
		return cli_fail(&err);
	}
	fputs(report, stdout);
	if (report[0] && report[strlen(report) - 1] != '\n')
		fputc('\n', stdout);
	wk_free(report);
	/* llm: a model that answered nothing is a failed backend, not a score of 0 */
	wk_error first;
	int all_failed = cli_llm_all_failed(&c.llm, &first);
	if (!all_failed && cli_llm_failures(&c.llm) > 0)
		fprintf(stderr,
		        "wukong eval: the language model failed on %d questions (scored as no "
		        "answer)\n",
		        cli_llm_failures(&c.llm));
	cli_llm_free(&c.llm);
	if (all_failed)
		return cli_llm_fail(&first, 1);
	return skipped > 0 ? EXIT_PARTIAL : 0;
}
