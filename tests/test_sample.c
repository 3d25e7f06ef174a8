/* test_sample.c: the sparse sampler on small documents built here: which units are
 * selected for a question, and why (caption match, figure references, explicit
 * references, sections, budget, duplicates, trimming), plus the tokenizer and the
 * extractive answer. */
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

/* ---- building documents ---- */

static wk_unit *add(wk_doc *d, wk_unit_type type, int page, int level, const char *text)
{
	wk_unit *u = wk_doc_add_unit(d, type);
	u->text = wk_doc_str(d, text);
	u->level = level;
	wk_doc_add_box(d, u, (wk_box){page, 50, 100, 550, 150});
	return u;
}

static wk_unit *add_fig(wk_doc *d, wk_unit_type type, int page, const char *label,
                        const char *caption, const char *inside)
{
	wk_unit *u = add(d, type, page, 0, caption);
	u->label = wk_doc_str(d, label);
	u->caption = wk_doc_str(d, caption);
	u->figure_text = wk_doc_str(d, inside);
	return u;
}

static const char *filler[] = {
	"The committee met twice during the spring to review the garden plans and budgets.",
	"Volunteers planted tulips along the northern path near the old stone fountain.",
	"Weather records show a dry summer followed by an unusually wet autumn season.",
	"The library extended its opening hours on weekends for students and visitors.",
	"Local musicians performed in the park every Friday evening through August.",
	"A new bicycle lane connects the railway station with the market square.",
};

static void add_filler(wk_doc *d, int page, int n)
{
	for (int i = 0; i < n; i++)
		add(d, WK_UNIT_TEXT, page, 0, filler[i % (int)WK_ARRAY_LEN(filler)]);
}

typedef struct asked {
	wk_doc *doc;
	wk_index *index;
	wk_selection *sel;
} asked;

static asked ask(wk_doc *d, const char *question, int budget)
{
	wk_doc_finish(d);
	asked a = {d, NULL, NULL};
	assert_int_equal(wk_index_new(d, &a.index, NULL), WK_OK);
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = budget;
	wk_error err;
	assert_int_equal(wk_sample(a.index, question, &opts, &a.sel, &err), WK_OK);
	assert_true(a.sel->tokens <= budget);
	return a;
}

static void asked_free(asked *a)
{
	wk_selection_free(a->sel);
	wk_index_free(a->index);
	wk_doc_free(a->doc);
}

/* The item holding unit idx (alone or joined with its neighbours). */
static const wk_evidence *find(const wk_selection *sel, int idx)
{
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		if (idx >= e->idx && idx < e->idx + (e->span > 1 ? e->span : 1))
			return e;
	}
	return NULL;
}

/* The selected item with the highest score. */
static const wk_evidence *best(const wk_selection *sel)
{
	const wk_evidence *b = NULL;
	for (int i = 0; i < sel->n; i++)
		if (!b || sel->items[i].score > b->score)
			b = &sel->items[i];
	return b;
}

static wk_doc *new_doc(int pages)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, pages);
	d->path = wk_doc_str(d, "test.pdf");
	return d;
}

/* ---- tokenizer ---- */

typedef struct terms {
	char list[64][64];
	int n;
} terms;

static void collect(void *user, const char *term, size_t len)
{
	terms *t = user;
	if (t->n < 64 && len < 64)
		memcpy(t->list[t->n++], term, len + 1);
}

static int has_term(const terms *t, const char *s)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->list[i], s) == 0)
			return 1;
	return 0;
}

static void test_tokenizer_keeps_numbers_whole_and_splits_hyphens(void **state)
{
	(void)state;
	wk_tokenizer *tk = wk_tokenizer_new();
	terms t = {0};
	wk_tokenize(tk, "Growth of 3.5 and 2,048 units cost $1.2 (45%) in 2019; state-of-the-art.",
	            collect, &t);
	assert_true(has_term(&t, "3.5"));
	assert_true(has_term(&t, "2048"));
	assert_true(has_term(&t, "1.2"));
	assert_true(has_term(&t, "45"));
	assert_true(has_term(&t, "2019"));
	assert_true(has_term(&t, "state"));
	assert_true(has_term(&t, "art"));
	assert_true(has_term(&t, "stateoftheart"));
	assert_false(has_term(&t, "of"));
	assert_false(has_term(&t, "the"));
	wk_tokenizer_free(tk);
}

static void test_tokenizer_folds_case_and_stems(void **state)
{
	(void)state;
	wk_tokenizer *tk = wk_tokenizer_new();
	terms t = {0};
	wk_tokenize(tk, "The RUNNING Cats were Running", collect, &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.list[0], "run");
	assert_string_equal(t.list[1], "cat");
	assert_string_equal(t.list[2], "run");
	wk_tokenizer_free(tk);
}

/* ---- selection ---- */

static void test_table_caption_match_selects_table(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	add_filler(d, 1, 12);
	add_fig(d, WK_UNIT_TABLE, 2, "Table 1", "Table 1: Quarterly revenue by region.",
	        "Region Q1 Q2\nEurope 12 14\nAsia 20 22");
	add_filler(d, 3, 12);
	asked a = ask(d, "What was the quarterly revenue by region?", 200);
	const wk_evidence *b = best(a.sel);
	assert_non_null(b);
	assert_int_equal(d->units[b->idx].type, WK_UNIT_TABLE);
	/* the model sees label, caption and cells */
	assert_non_null(strstr(b->text, "Quarterly revenue"));
	assert_non_null(strstr(b->text, "Europe 12 14"));
	asked_free(&a);
}

static void test_figure_referenced_by_best_paragraph_is_selected(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1, 20);
	int para = d->nunits;
	add(d, WK_UNIT_TEXT, 1, 0,
	    "Photosynthesis efficiency drops sharply above forty degrees, as Figure 2 shows.");
	add_filler(d, 2, 20);
	wk_unit *fig = add_fig(d, WK_UNIT_FIGURE, 2, "Figure 2", "Figure 2: Measurements.",
	                       "x y axis");
	int fig_idx = fig->idx;
	wk_doc_set_refs(d, fig, &para, 1);
	asked a = ask(d, "How does photosynthesis efficiency change with temperature?", 60);
	assert_non_null(find(a.sel, para));
	const wk_evidence *f = find(a.sel, fig_idx);
	assert_non_null(f);
	/* its caption shares no word with the question: only the reference can explain it */
	assert_true(f->score > 0);
	asked_free(&a);
}

static void test_explicit_table_reference_selects_that_table(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	add_filler(d, 1, 5);
	int t[3];
	const char *labels[] = {"Table 1", "Table 2", "Table 3"};
	for (int i = 0; i < 3; i++) {
		char cap[64];
		snprintf(cap, sizeof cap, "%s: Accuracy of the models on the test set.", labels[i]);
		t[i] = add_fig(d, WK_UNIT_TABLE, i + 1, labels[i], cap, "model accuracy")->idx;
	}
	asked a = ask(d, "Which model is the most accurate in Table 2?", 300);
	const wk_evidence *b = best(a.sel);
	assert_non_null(b);
	assert_int_equal(b->idx, t[1]);
	asked_free(&a);
}

static void test_roman_table_label_matches_arabic_reference(void **state)
{
	(void)state;
	int kind, num;
	wk_label_parse("Table IV", &kind, &num);
	assert_int_equal(kind, 'T');
	assert_int_equal(num, 4);
	wk_label_parse("Fig. 12", &kind, &num);
	assert_int_equal(kind, 'F');
	assert_int_equal(num, 12);
}

static void test_section_question_lands_in_that_section(void **state)
{
	(void)state;
	wk_doc *d = new_doc(4);
	add(d, WK_UNIT_HEADING, 1, 1, "1 Introduction");
	add_filler(d, 1, 6);
	add(d, WK_UNIT_HEADING, 2, 1, "2 Methods");
	add_filler(d, 2, 6);
	add(d, WK_UNIT_HEADING, 4, 1, "5 Conclusion");
	int first = d->nunits;
	add(d, WK_UNIT_TEXT, 4, 0, "Overall the approach works well and costs little to run.");
	add(d, WK_UNIT_TEXT, 4, 0, "Future work will extend it to other languages.");
	asked a = ask(d, "What does the conclusion say?", 40);
	const wk_evidence *b = best(a.sel);
	assert_non_null(b);
	assert_true(d->units[b->idx].section == d->units[first].section);
	asked_free(&a);
}

static void test_numbered_section_reference_is_honoured(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	add(d, WK_UNIT_HEADING, 1, 1, "3 Data");
	add_filler(d, 1, 4);
	add(d, WK_UNIT_HEADING, 2, 1, "4 Results");
	int target = d->nunits;
	add(d, WK_UNIT_TEXT, 2, 0, "Scores improved for every group we measured.");
	add(d, WK_UNIT_HEADING, 3, 1, "5 Discussion");
	add_filler(d, 3, 4);
	asked a = ask(d, "Summarise Section 4.", 30);
	assert_non_null(find(a.sel, target));
	asked_free(&a);
}

static void test_page_reference_selects_that_page(void **state)
{
	(void)state;
	wk_doc *d = new_doc(5);
	for (int p = 1; p <= 5; p++)
		add_filler(d, p, 3);
	asked a = ask(d, "What is written on page 4?", 40);
	const wk_evidence *b = best(a.sel);
	assert_non_null(b);
	assert_int_equal(d->units[b->idx].page, 4);
	asked_free(&a);
	d = new_doc(5);
	for (int p = 1; p <= 5; p++)
		add_filler(d, p, 3);
	a = ask(d, "What does the last page say?", 40);
	assert_int_equal(d->units[best(a.sel)->idx].page, 5);
	asked_free(&a);
}

static void check_pages(wk_index *ix, wk_tokenizer *tk, const char *question, const int *want,
                        int n)
{
	wk_query *q;
	assert_int_equal(wk_query_new(ix, tk, question, &q, NULL), WK_OK);
	assert_int_equal(q->npage_ref, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(q->page_ref[i], want[i]);
	wk_query_free(q);
}

static void test_ordinal_and_range_page_references_are_understood(void **state)
{
	(void)state;
	wk_doc *d = new_doc(60);
	add_filler(d, 1, 2);
	wk_doc_finish(d);
	wk_index *ix;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_tokenizer *tk = wk_tokenizer_new();
	check_pages(ix, tk, "What date is on the second page?", (int[]){2}, 1);
	check_pages(ix, tk, "Who stands in the figure on the second last page?", (int[]){-2}, 1);
	check_pages(ix, tk, "What does the last page say?", (int[]){-1}, 1);
	check_pages(ix, tk, "How many figures are in pages 51-53?", (int[]){51, 52, 53}, 3);
	check_pages(ix, tk, "Compare page 3 and page 7.", (int[]){3, 7}, 2);
	check_pages(ix, tk, "How many pages does it have?", NULL, 0);
	wk_tokenizer_free(tk);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_printed_page_numbers_also_answer_page_references(void **state)
{
	(void)state;
	wk_doc *d = new_doc(12);
	for (int p = 1; p <= 12; p++) {
		add_filler(d, p, 2);
		if (p > 2) { /* two unnumbered front pages: printed "1" is PDF page 3 */
			char num[8];
			snprintf(num, sizeof num, "%d", p - 2);
			add(d, WK_UNIT_TEXT, p, 0, num);
		}
	}
	asked a = ask(d, "What is written on page 7?", 30);
	int pages[2] = {0};
	for (int i = 0; i < a.sel->n; i++) {
		int p = d->units[a.sel->items[i].idx].page;
		pages[0] |= p == 7;
		pages[1] |= p == 9;
	}
	assert_true(pages[0] && pages[1]); /* PDF page 7 and printed page 7 */
	asked_free(&a);
}

static void test_a_page_counted_without_blank_pages_answers_a_page_reference(void **state)
{
	(void)state;
	wk_doc *d = new_doc(5); /* page 2 is the blank back of the cover */
	add(d, WK_UNIT_FIGURE, 1, 0, "");
	for (int p = 3; p <= 5; p++)
		add_filler(d, p, 3);
	int date = add(d, WK_UNIT_TEXT, 3, 0, "July 2009")->idx;
	asked a = ask(d, "What date is mentioned on the second page?", 2048);
	assert_int_equal(d->units[best(a.sel)->idx].page, 3);
	assert_non_null(find(a.sel, date));
	asked_free(&a);
	d = new_doc(5); /* without a blank page the second page is page 2 alone */
	for (int p = 1; p <= 5; p++)
		add_filler(d, p, 3);
	a = ask(d, "What date is mentioned on the second page?", 2048);
	assert_int_equal(d->units[best(a.sel)->idx].page, 2);
	for (int i = 0; i < a.sel->n; i++)
		if (d->units[a.sel->items[i].idx].page == 3)
			assert_true(a.sel->items[i].score < best(a.sel)->score / 2);
	asked_free(&a);
}

static void test_a_question_for_an_email_address_finds_it_first(void **state)
{
	(void)state;
	wk_doc *d = new_doc(4);
	add_filler(d, 1, 2);
	add(d, WK_UNIT_TEXT, 1, 0,
	    "The address of the survey office of the county changed when the office moved.");
	add_filler(d, 2, 3);
	add(d, WK_UNIT_TEXT, 3, 0, "Prepared by the county survey office.");
	int mail = add(d, WK_UNIT_TEXT, 3, 0, "office@example.org")->idx;
	add_filler(d, 4, 3);
	asked a = ask(d, "What is the email address of the survey office of the county?", 2048);
	assert_ptr_equal(find(a.sel, mail), best(a.sel));
	asked_free(&a);
}

static void test_budget_is_never_exceeded(void **state)
{
	(void)state;
	const int budgets[] = {16, 17, 50, 100, 333, 2048};
	for (size_t k = 0; k < WK_ARRAY_LEN(budgets); k++) {
		wk_doc *d = new_doc(10);
		for (int p = 1; p <= 10; p++) {
			add_filler(d, p, 8);
			add_fig(d, WK_UNIT_TABLE, p, "Table 9", "Table 9: garden budgets by month.",
			        "jan 1 feb 2 mar 3 apr 4 may 5 jun 6 jul 7 aug 8 sep 9 oct 10");
		}
		asked a = ask(d, "garden budgets tulips fountain weather music", budgets[k]);
		int sum = 0;
		for (int i = 0; i < a.sel->n; i++) {
			assert_int_equal(a.sel->items[i].tokens, wk_tokens_count(a.sel->items[i].text));
			sum += a.sel->items[i].tokens;
		}
		assert_int_equal(sum, a.sel->tokens);
		assert_true(sum <= budgets[k]);
		assert_true(a.sel->n > 0);
		asked_free(&a);
	}
}

static void test_near_duplicates_are_not_both_taken(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	const char *dup = "The reactor cooling loop failed twice in March because a valve stuck.";
	int a1 = add(d, WK_UNIT_TEXT, 1, 0, dup)->idx;
	add_filler(d, 1, 6);
	int a2 = add(d, WK_UNIT_TEXT, 2, 0, dup)->idx;
	add_filler(d, 2, 6);
	asked a = ask(d, "Why did the reactor cooling loop fail?", 2048);
	assert_true((find(a.sel, a1) != NULL) != (find(a.sel, a2) != NULL));
	asked_free(&a);
}

static void test_long_unit_is_trimmed_to_whole_sentences(void **state)
{
	(void)state;
	wk_doc *d = new_doc(1);
	wk_buf b;
	wk_buf_init(&b, 0);
	for (int i = 0; i < 40; i++) {
		if (i == 23)
			wk_buf_puts(&b, "The lighthouse keeper counted ninety ships in the storm. ");
		wk_buf_printf(&b, "%s ", filler[i % 6]);
	}
	add(d, WK_UNIT_TEXT, 1, 0, wk_buf_cstr(&b));
	wk_buf_free(&b);
	asked a = ask(d, "How many ships did the lighthouse keeper count?", 60);
	assert_int_equal(a.sel->n, 1);
	const char *t = a.sel->items[0].text;
	assert_true(a.sel->items[0].tokens <= 60);
	assert_non_null(strstr(t, "The lighthouse keeper counted ninety ships in the storm."));
	/* starts at a sentence start, ends at a sentence end */
	assert_true(t[0] >= 'A' && t[0] <= 'Z');
	assert_int_equal(t[strlen(t) - 1], '.');
	assert_non_null(strstr(d->units[0].text, t));
	asked_free(&a);
}

static void test_headings_are_never_evidence_on_their_own(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add(d, WK_UNIT_HEADING, 1, 1, "Glacier retreat");
	int para = add(d, WK_UNIT_TEXT, 1, 0, "Ice loss in the Alps doubled over thirty years of measurement.")->idx;
	add_filler(d, 2, 6);
	asked a = ask(d, "glacier retreat", 2048);
	for (int i = 0; i < a.sel->n; i++)
		assert_int_not_equal(d->units[a.sel->items[i].idx].type, WK_UNIT_HEADING);
	/* the heading's words still lead to its section */
	assert_true(find(a.sel, para) == best(a.sel));
	asked_free(&a);
}

static void test_fragments_are_joined_into_one_passage(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1, 4);
	int first = add(d, WK_UNIT_TEXT, 2, 0, "Revenue 12 14")->idx;
	add(d, WK_UNIT_TEXT, 2, 0, "Costs 8 9");
	add(d, WK_UNIT_TEXT, 2, 0, "Operating profit 4 5");
	add_filler(d, 2, 4);
	asked a = ask(d, "What was the operating profit?", 2048);
	const wk_evidence *e = best(a.sel);
	assert_int_equal(e->idx, first);
	assert_int_equal(e->span, 3);
	assert_string_equal(e->text, "Revenue 12 14\nCosts 8 9\nOperating profit 4 5");
	assert_int_equal(e->tokens, wk_tokens_count(e->text));
	asked_free(&a);
}

static void test_counting_question_gathers_the_figures(void **state)
{
	(void)state;
	wk_doc *d = new_doc(6);
	int figs[3], nf = 0;
	for (int p = 1; p <= 6; p++) {
		add_filler(d, p, 4);
		if (p % 2 == 0) {
			char label[32], cap[64];
			snprintf(label, sizeof label, "Figure %d", p / 2);
			snprintf(cap, sizeof cap, "Figure %d: Photo of the site.", p / 2);
			figs[nf++] = add_fig(d, WK_UNIT_FIGURE, p, label, cap, "")->idx;
		}
	}
	asked a = ask(d, "How many figures are in the document?", 100);
	for (int i = 0; i < nf; i++)
		assert_non_null(find(a.sel, figs[i]));
	asked_free(&a);
}

static void test_empty_and_huge_documents_are_handled(void **state)
{
	(void)state;
	wk_doc *d = new_doc(0);
	asked a = ask(d, "anything at all?", 100);
	assert_int_equal(a.sel->n, 0);
	assert_int_equal(a.sel->tokens, 0);
	asked_free(&a);
	/* one paragraph of 200,000 words without a full stop: trimmed, in budget */
	d = new_doc(1);
	size_t n = 200000 * 6;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i += 6)
		memcpy(big + i, i % 60 ? "tulip " : "grass ", 6);
	big[n] = '\0';
	add(d, WK_UNIT_TEXT, 1, 0, big);
	free(big);
	a = ask(d, "tulip grass", 300);
	assert_int_equal(a.sel->n, 1);
	assert_true(a.sel->tokens <= 300 && a.sel->tokens >= 24);
	asked_free(&a);
}

static void test_selection_is_in_document_order(void **state)
{
	(void)state;
	wk_doc *d = new_doc(4);
	for (int p = 1; p <= 4; p++)
		add_filler(d, p, 6);
	asked a = ask(d, "tulips fountain bicycle station music", 2048);
	for (int i = 1; i < a.sel->n; i++)
		assert_true(a.sel->items[i - 1].idx < a.sel->items[i].idx);
	asked_free(&a);
}

/* Once the best units are in, a page the question's words never reach still gets one
 * unit before more units of the pages already read: the budget covers pages. */
static void test_leftover_budget_covers_pages_not_yet_read(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	int hit = add(d, WK_UNIT_TEXT, 1, 0, "The lighthouse keeper logged every storm of the winter.")->idx;
	add_filler(d, 1, 6);
	add_filler(d, 2, 6);
	int quiet = add(d, WK_UNIT_TEXT, 3, 0, "Gulls nested on the cliffs below the old fort.")->idx;
	asked a = ask(d, "What did the lighthouse keeper log?", 2048);
	assert_non_null(find(a.sel, hit));
	assert_true(best(a.sel)->idx == hit);
	assert_non_null(find(a.sel, quiet));
	asked_free(&a);
}

/* The best score of the selected items on page p, 0 when none. */
static double page_best(const asked *a, int p)
{
	double top = 0;
	for (int i = 0; i < a->sel->n; i++)
		if (a->doc->units[a->sel->items[i].idx].page == p && a->sel->items[i].score > top)
			top = a->sel->items[i].score;
	return top;
}

static void test_ratio_question_reaches_the_statements_of_both_line_items(void **state)
{
	(void)state;
	wk_doc *d = new_doc(5);
	add_filler(d, 1, 4);
	add(d, WK_UNIT_TEXT, 2, 0, "Sales grew because working capital needs of our sales teams "
	    "fell; we manage working capital and sales closely.");
	add_filler(d, 2, 3);
	add(d, WK_UNIT_TEXT, 3, 0, "Selected financial data");
	add(d, WK_UNIT_TEXT, 3, 0, "Consolidated Balance Sheets:");
	add_fig(d, WK_UNIT_TABLE, 3, "", "", "Cash | 40 | 35");
	add(d, WK_UNIT_HEADING, 4, 1, "CONSOLIDATED STATEMENTS OF OPERATIONS");
	add_fig(d, WK_UNIT_TABLE, 4, "", "", "Revenues | 900 | 800\nNet income | 90 | 70");
	add(d, WK_UNIT_HEADING, 5, 1, "CONSOLIDATED BALANCE SHEETS");
	add_fig(d, WK_UNIT_TABLE, 5, "", "",
	        "Total current assets | 500 | 450\nTotal current liabilities | 300 | 280");
	asked a = ask(d, "What is the sales to working capital ratio in FY2015?", 2048);
	/* titles at the top of a page name its statement; a label ending in ':' only quotes one */
	assert_int_equal(a.index->statement_page[4], WK_STMT_INCOME);
	assert_int_equal(a.index->statement_page[5], WK_STMT_BALANCE);
	assert_int_equal(a.index->statement_page[3], 0);
	/* sales are stated in the income statement, working capital in the balance sheet:
	 * both outrank the page that only repeats the question's words */
	assert_true(page_best(&a, 4) > page_best(&a, 2));
	assert_true(page_best(&a, 5) > page_best(&a, 2));
	asked_free(&a);
}

static void test_sample_many_takes_the_document_that_answers(void **state)
{
	(void)state;
	wk_doc *d1 = new_doc(1), *d2 = new_doc(1);
	add_filler(d1, 1, 6);
	add_filler(d2, 1, 6);
	int target = add(d2, WK_UNIT_TEXT, 1, 0, "Glacier retreat accelerated after 1990 in the Alps.")->idx;
	wk_doc_finish(d1);
	wk_doc_finish(d2);
	wk_index *i1, *i2;
	assert_int_equal(wk_index_new(d1, &i1, NULL), WK_OK);
	assert_int_equal(wk_index_new(d2, &i2, NULL), WK_OK);
	const wk_index *ix[2] = {i1, i2};
	wk_selection *sel;
	assert_int_equal(wk_sample_many(ix, 2, "When did glacier retreat accelerate?", NULL, &sel, NULL),
	                 WK_OK);
	assert_true(sel->n >= 1);
	const wk_evidence *b = best(sel);
	assert_int_equal(b->doc, 1);
	assert_true(find(sel, target) == b);
	for (int i = 0; i < sel->n; i++)
		assert_int_equal(sel->items[i].doc, 1); /* d1 shares no word with the question */
	wk_selection_free(sel);
	wk_index_free(i1);
	wk_index_free(i2);
	wk_doc_free(d1);
	wk_doc_free(d2);
}

static void test_bad_questions_and_budgets_are_rejected(void **state)
{
	(void)state;
	wk_error err;
	assert_int_equal(wk_question_check("", &err), WK_EINVAL);
	assert_int_equal(wk_question_check(" \t\n ", &err), WK_EINVAL);
	assert_int_equal(wk_question_check("caf\xc3", &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "UTF-8"));
	char *big = malloc(5000);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	assert_int_equal(wk_question_check(big, &err), WK_EINVAL);
	free(big);
	assert_int_equal(wk_question_check("What is it?", &err), WK_OK);
	wk_doc *d = new_doc(1);
	add_filler(d, 1, 2);
	wk_doc_finish(d);
	wk_index *ix;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = 15;
	wk_selection *sel = NULL;
	assert_int_equal(wk_sample(ix, "garden", &opts, &sel, &err), WK_EINVAL);
	assert_null(sel);
	opts.budget = 100;
	opts.scorer = "neural";
	assert_int_equal(wk_sample(ix, "garden", &opts, &sel, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "neural"));
	wk_index_free(ix);
	wk_doc_free(d);
}

/* ---- answers ---- */

static void test_extractive_answer_quotes_and_cites_the_best_sentence(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1, 6);
	add(d, WK_UNIT_TEXT, 2, 0,
	    "The bridge opened in 1932. Its main span measures 503 metres between the towers.");
	asked a = ask(d, "How long is the main span of the bridge?", 2048);
	const wk_doc *docs[1] = {d};
	wk_answer *ans;
	assert_int_equal(wk_answer_extractive(docs, a.sel, "How long is the main span of the bridge?",
	                                      &ans, NULL), WK_OK);
	assert_true(ans->found);
	assert_string_equal(ans->text, "503 metres");
	assert_string_equal(ans->quote, "Its main span measures 503 metres between the towers.");
	assert_int_equal(ans->ncited, 1);
	assert_int_equal(a.sel->items[ans->cited[0]].idx, 6);
	assert_string_equal(ans->mode, "extractive");
	wk_answer_free(ans);
	assert_int_equal(wk_answer_extractive(docs, a.sel, "Who painted the Mona Lisa?", &ans, NULL),
	                 WK_OK);
	assert_false(ans->found);
	assert_int_equal(ans->ncited, 0);
	assert_string_equal(ans->text, "The document does not seem to answer this.");
	wk_answer_free(ans);
	asked_free(&a);
}

static void test_ask_json_has_the_documented_fields(void **state)
{
	(void)state;
	wk_doc *d = new_doc(2);
	add_filler(d, 1, 3);
	add_fig(d, WK_UNIT_TABLE, 2, "Table 1", "Table 1: Garden budgets.", "tulips 3");
	asked a = ask(d, "garden budgets", 2048);
	const wk_doc *docs[1] = {d};
	wk_answer *ans;
	assert_int_equal(wk_answer_extractive(docs, a.sel, "garden budgets", &ans, NULL), WK_OK);
	wk_timing ms = {1, 2, 3};
	char *json;
	size_t len;
	assert_int_equal(wk_ask_to_json("garden budgets", docs, a.sel, ans, &ms, &json, &len, NULL),
	                 WK_OK);
	const char *keys[] = {"\"question\":", "\"answer\":", "\"cited\":", "\"mode\":",
	                      "\"usage\":", "\"evidence\":", "\"idx\":", "\"type\":\"table\"",
	                      "\"page\":", "\"bbox\":[{\"page\":2,\"rect\":[", "\"section\":",
	                      "\"text\":", "\"caption\":\"Table 1: Garden budgets.\"", "\"score\":",
	                      "\"tokens\":", "\"ms\":{\"parse\":1"};
	for (size_t k = 0; k < WK_ARRAY_LEN(keys); k++)
		assert_non_null(strstr(json, keys[k]));
	/* every item names its document, one shape for one document or many (docs/ask.md) */
	assert_non_null(strstr(json, "\"doc\":{\"path\":"));
	assert_int_equal(strlen(json), len);
	wk_free(json);
	wk_answer_free(ans);
	asked_free(&a);
}

/* ---- slide decks: quoted phrases, repeated templates, quotations ---- */

/* The score unit idx was selected with; -1 when it was not selected. */
static double score_of(const asked *a, int idx)
{
	const wk_evidence *e = find(a->sel, idx);
	return e ? e->score : -1;
}

/* How many selected items score higher than unit idx. */
static int rank_of(const asked *a, int idx)
{
	double s = score_of(a, idx);
	int above = 0;
	for (int i = 0; i < a->sel->n; i++)
		above += a->sel->items[i].score > s;
	return above;
}

/* The lexical score of unit idx for a question. */
static double lexical_score(const wk_index *ix, const char *question, int idx)
{
	wk_tokenizer *tk = wk_tokenizer_new();
	wk_query *q = NULL;
	wk_error err;
	assert_int_equal(wk_query_new(ix, tk, question, &q, &err), WK_OK);
	double *out = calloc((size_t)ix->doc->nunits, sizeof *out);
	wk_scorer_find("lexical")->score_units(ix, q, out);
	double v = out[idx];
	free(out);
	wk_query_free(q);
	wk_tokenizer_free(tk);
	return v;
}

static void test_a_quoted_phrase_leads_to_the_unit_that_holds_it(void **state)
{
	(void)state;
	wk_doc *d = new_doc(3);
	add_filler(d, 1, 3);
	add(d, WK_UNIT_TEXT, 1, 0,
	    "Each year the values of the team decide results: teams measure results, yearly.");
	add_filler(d, 2, 3);
	int said =
	        add(d, WK_UNIT_TEXT, 2, 0, "Our motto: measure what the team values most each year.")->idx;
	add_filler(d, 3, 3);
	asked a = ask(d, "Which slide says \"measure what the team values most each year\"?", 2048);
	assert_int_equal(rank_of(&a, said), 0);
	/* the same words unquoted: the quote is what adds */
	double quoted = lexical_score(a.index, "Which slide says \u201cmeasure what the team values "
	                                       "most each year\u201d?", said);
	double plain = lexical_score(a.index, "Which slide says measure what the team values most "
	                                      "each year?", said);
	assert_true(quoted > plain * 1.2);
	asked_free(&a);
}

static void test_sentences_sharing_a_template_are_each_evidence(void **state)
{
	(void)state;
	static const char *const slides[] = {
		"Having lots of reports in the weekly review does not make you a data-driven team.",
		"Having lots of dashboards in the weekly review does not make you a data-driven team.",
		"Having lots of alerts in the weekly review does not make you a data-driven team.",
		"Having lots of charts in the weekly review does not make you a data-driven team.",
		"Having lots of servers in the weekly review does not make you a data-driven team.",
	};
	enum { N = (int)WK_ARRAY_LEN(slides) };
	wk_doc *d = new_doc(N + 1);
	int idx[N];
	for (int p = 1; p <= N; p++) {
		add_filler(d, p, 2);
		idx[p - 1] = add(d, WK_UNIT_TEXT, p, 0, slides[p - 1])->idx;
	}
	add_filler(d, N + 1, 4);
	asked a = ask(d, "What does not make you a data-driven team?", 2048);
	/* each was chosen for its score, none only to fill pages left uncovered (score 0) */
	for (int i = 0; i < N; i++)
		assert_true(score_of(&a, idx[i]) > 0);
	asked_free(&a);
}

static void test_a_question_about_quotes_finds_the_quotations(void **state)
{
	(void)state;
	wk_doc *d = new_doc(4);
	add_filler(d, 1, 2);
	add(d, WK_UNIT_TEXT, 1, 0,
	    "Source: annual survey of the human resources provided by members, 2010.");
	add_filler(d, 2, 2);
	int q1 = add(d, WK_UNIT_TEXT, 2, 0,
	             "\u201cThe garden is the best thing that happened to this street.\u201d\n"
	             "\u2014Anna Berg, chair of the committee")->idx;
	add_filler(d, 3, 2);
	add(d, WK_UNIT_TEXT, 3, 0, "Sources provided for the human survey are listed in the appendix.");
	add_filler(d, 4, 2);
	int q2 = add(d, WK_UNIT_TEXT, 4, 0,
	             "\"We plant what the neighbours ask for, every spring.\"")->idx;
	asked a = ask(d, "How many human quotes are provided with source in this document?", 2048);
	assert_true(rank_of(&a, q1) <= 1);
	assert_true(rank_of(&a, q2) <= 1);
	asked_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenizer_keeps_numbers_whole_and_splits_hyphens),
		cmocka_unit_test(test_tokenizer_folds_case_and_stems),
		cmocka_unit_test(test_table_caption_match_selects_table),
		cmocka_unit_test(test_figure_referenced_by_best_paragraph_is_selected),
		cmocka_unit_test(test_explicit_table_reference_selects_that_table),
		cmocka_unit_test(test_roman_table_label_matches_arabic_reference),
		cmocka_unit_test(test_section_question_lands_in_that_section),
		cmocka_unit_test(test_numbered_section_reference_is_honoured),
		cmocka_unit_test(test_page_reference_selects_that_page),
		cmocka_unit_test(test_ordinal_and_range_page_references_are_understood),
		cmocka_unit_test(test_printed_page_numbers_also_answer_page_references),
		cmocka_unit_test(test_a_page_counted_without_blank_pages_answers_a_page_reference),
		cmocka_unit_test(test_a_question_for_an_email_address_finds_it_first),
		cmocka_unit_test(test_budget_is_never_exceeded),
		cmocka_unit_test(test_near_duplicates_are_not_both_taken),
		cmocka_unit_test(test_long_unit_is_trimmed_to_whole_sentences),
		cmocka_unit_test(test_headings_are_never_evidence_on_their_own),
		cmocka_unit_test(test_fragments_are_joined_into_one_passage),
		cmocka_unit_test(test_counting_question_gathers_the_figures),
		cmocka_unit_test(test_empty_and_huge_documents_are_handled),
		cmocka_unit_test(test_selection_is_in_document_order),
		cmocka_unit_test(test_leftover_budget_covers_pages_not_yet_read),
		cmocka_unit_test(test_ratio_question_reaches_the_statements_of_both_line_items),
		cmocka_unit_test(test_sample_many_takes_the_document_that_answers),
		cmocka_unit_test(test_bad_questions_and_budgets_are_rejected),
		cmocka_unit_test(test_extractive_answer_quotes_and_cites_the_best_sentence),
		cmocka_unit_test(test_ask_json_has_the_documented_fields),
		cmocka_unit_test(test_a_quoted_phrase_leads_to_the_unit_that_holds_it),
		cmocka_unit_test(test_sentences_sharing_a_template_are_each_evidence),
		cmocka_unit_test(test_a_question_about_quotes_finds_the_quotations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
