/* test_cli.c: the `wukong` command as a user types it ($WK_BIN): one option parser for
 * every subcommand (options anywhere, "--" ends them, one-line errors naming the option),
 * and the behaviours of the command line that issue 15 asked for. Documents are built
 * here (tests/support); each command runs in a child process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/mkhostile.h"
#include "support/mklib.h"
#include "support/mkpages.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"

static char dir[512];

static const char *path_in(const char *name)
{
	static char bufs[4][1024];
	static int next;
	char *p = bufs[next++ % 4];
	snprintf(p, sizeof bufs[0], "%s/%s", dir, name);
	return p;
}

static const mk_limits limits = {.wall_seconds = 120};
#define run(r, ...) mk_run_wukong(&limits, r, __VA_ARGS__)

static int setup(void **state)
{
	(void)state;
	if (!getenv("WK_BIN")) {
		fprintf(stderr, "test_cli: WK_BIN is not set (run through tests/run.sh)\n");
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-cli"));
	mkdir(dir, 0755);
	mkdir(path_in("pdfs"), 0755);
	mk_library_pdf(path_in("pdfs/one.pdf"), 60, 2);
	mk_library_pdf(path_in("pdfs/two.pdf"), 61, 2);
	mk_library_pdf(path_in("-dash.pdf"), 62, 1);
	return 0;
}

static void test_every_subcommand_names_an_unknown_option(void **state)
{
	(void)state;
	static char *const cmds[] = {"parse", "ask", "add", "ls", "rm", "show", "serve", "eval"};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		mk_result r;
		run(&r, cmds[i], "--bogus", NULL);
		assert_int_equal(r.status, 2);
		assert_non_null(strstr(r.err, "unknown option --bogus"));
		assert_int_equal(mk_lines(r.err), 1);
		mk_result_free(&r);
	}
}

static void test_a_short_unknown_option_is_named_not_taken_for_a_file(void **state)
{
	(void)state;
	mk_result r;
	run(&r, "parse", path_in("pdfs/one.pdf"), "-x", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "unknown option -x"));
	mk_result_free(&r);
}

static void test_missing_and_bad_values_name_the_option(void **state)
{
	(void)state;
	mk_result r;
	run(&r, "ask", "--budget", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--budget needs a value"));
	mk_result_free(&r);
	run(&r, "add", "--jobs", "0", path_in("pdfs"), NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--jobs must be a whole number from 1 to 64 (got '0')"));
	mk_result_free(&r);
	run(&r, "ls", "--json=yes", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--json takes no value"));
	mk_result_free(&r);
}

static void test_add_takes_options_after_the_paths(void **state)
{
	(void)state;
	const char *db = path_in("after.db");
	mk_result r;
	run(&r, "add", path_in("pdfs"), "--jobs", "2", "--db", (char *)db, NULL);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.err, "no such file"));
	assert_non_null(strstr(r.out, "one.pdf"));
	assert_non_null(strstr(r.out, "two.pdf"));
	mk_result_free(&r);
	run(&r, "ls", "--json", "--db", (char *)db, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"one.pdf\""));
	mk_result_free(&r);
}

static void test_double_dash_ends_the_options(void **state)
{
	(void)state;
	mk_result r;
	run(&r, "parse", "--json", "--", path_in("-dash.pdf"), NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"units\""));
	mk_result_free(&r);
	/* a question that begins with a dash, after "--" */
	run(&r, "ask", path_in("pdfs/one.pdf"), "--json", "--", "-what is this?", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"question\":\"-what is this?\""));
	mk_result_free(&r);
}

static void test_ask_takes_options_before_between_and_after(void **state)
{
	(void)state;
	char question[128];
	snprintf(question, sizeof question, "What about %s?", mk_library_word(60));
	mk_result a, b;
	run(&a, "ask", "--budget", "64", path_in("pdfs/one.pdf"), question, "--json", NULL);
	run(&b, "ask", path_in("pdfs/one.pdf"), "--json", question, "--budget=64", NULL);
	assert_int_equal(a.status, 0);
	assert_int_equal(b.status, 0);
	assert_non_null(strstr(a.out, mk_library_word(60)));
	/* the same evidence whatever the order (the timings differ) */
	const char *ms = strstr(a.out, "\"ms\":");
	assert_non_null(ms);
	assert_memory_equal(a.out, b.out, (size_t)(ms - a.out));
	mk_result_free(&a);
	mk_result_free(&b);
}

static void test_help_is_printed_by_every_subcommand(void **state)
{
	(void)state;
	static char *const cmds[] = {"parse", "ask", "add", "ls", "rm", "show", "serve", "eval"};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		mk_result r;
		run(&r, cmds[i], "--db", "x", "-h", NULL); /* help wins over what came before */
		if (r.status == 2) { /* commands without --db: --help alone */
			mk_result_free(&r);
			run(&r, cmds[i], "--help", NULL);
		}
		assert_int_equal(r.status, 0);
		char want[64];
		snprintf(want, sizeof want, "usage: wukong %s", cmds[i]);
		assert_non_null(strstr(r.out, want));
		assert_string_equal(r.err, "");
		mk_result_free(&r);
	}
}

/* A library is a file or a PostgreSQL URI: every --db says so, none says FILE. */
static void test_every_db_option_says_it_takes_a_path_or_a_uri(void **state)
{
	(void)state;
	static char *const cmds[] = {"ask", "add", "ls", "rm", "show", "serve"};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		mk_result r;
		run(&r, cmds[i], "--help", NULL);
		assert_int_equal(r.status, 0);
		const char *line = strstr(r.out, "\n  --db ");
		if (!line)
			fail_msg("wukong %s --help has no --db line", cmds[i]);
		const char *uri = strstr(line, "postgresql://");
		assert_true(uri && uri - line < 100); /* on the --db line */
		assert_null(strstr(r.out, "--db FILE"));
		mk_result_free(&r);
	}
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void test_read_only_commands_never_create_a_missing_library(void **state)
{
	(void)state;
	char db[1100];
	snprintf(db, sizeof db, "%s/typo-dir/x.db", dir);
	mk_result r;
	for (int i = 0; i < 4; i++) {
		if (i == 0)
			run(&r, "ls", "--db", db, NULL);
		else if (i == 1)
			run(&r, "show", "--db", db, "one", NULL);
		else if (i == 2)
			run(&r, "rm", "--db", db, "one", NULL);
		else
			run(&r, "ask", "--library", "--db", db, "what?", NULL);
		assert_int_equal(r.status, 2);
		assert_non_null(strstr(r.err, "no library at"));
		assert_int_equal(mk_lines(r.err), 1);
		mk_result_free(&r);
		assert_false(exists(db));
	}
	assert_false(exists(path_in("typo-dir")));
	/* add makes it, says so once; an empty library is said to be empty */
	snprintf(db, sizeof db, "%s/made/lib.db", dir);
	FILE *f = fopen(path_in("junk.pdf"), "w");
	fputs("not a pdf\n", f);
	fclose(f);
	run(&r, "add", "--db", db, path_in("junk.pdf"), NULL);
	assert_non_null(strstr(r.err, "created the library"));
	assert_true(exists(db));
	mk_result_free(&r);
	run(&r, "ls", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "empty"));
	mk_result_free(&r);
}

static void test_add_names_a_bad_file_once(void **state)
{
	(void)state;
	mk_result r;
	const char *junk = path_in("bad.pdf");
	FILE *f = fopen(junk, "w");
	fputs("not a pdf\n", f);
	fclose(f);
	run(&r, "add", "--db", path_in("bad.db"), (char *)junk, NULL);
	assert_int_equal(r.status, 2);
	const char *first = strstr(r.err, junk);
	assert_non_null(first);
	assert_null(strstr(first + 1, junk)); /* not "bad.pdf: bad.pdf: not a PDF" */
	mk_result_free(&r);
}

static void test_batch_text_prints_each_question_before_its_answer(void **state)
{
	(void)state;
	const char *qs = path_in("questions.jsonl");
	FILE *f = fopen(qs, "w");
	fprintf(f, "{\"question\": \"What about %s?\"}\n", mk_library_word(60));
	fprintf(f, "{\"question\": \"Which page talks of %s?\"}\n", mk_library_word(60));
	fclose(f);
	mk_result r;
	run(&r, "ask", path_in("pdfs/one.pdf"), "--questions", (char *)qs, NULL);
	assert_int_equal(r.status, 0);
	const char *q1 = strstr(r.out, "Question: What about");
	const char *q2 = strstr(r.out, "Question: Which page talks");
	assert_true(r.out == q1); /* the first line is the first question */
	assert_non_null(q2);
	const char *ev1 = strstr(q1, "Evidence:");
	assert_true(ev1 && ev1 < q2);   /* its answer and evidence come before the second */
	assert_non_null(strstr(q2, "Evidence:"));
	mk_result_free(&r);
}

static void test_library_documents_are_named_by_stem_prefix_or_title(void **state)
{
	(void)state;
	char db[1100];
	snprintf(db, sizeof db, "%s", path_in("names.db"));
	mkdir(path_in("named"), 0755);
	mk_library_pdf(path_in("named/report-alpha.pdf"), 70, 1);
	mk_library_pdf(path_in("named/report-beta.pdf"), 71, 1);
	mk_result r;
	run(&r, "add", "--db", db, path_in("named"), NULL);
	assert_int_equal(r.status, 0);
	mk_result_free(&r);
	char q[128];
	snprintf(q, sizeof q, "What about %s?", mk_library_word(71));
	run(&r, "ask", "--db", db, "report-beta", q, NULL); /* the name without .pdf */
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, mk_library_word(71)));
	mk_result_free(&r);
	run(&r, "show", "--db", db, "report-al", NULL); /* a unique prefix */
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "report-alpha.pdf"));
	mk_result_free(&r);
	run(&r, "show", "--db", db, "report", NULL); /* ambiguous: both listed */
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "report-alpha.pdf"));
	assert_non_null(strstr(r.err, "report-beta.pdf"));
	assert_int_equal(mk_lines(r.err), 1);
	mk_result_free(&r);
}

static void test_password_opens_encrypted_pdfs_for_ask_and_add(void **state)
{
	(void)state;
	const char *pdf = path_in("locked.pdf");
	mkh_valid(pdf, 2, "s3cret");
	mk_result r;
	run(&r, "ask", (char *)pdf, "What is on page 2?", NULL);
	assert_int_equal(r.status, 2);
	mk_result_free(&r);
	run(&r, "ask", (char *)pdf, "What is on page 2?", "--password", "s3cret", NULL);
	assert_int_equal(r.status, 0);
	mk_result_free(&r);
	setenv("WUKONG_PDF_PASSWORD", "s3cret", 1);
	run(&r, "add", "--db", path_in("locked.db"), (char *)pdf, NULL);
	unsetenv("WUKONG_PDF_PASSWORD");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "added"));
	mk_result_free(&r);
}

static void test_library_text_lists_the_rest_by_sorted_pages_and_indents_every_line(void **state)
{
	(void)state;
	const char *db = path_in("long.db");
	mk_library_pdf(path_in("long.pdf"), 80, 14);
	mk_result r;
	run(&r, "add", "--db", db, path_in("long.pdf"), NULL);
	mk_result_free(&r);
	char q[128];
	snprintf(q, sizeof q, "Which pages mention %s?", mk_library_word(80));
	run(&r, "ask", "--db", db, "--library", q, "--budget", "4000", NULL);
	assert_int_equal(r.status, 0);
	const char *rest = strstr(r.out, "more on pages");
	assert_non_null(rest);
	rest = strstr(rest, "p.");
	assert_non_null(rest);
	int last = 0, page;
	for (const char *p = rest + 2; sscanf(p, "%d", &page) == 1;) {
		assert_true(page > last); /* ascending, each once */
		last = page;
		p = strchr(p, ',');
		if (!p)
			break;
		p += 2;
	}
	/* every line of an evidence item is indented */
	const char *ev = strstr(r.out, "\n\n[");
	for (const char *line = ev + 2; line && *line && line < strstr(r.out, "\n\n..."); ) {
		assert_true(*line == '[' || *line == '\n' || !strncmp(line, "    ", 4));
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	mk_result_free(&r);
}

/* A page whose printed number differs from its place in the PDF is cited with both:
 * "[1, page 3 (printed 2)]" and the evidence line "page 3 (printed 2)". */
static void test_citations_give_the_printed_page_number_too(void **state)
{
	(void)state;
	const char *path = path_in("printed.pdf");
	mk_crop_pages(path, 1);
	mk_result r;
	run(&r, "ask", path, "When was the sorghum planted?", "--budget", "24", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "page 3 (printed 2)"));
	assert_null(strstr(r.out, "page 1 (printed"));
	mk_result_free(&r);
}

/* The line quoting where a short answer was read names the printed page too:
 * "(page 3, printed 1)" for the third page of a document numbered from its third. */
static void test_the_quote_line_gives_the_printed_page_number_too(void **state)
{
	(void)state;
	const char *path = path_in("quoted.pdf");
	mk_pdf *pdf = mk_new();
	for (int i = 0; i < 3; i++) {
		mk_page(pdf, 612, 792);
		mk_crop_line(pdf, i, 100);
	}
	mk_text(pdf, "Times-Roman", 11, 72, 130, "The cooperative sold 420 tonnes of millet in 2019.");
	mk_page_label(pdf, 1, 'r');
	mk_page_label(pdf, 3, 'D');
	mk_save(pdf, path, NULL);
	mk_result r;
	run(&r, "ask", path, "How many tonnes of millet did the cooperative sell in 2019?", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "420"));
	assert_non_null(strstr(r.out, "\" (page 3, printed 1)"));
	mk_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_subcommand_names_an_unknown_option),
		cmocka_unit_test(test_a_short_unknown_option_is_named_not_taken_for_a_file),
		cmocka_unit_test(test_missing_and_bad_values_name_the_option),
		cmocka_unit_test(test_add_takes_options_after_the_paths),
		cmocka_unit_test(test_double_dash_ends_the_options),
		cmocka_unit_test(test_ask_takes_options_before_between_and_after),
		cmocka_unit_test(test_help_is_printed_by_every_subcommand),
		cmocka_unit_test(test_every_db_option_says_it_takes_a_path_or_a_uri),
		cmocka_unit_test(test_read_only_commands_never_create_a_missing_library),
		cmocka_unit_test(test_add_names_a_bad_file_once),
		cmocka_unit_test(test_batch_text_prints_each_question_before_its_answer),
		cmocka_unit_test(test_library_documents_are_named_by_stem_prefix_or_title),
		cmocka_unit_test(test_password_opens_encrypted_pdfs_for_ask_and_add),
		cmocka_unit_test(test_library_text_lists_the_rest_by_sorted_pages_and_indents_every_line),
		cmocka_unit_test(test_citations_give_the_printed_page_number_too),
		cmocka_unit_test(test_the_quote_line_gives_the_printed_page_number_too),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
