/* test_reader.c: the answer without a model on documents built here: each type of
 * question gets its exact short answer, read as a span of the cited evidence (or a count
 * whose computation the quote shows), and questions the evidence does not answer get
 * found = 0. */
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
#include "support/mkreader.h"

/* ---- building documents: the fixtures of tests/support/mkreader.h ---- */

typedef mkr_answered answered;
#define new_doc mkr_new_doc
#define add mkr_add
#define add_table mkr_add_table
#define add_filler mkr_add_filler
#define answer mkr_answer
#define answered_free mkr_answered_free

/* The short answer is exactly `expected`, printed in the cited unit and in the quote. */
static void assert_span_answer(const answered *a, const char *expected, const char *type)
{
	assert_true(mkr_is_span_answer(a, expected, type));
}

static void assert_not_found(const answered *a)
{
	assert_true(mkr_is_not_found(a));
}

/* ---- tables ---- */

static const char *balance_sheet = "2022 | 2021 | 2020\n"
                                   "Net sales | $ | 5,120 | $ | 4,870 | $ | 4,400\n"
                                   "Total current liabilities | 29,441 | 24,844 | 21,100\n"
                                   "Total liabilities | 41,190 | 36,851 | 30,020\n"
                                   "Total equity | 18,078 | 18,705 | 17,000";

static wk_doc *table_doc(void)
{
	wk_doc *d = new_doc(2);
	add_filler(d, 1);
	add_table(d, 2, "Table 3", "Table 3: Consolidated balance sheets (in millions).",
	          balance_sheet);
	wk_doc_finish(d);
	return d;
}

static void test_table_cell_is_read_at_the_fiscal_year_column(void **state)
{
	(void)state;
	wk_doc *d = table_doc();
	answered a = answer(d, "What were total liabilities in fiscal 2021?");
	assert_span_answer(&a, "36,851", "money");
	assert_string_equal(a.ans->quote, "Total liabilities | 41,190 | 36,851 | 30,020");
	answered_free(&a);
	a = answer(d, "What were the net sales in FY2020?");
	assert_span_answer(&a, "4,400", "money");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_year_the_table_does_not_have_is_not_answered(void **state)
{
	(void)state;
	wk_doc *d = table_doc();
	answered a = answer(d, "What were total liabilities in fiscal 2015?");
	assert_not_found(&a);
	answered_free(&a);
	wk_doc_free(d);
}

/* A recognised grid (wk_unit.table) whose figure text has the words but no " | " rows:
 * the cell comes from the grid. */
static void test_table_grid_cell_is_read_by_row_label_and_year_header(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1);
	wk_unit *u = add_table(d, 2, "Table 1", "Table 1: Revenue by segment (in millions).",
	                       "2023 2022 Cloud services 812 640 Hardware 377 402");
	static wk_cell cells[] = {
	    {0, 1, 1, 1, WK_CELL_HEADER, 0, "2023", {2, 0, 0, 0, 0}},
	    {0, 2, 1, 1, WK_CELL_HEADER, 0, "2022", {2, 0, 0, 0, 0}},
	    {1, 0, 1, 1, WK_CELL_STUB, 0, "Cloud services", {2, 0, 0, 0, 0}},
	    {1, 1, 1, 1, WK_CELL_BODY, 0, "812", {2, 0, 0, 0, 0}},
	    {1, 2, 1, 1, WK_CELL_BODY, 0, "640", {2, 0, 0, 0, 0}},
	    {2, 0, 1, 1, WK_CELL_STUB, 0, "Hardware", {2, 0, 0, 0, 0}},
	    {2, 1, 1, 1, WK_CELL_BODY, 0, "377", {2, 0, 0, 0, 0}},
	    {2, 2, 1, 1, WK_CELL_BODY, 0, "402", {2, 0, 0, 0, 0}},
	};
	wk_table t = {3, 3, 1, 1, 8, cells, "in millions", -1};
	wk_doc_set_table(d, u, &t);
	wk_doc_finish(d);
	answered a = answer(d, "How much revenue did hardware bring in 2022?");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "402");
	assert_string_equal(a.ans->quote, "Hardware | 377 | 402");
	assert_int_equal(a.ans->ncited, 1);
	const wk_unit *cited = &d->units[a.sel->items[a.ans->cited[0]].idx];
	assert_non_null(cited->table);
	int in_grid = 0;
	for (int i = 0; i < cited->table->ncells; i++)
		in_grid |= !strcmp(cited->table->cells[i].text, a.ans->text);
	assert_true(in_grid);
	answered_free(&a);
	wk_doc_free(d);
}

/* ---- sentences ---- */

static void test_acronym_question_gets_the_expanded_name(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1,
	    "Our system grounds every answer with Retrieval-Augmented Generation (RAG) over the "
	    "selected pages.");
	wk_doc_finish(d);
	answered a = answer(d, "What does RAG stand for?");
	assert_span_answer(&a, "Retrieval-Augmented Generation", "acronym");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_range_with_its_unit_is_the_short_answer(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1,
	    "Raft uses randomized election timeouts. Election timeouts are chosen randomly from a "
	    "fixed interval of 150-300 ms in our implementation.");
	wk_doc_finish(d);
	answered a = answer(d, "What is the election timeout range?");
	assert_span_answer(&a, "150-300 ms", "quantity");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_count_of_things_takes_the_number_before_the_noun(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1,
	    "By default the sampler keeps at most 2048 tokens of evidence; it can never be set "
	    "below 16 tokens.");
	wk_doc_finish(d);
	answered a = answer(d, "How many tokens does the sampler keep?");
	assert_span_answer(&a, "2048 tokens", "count");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_list_question_gets_the_enumeration(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1,
	    "The headset kit includes a charger, a cable, two ear tips and a carrying case.");
	wk_doc_finish(d);
	answered a = answer(d, "What are the items included in the headset kit?");
	assert_span_answer(&a, "a charger, a cable, two ear tips and a carrying case", "list");
	answered_free(&a);
	wk_doc_free(d);
}

/* ---- the document as a whole ---- */

static void test_authors_are_read_from_the_title_block(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add(d, WK_UNIT_HEADING, 1, "Sparse Evidence for Long Documents");
	add(d, WK_UNIT_TEXT, 1, "Alice Martin, Bob Chen and Carol Diaz Northwind University");
	add(d, WK_UNIT_HEADING, 1, "Abstract");
	add(d, WK_UNIT_TEXT, 1, "We read long documents by sampling the evidence they need.");
	add_filler(d, 2);
	wk_doc_finish(d);
	answered a = answer(d, "Who are the authors of this paper?");
	assert_span_answer(&a, "Alice Martin, Bob Chen and Carol Diaz", "person");
	assert_int_equal(a.sel->items[a.ans->cited[0]].idx, 1);
	answered_free(&a);
	wk_doc_free(d);
}

static void test_figure_count_is_computed_and_shown(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	add_filler(d, 1);
	for (int i = 1; i <= 3; i++) {
		char label[32], caption[64];
		snprintf(label, sizeof label, "Figure %d", i);
		snprintf(caption, sizeof caption, "Figure %d: Growth of the garden in year %d.", i, i);
		wk_unit *u = add(d, WK_UNIT_FIGURE, i, caption);
		u->label = wk_doc_str(d, label);
		u->caption = wk_doc_str(d, caption);
	}
	wk_doc_finish(d);
	answered a = answer(d, "How many figures are in the document?");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "3");
	assert_string_equal(a.ans->answer_type, "count");
	/* a computed answer shows what it counted */
	assert_non_null(strstr(a.ans->quote, "Figure 1 (page 1)"));
	assert_non_null(strstr(a.ans->quote, "Figure 3 (page 3)"));
	answered_free(&a);
	wk_doc_free(d);
}

/* ---- computed answers ---- */

/* An income statement and a balance sheet on different pages: ratios need a row of
 * each. */
static wk_doc *statements_doc(void)
{
	wk_doc *d = new_doc(3);
	add_filler(d, 1);
	add_table(d, 2, NULL, "Consolidated statements of operations (in millions)",
	          "2022 | 2021\n"
	          "Net sales | $ | 5,120 | $ | 4,870\n"
	          "Operating income | 640 | 602\n"
	          "Net income | 512 | 430");
	add_table(d, 3, NULL, "Consolidated balance sheets (in millions)",
	          "2022 | 2021\n"
	          "Total current assets | 8,000 | 7,000\n"
	          "Total assets | 20,480 | 19,000\n"
	          "Total current liabilities | 4,000 | 3,500");
	wk_doc_finish(d);
	return d;
}

static void test_ratio_is_computed_from_two_table_rows_with_the_computation_quoted(void **state)
{
	(void)state;
	wk_doc *d = statements_doc();
	answered a = answer(d, "What is the return on assets in FY2022? Round your answer to three "
	                       "decimal places.");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "0.025"); /* 512 / 20,480 */
	assert_string_equal(a.ans->quote, "Net income 512 / Total assets 20,480 = 0.025 (2022)");
	assert_int_equal(a.ans->ncited, 1);
	answered_free(&a);
	/* working capital is computed too: current assets less current liabilities */
	a = answer(d, "What is the sales to working capital ratio in FY2021? Round your answer to "
	              "two decimal places.");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "1.39"); /* 4,870 / (7,000 - 3,500) */
	assert_string_equal(a.ans->quote, "Net sales 4,870 / (Total current assets 7,000 - "
	                                  "Total current liabilities 3,500) = 1.39 (2021)");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_computed_ratio_is_rounded_to_the_decimals_asked(void **state)
{
	(void)state;
	wk_doc *d = statements_doc();
	const char *questions[][2] = {
	    {"What is the operating margin in FY2021? Round to one decimal place.", "0.1"},
	    {"What is the operating margin in FY2021 as a percentage? Round to two decimal "
	     "places.",
	     "12.36%"},                                             /* 602 / 4,870 */
	    {"What is the operating margin in FY2021?", "12.36%"}, /* a margin reads as percent */
	    {"What is the current ratio in FY2022?", "2.000"},     /* four significant digits */
	};
	for (size_t i = 0; i < sizeof questions / sizeof *questions; i++) {
		answered a = answer(d, questions[i][0]);
		assert_true(a.ans->found);
		assert_string_equal(a.ans->text, questions[i][1]);
		answered_free(&a);
	}
	/* a year no statement prints: nothing to compute from */
	answered a = answer(d, "What is the return on assets in FY2015?");
	assert_false(a.ans->found);
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_percentage_is_read_from_a_chart_by_the_group_asked(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1);
	wk_unit *u = add(d, WK_UNIT_FIGURE, 2, "Figure 2: Who waters the garden at dawn");
	u->label = wk_doc_str(d, "Figure 2");
	u->caption = wk_doc_str(d, "Figure 2: Who waters the garden at dawn");
	u->figure_text = wk_doc_str(d, "% of gardeners who water at dawn\n"
	                               "Retired gardeners 61%\n"
	                               "Student gardeners 24%\n"
	                               "Source: Survey of 2018 gardeners.");
	wk_doc_finish(d);
	answered a = answer(d, "What percentage of student gardeners water at dawn?");
	assert_span_answer(&a, "24%", "percent");
	answered_free(&a);
	a = answer(d, "What percentage of retired gardeners water at dawn?");
	assert_span_answer(&a, "61%", "percent");
	answered_free(&a);
	wk_doc_free(d);
}

/* ---- abstention ---- */

static void test_unanswerable_questions_are_not_found(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1, "The survey of 2018 found that 41% of gardeners water at dawn.");
	wk_doc_finish(d);
	const char *questions[] = {
	    "What share of gardeners water at dawn according to the 2024 survey?",
	    "What is the population of Atlantis?",
	    "Who painted the Mona Lisa?",
	    "What does NASA stand for?",
	};
	for (size_t i = 0; i < sizeof questions / sizeof *questions; i++) {
		answered a = answer(d, questions[i]);
		assert_not_found(&a);
		answered_free(&a);
	}
	answered a = answer(d, "What share of gardeners water at dawn according to the 2018 survey?");
	assert_span_answer(&a, "41%", "percent");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_a_misspelt_name_in_the_question_is_still_answered(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1, "In 2015 Gardenia spent 41% of its budget on seeds and tools.");
	wk_doc_finish(d);
	answered a = answer(d, "What share of its budget did Gardnia spend on seeds in 2015?");
	assert_span_answer(&a, "41%", "percent");
	answered_free(&a);
	/* one edit is a typo, a different name is another thing */
	a = answer(d, "What share of its budget did Hortensia spend on seeds in 2015?");
	assert_not_found(&a);
	answered_free(&a);
	wk_doc_free(d);
}

static void test_the_e_mail_made_of_the_persons_name_is_the_string_answer(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1,
	    "Counsel Marianne Ignacz Counsel Laurent Nahmiash Email: mignacz@example.org "
	    "lnahmiash@example.org");
	wk_doc_finish(d);
	answered a = answer(d, "What is the email address of Laurent Nahmiash?");
	assert_span_answer(&a, "lnahmiash@example.org", "email");
	answered_free(&a);
	wk_doc_free(d);
}

static void test_the_date_on_the_page_asked_for_is_written_in_the_asked_form(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1);
	add(d, WK_UNIT_TEXT, 1, "The garden opened on May 3, 2019 after two years of work.");
	add(d, WK_UNIT_TEXT, 2, "Springfield, February 8, 2021");
	wk_doc_finish(d);
	answered a = answer(d, "Format the date mentioned on page 2 as YYYY-MM-DD.");
	assert_true(a.ans->found);
	assert_string_equal(a.ans->text, "2021-02-08");
	assert_string_equal(a.ans->answer_type, "date");
	assert_int_equal(a.ans->quote_page, 2);
	assert_non_null(strstr(a.ans->quote, "February 8, 2021")); /* the date it was read from */
	answered_free(&a);
	wk_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_cell_is_read_at_the_fiscal_year_column),
	    cmocka_unit_test(test_a_year_the_table_does_not_have_is_not_answered),
	    cmocka_unit_test(test_table_grid_cell_is_read_by_row_label_and_year_header),
	    cmocka_unit_test(test_acronym_question_gets_the_expanded_name),
	    cmocka_unit_test(test_range_with_its_unit_is_the_short_answer),
	    cmocka_unit_test(test_count_of_things_takes_the_number_before_the_noun),
	    cmocka_unit_test(test_list_question_gets_the_enumeration),
	    cmocka_unit_test(test_authors_are_read_from_the_title_block),
	    cmocka_unit_test(test_figure_count_is_computed_and_shown),
	    cmocka_unit_test(test_unanswerable_questions_are_not_found),
	    cmocka_unit_test(test_a_misspelt_name_in_the_question_is_still_answered),
	    cmocka_unit_test(test_the_e_mail_made_of_the_persons_name_is_the_string_answer),
	    cmocka_unit_test(test_the_date_on_the_page_asked_for_is_written_in_the_asked_form),
	    cmocka_unit_test(test_ratio_is_computed_from_two_table_rows_with_the_computation_quoted),
	    cmocka_unit_test(test_a_computed_ratio_is_rounded_to_the_decimals_asked),
	    cmocka_unit_test(test_a_percentage_is_read_from_a_chart_by_the_group_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
