/* test_ask_service.c: one ask service (wk_ask) behind every way of asking: the same
 * question about the same document gets the same evidence and the same answer from
 * `wukong ask FILE`, `ask DOC` and `ask --library` over a library, `wukong eval`, and
 * POST /v1/ask of a running `wukong serve`. The document is built here (mkserve). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support/mkhttp.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"
#include "support/mkserve.h"

#define QUESTION "How many zebra animals did the population grow to in 2019?"

static char dir[512], pdf[600], db[600];
static const mk_limits limits = {.wall_seconds = 120};

/* "idx@page,idx@page,..." of an ask JSON's evidence, and its answer. */
typedef struct seen {
	char evidence[1024];
	char answer[1024];
	char pages[256]; /* the evidence's pages, ascending, each once: "1,2" */
} seen;

static void pages_of(json_t *ev, char *out, size_t size)
{
	int on[64] = {0};
	for (size_t i = 0; i < json_array_size(ev); i++) {
		json_int_t p = json_integer_value(json_object_get(json_array_get(ev, i), "page"));
		if (p > 0 && p < 64)
			on[p] = 1;
	}
	size_t n = 0;
	out[0] = '\0';
	for (int p = 1; p < 64; p++)
		if (on[p])
			n += (size_t)snprintf(out + n, size - n, "%s%d", n ? "," : "", p);
}

static seen from_json(const char *text)
{
	seen s = {0};
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	json_t *ev = json_object_get(j, "evidence");
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(ev); i++) {
		json_t *item = json_array_get(ev, i);
		n += (size_t)snprintf(s.evidence + n, sizeof s.evidence - n, "%lld@%lld,",
		                      (long long)json_integer_value(json_object_get(item, "idx")),
		                      (long long)json_integer_value(json_object_get(item, "page")));
	}
	snprintf(s.answer, sizeof s.answer, "%s", json_string_value(json_object_get(j, "answer")));
	pages_of(ev, s.pages, sizeof s.pages);
	json_decref(j);
	return s;
}

static seen ask_cli(const char *what, int library)
{
	mk_result r;
	if (library)
		mk_run_wukong(&limits, &r, "ask", "--db", db, "--library", QUESTION, "--json", NULL);
	else
		mk_run_wukong(&limits, &r, "ask", "--db", db, what, QUESTION, "--json", NULL);
	assert_int_equal(r.status, 0);
	seen s = from_json(r.out);
	mk_result_free(&r);
	return s;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-service"));
	mkdir(dir, 0755);
	snprintf(pdf, sizeof pdf, "%s/zebra-survey.pdf", dir);
	snprintf(db, sizeof db, "%s/lib.db", dir);
	mk_serve_zebra_pdf(pdf);
	mk_result r;
	mk_run_wukong(&limits, &r, "add", "--db", db, pdf, NULL);
	int st = r.status;
	mk_result_free(&r);
	return st;
}

static void test_ask_library_eval_and_serve_give_the_same_evidence_and_answer(void **state)
{
	(void)state;
	seen file = ask_cli(pdf, 0);
	assert_non_null(strstr(file.evidence, "@"));
	assert_non_null(strstr(file.answer, "4213"));

	seen by_name = ask_cli("zebra-survey", 0); /* the library document, by its stem */
	assert_string_equal(by_name.evidence, file.evidence);
	assert_string_equal(by_name.answer, file.answer);
	seen library = ask_cli(NULL, 1);
	assert_string_equal(library.evidence, file.evidence);
	assert_string_equal(library.answer, file.answer);

	/* eval: the answer and the pages of its evidence */
	char questions[700], details[700];
	snprintf(questions, sizeof questions, "%s/q.jsonl", dir);
	snprintf(details, sizeof details, "%s/details.jsonl", dir);
	FILE *f = fopen(questions, "w");
	fprintf(f, "{\"doc_id\": \"zebra-survey.pdf\", \"question\": \"%s\", \"answer\": \"4213\", "
	           "\"evidence_pages\": \"[1]\", \"evidence_sources\": \"['Pure-text']\", "
	           "\"answer_format\": \"Int\", \"doc_type\": \"Report\"}\n", QUESTION);
	fclose(f);
	mk_result r;
	mk_run_wukong(&limits, &r, "eval", questions, "--docs", dir, "--details", details,
	              "--quiet", NULL);
	assert_int_equal(r.status, 0);
	mk_result_free(&r);
	char *line = NULL;
	size_t cap = 0;
	f = fopen(details, "r");
	assert_true(getline(&line, &cap, f) > 0);
	fclose(f);
	json_t *d = json_loads(line, 0, NULL);
	free(line);
	assert_string_equal(json_string_value(json_object_get(d, "answer")), file.answer);
	json_t *picked = json_object_get(d, "pages_by_score");
	json_t *as_items = json_array();
	for (size_t i = 0; i < json_array_size(picked); i++)
		json_array_append_new(as_items, json_pack("{s:O}", "page", json_array_get(picked, i)));
	char eval_pages[256];
	pages_of(as_items, eval_pages, sizeof eval_pages);
	assert_string_equal(eval_pages, file.pages);
	json_decref(as_items);
	json_decref(d);

	/* serve, over the same library */
	char log[700], body[400];
	snprintf(log, sizeof log, "%s/serve.log", dir);
	mk_server s;
	mk_server_start(&s, log, "--db", db, NULL);
	mk_reply rep = mk_post_json(&s, "/v1/ask", "{\"question\": \"" QUESTION "\"}");
	assert_int_equal(rep.status, 200);
	seen served = from_json(rep.body);
	free(rep.body);
	assert_string_equal(served.evidence, file.evidence);
	assert_string_equal(served.answer, file.answer);
	snprintf(body, sizeof body, "{\"question\": \"%s\", \"budget\": 2048}", QUESTION);
	rep = mk_post_json(&s, "/v1/ask", body);
	assert_string_equal(from_json(rep.body).evidence, file.evidence);
	free(rep.body);
	assert_int_equal(mk_server_stop(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ask_library_eval_and_serve_give_the_same_evidence_and_answer),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
