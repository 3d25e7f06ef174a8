/* test_eval.c: the measurement side: benchmark readers on small files of tests/data/eval,
 * page recall and bigram coverage on synthetic selections, and `wukong eval` end to end
 * on PDFs generated here. */
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
#include <sys/wait.h>

#include "../src/doc/doc.h"
#include "../src/eval/eval.h"
#include "support/mkpdf.h"
#include "support/mkscan.h"

#define EPS 1e-9

static const char *data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("WK_TESTDATA");
	snprintf(path, sizeof path, "%s/eval/%s", dir ? dir : "tests/data", name);
	return path;
}

/* ---- readers ---- */

static void test_mmlongbench_reader_parses_lists_and_skips_bad_lines(void **state)
{
	(void)state;
	wk_eval_set *set = NULL;
	wk_error err = {0};
	assert_int_equal(wk_eval_load(data_path("mmlb.jsonl"), WK_EVAL_MMLONGBENCH, &set, &err),
	                 WK_OK);
	assert_int_equal(set->n, 4);
	assert_int_equal(set->nbad, 2); /* "not JSON" and the line without doc_id */
	assert_non_null(strstr(set->bad, ":3:"));
	const wk_eval_item *a = &set->items[0];
	assert_string_equal(a->doc_id, "a.pdf");
	assert_int_equal(a->npages, 2); /* "[5, 3, 5]": sorted, distinct */
	assert_int_equal(a->pages[0], 3);
	assert_int_equal(a->pages[1], 5);
	assert_int_equal(a->nsources, 2);
	assert_string_equal(a->sources[1], "Pure-text (Plain-text)");
	const wk_eval_item *b = &set->items[1];
	assert_string_equal(b->answers[0], "4"); /* a number answer becomes text */
	assert_int_equal(b->npages, 1);          /* a JSON list of pages */
	assert_string_equal(b->sources[0], "Table");
	assert_string_equal(set->items[2].doc_type, "");
	assert_false(wk_eval_answerable(set, &set->items[2]));
	assert_true(wk_eval_answerable(set, &set->items[3]));
	assert_int_equal(set->items[3].line, 6);
	wk_eval_set_free(set);
}

static void test_qasper_reader_keeps_each_annotators_paragraphs(void **state)
{
	(void)state;
	wk_eval_set *set = NULL;
	assert_int_equal(wk_eval_load(data_path("qasper.jsonl"), WK_EVAL_QASPER, &set, NULL),
	                 WK_OK);
	assert_int_equal(set->n, 2);
	assert_false(wk_eval_answerable(set, &set->items[0]));
	const wk_eval_item *q = &set->items[1];
	assert_true(wk_eval_answerable(set, q));
	assert_int_equal(q->nanswers, 2);
	assert_string_equal(q->answers[1], "explicit maps");
	assert_int_equal(q->nannots, 2);
	assert_int_equal(q->annots[0].n, 2);
	assert_string_equal(q->annots[0].paras[1], "Second paragraph.");
	/* no raw paragraph: the highlight stands in */
	assert_string_equal(q->annots[1].paras[0], "Only a highlight.");
	wk_eval_set_free(set);
}

static void test_reader_rejects_files_without_questions(void **state)
{
	(void)state;
	wk_eval_set *set = NULL;
	wk_error err = {0};
	const char *bad = "nothing\n{\"question\": 1}\n";
	assert_int_equal(
	    wk_eval_load_text(bad, strlen(bad), "bad.jsonl", WK_EVAL_MMLONGBENCH, &set, &err),
	    WK_EINVAL);
	assert_null(set);
	assert_non_null(strstr(err.message, "bad.jsonl"));
	assert_int_not_equal(wk_eval_load("/nonexistent/q.jsonl", 0, &set, &err), WK_OK);
}

static void test_list_literals_split_python_and_bare_items(void **state)
{
	(void)state;
	char **v;
	int n = wk_eval_split_list("['a, b', \"it's\", 'x\\'y']", &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "a, b");
	assert_string_equal(v[1], "it's");
	assert_string_equal(v[2], "x'y");
	wk_eval_strings_free(v, n);
	n = wk_eval_split_list(" [16, 19 ,25]", &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[1], "19");
	wk_eval_strings_free(v, n);
	assert_int_equal(wk_eval_split_list("[]", &v), 0);
	wk_eval_strings_free(v, 0);
	assert_int_equal(wk_eval_split_list("plain", &v), -1);
}

/* ---- recall ---- */

static void test_page_recall_at_5_ranks_distinct_pages_by_score(void **state)
{
	(void)state;
	const wk_eval_pick picks[] = {
	    {.page = 3, .score = 0.9, .unit = 0}, {.page = 7, .score = 0.5, .unit = 1},
	    {.page = 8, .score = 0.7, .unit = 2}, {.page = 9, .score = 0.7, .unit = 2},
	    {.page = 1, .score = 0.1, .unit = 3}, {.page = 2, .score = 0.2, .unit = 4},
	    {.page = 4, .score = 0.3, .unit = 5}, {.page = 3, .score = 0.05, .unit = 6},
	};
	int n = (int)(sizeof picks / sizeof picks[0]);
	const int gold[] = {7, 1, 12};
	/* by score: 3, 8, 9, 7, 4 | 2, 1: gold 7 among the first five, 1 is not */
	assert_float_equal(wk_eval_recall_at(picks, n, gold, 3, 5), 1.0 / 3.0, EPS);
	assert_float_equal(wk_eval_recall_all(picks, n, gold, 3), 2.0 / 3.0, EPS);
	assert_int_equal(wk_eval_distinct_pages(picks, n), 7);
	const int twice[] = {7, 7};
	assert_float_equal(wk_eval_recall_at(picks, n, twice, 2, 5), 1.0, EPS);
	assert_float_equal(wk_eval_recall_at(picks, n, twice, 2, 3), 0.0, EPS);
	assert_float_equal(wk_eval_recall_at(NULL, 0, gold, 3, 5), 0.0, EPS);
	assert_float_equal(wk_eval_recall_all(picks, n, NULL, 0), 0.0, EPS);
}

static void test_selection_picks_cover_every_page_a_unit_spans(void **state)
{
	(void)state;
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 4);
	wk_unit *u = wk_doc_add_unit(d, WK_UNIT_TEXT);
	u->text = wk_doc_str(d, "first");
	wk_doc_add_box(d, u, (wk_box){.page = 1, .x1 = 10, .y1 = 10});
	u = wk_doc_add_unit(d, WK_UNIT_TEXT);
	u->text = wk_doc_str(d, "crosses a page break");
	wk_doc_add_box(d, u, (wk_box){.page = 2, .x1 = 10, .y1 = 10});
	wk_doc_add_box(d, u, (wk_box){.page = 3, .x1 = 10, .y1 = 10});
	u = wk_doc_add_unit(d, WK_UNIT_TEXT);
	u->text = wk_doc_str(d, "a table row");
	wk_doc_add_box(d, u, (wk_box){.page = 3, .x1 = 10, .y1 = 10});
	u = wk_doc_add_unit(d, WK_UNIT_TEXT);
	u->text = wk_doc_str(d, "the next row");
	wk_doc_add_box(d, u, (wk_box){.page = 4, .x1 = 10, .y1 = 10});
	wk_doc_finish(d);
	wk_evidence items[2] = {{.idx = 1, .score = 2.0}, {.idx = 0, .score = 1.0}};
	wk_selection sel = {.n = 2, .items = items};
	wk_eval_pick *picks;
	int n = wk_eval_picks(d, &sel, &picks);
	assert_int_equal(n, 3);
	assert_int_equal(picks[0].page, 2);
	assert_int_equal(picks[1].page, 3);
	assert_int_equal(picks[2].page, 1);
	const int gold[] = {3};
	assert_float_equal(wk_eval_recall_at(picks, n, gold, 1, 1), 0.0, EPS); /* top: page 2 */
	assert_float_equal(wk_eval_recall_at(picks, n, gold, 1, 2), 1.0, EPS);
	free(picks);
	/* an item joining units 1..3 (span 3) lies on pages 2, 3 and 4, each once */
	wk_evidence joined[1] = {{.idx = 1, .score = 1.0, .span = 3}};
	sel = (wk_selection){.n = 1, .items = joined};
	n = wk_eval_picks(d, &sel, &picks);
	assert_int_equal(n, 3);
	assert_int_equal(picks[2].page, 4);
	free(picks);
	wk_doc_free(d);
}

static void test_bigram_coverage_counts_gold_bigrams_without_stop_words(void **state)
{
	(void)state;
	/* gold: cat sat | sat mat ("the", "on" dropped); selected: cat sat | sat quietly | ... */
	const char *gold[1] = {"The cat sat on the mat."};
	assert_float_equal(wk_eval_bigram_coverage("a cat sat quietly; the mat", gold, 1), 0.5,
	                   EPS);
	assert_float_equal(wk_eval_bigram_coverage("THE CAT SAT ON THE MAT", gold, 1), 1.0, EPS);
	assert_float_equal(wk_eval_bigram_coverage("", gold, 1), 0.0, EPS);
	const char *one[1] = {"the cat"};
	assert_float_equal(wk_eval_bigram_coverage("cat", one, 1), -1.0, EPS);
}

/* ---- the report ---- */

static json_t *report_of(const wk_eval_set *set, const wk_eval_result *res)
{
	wk_eval_report_opts o = {
	    .name = "t.jsonl", .budget = 2048, .json = 1, .misses = 10, .ndocs = 2};
	char *text = wk_eval_report(set, res, &o);
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr);
	free(text);
	assert_non_null(root);
	return root;
}

/* The number at a '/'-separated path of object keys. */
static double at(json_t *root, const char *path)
{
	char key[256];
	json_t *o = root;
	for (const char *p = path; o && *p;) {
		size_t n = strcspn(p, "/");
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		o = json_object_get(o, key);
		p += n + (p[n] == '/');
	}
	assert_non_null(o);
	return json_number_value(o);
}

static void test_report_aggregates_means_breakdowns_and_mmlongbench_f1(void **state)
{
	(void)state;
	const char *lines =
	    "{\"doc_id\":\"a\",\"doc_type\":\"T1\",\"question\":\"q1\",\"answer\":\"x\","
	    "\"evidence_pages\":\"[1]\",\"evidence_sources\":\"['Chart']\",\"answer_format\":"
	    "\"Str\"}\n"
	    "{\"doc_id\":\"a\",\"doc_type\":\"T1\",\"question\":\"q2\",\"answer\":\"3\","
	    "\"evidence_pages\":\"[2]\",\"evidence_sources\":\"['Chart', 'Table']\","
	    "\"answer_format\":\"Int\"}\n"
	    "{\"doc_id\":\"b\",\"doc_type\":\"T2\",\"question\":\"q3\",\"answer\":\"Not "
	    "answerable\",\"evidence_pages\":\"[]\",\"answer_format\":\"None\"}\n";
	wk_eval_set *set;
	assert_int_equal(wk_eval_load_text(lines, strlen(lines), "t", 0, &set, NULL), WK_OK);
	wk_eval_result res[3] = {
	    {.measured = 1,
	     .recall5 = 1,
	     .recall_budget = 1,
	     .units = 4,
	     .pages = 2,
	     .tokens = 100,
	     .ms_ask = 10,
	     .answered = 1,
	     .mmlb = 0.5},
	    {.measured = 1,
	     .recall5 = 0,
	     .recall_budget = 0.5,
	     .units = 6,
	     .pages = 4,
	     .tokens = 200,
	     .ms_ask = 30,
	     .answered = 1,
	     .mmlb = 0,
	     .pred_na = 1},
	    {.answered = 1, .mmlb = 1, .gold_na = 1, .pred_na = 1},
	};
	json_t *root = report_of(set, res);
	assert_float_equal(at(root, "evidence/n"), 2, EPS);
	assert_float_equal(at(root, "evidence/page_recall_at_5"), 0.5, EPS);
	assert_float_equal(at(root, "evidence/page_recall_at_budget"), 0.75, EPS);
	assert_float_equal(at(root, "evidence/units"), 5, EPS);
	assert_float_equal(at(root, "evidence/pages"), 3, EPS);
	assert_float_equal(at(root, "evidence/tokens"), 150, EPS);
	assert_float_equal(at(root, "latency_ms/ask_p50"), 20, EPS); /* 10 and 30 */
	assert_float_equal(at(root, "latency_ms/ask_p95"), 29, EPS); /* 10 + .95 * 20 */
	assert_float_equal(at(root, "by_doc_type/T1/n"), 2, EPS);
	assert_float_equal(at(root, "by_evidence_source/Chart/n"), 2, EPS);
	assert_float_equal(at(root, "by_evidence_source/Table/page_recall_at_budget"), 0.5, EPS);
	assert_float_equal(at(root, "by_evidence_pages/single-page/n"), 2, EPS);
	/* accuracy (0.5 + 0 + 1) / 3; F1 of recall 0.25 (answerable gold: q1, q2) and
	 * precision 0.5 (answered: q1 only) = 2 * .25 * .5 / .75 */
	assert_float_equal(at(root, "mmlongbench/accuracy"), 0.5, EPS);
	/* JSON numbers carry 6 significant digits (docs/api.md, "Numbers") */
	assert_float_equal(at(root, "mmlongbench/f1"), 1.0 / 3.0, 1e-6);
	assert_float_equal(at(root, "by_answer_format/None/answers/mmlongbench"), 1.0, EPS);
	json_t *worst = json_object_get(root, "worst_missed");
	assert_int_equal(json_array_size(worst), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(worst, 0), "question")), "q2");
	json_decref(root);
	wk_eval_set_free(set);
}

/* ---- the command ---- */

static void page_text(mk_pdf *p, const char *heading, const char *const *lines, int n)
{
	mk_page(p, 612, 792);
	mk_text(p, "Times-Bold", 14, 72, 80, heading);
	for (int i = 0; i < n; i++)
		mk_text(p, "Times-Roman", 11, 72, 110 + 14 * (float)i, lines[i]);
}

static void make_docs(const char *dir)
{
	mk_pdf *p = mk_new();
	const char *l1[] = {"Apples grow in orchards across the northern valleys.",
	                    "Farmers harvest them in the autumn and store them in cellars."};
	const char *l2[] = {"The volcano Hekla erupted in Iceland in the year 1947.",
	                    "Its ash cloud reached Finland within two days of the eruption."};
	const char *l3[] = {"Submarine cables carry telegraph signals under the Atlantic.",
	                    "The first cable was laid between Ireland and Newfoundland."};
	page_text(p, "1 Orchards", l1, 2);
	page_text(p, "2 Volcanoes", l2, 2);
	page_text(p, "3 Cables", l3, 2);
	char path[4096];
	snprintf(path, sizeof path, "%s/text.pdf", dir);
	mk_save(p, path, NULL);
	p = mk_new();
	mk_page(p, 612, 792);
	mk_image(p, 72, 72, 400, 300, 64, 48);
	snprintf(path, sizeof path, "%s/scan.pdf", dir);
	mk_save(p, path, NULL);
}

static const char *const questions =
    "{\"doc_id\": \"text.pdf\", \"doc_type\": \"Test\", \"question\": \"In which year did "
    "the volcano Hekla erupt in Iceland?\", \"answer\": \"1947\", \"evidence_pages\": \"[2]\", "
    "\"evidence_sources\": \"['Pure-text (Plain-text)']\", \"answer_format\": \"Int\"}\n"
    "{\"doc_id\": \"text.pdf\", \"doc_type\": \"Test\", \"question\": \"Where was the first "
    "submarine telegraph cable laid?\", \"answer\": \"Ireland\", \"evidence_pages\": \"[3]\", "
    "\"evidence_sources\": \"['Pure-text (Plain-text)']\", \"answer_format\": \"Str\"}\n"
    "{\"doc_id\": \"text.pdf\", \"doc_type\": \"Test\", \"question\": \"How long did the "
    "ash cloud of Hekla take to reach Finland?\", \"answer\": \"two days\", "
    "\"evidence_pages\": \"[2, 9]\", \"evidence_sources\": \"['Table']\", "
    "\"answer_format\": \"Str\"}\n"
    "{\"doc_id\": \"text.pdf\", \"question\": \"Who wrote the preface on page nine?\", "
    "\"answer\": \"Nobody\", \"evidence_pages\": \"[9]\", \"answer_format\": \"Str\"}\n"
    "{\"doc_id\": \"scan.pdf\", \"question\": \"What does the scan show?\", \"answer\": \"x\", "
    "\"evidence_pages\": \"[1]\", \"answer_format\": \"Str\"}\n"
    "{\"doc_id\": \"gone.pdf\", \"question\": \"Is this file here?\", \"answer\": \"no\", "
    "\"evidence_pages\": \"[1]\", \"answer_format\": \"Str\"}\n";

/* Runs `wukong eval ARGS`, stdout into `out`; returns the exit status. */
static int run_eval(const char *args, const char *out)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "\"%s\" eval %s >\"%s\" 2>/dev/null", getenv("WK_BIN"), args,
	         out);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double num(json_t *root, const char *a, const char *b)
{
	json_t *o = json_object_get(json_object_get(root, a), b);
	assert_non_null(o);
	return json_number_value(o);
}

static void test_eval_command_measures_pages_and_reports_skipped_documents(void **state)
{
	(void)state;
	char dir[1024], qpath[1100], out[1100], args[4096];
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-docs"));
	mkdir(dir, 0755);
	make_docs(dir);
	snprintf(qpath, sizeof qpath, "%s/q.jsonl", dir);
	FILE *f = fopen(qpath, "w");
	assert_non_null(f);
	fputs(questions, f);
	fclose(f);
	snprintf(out, sizeof out, "%s/report.json", dir);
	char details[1100];
	snprintf(details, sizeof details, "%s/details.jsonl", dir);
	snprintf(args, sizeof args,
	         "--format mmlongbench \"%s\" --docs \"%s\" --json --jobs 2 "
	         "--details \"%s\"",
	         qpath, dir, details);
	assert_int_equal(run_eval(args, out), 1); /* partial: gone.pdf is missing */
	json_error_t jerr;
	json_t *root = json_load_file(out, 0, &jerr);
	assert_non_null(root);
	assert_int_equal((int)num(root, "documents", "total"), 3);
	assert_int_equal((int)num(root, "documents", "missing"), 1);
	assert_int_equal((int)num(root, "documents", "image_only"), 1);
	/* page 9 of a 3-page document is a slip of the benchmark: left out and counted; the
	 * question whose only gold page it is is not measured */
	assert_int_equal(
	    (int)json_integer_value(json_object_get(root, "gold_pages_beyond_document")), 2);
	assert_int_equal((int)num(root, "questions", "measured"), 3);
	assert_float_equal(num(root, "evidence", "page_recall_at_budget"), 1.0, 1e-6);
	assert_true(num(root, "evidence", "tokens") <= 2048);
	json_t *table = json_object_get(json_object_get(root, "by_evidence_source"), "Table");
	assert_int_equal((int)json_integer_value(json_object_get(table, "n")), 1);
	json_t *worst = json_object_get(root, "worst_missed");
	for (size_t i = 0; i < json_array_size(worst); i++) /* only questions below @5 = 1 */
		assert_true(json_number_value(json_object_get(json_array_get(worst, i),
		                                              "page_recall_at_5")) < 1.0);
	/* --details: one line per question, in file order, with its status */
	FILE *f2 = fopen(details, "r");
	assert_non_null(f2);
	char line[8192];
	int n = 0;
	while (fgets(line, sizeof line, f2)) {
		json_t *o = json_loads(line, 0, &jerr);
		assert_non_null(o);
		assert_int_equal(json_integer_value(json_object_get(o, "line")), n + 1);
		const char *status = json_string_value(json_object_get(o, "status"));
		assert_string_equal(status, n < 4    ? "ok"
		                            : n == 4 ? "no text layer"
		                                     : "no such file or not readable");
		json_decref(o);
		n++;
	}
	fclose(f2);
	assert_int_equal(n, 6);
	json_decref(root);
}

static void test_qasper_command_measures_evidence_bigram_coverage(void **state)
{
	(void)state;
	char dir[1024], qpath[1100], out[1100], args[4096];
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-qasper"));
	mkdir(dir, 0755);
	make_docs(dir);
	snprintf(qpath, sizeof qpath, "%s/q.jsonl", dir);
	FILE *f = fopen(qpath, "w");
	assert_non_null(f);
	fputs("{\"question\": \"In which year did the volcano Hekla erupt?\", \"answers\": "
	      "[{\"answer\": \"1947\", \"type\": \"extractive\"}], \"evidence\": "
	      "[{\"raw_evidence\": [\"The volcano Hekla erupted in Iceland in the year 1947.\"], "
	      "\"highlighted_evidence\": []}], \"doc_id\": \"text.pdf\", \"kind\": \"text\"}\n"
	      "{\"question\": \"Is there an appendix?\", \"answers\": [{\"answer\": \"No\"}], "
	      "\"evidence\": [{\"raw_evidence\": [], \"highlighted_evidence\": []}], "
	      "\"doc_id\": \"text.pdf\"}\n",
	      f);
	fclose(f);
	snprintf(out, sizeof out, "%s/report.json", dir);
	snprintf(args, sizeof args, "--format qasper \"%s\" --json", qpath);
	assert_int_equal(run_eval(args, out), 0); /* documents default to the file's folder */
	json_error_t jerr;
	json_t *root = json_load_file(out, 0, &jerr);
	assert_non_null(root);
	assert_int_equal((int)at(root, "questions/measured"), 1); /* no evidence: not measured */
	assert_true(at(root, "evidence/bigram_coverage") > 0.5);
	assert_int_equal((int)at(root, "by_evidence_source/text/n"), 1);
	json_decref(root);
}

static void test_ocr_documents_are_measured_apart_from_text_layer_ones(void **state)
{
	(void)state;
	char dir[1024], src[1100], qpath[1100], out[1100], args[4096];
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-ocr"));
	mkdir(dir, 0755);
	mk_pdf *p = mk_new();
	const char *lines[] = {"The volcano Hekla erupted in Iceland in the year 1947.",
	                       "Its ash cloud reached Finland within two days."};
	page_text(p, "Volcanoes", lines, 2);
	snprintf(src, sizeof src, "%s/src.pdf", dir);
	mk_save(p, src, NULL);
	snprintf(qpath, sizeof qpath, "%s/scan.pdf", dir);
	mk_scan(src, qpath, 150);
	snprintf(qpath, sizeof qpath, "%s/q.jsonl", dir);
	FILE *f = fopen(qpath, "w");
	assert_non_null(f);
	fputs("{\"doc_id\": \"scan.pdf\", \"question\": \"When did the volcano Hekla "
	      "erupt?\", \"answer\": \"1947\", \"evidence_pages\": \"[1]\", "
	      "\"answer_format\": \"Int\"}\n",
	      f);
	fclose(f);
	snprintf(out, sizeof out, "%s/report.json", dir);
	snprintf(args, sizeof args, "\"%s\" --docs \"%s\" --json --ocr auto", qpath, dir);
	assert_int_equal(run_eval(args, out), 0);
	json_error_t jerr;
	json_t *root = json_load_file(out, 0, &jerr);
	assert_non_null(root);
	assert_int_equal((int)num(root, "documents", "image_only"), 1);
	assert_int_equal((int)num(root, "evidence", "n"), 0);
	assert_int_equal((int)num(root, "ocr_documents", "n"), 1);
	assert_float_equal(num(root, "ocr_documents", "page_recall_at_budget"), 1.0, 1e-9);
	json_decref(root);
}

static void test_eval_command_rejects_bad_input_with_status_2(void **state)
{
	(void)state;
	const char *out = mk_tmp_path(".out");
	assert_int_equal(run_eval("", out), 2);
	assert_int_equal(run_eval("/nonexistent/q.jsonl --docs /tmp", out), 2);
	assert_int_equal(run_eval("--budget 8 q.jsonl", out), 2);
	assert_int_equal(run_eval("--format squad q.jsonl", out), 2);
	assert_int_equal(run_eval("--jobs x q.jsonl", out), 2);
	char sargs[1200];
	snprintf(sargs, sizeof sargs, "\"%s/eval/mmlb.jsonl\" --scorer nosuch",
	         getenv("WK_TESTDATA"));
	assert_int_equal(run_eval(sargs, out), 2);
	const char *bad = mk_tmp_path(".jsonl");
	FILE *f = fopen(bad, "w");
	assert_non_null(f);
	fputs("not json\n", f);
	fclose(f);
	char args[1200];
	snprintf(args, sizeof args, "\"%s\"", bad);
	assert_int_equal(run_eval(args, out), 2); /* no valid line: bad input */
	assert_int_equal(run_eval("--help", out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mmlongbench_reader_parses_lists_and_skips_bad_lines),
	    cmocka_unit_test(test_qasper_reader_keeps_each_annotators_paragraphs),
	    cmocka_unit_test(test_reader_rejects_files_without_questions),
	    cmocka_unit_test(test_list_literals_split_python_and_bare_items),
	    cmocka_unit_test(test_page_recall_at_5_ranks_distinct_pages_by_score),
	    cmocka_unit_test(test_selection_picks_cover_every_page_a_unit_spans),
	    cmocka_unit_test(test_bigram_coverage_counts_gold_bigrams_without_stop_words),
	    cmocka_unit_test(test_report_aggregates_means_breakdowns_and_mmlongbench_f1),
	    cmocka_unit_test(test_eval_command_measures_pages_and_reports_skipped_documents),
	    cmocka_unit_test(test_qasper_command_measures_evidence_bigram_coverage),
	    cmocka_unit_test(test_ocr_documents_are_measured_apart_from_text_layer_ones),
	    cmocka_unit_test(test_eval_command_rejects_bad_input_with_status_2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
