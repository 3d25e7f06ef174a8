/* test_reader_int.c: whole-number answers of the reader without a model, on a manual we
 * typeset here (tests/support/mkpdf.h) and parse: the steps of a procedure counted after
 * its lead-in line, the members of an inclusive range, the distinct labels the text
 * mentions, the figures of the appendix (labelled ones only, a logo is no figure), the
 * figures whose caption holds the word before "charts", and a
 * question whose last sentence only says how to write the answer. Each answer is exact,
 * its quote shows what was counted, and a question about something the document does
 * not have is not answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wukong.h"
#include "support/mkpdf.h"
#include "support/mkreader.h"

#define BODY "Times-Roman"
#define BOLD "Helvetica-Bold"

static wk_doc *manual;

/* Body lines from y on, 14 points apart; returns the y after a paragraph gap. */
static float lines(mk_pdf *pdf, float y, const char *const *text, int n)
{
	for (int i = 0; i < n; i++)
		mk_text(pdf, BODY, 11, 72, y + 14 * (float)i, text[i]);
	return y + 14 * (float)n + 16;
}

static float heading(mk_pdf *pdf, float y, const char *text)
{
	mk_text(pdf, BOLD, 15, 72, y, text);
	return y + 30;
}

/* A picture with its caption under it. */
static float figure(mk_pdf *pdf, float y, const char *caption)
{
	mk_image(pdf, 72, y, 300, 150, 64, 32);
	if (caption)
		mk_text(pdf, BODY, 10, 72, y + 168, caption);
	return y + 200;
}

static void page_one(mk_pdf *pdf)
{
	static const char *const intro[] = {
	    "This guide explains how to care for the water fountain of the community garden.",
	    "The volunteers keep the basin clean and replace its filter every spring season.",
	    "The claims of the supplier are set out in Exhibit A-1 and Exhibit A-2, and the",
	    "answers of the garden board in Exhibits B-3 and B-4 of the appendix."};
	static const char *const zones[] = {
	    "The garden is divided into numbered flower beds that volunteers look after in turns.",
	    "Northern area: 4 through 9. The southern beds are shared by the school."};
	mk_page(pdf, 612, 792);
	float y = heading(pdf, 90, "1 The fountain of the garden");
	y = lines(pdf, y, intro, 4);
	y = lines(pdf, y, zones, 2);
	mk_image(pdf, 480, 700, 60, 40, 16, 16); /* a logo: no caption, no label */
	figure(pdf, y, "Figure 1: The fountain seen from the northern path.");
}

static void page_two(mk_pdf *pdf)
{
	static const char *const before[] = {
	    "The filter keeps leaves and sand out of the pump and lasts about one year.",
	    "Turn the pump off at the switch before you touch the filter or the basin."};
	static const char *const steps[] = {"To replace the filter:", "1. Open the lid of the pump.",
	                                    "2. Lift the old filter out.",
	                                    "3. Insert the new filter and close the lid."};
	static const char *const after[] = {
	    "Old filters go to the green waste bin behind the shed near the main gate."};
	mk_page(pdf, 612, 792);
	float y = heading(pdf, 90, "2 Replacing the filter");
	y = lines(pdf, y, before, 2);
	for (int i = 0; i < 4; i++)
		y = lines(pdf, y, &steps[i], 1);
	lines(pdf, y + 10, after, 1);
}

static void page_three(mk_pdf *pdf)
{
	static const char *const refs[] = {"Garden Board. Rules of the community garden. 2019.",
	                                   "Water Works. Care of small pumps. 2021."};
	mk_page(pdf, 612, 792);
	float y = heading(pdf, 90, "References");
	y = lines(pdf, y, refs, 2);
	y = heading(pdf, y + 20, "Appendix A Measurements");
	y = figure(pdf, y, "Figure 2: Water level of the pump basin by month.");
	figure(pdf, y, "Figure 3: Hours of pump use by month.");
}

static int setup(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s", mk_tmp_path("reader_int.pdf"));
	mk_pdf *pdf = mk_new();
	page_one(pdf);
	page_two(pdf);
	page_three(pdf);
	mk_save(pdf, path, NULL);
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	wk_error err = {0};
	int rc = wk_parse_file(path, &o, &manual, &err);
	remove(path);
	return rc == WK_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	wk_doc_free(manual);
	return 0;
}

typedef mkr_answered answered;

static answered ask(const char *question)
{
	return mkr_answer(manual, question);
}

static void answered_free(answered *a)
{
	mkr_answered_free(a);
}

/* The count is exactly `expected` and the quote holds each of `shown` (what was counted,
 * as printed); when the answer cites a unit, the quote's first words are that unit's. */
static void assert_count(const answered *a, const char *expected, const char *const *shown,
                         int nshown)
{
	assert_true(a->ans->found);
	assert_string_equal(a->ans->text, expected);
	assert_string_equal(a->ans->answer_type, "count");
	assert_non_null(a->ans->quote);
	for (int i = 0; i < nshown; i++)
		assert_non_null(strstr(a->ans->quote, shown[i]));
	assert_true(a->ans->quote_page > 0);
}

static void test_the_steps_after_a_lead_in_line_are_counted(void **state)
{
	(void)state;
	answered a = ask("How many steps are needed to replace the filter?");
	static const char *const shown[] = {"To replace the filter:", "1. Open the lid of the pump.",
	                                    "3. Insert the new filter and close the lid."};
	assert_count(&a, "3", shown, 3);
	/* the lead-in is the cited unit and starts the quote */
	assert_int_equal(a.ans->ncited, 1);
	const char *unit = a.sel->items[a.ans->cited[0]].text;
	assert_non_null(strstr(unit, "To replace the filter:"));
	assert_int_equal(strncmp(a.ans->quote, "To replace the filter:", 22), 0);
	answered_free(&a);
}

static void test_an_inclusive_range_counts_its_members(void **state)
{
	(void)state;
	answered a = ask("How many beds are in the Northern area?");
	static const char *const shown[] = {"Northern area: 4 through 9", "4 to 9: 6"};
	assert_count(&a, "6", shown, 2);
	assert_int_equal(a.ans->ncited, 1);
	assert_non_null(strstr(a.sel->items[a.ans->cited[0]].text, "Northern area: 4 through 9"));
	answered_free(&a);
}

static void test_distinct_labels_mentioned_are_counted_once_each(void **state)
{
	(void)state;
	answered a = ask("How many Exhibits are mentioned in the document?");
	static const char *const shown[] = {"A-1", "A-2", "B-3", "B-4"};
	assert_count(&a, "4", shown, 4);
	answered_free(&a);
}

static void test_figures_of_the_appendix_are_counted_from_its_heading(void **state)
{
	(void)state;
	answered a = ask("How many figures are in the appendix?");
	static const char *const shown[] = {"Figure 2 (page 3)", "Figure 3 (page 3)"};
	assert_count(&a, "2", shown, 2);
	assert_null(strstr(a.ans->quote, "Figure 1"));
	answered_free(&a);
}

static void test_a_logo_is_not_counted_among_labelled_figures(void **state)
{
	(void)state;
	answered a = ask("How many figures are in the entire document?");
	static const char *const shown[] = {"Figure 1 (page 1)", "Figure 3 (page 3)"};
	assert_count(&a, "3", shown, 2);
	answered_free(&a);
}

static void test_a_word_before_the_figure_noun_narrows_the_count_by_caption(void **state)
{
	(void)state;
	answered a = ask("How many pump charts are in the document?");
	static const char *const shown[] = {"Figure 2 (page 3)", "Figure 3 (page 3)"};
	assert_count(&a, "2", shown, 2);
	assert_null(strstr(a.ans->quote, "Figure 1"));
	answered_free(&a);
}

static void test_a_trailing_instruction_about_the_form_is_no_topic(void **state)
{
	(void)state;
	/* "Write" is capitalised as a sentence's first word: no name the evidence must hold */
	answered a = ask("How many steps are needed to replace the filter? Write an integer.");
	static const char *const shown[] = {"To replace the filter:"};
	assert_count(&a, "3", shown, 1);
	answered_free(&a);
}

static void test_a_count_of_a_part_the_document_lacks_is_not_answered(void **state)
{
	(void)state;
	answered a = ask("How many figures are in Appendix C of the tax guide?");
	assert_false(a.ans->found);
	assert_null(a.ans->quote);
	answered_free(&a);
	a = ask("How many steps are needed to replace the valve of the Hortensia boiler?");
	assert_false(a.ans->found);
	answered_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_steps_after_a_lead_in_line_are_counted),
	    cmocka_unit_test(test_an_inclusive_range_counts_its_members),
	    cmocka_unit_test(test_distinct_labels_mentioned_are_counted_once_each),
	    cmocka_unit_test(test_figures_of_the_appendix_are_counted_from_its_heading),
	    cmocka_unit_test(test_a_logo_is_not_counted_among_labelled_figures),
	    cmocka_unit_test(test_a_word_before_the_figure_noun_narrows_the_count_by_caption),
	    cmocka_unit_test(test_a_trailing_instruction_about_the_form_is_no_topic),
	    cmocka_unit_test(test_a_count_of_a_part_the_document_lacks_is_not_answered),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
