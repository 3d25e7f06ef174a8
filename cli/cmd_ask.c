/* cmd_ask.c: `wukong ask FILE.pdf "QUESTION" [--budget TOKENS] [--json]` and the batch
 * form `--questions Q.jsonl`: parse (or reuse the cached parse), select the evidence
 * under the budget, answer extractively with citations.
 *
 * Layout, for whoever adds a mode: options are parsed into `ask_args` from one table
 * (`ask_options`); the document is opened once into an `ask_session`; each mode
 * (ask_single, ask_batch) is one function that asks through ask_question. */
#include "cli.h"
#include "library_cli.h" /* library: ask --library, ask DOC */

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h> /* library: access */

#define MAX_BATCH_LINE (1 << 20) /* a questions file line longer than this is malformed */
#define SHOW_CHARS 400           /* evidence text shown per unit in plain output */

typedef struct ask_args {
	const char *file;
	const char *question;
	const char *questions;  /* --questions Q.jsonl */
	int budget;
	int json;
	/* library: --db FILE, --library */
	const char *db;
	int library;
} ask_args;

typedef struct ask_session {
	wk_doc *doc;
	wk_index *index;
	double parse_ms;
} ask_session;

enum { OPT_BUDGET = 1000, OPT_JSON, OPT_QUESTIONS, OPT_HELP, OPT_DB, OPT_LIBRARY };

static const struct option ask_options[] = {
	{"budget", required_argument, NULL, OPT_BUDGET},
	{"json", no_argument, NULL, OPT_JSON},
	{"questions", required_argument, NULL, OPT_QUESTIONS},
	{"help", no_argument, NULL, OPT_HELP},
	/* library */
	{"db", required_argument, NULL, OPT_DB},
	{"library", no_argument, NULL, OPT_LIBRARY},
	{NULL, 0, NULL, 0},
};

static void ask_usage(FILE *out)
{
	fprintf(out,
	        "usage: wukong ask FILE.pdf \"QUESTION\" [--budget TOKENS] [--json]\n"
	        "       wukong ask FILE.pdf --questions Q.jsonl [--budget TOKENS] [--json]\n"
	        "       wukong ask --library \"QUESTION\" [--db FILE] [--budget TOKENS] [--json]\n"
	        "       wukong ask DOC \"QUESTION\" [--db FILE]    (DOC: a library id or name)\n\n"
	        "Selects the evidence of FILE.pdf that the question needs under a token budget\n"
	        "and answers with the sentence that best answers it, citing its page.\n\n"
	        "  --budget TOKENS    evidence budget (default 2048, at least 16); a unit costs\n"
	        "                     ceil(1.3 x its words)\n"
	        "  --json             one JSON object per question (see docs/ask.md)\n"
	        "  --questions FILE   one JSON object per line with a \"question\" field; the\n"
	        "                     document is parsed once and the answers come in order\n"
	        "  --library          ask every document of the library (see `wukong add`)\n"
	        "  --db FILE          the library (default $XDG_DATA_HOME/wukong/library.db)\n");
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, ask_args *a)
{
	memset(a, 0, sizeof *a);
	a->budget = 2048;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", ask_options, NULL)) != -1) {
		switch (c) {
		case OPT_BUDGET:
			a->budget = (int)cli_parse_long(optarg, 16, 10000000);
			if (a->budget < 0)
				return cli_usage_error("ask", "--budget must be a whole number of tokens, at "
				                              "least 16 (got '%s')", optarg);
			break;
		case OPT_JSON: a->json = 1; break;
		case OPT_QUESTIONS: a->questions = optarg; break;
		case OPT_DB: a->db = optarg; break;           /* library */
		case OPT_LIBRARY: a->library = 1; break;      /* library */
		case 'h':
		case OPT_HELP: ask_usage(stdout); return 0;
		default:
			return cli_usage_error("ask", "unknown option or missing value '%s'",
			                       argv[optind - 1]);
		}
	}
	/* GNU getopt has moved the positional arguments to the end */
	if (optind < argc && !a->library) /* library: with --library the question comes first */
		a->file = argv[optind++];
	if (optind < argc)
		a->question = argv[optind++];
	if (optind < argc)
		return cli_usage_error("ask", "unexpected argument '%s'", argv[optind]);
	if (a->library && a->questions) /* library */
		return cli_usage_error("ask", "--library takes one question, not --questions");
	if (!a->file && !a->library)
		return cli_usage_error("ask", "no PDF file given");
	if (!a->question && !a->questions)
		return cli_usage_error("ask", "no question given");
	if (a->question && a->questions)
		return cli_usage_error("ask", "give a question or --questions, not both");
	return -1;
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
	double t0 = now_ms();
	int rc = wk_parse_cached(a->file, &po, &s->doc, NULL, err);
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

/* The plain text of one answer: the answer with its citations, then the evidence. */
static void print_plain(const ask_session *s, const wk_selection *sel, const wk_answer *ans)
{
	printf("%s", ans->text);
	for (int i = 0; i < ans->ncited; i++) {
		const wk_evidence *e = &sel->items[ans->cited[i]];
		printf(" [%d, page %d]", ans->cited[i] + 1, s->doc->units[e->idx].page);
	}
	printf("\n\nEvidence: %d units, %d of %d tokens\n", sel->n, sel->tokens, sel->doc_tokens);
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		const wk_unit *u = &s->doc->units[e->idx];
		const char *section = wk_unit_section(s->doc, u);
		printf("\n[%d] page %d, %s%s%s, score %.2f, %d tokens\n", i + 1, u->page,
		       wk_unit_type_name(u->type), *section ? ", " : "", section, e->score, e->tokens);
		int n = (int)strlen(e->text);
		if (n > SHOW_CHARS) {
			n = SHOW_CHARS;
			while (n > 0 && ((unsigned char)e->text[n] & 0xC0) == 0x80)
				n--; /* not inside a UTF-8 sequence */
		}
		printf("    %.*s%s\n", n, e->text, n < (int)strlen(e->text) ? " ..." : "");
	}
}

/* Samples and answers one question, and prints it. Returns WK_OK or the error code. */
static int ask_question(const ask_args *a, const ask_session *s, const char *question,
                        wk_error *err)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = a->budget;
	wk_timing ms = {.parse = s->parse_ms};
	double t0 = now_ms();
	wk_selection *sel = NULL;
	int rc = wk_sample(s->index, question, &opts, &sel, err);
	ms.sample = now_ms() - t0;
	wk_answer *ans = NULL;
	const wk_doc *docs[1] = {s->doc};
	if (rc == WK_OK) {
		t0 = now_ms();
		rc = wk_answer_extractive(docs, sel, question, &ans, err);
		ms.answer = now_ms() - t0;
	}
	if (rc == WK_OK && a->json) {
		char *json = NULL;
		rc = wk_ask_to_json(question, docs, sel, ans, &ms, &json, NULL, err);
		if (rc == WK_OK)
			printf("%s\n", json);
		wk_free(json);
	} else if (rc == WK_OK) {
		print_plain(s, sel, ans);
	}
	fflush(stdout);
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
	int rc = session_open(a, &s, &err);
	if (rc == WK_OK)
		rc = ask_question(a, &s, a->question, &err);
	session_close(&s);
	return rc == WK_OK ? 0 : cli_fail(&err);
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

static int ask_batch(const ask_args *a)
{
	FILE *f = fopen(a->questions, "r");
	if (!f)
		return cli_usage_error("ask", "cannot read questions file %s", a->questions);
	wk_error err = {0};
	ask_session s;
	int rc = session_open(a, &s, &err);
	int bad = 0, lineno = 0;
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
		if (ask_question(a, &s, q, &err) != WK_OK) {
			fprintf(stderr, "wukong ask: %s:%d: %s\n", a->questions, lineno, err.message);
			bad++;
		}
		free(q);
	}
	free(line);
	fclose(f);
	session_close(&s);
	if (rc != WK_OK)
		return cli_fail(&err);
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
		return wk_cli_ask_library(a.db, a.library ? NULL : a.file, a.question, a.budget, a.json);
	return a.questions ? ask_batch(&a) : ask_single(&a);
}
