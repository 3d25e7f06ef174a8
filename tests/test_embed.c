/* test_embed.c: learned encoders through an embedding server (OpenAI-compatible
 * POST /v1/embeddings), against the fake model server on loopback: batching, vectors
 * kept per document, hybrid and dense sampling, and each way the server can fail. The
 * fake encoder hashes words and maps chosen synonyms to one word, so a question can be
 * worded with none of the document's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>

#include "../src/doc/doc.h"
#include "support/mkfake.h"
#include "support/mkhttp.h"
#include "support/pgtest.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"
#include "support/mkserve.h"

static const char *const paragraphs[] = {
	"The committee met in March to review the annual budget of the museum.",
	"An automobile was parked beside the north entrance during the whole night.",
	"Visitors praised the new lighting of the sculpture gallery on the first floor.",
	"The physician on duty examined two guards after the storm had passed.",
	"Ticket prices stayed the same for students and for retired visitors.",
};

static wk_doc *museum(void)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 5);
	d->title = wk_doc_str(d, "Museum report");
	for (int i = 0; i < 5; i++) {
		wk_unit *u = wk_doc_add_unit(d, WK_UNIT_TEXT);
		u->text = wk_doc_str(d, paragraphs[i]);
		wk_doc_add_box(d, u, (wk_box){i + 1, 72, 100, 500, 140});
	}
	wk_doc_finish(d);
	return d;
}

static void opts_for(wk_llm_opts *o, const mk_fake *f, const char *model)
{
	wk_llm_opts_init(o);
	o->embed_url = f->url;
	o->embed_model = model;
	o->backoff_ms = 20;
	o->max_attempts = 2;
	o->connect_timeout_ms = 3000;
	o->timeout_ms = 3000;
}

/* Inputs sent in every logged embeddings request, in order. */
static int inputs_sent(const mk_fake *f, int *requests)
{
	json_t *all = mk_fake_requests(f), *line;
	size_t i;
	int n = 0;
	*requests = 0;
	json_array_foreach(all, i, line) {
		if (strcmp(json_string_value(json_object_get(line, "path")), "/v1/embeddings"))
			continue;
		(*requests)++;
		n += (int)json_array_size(json_object_get(json_object_get(line, "body"), "input"));
	}
	json_decref(all);
	return n;
}

static int setup(void **state)
{
	mk_fake *f = calloc(1, sizeof *f);
	if (mk_fake_start(f, NULL) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	mk_fake_stop(*state);
	free(*state);
	return 0;
}

static void test_embeddings_come_in_batches_as_unit_vectors(void **state)
{
	mk_fake *f = *state;
	const char *texts[70];
	for (int i = 0; i < 70; i++)
		texts[i] = paragraphs[i % 5];
	wk_llm_opts o;
	opts_for(&o, f, "batch");
	float *v = NULL;
	int dim = 0, requests = 0;
	assert_int_equal(wk_embed_texts(&o, texts, 70, &v, &dim, NULL), WK_OK);
	assert_int_equal(dim, 64);
	assert_int_equal(inputs_sent(f, &requests), 70);
	assert_int_equal(requests, 3); /* 32 + 32 + 6 */
	for (int i = 0; i < 70; i++) {
		double norm = 0;
		for (int j = 0; j < dim; j++)
			norm += (double)v[i * dim + j] * v[i * dim + j];
		assert_true(fabs(norm - 1) < 1e-4);
	}
	/* The same text gives the same vector, wherever it stood in its batch. */
	assert_memory_equal(v, v + 5 * dim, sizeof(float) * (size_t)dim);
	assert_memory_equal(v + 1 * dim, v + 66 * dim, sizeof(float) * (size_t)dim);
	wk_free(v);
}

static void test_unit_vectors_are_kept_so_a_second_question_sends_only_itself(void **state)
{
	mk_fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "kept");
	wk_doc *d = museum();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	int sent = -1, requests;
	assert_int_equal(wk_index_embed(ix, &o, &sent, NULL), WK_OK);
	assert_int_equal(sent, 5);
	wk_index_free(ix);

	/* A new index of the same document: the vectors come from the cache. */
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	assert_int_equal(wk_index_embed(ix, &o, &sent, NULL), WK_OK);
	assert_int_equal(sent, 0);
	int before = inputs_sent(f, &requests);
	wk_ask_opts ao;
	wk_ask_opts_init(&ao);
	ao.scorer = "hybrid";
	ao.embed = &o;
	wk_selection *sel = NULL;
	assert_int_equal(wk_sample(ix, "What did the guards see?", &ao, &sel, NULL), WK_OK);
	assert_int_equal(inputs_sent(f, &requests) - before, 1);
	wk_selection_free(sel);
	wk_index_free(ix);
	wk_doc_free(d);
}

/* The index of the best-scored item of a selection. */
static int best_idx(const wk_selection *sel)
{
	int best = -1;
	double top = -1;
	for (int i = 0; i < sel->n; i++)
		if (sel->items[i].score > top) {
			top = sel->items[i].score;
			best = sel->items[i].idx;
		}
	return best;
}

static void test_a_question_sharing_no_word_finds_its_unit_through_embeddings(void **state)
{
	mk_fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "synonyms");
	wk_doc *d = museum();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	assert_int_equal(wk_index_embed(ix, &o, NULL, NULL), WK_OK);
	const char *q = "Where was the car?"; /* the text says "automobile" */
	wk_ask_opts ao;
	wk_ask_opts_init(&ao);
	ao.budget = 30; /* room for one paragraph */
	wk_selection *lex = NULL, *hyb = NULL, *den = NULL;
	assert_int_equal(wk_sample(ix, q, &ao, &lex, NULL), WK_OK);
	for (int i = 0; i < lex->n; i++)
		assert_int_not_equal(lex->items[i].idx, 1);
	ao.embed = &o;
	ao.scorer = "hybrid";
	assert_int_equal(wk_sample(ix, q, &ao, &hyb, NULL), WK_OK);
	assert_int_equal(best_idx(hyb), 1);
	ao.scorer = "dense";
	assert_int_equal(wk_sample(ix, "Which clinician examined anyone?", &ao, &den, NULL), WK_OK);
	assert_int_equal(best_idx(den), 3); /* "physician" */
	wk_selection_free(lex);
	wk_selection_free(hyb);
	wk_selection_free(den);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void expect_failure(const mk_fake *f, const char *model, int code, const char *needle)
{
	wk_llm_opts o;
	opts_for(&o, f, model);
	const char *texts[] = {"one text", "another text"};
	float *v = (float *)1;
	int dim = -1;
	wk_error err = {0};
	assert_int_equal(wk_embed_texts(&o, texts, 2, &v, &dim, &err), code);
	assert_null(v);
	assert_int_equal(dim, 0);
	assert_int_equal(err.code, code);
	assert_null(strchr(err.message, '\n'));
	if (!strstr(err.message, needle))
		fail_msg("model %s: message \"%s\" lacks \"%s\"", model, err.message, needle);
}

static void test_each_embedding_failure_gives_its_code_and_one_line(void **state)
{
	mk_fake *f = *state;
	expect_failure(f, "fail-500", WK_EHTTP, "gave up after 2 attempts");
	expect_failure(f, "unknown-model", WK_EHTTP, "does not know model");
	expect_failure(f, "nan", WK_EPROTO, "not JSON");
	expect_failure(f, "mixed-dim", WK_EPROTO, "vectors of 64 and 63 values");
	expect_failure(f, "short", WK_EPROTO, "1 vectors for 2 inputs");
	expect_failure(f, "stall-head", WK_ETIMEOUT, "within 3 s");
	wk_llm_opts o;
	wk_llm_opts_init(&o);
	o.embed_url = "http://127.0.0.1:1/v1";
	o.max_attempts = 1;
	const char *t[] = {"x"};
	float *v;
	int dim;
	wk_error err = {0};
	assert_int_equal(wk_embed_texts(&o, t, 1, &v, &dim, &err), WK_ENET);
	o.embed_url = NULL;
	assert_int_equal(wk_embed_texts(&o, t, 1, &v, &dim, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "--embed"));
}

static void test_a_model_of_another_dimension_is_an_error_not_a_wrong_answer(void **state)
{
	mk_fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "dim-64");
	wk_doc *d = museum();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	assert_int_equal(wk_index_embed(ix, &o, NULL, NULL), WK_OK);
	wk_llm_opts other = o;
	other.embed_model = "dim-32";
	wk_ask_opts ao;
	wk_ask_opts_init(&ao);
	ao.scorer = "hybrid";
	ao.embed = &other;
	wk_selection *sel = NULL;
	wk_error err = {0};
	assert_int_equal(wk_sample(ix, "Where was the car?", &ao, &sel, &err), WK_EPROTO);
	assert_null(sel);
	assert_non_null(strstr(err.message, "32 values and the documents 64"));
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_hybrid_without_vectors_or_server_is_refused_and_lexical_sends_nothing(void **state)
{
	mk_fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "none");
	wk_doc *d = museum();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_ask_opts ao;
	wk_ask_opts_init(&ao);
	wk_selection *sel = NULL;
	int requests, before = inputs_sent(f, &requests);
	ao.embed = &o; /* lexical: the server is not asked */
	assert_int_equal(wk_sample(ix, "museum budget", &ao, &sel, NULL), WK_OK);
	wk_selection_free(sel);
	assert_int_equal(inputs_sent(f, &requests), before);
	ao.scorer = "hybrid";
	wk_error err = {0};
	assert_int_equal(wk_sample(ix, "museum budget", &ao, &sel, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "wk_index_embed"));
	ao.embed = NULL;
	assert_int_equal(wk_sample(ix, "museum budget", &ao, &sel, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "--embed"));
	ao.scorer = "neural";
	assert_int_equal(wk_sample(ix, "museum budget", &ao, &sel, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "hybrid, dense"));
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_with_the_fallback_a_dead_embedding_server_costs_the_scorer_not_the_answer(void **state)
{
	(void)state;
	wk_llm_opts o;
	wk_llm_opts_init(&o);
	o.embed_url = "http://127.0.0.1:1/v1"; /* nothing listens there */
	o.max_attempts = 1;
	o.connect_timeout_ms = 1000;
	wk_doc *d = museum();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_ask_policy p;
	wk_ask_policy_init(&p);
	p.scorer = "hybrid";
	p.embed = &o;
	wk_asker *strict = NULL, *lenient = NULL;
	assert_int_equal(wk_asker_new(&p, &strict, NULL), WK_OK);
	p.fallback = 1;
	assert_int_equal(wk_asker_new(&p, &lenient, NULL), WK_OK);
	wk_error err = {0};
	assert_int_equal(wk_asker_prepare(strict, ix, &err), WK_ENET);
	assert_int_equal(wk_asker_prepare(lenient, ix, &err), WK_OK);
	const wk_doc *docs[] = {d};
	const wk_index *ixs[] = {ix};
	wk_ask_source src = {.docs = docs, .indexes = ixs, .n = 1};
	wk_ask_result *r = NULL;
	assert_int_equal(wk_ask(strict, &src, "When did the committee review the budget?", NULL,
	                        &r, &err), WK_EINVAL);
	assert_null(r);
	assert_int_equal(wk_ask(lenient, &src, "When did the committee review the budget?", NULL,
	                        &r, &err), WK_OK);
	assert_int_equal(r->embed_error.code, WK_ENET); /* the server's failure, not the index's */
	assert_true(r->sel->n > 0);
	assert_non_null(strstr(r->sel->items[0].text, "committee"));
	char *json = NULL;
	assert_int_equal(wk_ask_result_to_json(r, &json, NULL, NULL), WK_OK);
	assert_non_null(strstr(json, "\"embed_error\""));
	wk_free(json);
	wk_ask_result_free(r);
	wk_asker_free(strict);
	wk_asker_free(lenient);
	wk_index_free(ix);
	wk_doc_free(d);
}

/* Requests sent to /v1/chat/completions, and the user message of the last one. */
static int rerank_requests(const mk_fake *f, char *last, size_t cap)
{
	json_t *all = mk_fake_requests(f), *line;
	size_t i;
	int n = 0;
	json_array_foreach(all, i, line) {
		if (strcmp(json_string_value(json_object_get(line, "path")), "/v1/chat/completions"))
			continue;
		n++;
		json_t *msgs = json_object_get(json_object_get(line, "body"), "messages");
		const char *u = json_string_value(json_object_get(json_array_get(msgs, 1), "content"));
		snprintf(last, cap, "%s", u ? u : "");
	}
	json_decref(all);
	return n;
}

static void test_the_chat_model_reranks_the_best_candidates_before_selection(void **state)
{
	mk_fake *f = *state;
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 3);
	const char *texts[] = {
		"Parked bicycles blocked the gate; parked bicycles were moved by noon.",
		"An automobile stood by the north entrance all night, parked there by a guard.",
		"The gallery closed early because of the storm warning.",
	};
	for (int i = 0; i < 3; i++) {
		wk_unit *u = wk_doc_add_unit(d, WK_UNIT_TEXT);
		u->text = wk_doc_str(d, texts[i]);
		wk_doc_add_box(d, u, (wk_box){i + 1, 72, 100, 500, 140});
	}
	wk_doc_finish(d);
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	const char *q = "Which vehicle was parked?";
	wk_ask_opts ao;
	wk_ask_opts_init(&ao);
	wk_selection *plain = NULL, *ranked = NULL;
	assert_int_equal(wk_sample(ix, q, &ao, &plain, NULL), WK_OK);
	assert_int_equal(best_idx(plain), 0); /* "parked" twice in a short unit */

	wk_llm_opts judge;
	wk_llm_opts_init(&judge);
	judge.url = f->url;
	judge.model = "rank";
	judge.max_attempts = 1;
	ao.rerank = &judge;
	ao.rerank_top = 2;
	char last[4096] = "";
	int before = rerank_requests(f, last, sizeof last);
	assert_int_equal(wk_sample(ix, q, &ao, &ranked, NULL), WK_OK);
	assert_int_equal(rerank_requests(f, last, sizeof last), before + 1);
	assert_non_null(strstr(last, "Question: Which vehicle was parked?"));
	assert_non_null(strstr(last, "[2] "));
	assert_null(strstr(last, "[3] ")); /* rerank_top passages, no more */
	assert_int_equal(best_idx(ranked), 1); /* the judge knows an automobile is a vehicle */

	wk_selection *none = NULL;
	wk_error err = {0};
	judge.model = "fail-500";
	assert_int_equal(wk_sample(ix, q, &ao, &none, &err), WK_EHTTP);
	assert_null(none);
	judge.model = "refuse"; /* words, but no rating */
	assert_int_equal(wk_sample(ix, q, &ao, &none, &err), WK_EPROTO);
	assert_non_null(strstr(err.message, "rates no passage"));
	wk_selection_free(plain);
	wk_selection_free(ranked);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_the_cli_embeds_a_document_once_and_then_only_its_questions(void **state)
{
	mk_fake *f = *state;
	char pdf[512];
	snprintf(pdf, sizeof pdf, "%s", mk_tmp_path("zebra.pdf"));
	mk_serve_zebra_pdf(pdf);
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	int requests, before = inputs_sent(f, &requests);
	mk_run_wukong(&lim, &r, "ask", pdf, "How many zebras were counted?", "--embed", f->url,
	              "--embed-model", "cli", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"evidence\""));
	int first = inputs_sent(f, &requests) - before;
	assert_true(first > 2); /* every unit, and the question */
	mk_result_free(&r);
	mk_run_wukong(&lim, &r, "ask", pdf, "Where do the zebras graze?", "--embed", f->url,
	              "--embed-model", "cli", "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(inputs_sent(f, &requests) - before - first, 1); /* the question only */
	mk_result_free(&r);
	mk_run_wukong(&lim, &r, "ask", pdf, "Where?", "--embed", f->url, "--embed-model",
	              "fail-500", NULL);
	assert_int_equal(r.status, 3); /* the model backend failed */
	assert_int_equal(mk_lines(r.err), 1);
	assert_non_null(strstr(r.err, "gave up after"));
	mk_result_free(&r);
}


/* ---- vectors in the library, on SQLite and (with $WK_TEST_PG) on PostgreSQL ---- */

static int pg_pass; /* 1: the libraries are PostgreSQL schemas */

/* The library named `name`: a file, or in the PostgreSQL pass a schema of its own. */
static const char *library(const char *name)
{
	static char path[2100];
	snprintf(path, sizeof path, "%s", pg_pass ? pg_test_library(mk_tmp_path(name))
	                                          : mk_tmp_path(name));
	return path;
}

/* Rows of the library's vectors table, -1 when it cannot be read. */
static long vector_rows(const char *db)
{
	if (pg_pass)
		return pg_test_scalar(db, "SELECT count(*) FROM vectors");
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM vectors", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* A one-page PDF of the given lines. */
static void lines_pdf(const char *path, const char *const *lines, int n)
{
	mk_pdf *p = mk_new();
	mk_page(p, 612, 792);
	for (int i = 0; i < n; i++)
		mk_text(p, "Times-Roman", 11, 72, 100 + 40 * (float)i, lines[i]);
	mk_save(p, path, NULL);
}

/* Runs `wukong ask` on the library with the fake encoder `model`: inputs embedded. */
static int ask_inputs(const mk_fake *f, const char *db, const char *doc, const char *q,
                      const char *model, mk_result *r)
{
	mk_limits lim = {.wall_seconds = 60};
	int requests, before = inputs_sent(f, &requests);
	if (doc)
		mk_run_wukong(&lim, r, "ask", "--db", db, doc, q, "--embed", f->url, "--embed-model",
		              model, "--json", NULL);
	else
		mk_run_wukong(&lim, r, "ask", "--db", db, "--library", q, "--embed", f->url,
		              "--embed-model", model, "--json", NULL);
	if (r->status != 0)
		fail_msg("ask: status %d: %s", r->status, r->err);
	return inputs_sent(f, &requests) - before;
}

static void test_add_embed_stores_vectors_so_library_questions_send_only_themselves(void **state)
{
	mk_fake *f = *state;
	char pdf[512];
	snprintf(pdf, sizeof pdf, "%s", mk_tmp_path("zebra.pdf"));
	mk_serve_zebra_pdf(pdf);
	const char *name = strrchr(pdf, '/') + 1;
	char db[2100];
	snprintf(db, sizeof db, "%s", library("vectors.db"));
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	int requests, before = inputs_sent(f, &requests);
	mk_run_wukong(&lim, &r, "add", "--db", db, pdf, "--embed", f->url, "--embed-model", "lib",
	              NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "units embedded"));
	int units = inputs_sent(f, &requests) - before;
	assert_true(units > 2);
	assert_int_equal(vector_rows(db), 1);
	mk_result_free(&r);
	/* one document, then the whole library: the question alone goes to the server */
	assert_int_equal(ask_inputs(f, db, name, "Where do the zebras graze?", "lib", &r), 1);
	assert_non_null(strstr(r.out, "\"evidence\""));
	mk_result_free(&r);
	assert_int_equal(ask_inputs(f, db, name, "How many zebras were counted?", "lib", &r), 1);
	mk_result_free(&r);
	assert_int_equal(ask_inputs(f, db, NULL, "How many zebras were counted?", "lib", &r), 1);
	assert_non_null(strstr(r.out, "zebra.pdf"));
	mk_result_free(&r);
	/* another model: embedded again once, kept beside the first */
	assert_int_equal(ask_inputs(f, db, name, "Where do they graze?", "lib2", &r), units + 1);
	mk_result_free(&r);
	assert_int_equal(ask_inputs(f, db, name, "Where do they graze?", "lib2", &r), 1);
	mk_result_free(&r);
	assert_int_equal(vector_rows(db), 2);
	/* adding the unchanged file with a third model adds that model's vectors only */
	before = inputs_sent(f, &requests);
	mk_run_wukong(&lim, &r, "add", "--db", db, pdf, "--embed", f->url, "--embed-model", "lib3",
	              NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(inputs_sent(f, &requests) - before, units);
	assert_int_equal(vector_rows(db), 3);
	mk_result_free(&r);
	mk_run_wukong(&lim, &r, "add", "--db", db, pdf, "--embed", f->url, "--embed-model", "lib3",
	              NULL);
	assert_int_equal(inputs_sent(f, &requests) - before, units); /* nothing more */
	mk_result_free(&r);
	/* a copy of the library takes the vectors of every model with the documents */
	char copy[2100];
	snprintf(copy, sizeof copy, "%s", library("vectors-copy.db"));
	mk_run_wukong(&lim, &r, "add", "--db", copy, "--from", db, NULL);
	assert_int_equal(r.status, 0);
	mk_result_free(&r);
	assert_int_equal(vector_rows(copy), 3);
	assert_int_equal(ask_inputs(f, copy, name, "Where do they graze?", "lib2", &r), 1);
	mk_result_free(&r);
	mk_run_wukong(&lim, &r, "rm", "--db", db, name, NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(vector_rows(db), 0); /* the vectors go with their document */
	mk_result_free(&r);
}

static void test_a_library_question_sharing_no_word_finds_its_document_by_vectors(void **state)
{
	mk_fake *f = *state;
	const char *museum_lines[] = {
		"An automobile was parked beside the north entrance during the whole night.",
		"Visitors praised the new lighting of the sculpture gallery.",
	};
	const char *budget_lines[] = {
		"The committee met in March to review the annual budget.",
		"Ticket prices stayed the same for students and retired visitors.",
	};
	char a[512], b[512];
	snprintf(a, sizeof a, "%s", mk_tmp_path("museum.pdf"));
	snprintf(b, sizeof b, "%s", mk_tmp_path("budget.pdf"));
	lines_pdf(a, museum_lines, 2);
	lines_pdf(b, budget_lines, 2);
	char db[2100];
	snprintf(db, sizeof db, "%s", library("synonyms.db"));
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	mk_run_wukong(&lim, &r, "add", "--db", db, a, b, "--embed", f->url, "--embed-model", "syn",
	              NULL);
	assert_int_equal(r.status, 0);
	mk_result_free(&r);
	const char *q = "Where was the car left?"; /* the text says "automobile", "parked" */
	mk_run_wukong(&lim, &r, "ask", "--db", db, "--library", q, "--json", NULL);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "automobile")); /* no word in common: nothing lexically */
	mk_result_free(&r);
	assert_int_equal(ask_inputs(f, db, NULL, q, "syn", &r), 1);
	if (!strstr(r.out, "automobile"))
		fail_msg("%s", r.out);
	assert_non_null(strstr(r.out, "museum.pdf"));
	mk_result_free(&r);
	/* the server down: exit 3 in one line, as for a file */
	mk_run_wukong(&lim, &r, "ask", "--db", db, "--library", q, "--embed", f->url,
	              "--embed-model", "fail-500", NULL);
	assert_int_equal(r.status, 3);
	assert_int_equal(mk_lines(r.err), 1);
	mk_result_free(&r);
	mk_run_wukong(&lim, &r, "add", "--db", db, a, "--embed", f->url, "--embed-model",
	              "fail-500", NULL);
	assert_int_equal(r.status, 3); /* known content without that model's vectors: tried */
	assert_non_null(strstr(r.err, "added without vectors"));
	mk_result_free(&r);
}

/* ---- serve: the configured backends, and /healthz ---- */

static void test_serve_samples_with_the_embedding_server_and_healthz_reports_both(void **state)
{
	mk_fake *f = *state;
	char pdf[512], db[2100], log[512];
	snprintf(pdf, sizeof pdf, "%s", mk_tmp_path("zebra.pdf"));
	mk_serve_zebra_pdf(pdf);
	snprintf(db, sizeof db, "%s", library("serve.db"));
	snprintf(log, sizeof log, "%s", mk_tmp_path("serve.log"));
	setenv("WUKONG_API_KEY", "sk-never-shown", 1);
	setenv("WUKONG_EMBED_MODEL", "served", 1); /* the environment, under the flags */
	mk_server srv;
	mk_server_start(&srv, log, "--db", db, "--embed", f->url, "--llm", f->url, "--model",
	                "chatty", NULL);
	unsetenv("WUKONG_API_KEY");
	unsetenv("WUKONG_EMBED_MODEL");
	mk_reply h = mk_http(&srv, "GET", "/healthz", NULL, 0, NULL);
	assert_int_equal(h.status, 200);
	json_t *j = json_loads(h.body, 0, NULL);
	json_t *b = json_object_get(j, "backends");
	json_t *chat = json_object_get(b, "chat"), *emb = json_object_get(b, "embeddings");
	assert_true(json_is_true(json_object_get(chat, "reachable")));
	assert_string_equal(json_string_value(json_object_get(chat, "model")), "chatty");
	assert_true(json_is_true(json_object_get(emb, "reachable")));
	assert_string_equal(json_string_value(json_object_get(emb, "model")), "served");
	assert_string_equal(json_string_value(json_object_get(b, "scorer")), "hybrid");
	assert_null(strstr(h.body, "sk-never-shown"));
	json_decref(j);
	free(h.body);
	/* an upload, then questions: the document is embedded once, then only questions */
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(pdf, 0, &data, &len, NULL), WK_OK);
	mk_reply up = mk_http(&srv, "POST", "/v1/documents?name=zebra.pdf", data, len,
	                      "application/pdf");
	assert_true(up.status == 201 || up.status == 200);
	free(up.body);
	free(data);
	int requests, before = inputs_sent(f, &requests);
	mk_reply a = mk_post_json(&srv, "/v1/ask", "{\"question\": \"Where do the zebras graze?\"}");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"evidence\""));
	free(a.body);
	int first = inputs_sent(f, &requests) - before;
	assert_true(first > 2);
	a = mk_post_json(&srv, "/v1/ask", "{\"question\": \"How many zebras were counted?\"}");
	assert_int_equal(a.status, 200);
	free(a.body);
	assert_int_equal(inputs_sent(f, &requests) - before - first, 1);
	mk_server_stop(&srv);
	/* nothing listens at the embedding URL: configured, not reachable; no chat model */
	mk_server_start(&srv, log, "--db", db, "--embed", "http://127.0.0.1:1/v1", NULL);
	h = mk_http(&srv, "GET", "/healthz", NULL, 0, NULL);
	j = json_loads(h.body, 0, NULL);
	b = json_object_get(j, "backends");
	emb = json_object_get(b, "embeddings");
	assert_true(json_is_true(json_object_get(emb, "configured")));
	assert_true(json_is_false(json_object_get(emb, "reachable")));
	assert_true(json_is_false(json_object_get(json_object_get(b, "chat"), "configured")));
	json_decref(j);
	free(h.body);
	/* ... and questions are still answered, lexically, saying why */
	a = mk_post_json(&srv, "/v1/ask", "{\"question\": \"Where do the zebras graze?\"}");
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"embed_error\""));
	assert_non_null(strstr(a.body, "\"evidence\""));
	free(a.body);
	mk_server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embeddings_come_in_batches_as_unit_vectors),
		cmocka_unit_test(test_unit_vectors_are_kept_so_a_second_question_sends_only_itself),
		cmocka_unit_test(test_a_question_sharing_no_word_finds_its_unit_through_embeddings),
		cmocka_unit_test(test_each_embedding_failure_gives_its_code_and_one_line),
		cmocka_unit_test(test_a_model_of_another_dimension_is_an_error_not_a_wrong_answer),
		cmocka_unit_test(test_hybrid_without_vectors_or_server_is_refused_and_lexical_sends_nothing),
		cmocka_unit_test(test_with_the_fallback_a_dead_embedding_server_costs_the_scorer_not_the_answer),
		cmocka_unit_test(test_the_chat_model_reranks_the_best_candidates_before_selection),
		cmocka_unit_test(test_the_cli_embeds_a_document_once_and_then_only_its_questions),
		cmocka_unit_test(test_add_embed_stores_vectors_so_library_questions_send_only_themselves),
		cmocka_unit_test(test_a_library_question_sharing_no_word_finds_its_document_by_vectors),
		cmocka_unit_test(test_serve_samples_with_the_embedding_server_and_healthz_reports_both),
	};
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test(test_add_embed_stores_vectors_so_library_questions_send_only_themselves),
		cmocka_unit_test(test_a_library_question_sharing_no_word_finds_its_document_by_vectors),
		cmocka_unit_test(test_serve_samples_with_the_embedding_server_and_healthz_reports_both),
	};
	int failed = cmocka_run_group_tests_name("embeddings", tests, setup, teardown);
	if (!pg_test_uri())
		return failed;
	pg_pass = 1;
	return failed + cmocka_run_group_tests_name("library vectors on PostgreSQL", pg_tests, setup,
	                                            teardown);
}
