/* test_tables.c: table grids on statements we typeset ourselves (tests/support/mkpdf.h):
 * exact cells of a ruled and an unruled table (a header spanning its years, an indented
 * stub, "$" and "(1,577)" kept as printed, the scale line kept with the table), a table
 * continued on the next page linked to its first part, headers that never become
 * headings, and evidence trimmed to one row that still says the year of each value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wukong.h"
#include "../src/sample/sample.h" /* wk_table_text: the evidence lines of a table */
#include "support/mkpdf.h"

#define FONT "Times-Roman"
#define SIZE 9.0f
#define STEP 14.0f

static const float col_right[] = {400, 480, 560}; /* right edges of the year columns */

typedef struct stmt_row {
	int indent;            /* stub indentation level */
	const char *label;
	bool dollar;           /* a "$" at the left of each figure's cell */
	const char *figures[3];
} stmt_row;

static const char *const prose =
	"The following table presents our results for the periods shown and should be read "
	"together with the notes to the financial statements included elsewhere in this report.";

static void right(mk_pdf *pdf, float x1, float y, const char *text)
{
	mk_text(pdf, FONT, SIZE, x1 - mk_text_width(pdf, FONT, SIZE, text), y, text);
}

/* Two lines of body text: what a statement page has around its tables. */
static float paragraph(mk_pdf *pdf, float y)
{
	char first[200];
	snprintf(first, sizeof first, "%.*s", 100, prose);
	mk_text(pdf, FONT, 10, 72, y, first);
	mk_text(pdf, FONT, 10, 72, y + 13, prose + 100);
	return y + 40;
}

static void header(mk_pdf *pdf, float y, const char *years[3])
{
	const char *span = "Year ended December 31,";
	float mid = (col_right[0] - 45 + col_right[2]) / 2;
	mk_text(pdf, FONT, SIZE, mid - mk_text_width(pdf, FONT, SIZE, span) / 2, y, span);
	for (int c = 0; c < 3; c++)
		right(pdf, col_right[c], y + STEP, years[c]);
}

static float rows(mk_pdf *pdf, float y, const stmt_row *r, int n, bool ruled)
{
	for (int i = 0; i < n; i++, y += STEP) {
		mk_text(pdf, FONT, SIZE, 72 + 12 * (float)r[i].indent, y, r[i].label);
		for (int c = 0; c < 3; c++) {
			if (r[i].dollar)
				mk_text(pdf, FONT, SIZE, col_right[c] - 62, y, "$");
			right(pdf, col_right[c], y, r[i].figures[c]);
		}
		if (ruled)
			mk_line(pdf, 72, y + 4, col_right[2], y + 4);
	}
	return y;
}

static const stmt_row operations[] = {
	{0, "Revenues", true, {"6,779,511", "5,504,656", "4,374,562"}},
	{1, "Cost of revenues", false, {"4,591,476", "3,752,760", "3,117,203"}},
	{2, "Marketing", false, {"824,092", "607,186", "469,942"}},
	{0, "Operating income", false, {"305,826", "402,648", "228,347"}},
	{0, "Interest expense", false, {"(132,716)", "(50,219)", "(29,142)"}},
	{0, "Effective tax rate", false, {"13.6 %", "23.6 %", "34.3 %"}},
	{0, "Net income", true, {"122,641", "266,799", "112,403"}},
};

static const stmt_row investing[] = {
	{0, "Purchases of property, plant and equipment", true, {"(1,577)", "(1,373)", "(1,420)"}},
	{0, "Acquisitions, net of cash acquired", false, {"13", "(2,023)", "(16)"}},
	{1, "Other - net", false, {"9", "(6)", "(4)"}},
	{0, "Net cash used in investing activities", true, {"222", "(3,086)", "(1,403)"}},
};

static const char *const years15[3] = {"2015", "2014", "2013"};
static const char *const years18[3] = {"2018", "2017", "2016"};

/* One page: a paragraph, the statement's title and scale line, the table, a paragraph. */
static const char *statement_pdf(const stmt_row *r, int n, const char *const years[3],
                                 bool ruled)
{
	const char *path = mk_tmp_path(ruled ? "-ruled.pdf" : "-unruled.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = paragraph(pdf, 80);
	mk_text(pdf, "Times-Bold", 10, 200, y, "CONSOLIDATED STATEMENTS OF OPERATIONS");
	mk_text(pdf, FONT, SIZE, 230, y + 12, "(in thousands, except per share data)");
	header(pdf, y + 36, (const char **)years);
	if (ruled) {
		mk_line(pdf, 72, y + 54, col_right[2], y + 54);
		for (int c = 0; c < 2; c++)
			mk_line(pdf, col_right[c] + 8, y + 40, col_right[c] + 8, y + 62 + STEP * (float)n);
	}
	y = rows(pdf, y + 66, r, n, ruled);
	paragraph(pdf, y + 30);
	mk_save(pdf, path, NULL);
	return path;
}

static wk_doc *parse(const char *path)
{
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	wk_doc *doc = NULL;
	wk_error err = {0};
	assert_int_equal(wk_parse_file(path, &o, &doc, &err), WK_OK);
	unlink(path);
	return doc;
}

static const wk_unit *only_table(const wk_doc *doc)
{
	const wk_unit *found = NULL;
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].type == WK_UNIT_TABLE) {
			assert_null(found);
			found = &doc->units[i];
		}
	assert_non_null(found);
	assert_non_null(found->table);
	return found;
}

static void expect_cell(const wk_table *t, int row, int col, int kind, const char *text)
{
	const wk_cell *c = wk_table_cell(t, row, col);
	assert_non_null(c);
	assert_string_equal(c->text, text);
	assert_int_equal(c->kind, kind);
}

/* Every row and cell as typeset: header rows, then one row per statement line. */
static void expect_statement(const wk_table *t, const stmt_row *r, int n, const char *const years[3])
{
	assert_int_equal(t->ncols, 4);
	assert_int_equal(t->stub_cols, 1);
	assert_int_equal(t->header_rows, 2);
	assert_int_equal(t->nrows, 2 + n);
	assert_string_equal(t->scale, "(in thousands, except per share data)");
	const wk_cell *span = wk_table_cell(t, 0, 1);
	assert_non_null(span);
	assert_string_equal(span->text, "Year ended December 31,");
	assert_int_equal(span->colspan, 3);
	assert_ptr_equal(wk_table_cell(t, 0, 3), span);
	for (int c = 0; c < 3; c++)
		expect_cell(t, 1, c + 1, WK_CELL_HEADER, years[c]);
	for (int i = 0; i < n; i++) {
		expect_cell(t, 2 + i, 0, WK_CELL_STUB, r[i].label);
		assert_int_equal(wk_table_cell(t, 2 + i, 0)->indent, r[i].indent);
		for (int c = 0; c < 3; c++) {
			char printed[64];
			snprintf(printed, sizeof printed, "%s%s", r[i].dollar ? "$ " : "", r[i].figures[c]);
			expect_cell(t, 2 + i, c + 1, WK_CELL_BODY, printed);
		}
	}
	char head[128], want[128];
	snprintf(want, sizeof want, "Year ended December 31, %s", years[0]);
	assert_true(wk_table_col_header(t, 1, head, sizeof head) > 0);
	assert_string_equal(head, want);
}

static void expect_no_header_heading(const wk_doc *doc)
{
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_HEADING) {
			assert_null(strstr(u->text, "December 31"));
			assert_null(strstr(u->text, "2014"));
		}
		if (u->type == WK_UNIT_TEXT)
			assert_null(strstr(u->text, "in thousands"));
	}
}

static void test_an_unruled_statement_has_its_cells_headers_and_indented_stub(void **state)
{
	(void)state;
	int n = (int)(sizeof operations / sizeof *operations);
	wk_doc *doc = parse(statement_pdf(operations, n, years15, false));
	const wk_table *t = only_table(doc)->table;
	expect_statement(t, operations, n, years15);
	assert_int_equal(t->continues, -1);
	const wk_cell *label = wk_table_row_label(t, 8);
	assert_string_equal(label->text, "Net income");
	assert_string_equal(wk_table_cell(t, 8, 2)->text, "$ 266,799");
	expect_no_header_heading(doc);
	wk_doc_free(doc);
}

static void test_a_ruled_table_has_the_same_grid_as_an_unruled_one(void **state)
{
	(void)state;
	int n = (int)(sizeof investing / sizeof *investing);
	wk_doc *doc = parse(statement_pdf(investing, n, years18, true));
	const wk_table *t = only_table(doc)->table;
	expect_statement(t, investing, n, years18);
	assert_string_equal(wk_table_cell(t, 2, 1)->text, "$ (1,577)");
	char head[64];
	wk_table_col_header(t, 1, head, sizeof head);
	assert_string_equal(head, "Year ended December 31, 2018");
	expect_no_header_heading(doc);
	wk_doc_free(doc);
}

/* The statement runs from the bottom of page 1 to the top of page 2, where it goes on
 * without repeating its headers, under `title` when not NULL (a bold label row ending in
 * ':'). Parses it and writes its two table parts. */
static wk_doc *continued_doc(const char *title, const wk_unit *parts[2])
{
	const char *path = mk_tmp_path("-continued.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = 80;
	for (int i = 0; i < 10; i++)
		y = paragraph(pdf, y);
	header(pdf, y + 10, (const char **)years15);
	rows(pdf, y + 40, operations, 4, false);
	mk_page(pdf, 612, 792);
	if (title)
		mk_text(pdf, "Times-Bold", SIZE, 72, 80, title);
	y = rows(pdf, title ? 80 + STEP : 80, operations + 4, 3, false);
	paragraph(pdf, y + 30);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path);
	int n = 0;
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].type == WK_UNIT_TABLE && n < 2)
			parts[n++] = &doc->units[i];
	assert_int_equal(n, 2);
	assert_non_null(parts[0]->table);
	assert_non_null(parts[1]->table);
	return doc;
}

static void test_a_table_continued_on_the_next_page_is_linked_to_its_first_part(void **state)
{
	(void)state;
	const wk_unit *parts[2];
	wk_doc *doc = continued_doc(NULL, parts);
	assert_int_equal(parts[0]->page, 1);
	assert_int_equal(parts[1]->page, 2);
	assert_int_equal(parts[0]->table->continues, -1);
	assert_int_equal(parts[1]->table->continues, parts[0]->idx);
	assert_int_equal(parts[1]->table->header_rows, 0);
	assert_non_null(wk_table_row_label(parts[1]->table, 2));
	assert_string_equal(wk_table_row_label(parts[1]->table, 2)->text, "Net income");
	expect_cell(parts[1]->table, 2, 2, WK_CELL_BODY, "$ 266,799");
	expect_cell(parts[0]->table, 5, 3, WK_CELL_BODY, "228,347");
	expect_cell(parts[0]->table, 0, 2, WK_CELL_HEADER, "Year ended December 31,");
	wk_doc_free(doc);
}

/* A part that starts with a bold label row ending in ':' (read as its title) still goes
 * on from the part before: its figures stand in the same columns. Its rows say the year
 * of each value. */
static void test_a_continued_statement_keeps_its_year_headers(void **state)
{
	(void)state;
	const wk_unit *parts[2];
	wk_doc *doc = continued_doc("Other income and expenses:", parts);
	assert_int_equal(parts[1]->table->header_rows, 0);
	assert_int_equal(parts[1]->table->continues, parts[0]->idx);
	wk_buf b;
	wk_buf_init(&b, 1 << 16);
	wk_table_text(doc, parts[1], &b);
	assert_non_null(strstr(wk_buf_cstr(&b), "Net income | 2015: $ 122,641 | 2014: $ 266,799"));
	wk_buf_free(&b);
	wk_doc_free(doc);
}

/* Column headers printed over two lines ("Accumulated other" / "comprehensive loss",
 * "Common stock and" / "paid-in capital") under one spanning header. */
static const char *wrapped_pdf(void)
{
	const char *path = mk_tmp_path("-wrapped.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = paragraph(pdf, 80);
	const char *top[3] = {"Common stock and", "Accumulated other", "Retained"};
	const char *bottom[3] = {"paid-in capital", "comprehensive loss", "earnings"};
	const char *span = "Balances as of December 31,";
	float mid = (col_right[0] - 45 + col_right[2]) / 2;
	mk_text(pdf, FONT, SIZE, mid - mk_text_width(pdf, FONT, SIZE, span) / 2, y, span);
	for (int c = 0; c < 3; c++) {
		float centre = col_right[c] - 20;
		mk_text(pdf, FONT, SIZE, centre - mk_text_width(pdf, FONT, SIZE, top[c]) / 2, y + STEP, top[c]);
		mk_text(pdf, FONT, SIZE, centre - mk_text_width(pdf, FONT, SIZE, bottom[c]) / 2,
		        y + STEP + 10, bottom[c]);
	}
	y = rows(pdf, y + 2 * STEP + 20, operations, 4, false);
	paragraph(pdf, y + 30);
	mk_save(pdf, path, NULL);
	return path;
}

static void test_a_header_wrapped_over_two_lines_is_one_header(void **state)
{
	(void)state;
	wk_doc *doc = parse(wrapped_pdf());
	const wk_unit *u = only_table(doc);
	const wk_table *t = u->table;
	assert_int_equal(t->header_rows, 2);
	assert_int_equal(t->ncols, 4);
	const wk_cell *span = wk_table_cell(t, 0, 1);
	assert_non_null(span);
	assert_string_equal(span->text, "Balances as of December 31,");
	assert_int_equal(span->colspan, 3);
	expect_cell(t, 1, 1, WK_CELL_HEADER, "Common stock and paid-in capital");
	expect_cell(t, 1, 2, WK_CELL_HEADER, "Accumulated other comprehensive loss");
	expect_cell(t, 1, 3, WK_CELL_HEADER, "Retained earnings");
	expect_cell(t, 2, 0, WK_CELL_STUB, "Revenues");
	expect_cell(t, 2, 2, WK_CELL_BODY, "$ 5,504,656");
	char head[128];
	wk_table_col_header(t, 2, head, sizeof head);
	assert_string_equal(head, "Balances as of December 31, Accumulated other comprehensive loss");
	wk_buf b;
	wk_buf_init(&b, 1 << 16);
	wk_table_text(doc, u, &b);
	assert_non_null(strstr(wk_buf_cstr(&b),
	                       "Cost of revenues | Common stock and paid-in capital: 4,591,476 | "
	                       "Accumulated other comprehensive loss: 3,752,760"));
	wk_buf_free(&b);
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].type == WK_UNIT_HEADING)
			assert_null(strstr(doc->units[i].text, "Accumulated"));
	wk_doc_free(doc);
}

/* A statement whose rows are cut by a section row in bold capitals ("CASH FLOWS FROM
 * INVESTING ACTIVITIES": four words or more, no figure), and whose last row has its third
 * "$" printed apart while the figure after it ran into the next column's label ("— Other
 * current assets", one printed line). */
static const char *sectioned_pdf(void)
{
	const char *path = mk_tmp_path("-sectioned.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = paragraph(pdf, 80);
	header(pdf, y, (const char **)years15);
	y = rows(pdf, y + 2 * STEP, operations, 4, false);
	mk_text(pdf, "Times-Bold", SIZE, 72, y, "CASH FLOWS FROM INVESTING ACTIVITIES");
	y = rows(pdf, y + STEP, investing, 3, false);
	mk_text(pdf, FONT, SIZE, 72, y, "Money market funds");
	right(pdf, col_right[0], y, "5,320");
	right(pdf, col_right[1], y, "5,320");
	mk_text(pdf, FONT, SIZE, col_right[2] - 62, y, "$");
	mk_text(pdf, FONT, SIZE, col_right[2] - 8, y, "\xe2\x80\x94 Other current assets");
	paragraph(pdf, y + 30);
	mk_save(pdf, path, NULL);
	return path;
}

/* The section row is a row of the table (its stub, alone on its row), not a heading
 * between two tables. */
static void test_a_section_row_inside_a_statement_is_a_row_not_a_heading(void **state)
{
	(void)state;
	wk_doc *doc = parse(sectioned_pdf());
	const wk_table *t = only_table(doc)->table;
	expect_cell(t, 2 + 4, 0, WK_CELL_STUB, "CASH FLOWS FROM INVESTING ACTIVITIES");
	assert_null(wk_table_cell(t, 2 + 4, 1));
	expect_cell(t, 2 + 5, 0, WK_CELL_STUB, "Purchases of property, plant and equipment");
	expect_cell(t, 2 + 5, 1, WK_CELL_BODY, "$ (1,577)");
	for (int i = 0; i < doc->nunits; i++) {
		assert_int_not_equal(doc->units[i].type, WK_UNIT_HEADING);
		if (doc->units[i].type == WK_UNIT_TEXT)
			assert_null(strstr(doc->units[i].text, "CASH FLOWS"));
	}
	wk_doc_free(doc);
}

/* A "$" whose figure ran into the next column's label stays no cell of its own: the table
 * keeps its stub and three year columns, and its other figures their columns. */
static void test_a_dollar_without_its_figure_makes_no_column(void **state)
{
	(void)state;
	wk_doc *doc = parse(sectioned_pdf());
	const wk_table *t = only_table(doc)->table;
	assert_int_equal(t->ncols, 4);
	int last = 2 + 4 + 1 + 3;
	expect_cell(t, last, 0, WK_CELL_STUB, "Money market funds");
	expect_cell(t, last, 1, WK_CELL_BODY, "5,320");
	expect_cell(t, last, 2, WK_CELL_BODY, "5,320");
	for (int i = 0; i < t->ncells; i++)
		assert_string_not_equal(t->cells[i].text, "$");
	wk_doc_free(doc);
}

/* The statement of operations asked for one figure under a budget of 40 tokens. */
static wk_selection *ask_net_income(wk_doc **doc, wk_index **ix)
{
	int n = (int)(sizeof operations / sizeof *operations);
	*doc = parse(statement_pdf(operations, n, years15, false));
	assert_int_equal(wk_index_new(*doc, ix, NULL), WK_OK);
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = 40;
	wk_selection *sel = NULL;
	assert_int_equal(wk_sample(*ix, "What was the net income in 2014?", &opts, &sel, NULL), WK_OK);
	return sel;
}

/* A budget that holds one row: the row comes with the year of each value. */
static void test_a_trimmed_table_keeps_the_year_of_each_value(void **state)
{
	(void)state;
	wk_doc *doc = NULL;
	wk_index *ix = NULL;
	wk_selection *sel = ask_net_income(&doc, &ix);
	bool row = false;
	for (int i = 0; i < sel->n; i++)
		row |= strstr(sel->items[i].text,
		              "Net income | 2015: $ 122,641 | 2014: $ 266,799 | 2013: $ 112,403") != NULL;
	assert_true(row);
	assert_true(sel->tokens <= 40);
	wk_selection_free(sel);
	wk_index_free(ix);
	wk_doc_free(doc);
}

/* A row chosen on its own is cited with the box of that row, in the API and the JSON,
 * not with the whole table's. */
static void test_a_row_cited_on_its_own_has_its_own_box(void **state)
{
	(void)state;
	int n = (int)(sizeof operations / sizeof *operations);
	wk_doc *doc = NULL;
	wk_index *ix = NULL;
	wk_selection *sel = ask_net_income(&doc, &ix);
	const wk_evidence *e = NULL;
	for (int i = 0; i < sel->n; i++)
		if (strstr(sel->items[i].text, "Net income | 2015"))
			e = &sel->items[i];
	assert_non_null(e);
	const wk_unit *u = &doc->units[e->idx];
	wk_box row = {0};
	int rows = wk_table_rows_box(doc, u, e->text, &row);
	assert_true(rows >= 1 && rows < n); /* the budget holds a row or two, not the table */
	const wk_cell *label = wk_table_row_label(u->table, u->table->nrows - 1);
	assert_string_equal(label->text, "Net income");
	/* The rows' band ends with the last row's label, spans the figures, and is lower
	 * than the table by the rows left out. */
	assert_true(fabsf(row.y1 - label->box.y1) < 1 && row.y0 >= label->box.y0 - STEP * (float)rows);
	assert_true(row.x0 <= label->box.x0 + 1 && row.x1 >= col_right[2] - 1);
	assert_true(row.y1 - row.y0 < STEP * (float)rows && u->boxes[0].y1 - u->boxes[0].y0 > 4 * STEP);
	char *json = NULL;
	const wk_doc *docs[1] = {doc};
	assert_int_equal(wk_ask_to_json("q", docs, sel, NULL, NULL, &json, NULL, NULL), WK_OK);
	json_t *root = json_loads(json, 0, NULL), *item;
	assert_non_null(root);
	size_t i;
	int seen = 0;
	json_array_foreach(json_object_get(root, "evidence"), i, item) {
		if (!strstr(json_string_value(json_object_get(item, "text")), "Net income | 2015"))
			continue;
		json_t *boxes = json_object_get(item, "bbox");
		assert_int_equal(json_array_size(boxes), 1);
		json_t *rect = json_object_get(json_array_get(boxes, 0), "rect");
		assert_true(fabs(json_real_value(json_array_get(rect, 1)) - row.y0) < 0.01);
		assert_true(fabs(json_real_value(json_array_get(rect, 3)) - row.y1) < 0.01);
		seen++;
	}
	assert_int_equal(seen, 1);
	json_decref(root);
	wk_free(json);
	wk_selection_free(sel);
	wk_index_free(ix);
	wk_doc_free(doc);
}

static void centred(mk_pdf *pdf, const char *font, float centre, float y, const char *text)
{
	mk_text(pdf, font, SIZE, centre - mk_text_width(pdf, font, SIZE, text) / 2, y, text);
}

/* A 10-K statement whose column headers are bold like its title: "52 Weeks Ended" over
 * each column (a bold row beside the bold title above), the period's end under it,
 * centred over the "$" and the figure together (so that it ends left of the figures),
 * then the years. Columns 110 pt apart: the headers are printed apart, one line each. */
static const char *bold_headers_pdf(void)
{
	const float cols[3] = {340, 450, 560};
	const char *path = mk_tmp_path("-bold-headers.pdf");
	const char *ends[3] = {"August 29,", "August 30,", "September 1,"};
	const char *years[3] = {"2021", "2020", "2019"};
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = 80; /* no paragraph: the page's text is the table's, in its size */
	mk_text(pdf, "Times-Bold", 10, 200, y, "CONSOLIDATED STATEMENTS OF INCOME");
	mk_text(pdf, FONT, SIZE, 220, y + 12, "(amounts in millions, except per share data)");
	y += 36;
	for (int c = 0; c < 3; c++) {
		float centre = cols[c] - 45;
		centred(pdf, "Times-Bold", centre, y, "52 Weeks Ended");
		centred(pdf, "Times-Bold", centre, y + 13, ends[c]);
		centred(pdf, "Times-Bold", centre, y + 26, years[c]);
	}
	y += 26 + STEP;
	for (int i = 0; i < 5; i++, y += STEP) {
		mk_text(pdf, FONT, SIZE, 72, y, operations[i].label);
		for (int c = 0; c < 3; c++) {
			if (i == 0)
				mk_text(pdf, FONT, SIZE, cols[c] - 90, y, "$");
			right(pdf, cols[c], y, operations[i].figures[c]);
		}
	}
	mk_text(pdf, FONT, SIZE, 150, y + 30,
	        "The accompanying notes are an integral part of these consolidated financial statements.");
	mk_save(pdf, path, NULL);
	return path;
}

/* The bold row of "52 Weeks Ended" is the table's header cells, each over its column,
 * joined with the period's end under it; it is neither a heading nor the table's caption,
 * and the period's end heads its own column, not the row labels. */
static void test_a_bold_header_row_beside_a_bold_title_is_the_tables_header(void **state)
{
	(void)state;
	wk_doc *doc = parse(bold_headers_pdf());
	const wk_unit *u = only_table(doc);
	const wk_table *t = u->table;
	assert_int_equal(t->ncols, 4);
	expect_cell(t, 0, 1, WK_CELL_HEADER, "52 Weeks Ended August 29,");
	expect_cell(t, 0, 2, WK_CELL_HEADER, "52 Weeks Ended August 30,");
	expect_cell(t, 0, 3, WK_CELL_HEADER, "52 Weeks Ended September 1,");
	expect_cell(t, 1, 1, WK_CELL_HEADER, "2021");
	assert_null(wk_table_cell(t, 0, 0));
	expect_cell(t, 2, 0, WK_CELL_STUB, "Revenues");
	assert_null(strstr(u->caption, "Weeks"));
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].type != WK_UNIT_TABLE)
			assert_null(strstr(doc->units[i].text, "Weeks"));
	wk_doc_free(doc);
}

/* A survey table: a bold title, then a bold header row whose last header is printed over
 * three lines ("Active" over "panelists" over "remaining"), the others on the lowest.
 * Its own columns (three figures, plain headers centred a little left of their narrow,
 * right-aligned figures) make the second table below. */
static const char *stacked_header_pdf(void)
{
	const char *path = mk_tmp_path("-stacked.pdf");
	const char *heads[3] = {"Invited", "Joined", "remaining"};
	const char *figures[3][3] = {{"9,809", "5,338", "2,183"}, {"6,004", "2,976", "1,243"},
	                             {"3,905", "1,628", "620"}};
	const char *labels[3] = {"First survey", "Second survey", "Third survey"};
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = 80;
	mk_text(pdf, "Times-Bold", 11, 72, y, "Recruitment surveys");
	y += 34;
	mk_text(pdf, "Times-Bold", SIZE, 72, y + 26, "Survey");
	for (int c = 0; c < 3; c++) {
		float centre = col_right[c] - 15;
		if (c == 2) {
			centred(pdf, "Times-Bold", centre, y, "Active");
			centred(pdf, "Times-Bold", centre, y + 13, "panelists");
		}
		centred(pdf, "Times-Bold", centre, y + 26, heads[c]);
	}
	y += 26 + STEP;
	for (int i = 0; i < 3; i++, y += STEP) {
		mk_text(pdf, FONT, SIZE, 72, y, labels[i]);
		for (int c = 0; c < 3; c++)
			right(pdf, col_right[c], y, figures[i][c]);
	}
	y += 40;
	const char *regions[3] = {"Americas", "Europe", "Total"};
	for (int c = 0; c < 3; c++) {
		centred(pdf, FONT, col_right[c] - 25, y, regions[c]);
	}
	y += STEP;
	const char *narrow[3][3] = {{"650", "400", "850"}, {"398", "391", "843"}, {"12", "9", "21"}};
	for (int i = 0; i < 3; i++, y += STEP) {
		mk_text(pdf, FONT, SIZE, 72, y, labels[i]);
		for (int c = 0; c < 3; c++)
			right(pdf, col_right[c], y, narrow[i][c]);
	}
	mk_save(pdf, path, NULL);
	return path;
}

/* The stacked header is one header cell of its column, not a heading nor the caption:
 * the bold title above is the caption. In the second table, each region heads its own
 * column, the leftmost one too (not the row labels' column). */
static void test_a_header_stacked_over_three_lines_is_one_header_of_its_column(void **state)
{
	(void)state;
	wk_doc *doc = parse(stacked_header_pdf());
	const wk_unit *first = NULL, *second = NULL;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_TABLE && u->table)
			*(first ? &second : &first) = u;
		if (u->type == WK_UNIT_HEADING)
			assert_null(strstr(u->text, "Active"));
	}
	assert_non_null(first);
	assert_non_null(second);
	assert_string_equal(first->caption, "Recruitment surveys");
	expect_cell(first->table, 0, 3, WK_CELL_HEADER, "Active panelists remaining");
	expect_cell(first->table, 0, 1, WK_CELL_HEADER, "Invited");
	expect_cell(second->table, 0, 1, WK_CELL_HEADER, "Americas");
	expect_cell(second->table, 0, 3, WK_CELL_HEADER, "Total");
	expect_cell(second->table, 1, 1, WK_CELL_BODY, "650");
	wk_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_unruled_statement_has_its_cells_headers_and_indented_stub),
		cmocka_unit_test(test_a_ruled_table_has_the_same_grid_as_an_unruled_one),
		cmocka_unit_test(test_a_table_continued_on_the_next_page_is_linked_to_its_first_part),
		cmocka_unit_test(test_a_continued_statement_keeps_its_year_headers),
		cmocka_unit_test(test_a_header_wrapped_over_two_lines_is_one_header),
		cmocka_unit_test(test_a_trimmed_table_keeps_the_year_of_each_value),
		cmocka_unit_test(test_a_row_cited_on_its_own_has_its_own_box),
		cmocka_unit_test(test_a_section_row_inside_a_statement_is_a_row_not_a_heading),
		cmocka_unit_test(test_a_dollar_without_its_figure_makes_no_column),
		cmocka_unit_test(test_a_bold_header_row_beside_a_bold_title_is_the_tables_header),
		cmocka_unit_test(test_a_header_stacked_over_three_lines_is_one_header_of_its_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
