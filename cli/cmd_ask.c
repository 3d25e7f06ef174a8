/* cmd_ask.c: `wukong ask FILE.pdf "QUESTION"`, the batch form `--questions Q.jsonl`, and
 * `ask --library "QUESTION"` / `ask DOC "QUESTION"` over the library. Every form asks
 * through the ask service (wk_ask, include/wukong.h) with the policy that cli_ask.c makes
 * from the options, so that a question gets the same evidence and answer here, in
 * `wukong eval` and in `wukong serve`. This file only reads the options, opens what is
 * asked about, and prints. */
#include "cli.h"
#include "cli_ask.h"
#include "cli_budget.h" /* --max-memory, --timeout */
#include "cli_read.h"   /* --ocr, --lang, the progress line */
#include "library_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH_LINE (1 << 20) /* a questions file line longer than this is malformed */
#define BATCH_CHUNK 256          /* questions read and asked at a time */

typedef struct ask_args {
	const char *file;
	const char *question;
	const char *questions;  /* --questions Q.jsonl */
	const char *password;   /* --password, else $WUKONG_PDF_PASSWORD */
	int budget;
	int json;
	int verbose;            /* plain output: every evidence item */
	cli_budget parse;       /* --max-memory, --timeout */
	cli_read read;          /* --ocr, --lang */
	int threads;            /* pages parsed (and OCR'd) in parallel */
	const char *db;         /* --db LIBRARY */
	int library;            /* --library */
	cli_ask ask;            /* the language model options and the asker */
} ask_args;

static const char usage_text[] =
	"usage: wukong ask FILE.pdf \"QUESTION\" [--budget TOKENS] [--json]\n"
	"       wukong ask FILE.pdf --questions Q.jsonl [--budget TOKENS] [--json]\n"
	"       wukong ask --library \"QUESTION\" [--db LIBRARY] [--budget TOKENS] [--json]\n"
	"       wukong ask DOC \"QUESTION\" [--db LIBRARY]  (DOC: a library id or name)\n\n"
	"Selects the evidence of FILE.pdf that the question needs under a token budget\n"
	"and answers with the sentence that best answers it, citing its page.\n\n"
	"  --budget TOKENS    evidence budget (default 2048, at least 16); a unit costs\n"
	"                     ceil(1.3 x its words)\n"
	"  --json             one JSON object per question (see docs/ask.md)\n"
	"  -v, --verbose      show every evidence item (default: the best 8)\n"
	"  --questions FILE   one JSON object per line with a \"question\" field; the\n"
	"                     document is parsed once and the answers come in order\n"
	"  --library          ask every document of the library (see `wukong add`)\n"
	CLI_DB_HELP
	"  --password P       password of an encrypted PDF (also $WUKONG_PDF_PASSWORD)\n"
	CLI_BUDGET_HELP
	CLI_READ_HELP
	"  --threads N        pages parsed (and OCR'd) in parallel (default 1)\n"
	CLI_LLM_HELP;

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, ask_args *a)
{
	memset(a, 0, sizeof *a);
	a->budget = 2048;
	a->parse = (cli_budget)CLI_BUDGET_INIT;
	a->read = (cli_read)CLI_READ_INIT;
	a->threads = 1;
	cli_ask_init(&a->ask);
	const cli_option table[] = {
		{"budget", 0, CLI_INT, &a->budget, 16, 10000000},
		{"json", 0, CLI_FLAG, &a->json},
		{"questions", 0, CLI_STRING, &a->questions},
		{"verbose", 'v', CLI_FLAG, &a->verbose},
		CLI_BUDGET_OPTIONS(&a->parse),
		CLI_READ_OPTIONS(&a->read),
		{"threads", 0, CLI_INT, &a->threads, 1, 64},
		{"db", 0, CLI_STRING, &a->db},
		{"library", 0, CLI_FLAG, &a->library},
		{"password", 0, CLI_STRING, &a->password},
		{"jobs", 0, CLI_INT, &a->ask.jobs, 1, 64},
		CLI_LLM_OPTIONS(&a->ask),
	};
	char **args;
	int nargs, k = 0;
	int rc = cli_parse_options("ask", argc, argv, table, CLI_NOPTS(table), usage_text, &args,
	                           &nargs);
	if (rc >= 0)
		return rc;
	if (k < nargs && !a->library) /* with --library the question comes first */
		a->file = args[k++];
	if (k < nargs)
		a->question = args[k++];
	if (k < nargs)
		return cli_usage_error("ask", "unexpected argument '%s'", args[k]);
	if (a->library && a->questions)
		return cli_usage_error("ask", "--library takes one question, not --questions");
	if (!a->file && !a->library)
		return cli_usage_error("ask", "no PDF file given");
	if (!a->question && !a->questions)
		return cli_usage_error("ask", "no question given");
	if (a->question && a->questions)
		return cli_usage_error("ask", "give a question or --questions, not both");
	wk_error err = {0};
	if (a->question && wk_question_check(a->question, &err) != WK_OK)
		return cli_usage_error("ask", "%s", err.message);
	if (!a->password && getenv("WUKONG_PDF_PASSWORD") && *getenv("WUKONG_PDF_PASSWORD"))
		a->password = getenv("WUKONG_PDF_PASSWORD");
	return cli_ask_setup(&a->ask, "ask", a->budget, a->json);
}

/* ---- what is asked about: a PDF file, or the library ---- */

typedef struct ask_session {
	wk_doc *doc;
	wk_index *index;
	wk_library *lib;
	char id[17];        /* a library document, "" for the whole library */
	double parse_ms;
	wk_ask_source src;
} ask_session;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Parses (or reuses the cached parse of) the file. Returns -1, else the exit status. */
static int open_file(const ask_args *a, ask_session *s)
{
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.password = a->password;
	cli_budget_apply(&a->parse, &po);
	cli_read_apply(&a->read, &po);
	po.threads = a->threads;
	wk_error err = {0};
	cli_progress progress;
	cli_progress_start(&progress, a->file, &po);
	double t0 = now_ms();
	int rc = wk_parse_cached(a->file, &po, &s->doc, NULL, &err);
	cli_progress_end(&progress);
	char pages[96];
	int damaged = rc == WK_OK ? wk_doc_damaged_pages(s->doc, pages, sizeof pages) : 0;
	if (damaged) /* the answer can only come from the pages that were read */
		fprintf(stderr, "wukong: warning: %s: %d of %d pages could not be read (%s)\n",
		        a->file, damaged, s->doc->npages, pages);
	if (rc == WK_OK)
		rc = wk_index_new(s->doc, &s->index, &err);
	s->parse_ms = now_ms() - t0;
	if (rc != WK_OK)
		return cli_fail(&err);
	int st = cli_ask_prepare(&a->ask, "ask", s->index); /* unit embeddings, when used */
	if (st >= 0)
		return st;
	s->src = (wk_ask_source){.docs = (const wk_doc *const *)&s->doc,
	                         .indexes = (const wk_index *const *)&s->index, .n = 1};
	return -1;
}

/* The library, and the document named where no file is. Returns -1, else the status. */
static int open_library(const ask_args *a, ask_session *s)
{
	int st = wk_cli_library_open("ask", a->db, 0, &s->lib);
	if (st < 0 && !a->library)
		st = wk_cli_library_find("ask", s->lib, a->file, s->id);
	s->src = (wk_ask_source){.library = s->lib, .doc_id = s->id[0] ? s->id : NULL};
	return st;
}

static void session_close(ask_session *s)
{
	wk_library_close(s->lib);
	wk_index_free(s->index);
	wk_doc_free(s->doc);
}

/* ---- one question ---- */

static int ask_single(ask_args *a, ask_session *s)
{
	wk_ask_calls calls = cli_ask_calls(&a->ask);
	wk_ask_result *r = NULL;
	wk_error err = {0};
	int rc = wk_ask(a->ask.asker, &s->src, a->question, &calls, &r, &err);
	if (r)
		r->ms.parse = s->parse_ms;
	cli_ask_print(stdout, &a->ask, r, a->json, a->verbose);
	fflush(stdout);
	int st = cli_ask_status(&a->ask, rc, r, &err);
	wk_ask_result_free(r);
	return st;
}

/* ---- a questions file ---- */

typedef struct batch {
	ask_args *a;
	const ask_session *s;
	char *questions[BATCH_CHUNK];
	int lines[BATCH_CHUNK];
	int n;
	int bad, asked, model_failed;
} batch;

static void batch_done(void *user, int i, int rc, const wk_ask_result *r, const wk_error *err)
{
	batch *b = user;
	if (r)
		((wk_ask_result *)r)->ms.parse = b->s->parse_ms;
	if (!b->a->json && r && r->answer) /* each answer under its question */
		printf("%sQuestion: %s\n", b->asked ? "\n" : "", r->question);
	cli_ask_print(stdout, &b->a->ask, r, b->a->json, b->a->verbose);
	fflush(stdout);
	b->asked++;
	if (rc != WK_OK) {
		const char *why = r && r->model_error.code ? r->model_error.message : err->message;
		fprintf(stderr, "wukong ask: %s:%d: %s\n", b->a->questions, b->lines[i], why);
		b->bad++;
		b->model_failed += r && r->mode == WK_MODE_MODEL_FAILED;
	}
}

static void batch_flush(batch *b)
{
	wk_ask_batch(b->a->ask.asker, &b->s->src, (const char *const *)b->questions, b->n,
	             b->a->ask.jobs, batch_done, b);
	for (int i = 0; i < b->n; i++)
		free(b->questions[i]);
	b->n = 0;
}

/* The "question" of one questions file line, NULL (with *why) when malformed. */
static char *line_question(const char *line, size_t len, const char **why)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, 0, &jerr);
	const char *q = json_string_value(json_object_get(o, "question"));
	char *out = NULL;
	wk_error err = {0};
	if (!json_is_object(o))
		*why = "not a JSON object";
	else if (!q)
		*why = "no \"question\" string";
	else if (wk_question_check(q, &err) != WK_OK)
		*why = "bad question";
	else
		out = strdup(q);
	json_decref(o);
	return out;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

static int ask_batch(ask_args *a, const ask_session *s)
{
	FILE *f = fopen(a->questions, "r");
	if (!f)
		return cli_usage_error("ask", "cannot read questions file %s", a->questions);
	batch *b = calloc(1, sizeof *b);
	if (!b) {
		fclose(f);
		fprintf(stderr, "wukong: out of memory\n");
		return EXIT_ENV;
	}
	b->a = a;
	b->s = s;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0, lineno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (blank(line))
			continue;
		const char *why = "line too long";
		char *q = n <= MAX_BATCH_LINE ? line_question(line, (size_t)n, &why) : NULL;
		if (!q) {
			fprintf(stderr, "wukong ask: %s:%d: %s\n", a->questions, lineno, why);
			bad++;
			continue;
		}
		b->lines[b->n] = lineno;
		b->questions[b->n++] = q;
		if (b->n == BATCH_CHUNK)
			batch_flush(b);
	}
	batch_flush(b);
	bad += b->bad;
	/* when the model failed on every question, the backend is what failed */
	int all_model = b->asked > 0 && b->model_failed == b->asked;
	free(b);
	free(line);
	fclose(f);
	if (all_model)
		return EXIT_LLM;
	return bad ? EXIT_PARTIAL : 0;
}

int cmd_ask(int argc, char **argv)
{
	ask_args a;
	int st = parse_args(argc, argv, &a);
	if (st >= 0) {
		cli_ask_free(&a.ask);
		return st;
	}
	ask_session s = {0};
	/* the whole library, or a library document named where no file is; a name with a
	 * folder in it can only be a file */
	a.ask.library = a.library || (!a.questions && access(a.file, F_OK) != 0);
	if (a.ask.library && !a.library && strchr(a.file, '/')) {
		fprintf(stderr, "wukong ask: %s: no such file\n", a.file);
		st = EXIT_INPUT;
	} else {
		st = a.ask.library ? open_library(&a, &s) : open_file(&a, &s);
	}
	if (st < 0)
		st = a.questions ? ask_batch(&a, &s) : ask_single(&a, &s);
	session_close(&s);
	cli_ask_free(&a.ask);
	return st;
}
