/* cmd_ask.c: `wukong ask FILE.pdf "QUESTION" [--budget TOKENS] [--json]` and the batch
 * form `--questions Q.jsonl`: parse (or reuse the cached parse), select the evidence
 * under the budget, answer extractively with citations.
 *
 * Layout, for whoever adds a mode: options are parsed into `ask_args` from one table
 * (in parse_args); the document is opened once into an `ask_session`; each mode
 * (ask_single, ask_batch) is one function that asks through ask_question. */
#include "cli.h"
#include "library_cli.h" /* library: ask --library, ask DOC */
#include "cli_llm.h"     /* llm: --llm URL, --model, --vision, --jobs, --fallback */
#include "cli_budget.h"  /* --max-memory, --timeout */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h> /* library: access */

#define MAX_BATCH_LINE (1 << 20) /* a questions file line longer than this is malformed */
#define SHOW_ITEMS 8             /* evidence items shown in full in plain output */

typedef struct ask_args {
	const char *file;
	const char *question;
	const char *questions;  /* --questions Q.jsonl */
	int budget;
	int json;
	int verbose;            /* plain output: every evidence item */
	cli_budget parse;       /* --max-memory, --timeout */
	/* library: --db FILE, --library */
	const char *db;
	int library;
	cli_llm llm; /* llm: the language model options (cli_llm.h) */
} ask_args;

typedef struct ask_session {
	wk_doc *doc;
	wk_index *index;
	double parse_ms;
} ask_session;

static const char usage_text[] =
	"usage: wukong ask FILE.pdf \"QUESTION\" [--budget TOKENS] [--json]\n"
	"       wukong ask FILE.pdf --questions Q.jsonl [--budget TOKENS] [--json]\n"
	"       wukong ask --library \"QUESTION\" [--db FILE] [--budget TOKENS] [--json]\n"
	"       wukong ask DOC \"QUESTION\" [--db FILE]    (DOC: a library id or name)\n\n"
	"Selects the evidence of FILE.pdf that the question needs under a token budget\n"
	"and answers with the sentence that best answers it, citing its page.\n\n"
	"  --budget TOKENS    evidence budget (default 2048, at least 16); a unit costs\n"
	"                     ceil(1.3 x its words)\n"
	"  --json             one JSON object per question (see docs/ask.md)\n"
	"  -v, --verbose      show every evidence item (default: the best 8)\n"
	"  --questions FILE   one JSON object per line with a \"question\" field; the\n"
	"                     document is parsed once and the answers come in order\n"
	"  --library          ask every document of the library (see `wukong add`)\n"
	"  --db FILE          the library (default $XDG_DATA_HOME/wukong/library.db)\n"
	CLI_BUDGET_HELP
	CLI_LLM_HELP; /* llm */

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, ask_args *a)
{
	memset(a, 0, sizeof *a);
	a->budget = 2048;
	a->parse = (cli_budget)CLI_BUDGET_INIT;
	cli_llm_init(&a->llm); /* llm */
	const cli_option table[] = {
		{"budget", 0, CLI_INT, &a->budget, 16, 10000000},
		{"json", 0, CLI_FLAG, &a->json},
		{"questions", 0, CLI_STRING, &a->questions},
		{"verbose", 'v', CLI_FLAG, &a->verbose},
		CLI_BUDGET_OPTIONS(&a->parse),
		{"db", 0, CLI_STRING, &a->db},             /* library */
		{"library", 0, CLI_FLAG, &a->library},     /* library */
		{"jobs", 0, CLI_INT, &a->llm.jobs, 1, 64}, /* llm */
		CLI_LLM_OPTIONS(&a->llm),                  /* llm */
	};
	char **args;
	int nargs, k = 0;
	int rc = cli_parse_options("ask", argc, argv, table, CLI_NOPTS(table), usage_text, &args,
	                           &nargs);
	if (rc >= 0)
		return rc;
	if (k < nargs && !a->library) /* library: with --library the question comes first */
		a->file = args[k++];
	if (k < nargs)
		a->question = args[k++];
	if (k < nargs)
		return cli_usage_error("ask", "unexpected argument '%s'", args[k]);
	if (a->library && a->questions) /* library */
		return cli_usage_error("ask", "--library takes one question, not --questions");
	if (!a->file && !a->library)
		return cli_usage_error("ask", "no PDF file given");
	if (!a->question && !a->questions)
		return cli_usage_error("ask", "no question given");
	if (a->question && a->questions)
		return cli_usage_error("ask", "give a question or --questions, not both");
	return cli_llm_setup(&a->llm, "ask", a->json); /* llm: -1 to go on */
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int session_open(const ask_args *a, ask_session *s, wk_error *err)
{
	memset(s, 0, sizeof *s);
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	cli_budget_apply(&a->parse, &po);
	double t0 = now_ms();
	int rc = wk_parse_cached(a->file, &po, &s->doc, NULL, err);
	char pages[96];
	int damaged = rc == WK_OK ? wk_doc_damaged_pages(s->doc, pages, sizeof pages) : 0;
	if (damaged) /* the answer can only come from the pages that were read */
		fprintf(stderr, "wukong: warning: %s: %d of %d pages could not be read (%s)\n",
		        a->file, damaged, s->doc->npages, pages);
	if (rc == WK_OK)
		rc = wk_index_new(s->doc, &s->index, err);
	s->parse_ms = now_ms() - t0;
	return rc;
}

static void session_close(ask_session *s)
{
	wk_index_free(s->index);
	wk_doc_free(s->doc);
}

/* The plain text of one answer: the answer with its citations, then the evidence.
 * llm: `streamed` when the model's answer was already shown as it arrived. */
/* Selection positions ordered by score, best first. */
static int *by_score(const wk_selection *sel)
{
	int *order = malloc(sizeof(int) * (size_t)(sel->n > 0 ? sel->n : 1));
	for (int i = 0; i < sel->n; i++) {
		int k = i;
		while (k > 0 && sel->items[order[k - 1]].score < sel->items[i].score) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	return order;
}

static void print_item(FILE *out, const ask_session *s, const wk_selection *sel, int i)
{
	const wk_evidence *e = &sel->items[i];
	const wk_unit *u = &s->doc->units[e->idx];
	const char *section = wk_unit_section(s->doc, u);
	fprintf(out, "\n[%d] page %d, %s%s%s, score %.2f, %d tokens\n", i + 1, u->page,
	        wk_unit_type_name(u->type), *section ? ", " : "", section, e->score, e->tokens);
	for (const char *t = e->text; *t;) { /* every line indented */
		const char *nl = strchr(t, '\n');
		int n = nl ? (int)(nl - t) : (int)strlen(t);
		fprintf(out, "    %.*s\n", n, t);
		t += n + (nl ? 1 : 0);
	}
}

/* The answer with its citations, then the best SHOW_ITEMS evidence items in full and a
 * one-line summary of the others (all of them with --verbose). */
static void print_plain(FILE *out, const ask_args *a, const ask_session *s,
                        const wk_selection *sel, const wk_answer *ans, int streamed)
{
	if (ans->mode && !strcmp(ans->mode, "extractive-fallback")) /* llm */
		fprintf(out, "(extractive answer: the language model failed)\n");
	if (!streamed) /* llm */
		fprintf(out, "%s", ans->text);
	for (int i = 0; i < ans->ncited; i++) {
		const wk_evidence *e = &sel->items[ans->cited[i]];
		fprintf(out, " [%d, page %d]", ans->cited[i] + 1, s->doc->units[e->idx].page);
	}
	if (ans->quote && strcmp(ans->quote, ans->text)) /* the reader's short answer */
		fprintf(out, "\n  \"%s\" (page %d)", ans->quote, ans->quote_page);
	fprintf(out, "\n\nEvidence: %d units, %d of %d tokens, best first\n", sel->n, sel->tokens,
	        sel->doc_tokens);
	int *order = by_score(sel);
	int shown = a->verbose ? sel->n : (sel->n < SHOW_ITEMS ? sel->n : SHOW_ITEMS);
	for (int k = 0; k < shown; k++)
		print_item(out, s, sel, order[k]);
	if (shown < sel->n) {
		fprintf(out, "\n... and %d more on pages", sel->n - shown);
		for (int k = shown; k < sel->n; k++)
			fprintf(out, "%s%d", k > shown ? ", " : " ", s->doc->units[sel->items[order[k]].idx].page);
		fprintf(out, " (--verbose shows them)\n");
	}
	free(order);
}

/* Samples and answers one question, and prints it to `out`. Returns WK_OK or the error
 * code; llm: *backend = 1 when the error is the language model server's. */
static int ask_question(const ask_args *a, const ask_session *s, const char *question,
                        FILE *out, int *backend, wk_error *err)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = a->budget;
	wk_timing ms = {.parse = s->parse_ms};
	wk_selection *sel = NULL;
	wk_answer *ans = NULL;
	const wk_doc *docs[1] = {s->doc};
	/* llm: the model when one is configured, else (or as --fallback) extractive */
	int rc = cli_llm_ask(&a->llm, s->index, s->doc, question, &opts, &sel, &ans, &ms, backend,
	                     err);
	if (rc == WK_OK && a->json) {
		char *json = NULL;
		rc = wk_ask_to_json(question, docs, sel, ans, &ms, &json, NULL, err);
		if (rc == WK_OK)
			fprintf(out, "%s\n", json);
		wk_free(json);
	} else if (rc == WK_OK) {
		print_plain(out, a, s, sel, ans, cli_llm_streamed(&a->llm, ans));
	}
	fflush(out);
	wk_answer_free(ans);
	wk_selection_free(sel);
	return rc;
}

static int ask_single(const ask_args *a)
{
	wk_error err = {0};
	if (wk_question_check(a->question, &err) != WK_OK)
		return cli_usage_error("ask", "%s", err.message);
	ask_session s;
	int backend = 0; /* llm */
	int rc = session_open(a, &s, &err);
	if (rc == WK_OK)
		rc = ask_question(a, &s, a->question, stdout, &backend, &err);
	session_close(&s);
	return rc == WK_OK ? 0 : cli_llm_fail(&err, backend); /* llm: exit 3 for the model */
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

/* llm: a batch is asked in chunks, --jobs questions at once, and printed in order. */
#define BATCH_CHUNK 256

typedef struct batch_item {
	char *question;
	int lineno;
	char *output; /* what ask_question printed */
	size_t len;
	int rc, backend;
	wk_error err;
} batch_item;

typedef struct batch {
	const ask_args *a;
	const ask_session *s;
	batch_item items[BATCH_CHUNK];
	int n;
	int bad, asked, backend_failed;
} batch;

static void batch_work(void *ctx, int i)
{
	batch *b = ctx;
	batch_item *it = &b->items[i];
	FILE *out = open_memstream(&it->output, &it->len);
	if (!out) {
		it->rc = it->err.code = WK_ENOMEM;
		snprintf(it->err.message, sizeof it->err.message, "out of memory");
		return;
	}
	it->rc = ask_question(b->a, b->s, it->question, out, &it->backend, &it->err);
	fclose(out);
}

static void batch_done(void *ctx, int i)
{
	batch *b = ctx;
	batch_item *it = &b->items[i];
	if (it->output)
		fwrite(it->output, 1, it->len, stdout);
	fflush(stdout);
	if (it->rc != WK_OK) {
		fprintf(stderr, "wukong ask: %s:%d: %s\n", b->a->questions, it->lineno,
		        it->err.message);
		b->bad++;
		b->backend_failed += it->backend;
	}
	b->asked++;
	free(it->output);
	free(it->question);
}

static void batch_flush(batch *b)
{
	cli_run_ordered(b->n, b->a->llm.jobs, batch_work, batch_done, b);
	memset(b->items, 0, sizeof b->items);
	b->n = 0;
}

static int ask_batch(const ask_args *a)
{
	FILE *f = fopen(a->questions, "r");
	if (!f)
		return cli_usage_error("ask", "cannot read questions file %s", a->questions);
	wk_error err = {0};
	ask_session s;
	int rc = session_open(a, &s, &err);
	int bad = 0, lineno = 0;
	batch *b = calloc(1, sizeof *b); /* llm */
	if (!b) {
		fprintf(stderr, "wukong: out of memory\n");
		exit(EXIT_ENV);
	}
	b->a = a;
	b->s = &s;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (rc == WK_OK && (n = getline(&line, &cap, f)) >= 0) {
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
		b->items[b->n++] = (batch_item){.question = q, .lineno = lineno}; /* llm */
		if (b->n == BATCH_CHUNK)
			batch_flush(b);
	}
	batch_flush(b); /* llm */
	bad += b->bad;
	/* llm: when the model failed on every question, the backend is what failed */
	int all_backend = b->asked > 0 && b->backend_failed == b->asked;
	free(b);
	free(line);
	fclose(f);
	session_close(&s);
	if (rc != WK_OK)
		return cli_fail(&err);
	if (all_backend)
		return EXIT_LLM;
	return bad ? EXIT_PARTIAL : 0;
}

int cmd_ask(int argc, char **argv)
{
	ask_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	/* library: the whole library, or a library document named where no file is */
	if (a.library || (!a.questions && access(a.file, F_OK) != 0))
		rc = wk_cli_ask_library(a.db, a.library ? NULL : a.file, a.question, a.budget, a.json,
		                        &a.llm); /* llm */
	else
		rc = a.questions ? ask_batch(&a) : ask_single(&a);
	cli_llm_free(&a.llm); /* llm */
	return rc;
}
