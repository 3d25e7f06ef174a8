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

/* A string field of a JSON reply ("" when absent); kept until the next call. */
static const char *field(const mk_reply *r, const char *key)
{
	static char value[256];
	json_t *j = json_loads(r->body, 0, NULL);
	const char *s = json_string_value(json_object_get(j, key));
	snprintf(value, sizeof value, "%s", s ? s : "");
	json_decref(j);
	return value;
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
	assert_string_equal(field(&r, "password"), "needed");
	assert_null(strstr(r.body, "s3cret"));
	free(r.body);
	free(data);
}

/* 1 when the file at `path` holds `needle` anywhere (a missing file holds nothing). */
static int file_holds(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	if (wk_read_file(path, 0, &data, &len, NULL) != WK_OK)
		return 0;
	int found = memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

#define SECRET "Tr0ub4dor-pw"

/* The page sends the password as a form field after the first 422: a wrong one is its own
 * 422; the right one adds the document, whose pages then render with no password (the
 * kept copy is decrypted), and the password is in no log, library or kept file. */
static void test_an_encrypted_upload_with_its_password_is_added_and_never_kept(void **state)
{
	(void)state;
	char locked[700], path[800];
	snprintf(locked, sizeof locked, "%s/vault.pdf", dir);
	mkh_valid(locked, 1, SECRET);
	mk_reply r = mk_send(&srv, (mk_request){.method = "POST", .path = "/v1/documents",
	                                        .file = locked, .field = "password=guess"});
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "vault.pdf: wrong password"));
	assert_string_equal(field(&r, "password"), "wrong");
	free(r.body);
	r = mk_send(&srv, (mk_request){.method = "POST", .path = "/v1/documents", .file = locked,
	                               .field = "password=" SECRET});
	if (r.status != 201)
		fail_msg("status %ld: %s", r.status, r.body);
	json_t *rec = json_loads(r.body, 0, NULL);
	free(r.body);
	char png[200];
	snprintf(png, sizeof png, "/v1/documents/%s/pages/1.png",
	         json_string_value(json_object_get(rec, "id")));
	r = mk_get(&srv, png);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "image/png");
	free(r.body);
	/* The raw upload's header works too: the same content, already there. */
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(locked, 0, &data, &len, NULL), WK_OK);
	r = mk_send(&srv, (mk_request){.method = "POST", .path = "/v1/documents?name=vault.pdf",
	                               .body = data, .len = len,
	                               .header = "X-PDF-Password: " SECRET});
	assert_int_equal(r.status, 200);
	assert_string_equal(field(&r, "status"), "unchanged");
	free(r.body);
	free(data);
	const char *kept[] = {"serve.log", "lib.db", "lib.db-wal", "lib.db-journal"};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
		assert_false(file_holds(path, SECRET));
	}
	snprintf(path, sizeof path, "%s/lib.db.pdfs/%s.pdf", dir,
	         json_string_value(json_object_get(rec, "hash")));
	char *copy = NULL;
	assert_int_equal(wk_read_file(path, 0, &copy, &len, NULL), WK_OK);
	assert_null(memmem(copy, len, "/Encrypt", 8)); /* kept decrypted */
	assert_null(memmem(copy, len, SECRET, strlen(SECRET)));
	free(copy);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_request_fields_are_a_400_naming_the_field),
		cmocka_unit_test(test_numbers_and_documents_are_written_as_the_command_line_writes_them),
		cmocka_unit_test(test_an_encrypted_upload_is_a_422_asking_for_the_password),
		cmocka_unit_test(test_an_encrypted_upload_with_its_password_is_added_and_never_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
