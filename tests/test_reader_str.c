/* test_reader_str.c: short text answers of the reader without a model, on documents
 * built here: the title printed after what it names, the object of the verb a question
 * ends with, the name a "what type of" question asks for, a fax number after its cue,
 * the name a listing prints with a code, the paper's own link (its DOI);
 * each exact, a span of the cited unit and of its quote. Questions the evidence does
 * not answer stay not found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/doc/doc.h" /* wk_doc_finish: sections from the headings */
#include "support/mkreader.h"

/* ---- titles, objects, kinds, numbers ---- */

static wk_doc *syllabus_doc(void)
{
	wk_doc *d = mkr_new_doc(3);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2, "UNIT 4: Managing Human Resources and Labor Relations");
	mkr_add(d, WK_UNIT_TEXT, 2, "Unit 4 Key Assignments: a quiz and a team presentation.");
	mkr_add(d, WK_UNIT_TEXT, 3,
	    "Critical Thinking Case Study- Discrimination in the Workplace Continues\xe2\x80\x94"
	    "submit on the class drive before the end of the quarter.");
	return d;
}

static void test_the_topic_of_a_numbered_unit_is_the_title_after_its_colon(void **state)
{
	(void)state;
	wk_doc *d = syllabus_doc();
	mkr_answered a = mkr_answer(d, "What is the topic of Unit 4?");
	assert_true(mkr_is_span_answer(&a, "Managing Human Resources and Labor Relations", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_the_title_of_a_case_study_stops_at_the_dash_that_ends_it(void **state)
{
	(void)state;
	wk_doc *d = syllabus_doc();
	mkr_answered a = mkr_answer(d, "What is the title of the case study?");
	assert_true(mkr_is_span_answer(&a, "Discrimination in the Workplace Continues", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_what_does_question_gets_the_object_of_its_verb(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2,
	    "A point mutation of the codon that defines phenylalanine may change it to another "
	    "codon that defines serine.");
	mkr_answered a = mkr_answer(d, "What does a point mutation of the codon define?");
	assert_true(mkr_is_span_answer(&a, "phenylalanine", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_which_noun_did_question_gets_the_object_of_its_last_verb(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2, "On every corpus the study reports macro recall, averaged over folds.");
	mkr_answered a = mkr_answer(d, "Which measure did the corpus study report?");
	assert_true(mkr_is_span_answer(&a, "macro recall", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_what_if_question_gets_the_clause_its_condition_leads_to(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2,
	        "Use an adaptor rated 2 A or more (If the adaptor supplies less than 2 A, the "
	        "charging time of the speaker will increase.)");
	mkr_answered a = mkr_answer(d, "What if the adaptor supplies less than 2 A for the speaker?");
	assert_true(mkr_is_span_answer(&a, "the charging time of the speaker will increase", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_how_question_gets_the_phrase_a_preposition_opens(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2,
	        "We recognize lease costs on a straight-line basis without regard to deferred "
	        "payment terms, such as rent holidays.");
	mkr_answered a = mkr_answer(d, "How do they recognize lease costs?");
	assert_true(mkr_is_span_answer(
	    &a, "a straight-line basis without regard to deferred payment terms", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_what_type_of_court_is_the_capitalised_name_ending_in_court(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add(d, WK_UNIT_TEXT, 1,
	    "PROVINCE OF QUEBEC DISTRICT OF MONTREAL\nSUPERIOR COURT\n(Class Action)\n"
	    "Defence filed before the court of the district in spring.");
	mkr_add_filler(d, 2);
	mkr_answered a = mkr_answer(d, "What type of court heard the class action?");
	assert_true(mkr_is_span_answer(&a, "SUPERIOR COURT", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_the_fax_number_is_the_one_after_fax_not_after_tel(void **state)
{
	(void)state;
	wk_doc *d = mkr_new_doc(2);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_TEXT, 2,
	    "Harbour Legal Partners, 12 Quay Street, Portsmouth Tel: 514-312-0293 Fax: "
	    "514-312-0292");
	mkr_answered a = mkr_answer(d, "What is the fax number of Harbour Legal Partners?");
	assert_true(mkr_is_span_answer(&a, "514-312-0292", "phone"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_title_question_without_a_printed_title_is_not_found(void **state)
{
	(void)state;
	wk_doc *d = syllabus_doc();
	mkr_answered a = mkr_answer(d, "What is the title of the Unit 9 field trip?");
	assert_true(mkr_is_not_found(&a));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

/* ---- what a listing prints with a code ---- */

static wk_doc *market_codes_doc(void)
{
	wk_doc *d = mkr_new_doc(3);
	mkr_add_filler(d, 1);
	mkr_add(d, WK_UNIT_HEADING, 2, "Geographic Market Name Code");
	mkr_add(d, WK_UNIT_TEXT, 2, "Lakeland (LK)");
	mkr_add(d, WK_UNIT_TEXT, 2, "1. Harbor City LK01 2. Northern Lakes LK02");
	mkr_add(d, WK_UNIT_TEXT, 2,
	    "3. Pine Valley and Westfield LK03 4. Stone Ridge (East) LK04 5. Mill Creek LK05");
	mkr_add_filler(d, 3);
	wk_doc_finish(d);
	return d;
}

static void test_the_name_a_listing_prints_with_a_code_is_the_answer(void **state)
{
	(void)state;
	wk_doc *d = market_codes_doc();
	mkr_answered a = mkr_answer(d, "What is the geographic market name for code LK04?");
	assert_true(mkr_is_span_answer(&a, "Stone Ridge (East)", "text"));
	mkr_answered_free(&a);
	a = mkr_answer(d, "What's the market name for LK01?");
	assert_true(mkr_is_span_answer(&a, "Harbor City", "text"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

static void test_a_code_the_document_does_not_print_is_not_found(void **state)
{
	(void)state;
	wk_doc *d = market_codes_doc();
	mkr_answered a = mkr_answer(d, "What is the geographic market name for code LK07?");
	assert_true(mkr_is_not_found(&a));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

/* ---- the document's own link ---- */

static wk_doc *journal_article_doc(void)
{
	wk_doc *d = mkr_new_doc(3);
	mkr_add(d, WK_UNIT_TEXT, 1, "Journal of Coastal Ecology. journal homepage: www.coastal-eco.example.org");
	mkr_add(d, WK_UNIT_TEXT, 1, "Tide pools of the northern shore and their snails");
	mkr_add(d, WK_UNIT_TEXT, 1,
	    "http://dx.doi.org/10.1016/j.tide.2015.07.002 2015 Production and hosting by a "
	    "publisher on behalf of the society.");
	mkr_add_filler(d, 2);
	mkr_add(d, WK_UNIT_TEXT, 3,
	    "The snail counts are available at https://data.coastal-eco.example.org/snails for "
	    "anyone who wants to repeat the survey.");
	wk_doc_finish(d);
	return d;
}

static void test_the_web_link_to_the_paper_is_its_doi(void **state)
{
	(void)state;
	wk_doc *d = journal_article_doc();
	mkr_answered a = mkr_answer(d, "What is the web link to this paper?");
	assert_true(mkr_is_span_answer(&a, "http://dx.doi.org/10.1016/j.tide.2015.07.002", "url"));
	mkr_answered_free(&a);
	a = mkr_answer(d, "What is the web link to the snail counts?");
	assert_true(mkr_is_span_answer(&a, "https://data.coastal-eco.example.org/snails", "url"));
	mkr_answered_free(&a);
	wk_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_topic_of_a_numbered_unit_is_the_title_after_its_colon),
	    cmocka_unit_test(test_the_title_of_a_case_study_stops_at_the_dash_that_ends_it),
	    cmocka_unit_test(test_a_what_does_question_gets_the_object_of_its_verb),
	    cmocka_unit_test(test_a_which_noun_did_question_gets_the_object_of_its_last_verb),
	    cmocka_unit_test(test_a_what_if_question_gets_the_clause_its_condition_leads_to),
	    cmocka_unit_test(test_a_how_question_gets_the_phrase_a_preposition_opens),
	    cmocka_unit_test(test_what_type_of_court_is_the_capitalised_name_ending_in_court),
	    cmocka_unit_test(test_the_fax_number_is_the_one_after_fax_not_after_tel),
	    cmocka_unit_test(test_a_title_question_without_a_printed_title_is_not_found),
	    cmocka_unit_test(test_the_name_a_listing_prints_with_a_code_is_the_answer),
	    cmocka_unit_test(test_a_code_the_document_does_not_print_is_not_found),
	    cmocka_unit_test(test_the_web_link_to_the_paper_is_its_doi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
