/* cli_ask.c: the language model options, the asker made from them, and how a result is
 * printed (cli_ask.h). */
#include "cli_ask.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHOW_ITEMS 8 /* evidence items shown in full in plain output */

const char *cli_set_url(void *url, const char *value)
{
	if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
		return "wants an http:// or https:// URL";
	*(const char **)url = value;
	return NULL;
}

const char *cli_set_fallback(void *fallback, const char *value)
{
	if (strcmp(value, "extractive"))
		return "knows only 'extractive'";
	*(int *)fallback = 1;
	return NULL;
}

void cli_ask_init(cli_ask *c)
{
	memset(c, 0, sizeof *c);
	wk_llm_opts_init(&c->llm);
	c->jobs = 1;
}

void cli_ask_free(cli_ask *c)
{
	if (!c)
		return;
	wk_asker_free(c->asker);
	c->asker = NULL;
	wk_llm_opts_release(&c->llm);
}

/* The model's settings: command line over environment over config file. */
static int load_model(cli_ask *c, const char *cmd)
{
	wk_error err = {0};
	if (wk_llm_opts_load(&c->llm, NULL, &err) != WK_OK)
		return cli_usage_error(cmd, "%s", err.message);
	if (c->url)
		c->llm.url = c->url;
	if (c->model)
		c->llm.model = c->model;
	if (c->vision)
		c->llm.vision = 1;
	if (c->embed_url)
		c->llm.embed_url = c->embed_url;
	if (c->embed_model)
		c->llm.embed_model = c->embed_model;
	int embedding = c->llm.embed_url && *c->llm.embed_url;
	if (!c->scorer)
		c->scorer = embedding ? "hybrid" : "lexical";
	if (strcmp(c->scorer, "lexical") && !embedding)
		return cli_usage_error(cmd, "--scorer %s needs an embedding server: give --embed URL "
		                       "or set WUKONG_EMBED_URL", c->scorer);
	c->on = !c->off && c->llm.url && *c->llm.url;
	if (c->rerank && !(c->llm.url && *c->llm.url))
		return cli_usage_error(cmd, "--rerank needs a model server: give --llm URL or set "
		                       "WUKONG_LLM_URL");
	if (!c->on && !c->off && (c->model || c->vision))
		return cli_usage_error(cmd, "--model and --vision need a model server: give --llm URL "
		                            "or set WUKONG_LLM_URL");
	return -1;
}

int cli_ask_setup(cli_ask *c, const char *cmd, int budget, int json)
{
	int st = load_model(c, cmd);
	if (st >= 0) {
		cli_ask_free(c);
		return st;
	}
	c->stream = c->on && !json && c->jobs == 1 && isatty(STDOUT_FILENO);
	wk_ask_policy policy;
	wk_ask_policy_init(&policy);
	policy.budget = budget;
	policy.scorer = c->scorer;
	policy.llm = c->on ? &c->llm : NULL;
	policy.fallback = c->fallback;
	policy.embed = strcmp(c->scorer, "lexical") ? &c->llm : NULL;
	policy.rerank = c->rerank ? &c->llm : NULL;
	wk_error err = {0};
	if (wk_asker_new(&policy, &c->asker, &err) != WK_OK) {
		cli_ask_free(c);
		return cli_usage_error(cmd, "%s", err.message);
	}
	return -1;
}

const char *cli_set_scorer(void *scorer, const char *value)
{
	if (strcmp(value, "lexical") && strcmp(value, "hybrid") && strcmp(value, "dense"))
		return "must be lexical, hybrid or dense";
	*(const char **)scorer = value;
	return NULL;
}

int cli_ask_prepare(const cli_ask *c, const char *cmd, wk_index *index)
{
	wk_error err = {0};
	int rc = wk_asker_prepare(c->asker, index, &err);
	if (rc == WK_OK)
		return -1;
	fprintf(stderr, "wukong %s: %s\n", cmd, err.message);
	return rc == WK_EINVAL ? EXIT_INPUT : EXIT_LLM;
}

static void to_stdout(void *user, const char *piece, size_t len)
{
	cli_ask *c = user;
	fwrite(piece, 1, len, stdout);
	fflush(stdout);
	c->streamed += len;
}

wk_ask_calls cli_ask_calls(cli_ask *c)
{
	c->streamed = 0;
	wk_ask_calls calls = {.on_text = c->stream ? to_stdout : NULL, .user = c};
	return calls;
}

/* ---- plain output ---- */

static const char *doc_name(const wk_doc *doc)
{
	const char *slash = doc->path ? strrchr(doc->path, '/') : NULL;
	return slash ? slash + 1 : doc->path ? doc->path : "?";
}

/* Selection positions ordered by score, best first. */
static int *by_score(const wk_selection *sel)
{
	int *order = malloc(sizeof(int) * (size_t)(sel->n > 0 ? sel->n : 1));
	if (!order) {
		fprintf(stderr, "wukong: out of memory\n");
		exit(EXIT_ENV);
	}
	for (int i = 0; i < sel->n; i++) {
		int k = i;
		for (; k > 0 && sel->items[order[k - 1]].score < sel->items[i].score; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	return order;
}

/* " (printed 17)" when page `page` carries a label other than its number (the number
 * printed on it, a roman numeral, a spread "16-17"), else "": a reader holding the paper
 * copy looks for the printed number. `fmt` (" (printed %s)", ", printed %s") places it. */
static const char *printed_in(const wk_doc *d, int page, const char *fmt, char *buf, size_t size)
{
	const char *label = page >= 1 && page <= d->npages ? d->pages[page - 1].label : NULL;
	char number[16];
	snprintf(number, sizeof number, "%d", page);
	if (!label || !*label || !strcmp(label, number))
		return "";
	snprintf(buf, size, fmt, label);
	return buf;
}

static const char *printed_as(const wk_doc *d, int page, char *buf, size_t size)
{
	return printed_in(d, page, " (printed %s)", buf, size);
}

static void print_item(FILE *out, const cli_ask *c, const wk_ask_result *r, int i)
{
	const wk_evidence *e = &r->sel->items[i];
	const wk_doc *d = r->docs[e->doc];
	const wk_unit *u = &d->units[e->idx];
	const char *section = wk_unit_section(d, u);
	char label[96];
	fprintf(out, "\n[%d] %s%spage %d%s, %s%s%s, score %.2f, %d tokens\n", i + 1,
	        c->library ? doc_name(d) : "", c->library ? ", " : "", u->page,
	        printed_as(d, u->page, label, sizeof label), wk_unit_type_name(u->type),
	        *section ? ", " : "", section, e->score, e->tokens);
	for (const char *t = e->text; *t;) { /* every line indented */
		const char *nl = strchr(t, '\n');
		int n = nl ? (int)(nl - t) : (int)strlen(t);
		fprintf(out, "    %.*s\n", n, t);
		t += n + (nl ? 1 : 0);
	}
}

static int by_doc_page(const void *a, const void *b)
{
	const int *x = a, *y = b;
	return x[0] != y[0] ? x[0] - y[0] : x[1] - y[1];
}

/* "... and 19 more on pages 1, 3, 7": the items not shown, each page once, in order
 * (grouped by document for a library). */
static void print_rest(FILE *out, const cli_ask *c, const wk_ask_result *r, const int *order,
                       int shown)
{
	int n = r->sel->n - shown, (*pages)[2] = malloc(sizeof *pages * (size_t)(n + 1));
	if (!pages)
		return;
	for (int k = 0; k < n; k++) {
		const wk_evidence *e = &r->sel->items[order[shown + k]];
		pages[k][0] = c->library ? e->doc : 0;
		pages[k][1] = r->docs[e->doc]->units[e->idx].page;
	}
	qsort(pages, (size_t)n, sizeof *pages, by_doc_page);
	fprintf(out, "\n... and %d more on pages", n);
	for (int k = 0; k < n; k++) {
		if (k > 0 && !by_doc_page(pages[k], pages[k - 1]))
			continue;
		int first_of_doc = k == 0 || pages[k][0] != pages[k - 1][0];
		if (first_of_doc && c->library)
			fprintf(out, "%s %s p.", k ? ";" : "", doc_name(r->docs[pages[k][0]]));
		fprintf(out, "%s%d", first_of_doc ? (c->library ? "" : " ") : ", ", pages[k][1]);
	}
	fprintf(out, " (--verbose shows them)\n");
	free(pages);
}

static void print_citations(FILE *out, const cli_ask *c, const wk_ask_result *r)
{
	for (int i = 0; i < r->answer->ncited; i++) {
		int k = r->answer->cited[i];
		const wk_evidence *e = &r->sel->items[k];
		const wk_doc *d = r->docs[e->doc];
		if (c->library)
			fprintf(out, " [%d, %s p.%d]", k + 1, doc_name(d), d->units[e->idx].page);
		else {
			char label[96];
			int page = d->units[e->idx].page;
			fprintf(out, " [%d, page %d%s]", k + 1, page,
			        printed_as(d, page, label, sizeof label));
		}
	}
}

static void print_plain(FILE *out, const cli_ask *c, const wk_ask_result *r, int verbose)
{
	if (r->ndocs == 0) {
		fprintf(out, "No document in the library shares a word with the question.\n");
		return;
	}
	if (r->mode == WK_MODE_FALLBACK)
		fprintf(out, "(extractive answer: the language model failed)\n");
	if (!(c->stream && r->mode == WK_MODE_LLM)) /* else shown as it arrived */
		fprintf(out, "%s", r->answer->text);
	print_citations(out, c, r);
	const wk_answer *a = r->answer;
	if (a->quote && strcmp(a->quote, a->text)) { /* the reader's short answer: where from */
		char label[96] = "";
		if (!c->library && r->ndocs == 1) /* one document: the quote's page is in it */
			printed_in(r->docs[0], a->quote_page, ", printed %s", label, sizeof label);
		fprintf(out, "\n  \"%s\" (page %d%s)", a->quote, a->quote_page, label);
	}
	fprintf(out, "\n\nEvidence: %d units, %d of %d tokens, best first\n", r->sel->n,
	        r->sel->tokens, r->sel->doc_tokens);
	int *order = by_score(r->sel);
	int shown = verbose || r->sel->n < SHOW_ITEMS ? r->sel->n : SHOW_ITEMS;
	for (int k = 0; k < shown; k++)
		print_item(out, c, r, order[k]);
	if (shown < r->sel->n)
		print_rest(out, c, r, order, shown);
	free(order);
}

void cli_ask_print(FILE *out, const cli_ask *c, const wk_ask_result *r, int json, int verbose)
{
	if (!r || !r->answer)
		return;
	if (!json) {
		print_plain(out, c, r, verbose);
		return;
	}
	char *text = NULL;
	wk_error err = {0};
	if (wk_ask_result_to_json(r, &text, NULL, &err) == WK_OK)
		fprintf(out, "%s\n", text);
	wk_free(text);
}

int cli_ask_status(cli_ask *c, int rc, const wk_ask_result *r, const wk_error *err)
{
	if (c->streamed && (!r || r->mode != WK_MODE_LLM))
		fputc('\n', stdout); /* end the partial answer's line before the message */
	if (r && r->embed_error.code)
		fprintf(stderr, "wukong: %s; evidence chosen lexically (--fallback extractive)\n",
		        r->embed_error.message);
	if (r && r->mode == WK_MODE_FALLBACK)
		fprintf(stderr, "wukong: %s; answering extractively (--fallback extractive)\n",
		        r->model_error.message);
	if (rc == WK_OK)
		return 0;
	if (r && r->mode == WK_MODE_MODEL_FAILED) {
		fprintf(stderr, "wukong: %s\n", r->model_error.message[0] ? r->model_error.message
		                                                           : "the language model failed");
		return EXIT_LLM;
	}
	return cli_fail(err);
}
