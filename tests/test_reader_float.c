/* test_reader_float.c: amounts, percentages and computed line items answered without a
 * model: a value in a sentence that lists one value per year, the document's own name
 * that its body never repeats, and a line item read or computed from the statements
 * ("EBITDA", "total long-term liabilities", "capital expenditure"). Each answer is
 * exact, and comes from the cited unit (or, when computed, shows its computation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/doc/doc.h"
#include "../src/sample/sample.h"
#include "support/mkpdf.h"
#include "support/mkreader.h"

typedef mkr_answered answered;

/* Samples and answers `question` on the finished document d. */
static answered answer(const wk_doc *d, const char *question)
{
	return mkr_answer(d, question);
}

static void answered_free(answered *a)
{
	mkr_answered_free(a);
}

/* The short answer is exactly `expected` and is printed in the cited unit. */
static void assert_cited_answer(const answered *a, const char *expected)
{
	assert_true(a->ans->found);
	assert_string_equal(a->ans->text, expected);
	assert_int_equal(a->ans->ncited, 1);
	const char *unit = a->sel->items[a->ans->cited[0]].text;
	assert_non_null(strstr(unit, expected));
	assert_non_null(a->ans->quote);
	assert_true(a->ans->quote_page > 0);
}

/* ---- sentences of a PDF ---- */

static char pdf_path[1024];
static wk_doc *pdf_doc;

/* A cover page naming the company, then notes that never name it again. */
static int make_pdf(void **state)
{
	(void)state;
	snprintf(pdf_path, sizeof pdf_path, "%s", mk_tmp_path("float.pdf"));
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Helvetica-Bold", 20, 72, 120, "Harbor Lamp Company");
	mk_text(pdf, "Times-Roman", 12, 72, 150, "Annual report for the fiscal year 2017");
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Helvetica-Bold", 14, 72, 90, "Note 4. Marketing");
	const char *p[] = {
	    "Advertising expenses were $714.3 million, $533.1 million and $404.0 million for",
	    "the years ended December 31, 2017, 2016 and 2015, respectively. Advertising costs",
	    "are expensed as incurred. The shop counters were repainted in a darker blue.",
	    "As of December 31, 2016 and 2017, our liabilities for unredeemed store vouchers",
	    "were $2.4 billion and $3.0 billion. Vouchers expire two years after issuance.",
	    "Freight and shipping costs are charged to operations in the period incurred, and",
	    "totaled $396 million in 2018, $411 million in 2017 and $385 million in 2016."};
	for (int i = 0; i < 7; i++)
		mk_text(pdf, "Times-Roman", 11, 72, 130 + 14 * i, p[i]);
	mk_save(pdf, pdf_path, NULL);
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	assert_int_equal(wk_parse_file(pdf_path, &opts, &pdf_doc, NULL), WK_OK);
	return 0;
}

static int drop_pdf(void **state)
{
	(void)state;
	wk_doc_free(pdf_doc);
	remove(pdf_path);
	return 0;
}

static void test_the_value_in_the_place_of_the_asked_year_is_the_answer(void **state)
{
	(void)state;
	answered a = answer(pdf_doc, "What was the advertising expense of Harbor Lamp in FY 2016?");
	assert_cited_answer(&a, "$533.1 million");
	answered_free(&a);
}

static void test_the_day_of_a_date_is_not_one_of_the_values_listed_by_year(void **state)
{
	(void)state;
	answered a = answer(pdf_doc, "What amount were liabilities for unredeemed store vouchers in 2017?");
	assert_cited_answer(&a, "$3.0 billion");
	answered_free(&a);
}

static void test_the_document_name_the_body_never_repeats_does_not_stop_the_answer(void **state)
{
	(void)state;
	/* "Harbor Lamp" is printed on the cover only; "Lantern Works" nowhere */
	answered a = answer(pdf_doc, "What were the advertising expenses of Harbor Lamp in 2015?");
	assert_cited_answer(&a, "$404.0 million");
	answered_free(&a);
	a = answer(pdf_doc, "What were the advertising expenses of Lantern Works in 2015?");
	assert_false(a.ans->found);
	answered_free(&a);
}

static void test_a_growth_rate_is_computed_from_the_years_a_sentence_lists(void **state)
{
	(void)state;
	answered a = answer(pdf_doc, "What is the growth rate of freight and shipping costs in "
	                             "FY2018? Answer in percentage term, round to two decimal places.");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "-3.65%");
	assert_non_null(strstr(a.ans->quote, "($396 million (2018) - $411 million (2017)) / $411 million"));
	assert_int_equal(a.ans->ncited, 1);
	assert_non_null(strstr(a.sel->items[a.ans->cited[0]].text, "$411 million in 2017"));
	answered_free(&a);
}

/* ---- statements built in memory ---- */

static wk_unit *add(wk_doc *d, wk_unit_type type, int page, const char *text)
{
	wk_unit *u = wk_doc_add_unit(d, type);
	u->text = wk_doc_str(d, text);
	wk_doc_add_box(d, u, (wk_box){page, 50, 100, 550, 150});
	return u;
}

static void add_table(wk_doc *d, int page, const char *caption, const char *inside)
{
	wk_unit *u = add(d, WK_UNIT_TABLE, page, caption);
	u->caption = wk_doc_str(d, caption);
	u->figure_text = wk_doc_str(d, inside);
}

static wk_doc *statements_doc(void)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 4);
	d->path = wk_doc_str(d, "statements.pdf");
	add(d, WK_UNIT_TEXT, 1, "Quarry Mills Corporation annual report.");
	add_table(d, 2, "Consolidated statements of income (in millions)",
	          "2021 | 2020\n"
	          "Total revenue | 9,120 | 8,300\n"
	          "Operating income | 6,708 | 5,435\n"
	          "Net income | 5,007 | 4,002");
	add_table(d, 3, "Consolidated balance sheets (in millions)",
	          "2021 | 2020\n"
	          "Total current assets | 29,505 | 28,120\n"
	          "Total assets | 59,268 | 55,556\n"
	          "Total current liabilities | 29,441 | 24,844\n"
	          "Other long-term liabilities | 2,415 | 1,935\n"
	          "Total liabilities | 41,190 | 36,851");
	add_table(d, 4, "Consolidated statements of cash flows (in millions)",
	          "2021 | 2020\n"
	          "Depreciation and amortization | 1,781 | 1,645\n"
	          "Net cash provided by operating activities | 8,958 | 8,861\n"
	          "Purchases of property and equipment | (3,588) | (2,810)");
	wk_doc_finish(d);
	return d;
}

static void test_a_line_item_no_row_prints_is_computed_with_its_parts_quoted(void **state)
{
	(void)state;
	wk_doc *d = statements_doc();
	answered a = answer(d, "What is EBITDA for Quarry Mills in FY2021?");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "8,489");
	assert_non_null(strstr(a.ans->quote, "Operating income 6,708"));
	assert_non_null(strstr(a.ans->quote, "Depreciation and amortization 1,781"));
	answered_free(&a);
	a = answer(d, "What is total long-term liabilities for Quarry Mills in FY 2021? Answer in millions");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "11,749");
	assert_non_null(strstr(a.ans->quote, "Total liabilities 41,190"));
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_cost_line_item_is_answered_as_the_amount_of_its_row(void **state)
{
	(void)state;
	wk_doc *d = statements_doc();
	answered a = answer(d, "What is the FY2020 capital expenditure amount (in USD millions) for "
	                       "Quarry Mills based on the cash flow statement?");
	assert_cited_answer(&a, "2,810");
	assert_string_equal(a.ans->quote,
	                    "Purchases of property and equipment | (3,588) | (2,810)");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_line_item_of_a_segment_is_not_answered_with_the_total(void **state)
{
	(void)state;
	wk_doc *d = statements_doc();
	answered a = answer(d, "What is the revenue of the garden lighting segment in FY2021?");
	assert_true(!a.ans->found || strcmp(a.ans->text, "9,120") != 0);
	answered_free(&a);
	wk_doc_free(d);
}

/* A results table: two headers spanning a score and its spread each. */
static void test_the_grid_column_whose_header_holds_more_of_the_question_wins(void **state)
{
	(void)state;
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 2);
	d->path = wk_doc_str(d, "results.pdf");
	add(d, WK_UNIT_TEXT, 1, "We compare prompting methods on two science benchmarks.");
	wk_unit *u = add(d, WK_UNIT_TABLE, 2, "Table 2: Accuracy of the prompting methods.");
	u->caption = u->text;
	u->figure_text = wk_doc_str(d, "Method Garden Physics Garden Chemistry Baseline 66.4% "
	                                 "(0.8%) 70.9% (0.9%) Step prompting 73.2% (1.9%) 81.8% (1.4%)");
	static wk_cell cells[] = {
	    {0, 0, 1, 1, WK_CELL_HEADER, 0, "Method", {2, 0, 0, 0, 0}},
	    {0, 1, 1, 2, WK_CELL_HEADER, 0, "Garden Physics", {2, 0, 0, 0, 0}},
	    {0, 3, 1, 2, WK_CELL_HEADER, 0, "Garden Chemistry", {2, 0, 0, 0, 0}},
	    {1, 0, 1, 1, WK_CELL_STUB, 0, "Baseline", {2, 0, 0, 0, 0}},
	    {1, 1, 1, 1, WK_CELL_BODY, 0, "66.4%", {2, 0, 0, 0, 0}},
	    {1, 2, 1, 1, WK_CELL_BODY, 0, "(0.8%)", {2, 0, 0, 0, 0}},
	    {1, 3, 1, 1, WK_CELL_BODY, 0, "70.9%", {2, 0, 0, 0, 0}},
	    {1, 4, 1, 1, WK_CELL_BODY, 0, "(0.9%)", {2, 0, 0, 0, 0}},
	    {2, 0, 1, 1, WK_CELL_STUB, 0, "Step prompting", {2, 0, 0, 0, 0}},
	    {2, 1, 1, 1, WK_CELL_BODY, 0, "73.2%", {2, 0, 0, 0, 0}},
	    {2, 2, 1, 1, WK_CELL_BODY, 0, "(1.9%)", {2, 0, 0, 0, 0}},
	    {2, 3, 1, 1, WK_CELL_BODY, 0, "81.8%", {2, 0, 0, 0, 0}},
	    {2, 4, 1, 1, WK_CELL_BODY, 0, "(1.4%)", {2, 0, 0, 0, 0}},
	};
	wk_table t = {3, 5, 1, 1, 13, cells, "", -1};
	wk_doc_set_table(d, u, &t);
	wk_doc_finish(d);
	answered a = answer(d, "What score did Step prompting achieve in Garden Physics?");
	assert_cited_answer(&a, "73.2%");
	answered_free(&a);
	a = answer(d, "What score did Step prompting achieve in Garden Chemistry?");
	assert_cited_answer(&a, "81.8%");
	answered_free(&a);
	wk_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest pdf_tests[] = {
	    cmocka_unit_test(test_the_value_in_the_place_of_the_asked_year_is_the_answer),
	    cmocka_unit_test(test_the_day_of_a_date_is_not_one_of_the_values_listed_by_year),
	    cmocka_unit_test(test_the_document_name_the_body_never_repeats_does_not_stop_the_answer),
	    cmocka_unit_test(test_a_growth_rate_is_computed_from_the_years_a_sentence_lists),
	};
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_line_item_no_row_prints_is_computed_with_its_parts_quoted),
	    cmocka_unit_test(test_a_cost_line_item_is_answered_as_the_amount_of_its_row),
	    cmocka_unit_test(test_a_line_item_of_a_segment_is_not_answered_with_the_total),
	    cmocka_unit_test(test_the_grid_column_whose_header_holds_more_of_the_question_wins),
	};
	int failed = cmocka_run_group_tests_name("pdf", pdf_tests, make_pdf, drop_pdf);
	return failed + cmocka_run_group_tests_name("statements", tests, NULL, NULL);
}
