/* test_ask.c: `wukong ask` end to end on a PDF written here: plain and JSON output,
 * batch questions, bad input and exit statuses, and the parse cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "support/mkpdf.h"

static char pdf_path[1024];

/* Two pages: a paragraph about bridges on page 1, one about glaciers on page 2. */
static int make_pdf(void **state)
{
	(void)state;
	snprintf(pdf_path, sizeof pdf_path, "%s", mk_tmp_path("ask.pdf"));
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Helvetica-Bold", 16, 72, 90, "1 Bridges of the City");
	const char *p1[] = {"The old stone bridge opened in 1932 after six years of work.",
	                    "Its main span measures 503 metres between the two towers.",
	                    "Traffic on the bridge doubled during the following decade."};
	for (int i = 0; i < 3; i++)
		mk_text(pdf, "Times-Roman", 11, 72, 130 + 14 * i, p1[i]);
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Helvetica-Bold", 16, 72, 90, "2 Glaciers in the Alps");
	const char *p2[] = {"Glacier retreat accelerated sharply after 1990 in the Alps.",
	                    "The largest glacier lost a third of its volume since then.",
	                    "Meltwater now feeds several new lakes in the high valleys."};
	for (int i = 0; i < 3; i++)
		mk_text(pdf, "Times-Roman", 11, 72, 130 + 14 * i, p2[i]);
	mk_save(pdf, pdf_path, NULL);
	return 0;
}

typedef struct run_result {
	int status;
	char *out, *err;
} run_result;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	return s;
}

/* Runs `wukong ask <args>` through the shell; args are already quoted. */
static run_result run_ask(const char *args)
{
	char out[1024], err[1024], cmd[8192];
	snprintf(out, sizeof out, "%s", mk_tmp_path("out.txt"));
	snprintf(err, sizeof err, "%s", mk_tmp_path("err.txt"));
	snprintf(cmd, sizeof cmd, "'%s' ask %s >'%s' 2>'%s'", getenv("WK_BIN"), args, out, err);
	int st = system(cmd);
	run_result r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out), slurp(err)};
	return r;
}

static void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

static void test_plain_answer_cites_the_page(void **state)
{
	(void)state;
	char args[2048];
	snprintf(args, sizeof args, "'%s' 'How long is the main span of the bridge?'", pdf_path);
	run_result r = run_ask(args);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "503 metres"));
	assert_non_null(strstr(r.out, "page 1"));
	assert_non_null(strstr(r.out, "Evidence:"));
	run_free(&r);
}

static void test_json_output_follows_docs_ask_md(void **state)
{
	(void)state;
	char args[2048];
	snprintf(args, sizeof args, "'%s' 'When did glacier retreat accelerate?' --json --budget 64",
	         pdf_path);
	run_result r = run_ask(args);
	assert_int_equal(r.status, 0);
	json_t *o = json_loads(r.out, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "question")),
	                    "When did glacier retreat accelerate?");
	assert_non_null(strstr(json_string_value(json_object_get(o, "answer")), "1990"));
	json_t *ev = json_object_get(o, "evidence");
	assert_true(json_array_size(ev) > 0);
	int tokens = 0, on_page2 = 0;
	size_t i;
	json_t *e;
	json_array_foreach(ev, i, e)
	{
		tokens += (int)json_integer_value(json_object_get(e, "tokens"));
		on_page2 |= json_integer_value(json_object_get(e, "page")) == 2;
		assert_true(json_is_array(json_object_get(e, "bbox")));
		assert_true(json_is_string(json_object_get(e, "text")));
		assert_true(json_is_number(json_object_get(e, "score")));
	}
	assert_true(on_page2);
	assert_true(tokens <= 64);
	assert_int_equal(tokens, json_integer_value(json_object_get(o, "tokens")));
	assert_true(json_is_object(json_object_get(o, "ms")));
	json_decref(o);
	run_free(&r);
}

static void test_batch_answers_in_order_and_reports_bad_lines(void **state)
{
	(void)state;
	const char *qpath = mk_tmp_path("q.jsonl");
	FILE *f = fopen(qpath, "w");
	fprintf(f, "{\"question\": \"When did glacier retreat accelerate?\", \"id\": 7}\n");
	fprintf(f, "this is not json\n");
	fprintf(f, "{\"question\": \"How long is the main span of the bridge?\"}\n");
	fprintf(f, "{\"question\": \"   \"}\n");
	fclose(f);
	char args[2048];
	snprintf(args, sizeof args, "'%s' --questions '%s' --json", pdf_path, qpath);
	run_result r = run_ask(args);
	assert_int_equal(r.status, 1); /* partial: bad lines were skipped */
	assert_non_null(strstr(r.err, ":2:"));
	assert_non_null(strstr(r.err, ":4:"));
	char *nl = strchr(r.out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	json_t *a = json_loads(r.out, 0, NULL), *b = json_loads(nl + 1, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strstr(json_string_value(json_object_get(a, "question")), "glacier"));
	assert_non_null(strstr(json_string_value(json_object_get(b, "question")), "bridge"));
	json_decref(a);
	json_decref(b);
	run_free(&r);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_bad_input_exits_2_with_a_message(void **state)
{
	(void)state;
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char args[8192];
	const char *cases[] = {"''", "'   '", "\"$(printf 'caf\\303')\"", NULL};
	for (int k = 0; cases[k]; k++) {
		snprintf(args, sizeof args, "'%s' %s", pdf_path, cases[k]);
		run_result r = run_ask(args);
		assert_int_equal(r.status, 2);
		assert_true(strlen(r.err) > 10);
		assert_int_equal(count_lines(r.err), 1);
		run_free(&r);
	}
	snprintf(args, sizeof args, "'%s' '%s'", pdf_path, big);
	run_result r = run_ask(args);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "too long"));
	run_free(&r);
	snprintf(args, sizeof args, "'%s' 'bridge?' --budget 10", pdf_path);
	r = run_ask(args);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "budget"));
	run_free(&r);
	snprintf(args, sizeof args, "'%s' --questions /nonexistent/q.jsonl", pdf_path);
	r = run_ask(args);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "/nonexistent/q.jsonl"));
	run_free(&r);
	r = run_ask("/nonexistent/file.pdf 'bridge?'");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "/nonexistent/file.pdf"));
	run_free(&r);
}

/* The cache entry's path under $XDG_CACHE_HOME/wukong, "" when there is none. */
static void cache_entry(char *out, size_t cap)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/wukong", getenv("XDG_CACHE_HOME"));
	out[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".json"))
			snprintf(out, cap, "%s/%s", dir, e->d_name);
	closedir(d);
}

static void test_parse_cache_is_used_and_a_corrupt_entry_rewritten(void **state)
{
	(void)state;
	/* A cache of its own: other test programs share the run's cache folder, and the
	 * entry looked at below must be this document's. */
	char cache_home[1024];
	snprintf(cache_home, sizeof cache_home, "%s/ask-cache-%ld",
	         getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp", (long)getpid());
	setenv("XDG_CACHE_HOME", cache_home, 1);
	char args[2048];
	snprintf(args, sizeof args, "'%s' 'bridge span?' --json", pdf_path);
	run_result r = run_ask(args);
	assert_int_equal(r.status, 0);
	run_free(&r);
	char entry[2048];
	cache_entry(entry, sizeof entry);
	assert_true(entry[0] != '\0');
	char *good = slurp(entry);
	assert_non_null(strstr(good, "503 metres"));
	FILE *f = fopen(entry, "w");
	fputs("{\"format\": garbage", f);
	fclose(f);
	r = run_ask(args);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "503 metres"));
	run_free(&r);
	char *again = slurp(entry);
	assert_string_equal(again, good);
	free(good);
	free(again);
}

int main(void)
{
	if (!getenv("WK_BIN")) {
		fprintf(stderr, "test_ask: WK_BIN is not set (run through tests/run.sh)\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_answer_cites_the_page),
		cmocka_unit_test(test_json_output_follows_docs_ask_md),
		cmocka_unit_test(test_batch_answers_in_order_and_reports_bad_lines),
		cmocka_unit_test(test_bad_input_exits_2_with_a_message),
		cmocka_unit_test(test_parse_cache_is_used_and_a_corrupt_entry_rewritten),
	};
	return cmocka_run_group_tests(tests, make_pdf, NULL);
}
