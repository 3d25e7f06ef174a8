/* test_api.c: the HTTP API as a client sees it, against a real `wukong serve` process:
 * one JSON number format shared with the command line, one shape for a document in an
 * evidence item, unknown request fields refused by name, encrypted uploads refused with
 * a clear 422. Documents are built here (tests/support). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/util/util.h"
#include "support/mkhostile.h"
#include "support/mkhttp.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"
#include "support/mkserve.h"

#define QUESTION "How many zebra animals did the population grow to in 2019?"

static char dir[512], db[600], pdf[600];
static mk_server srv;
static const mk_limits limits = {.wall_seconds = 120};

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-api"));
	mkdir(dir, 0755);
	snprintf(db, sizeof db, "%s/lib.db", dir);
	snprintf(pdf, sizeof pdf, "%s/zebra.pdf", dir);
	mk_serve_zebra_pdf(pdf);
	mk_result r;
	mk_run_wukong(&limits, &r, "add", "--db", db, pdf, NULL);
	int st = r.status;
	mk_result_free(&r);
	char log[700];
	snprintf(log, sizeof log, "%s/serve.log", dir);
	mk_server_start(&srv, log, "--db", db, NULL);
	return st;
}

static int teardown(void **state)
{
	(void)state;
	return mk_server_stop(&srv);
}

static void test_unknown_request_fields_are_a_400_naming_the_field(void **state)
{
	(void)state;
	mk_reply r = mk_post_json(&srv, "/v1/ask", "{\"question\": \"zebra?\", \"doc\": \"x\"}");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "unknown field \\\"doc\\\""));
	free(r.body);
	r = mk_post_json(&srv, "/v1/ask", "{\"question\": \"zebra?\", \"doc_id\": null}");
	assert_int_equal(r.status, 200);
	free(r.body);
}

/* The digits of a JSON number's text before any exponent, without sign, point and the
 * leading zeros: its significant digits. */
static int significant(const char *num)
{
	int n = 0, started = 0;
	for (const char *p = num; *p && *p != 'e' && *p != 'E'; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		started |= *p != '0';
		n += started;
	}
	return n;
}

static void test_numbers_and_documents_are_written_as_the_command_line_writes_them(void **state)
{
	(void)state;
	mk_reply api = mk_post_json(&srv, "/v1/ask", "{\"question\": \"" QUESTION "\"}");
	assert_int_equal(api.status, 200);
	/* every number with a fraction has at most 6 significant digits */
	for (const char *p = api.body; (p = strpbrk(p, "0123456789")); ) {
		size_t n = strspn(p, "0123456789.eE-+");
		char num[64];
		snprintf(num, sizeof num, "%.*s", (int)(n < 63 ? n : 63), p);
		if (strchr(num, '.') && p[-1] != '"')
			assert_true(significant(num) <= 6);
		p += n;
	}
	mk_result cli;
	mk_run_wukong(&limits, &cli, "ask", "--db", db, "--library", QUESTION, "--json", NULL);
	assert_int_equal(cli.status, 0);
	json_t *a = json_loads(api.body, 0, NULL), *c = json_loads(cli.out, 0, NULL);
	json_t *ea = json_object_get(a, "evidence"), *ec = json_object_get(c, "evidence");
	assert_true(json_array_size(ea) > 0);
	assert_int_equal(json_array_size(ea), json_array_size(ec));
	for (size_t i = 0; i < json_array_size(ea); i++) {
		json_t *ia = json_array_get(ea, i), *ic = json_array_get(ec, i);
		/* the same text for the same numbers: bbox and score */
		char *ba = json_dumps(json_object_get(ia, "bbox"), JSON_COMPACT);
		char *bc = json_dumps(json_object_get(ic, "bbox"), JSON_COMPACT);
		assert_string_equal(ba, bc);
		free(ba);
		free(bc);
		assert_true(json_real_value(json_object_get(ia, "score")) ==
		            json_real_value(json_object_get(ic, "score")));
		/* one shape for the document: doc {id, title, path}, no doc_id */
		json_t *d = json_object_get(ia, "doc");
		assert_int_equal(strlen(json_string_value(json_object_get(d, "id"))), 16);
		assert_non_null(json_object_get(d, "title"));
		assert_non_null(json_object_get(d, "path"));
		assert_null(json_object_get(ia, "doc_id"));
		assert_string_equal(json_string_value(json_object_get(d, "id")),
		                    json_string_value(json_object_get(json_object_get(ic, "doc"), "id")));
	}
	json_decref(a);
	json_decref(c);
	mk_result_free(&cli);
	free(api.body);
}

static void test_an_encrypted_upload_is_a_422_asking_for_the_password(void **state)
{
	(void)state;
	char locked[700];
	snprintf(locked, sizeof locked, "%s/locked.pdf", dir);
	mkh_valid(locked, 1, "s3cret");
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(locked, 0, &data, &len, NULL), WK_OK);
	mk_reply r = mk_http(&srv, "POST", "/v1/documents?name=locked.pdf", data, len,
	                     "application/pdf");
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "encrypted: a password is needed"));
	assert_null(strstr(r.body, "s3cret"));
	free(r.body);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_request_fields_are_a_400_naming_the_field),
		cmocka_unit_test(test_numbers_and_documents_are_written_as_the_command_line_writes_them),
		cmocka_unit_test(test_an_encrypted_upload_is_a_422_asking_for_the_password),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
