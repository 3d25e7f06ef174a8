/* test_figures.c: the figure and table finder on hand-built pages (lines, paths and
 * images placed by the test), caption and mention parsing, refs, and the graphics
 * collector on PDFs written with mkpdf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../src/doc/doc.h"
#include "../src/pdf/captions.h"
#include "../src/pdf/graphics.h"
#include "support/mkpdf.h"

/* Boxes must match the drawn geometry within this many points. */
#define TOL 3.0f

/* A 612 x 792 page with room for the lines, paths and images a test places. */
typedef struct test_page {
	wk_page page;
	int cap_lines, cap_paths, cap_images;
} test_page;

static wk_page *page_new(void)
{
	test_page *t = calloc(1, sizeof *t);
	t->page.number = 1;
	t->page.width = 612;
	t->page.height = 792;
	t->page.arena = wk_arena_new();
	t->page.lines = calloc(1024, sizeof(wk_line));
	t->page.paths = calloc(1024, sizeof(wk_rect));
	t->page.images = calloc(64, sizeof(wk_rect));
	return &t->page;
}

static void page_free(wk_page *p)
{
	free(p->lines);
	free(p->paths);
	free(p->images);
	wk_arena_free(p->arena);
	free(p);
}

/* A line of text whose top is at y; its width is 0.5 x size per character (Times-like)
 * unless `x1` is given (> 0). Returns its index. */
static int add_line(wk_page *p, float x0, float y, float x1, float size, const char *text)
{
	wk_line *l = &p->lines[p->nlines];
	if (x1 <= 0)
		x1 = x0 + 0.5f * size * (float)strlen(text);
	l->box = (wk_rect){x0, y, x1, y + 1.2f * size};
	l->text = wk_arena_strdup(p->arena, text);
	l->size = size;
	return p->nlines++;
}

static void add_path(wk_page *p, float x0, float y0, float x1, float y1)
{
	p->paths[p->npaths++] = (wk_rect){x0, y0, x1, y1};
}

static void add_image(wk_page *p, float x0, float y0, float x1, float y1)
{
	p->images[p->nimages++] = (wk_rect){x0, y0, x1, y1};
}

static const char *body_text =
	"the quick brown fox jumps over the lazy dog and keeps on running far";

/* A paragraph of body text (10 pt, 12 pt leading) in a column from y; returns the y
 * below it. */
static float add_paragraph(wk_page *p, float x0, float x1, float y, int nlines)
{
	for (int i = 0; i < nlines; i++, y += 12)
		add_line(p, x0, y, i == nlines - 1 ? x0 + 0.5f * (x1 - x0) : x1, 10, body_text);
	return y;
}

/* Two-column body text with a hole in [hole0, hole1) of column `col` (0 left, 1 right,
 * 2 both). */
static void add_columns(wk_page *p, float hole0, float hole1, int col)
{
	const float xs[2][2] = {{72, 296}, {316, 540}};
	for (int c = 0; c < 2; c++)
		for (float y = 72; y < 720; y += 12 * 6 + 8) {
			bool in_hole = (col == 2 || col == c) && y + 72 > hole0 && y < hole1;
			if (!in_hole)
				add_paragraph(p, xs[c][0], xs[c][1], y, 6);
		}
}

static const wk_figure *find_label(const wk_page *p, const char *label)
{
	for (int i = 0; i < p->nfigures; i++)
		if (strcmp(p->figures[i].label, label) == 0)
			return &p->figures[i];
	return NULL;
}

static void assert_rect_near(wk_rect got, float x0, float y0, float x1, float y1)
{
	if (fabsf(got.x0 - x0) > TOL || fabsf(got.y0 - y0) > TOL || fabsf(got.x1 - x1) > TOL ||
	    fabsf(got.y1 - y1) > TOL)
		fail_msg("box [%.1f %.1f %.1f %.1f], expected [%.1f %.1f %.1f %.1f]", got.x0,
		         got.y0, got.x1, got.y1, x0, y0, x1, y1);
}

/* ---- labels and mentions ---- */

static void test_caption_forms_are_recognised_and_labels_normalised(void **state)
{
	(void)state;
	const struct { const char *text, *label; } cases[] = {
		{"Figure 3: Overview of the system.", "Figure 3"},
		{"Fig. 3. Results on the test set", "Figure 3"},
		{"Figure 3 - Architecture", "Figure 3"},
		{"FIGURE 3", "Figure 3"},
		{"Table 2", "Table 2"},
		{"TABLE II", "Table II"},
		{"Table 2. Accuracy", "Table 2"},
		{"Tab. 2: Ablation", "Table 2"},
		{"Figure 4.2: Nested numbering", "Figure 4.2"},
		{"Table A.1: Appendix table", "Table A.1"},
		{"  Fig.\xc2\xa0" "7: non-breaking space", "Figure 7"},
		{"Table 1 Statistics of the data sets", "Table 1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wk_caption_label label;
		char buf[48];
		if (!wk_caption_parse(cases[i].text, &label))
			fail_msg("not taken as a caption: %s", cases[i].text);
		wk_caption_label_format(&label, buf, sizeof buf);
		assert_string_equal(buf, cases[i].label);
	}
}

static void test_mentions_in_running_text_are_not_caption_starts(void **state)
{
	(void)state;
	const char *texts[] = {
		"Figure 3 shows the results of the model", "Figures 3 and 4 compare",
		"Table of contents", "figure 3: lowercase is prose", "Fig. 3(a) plots the loss",
		"Tables 2-3 list the data", "Figure", "Table 3D reconstruction",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		wk_caption_label label;
		if (wk_caption_parse(texts[i], &label))
			fail_msg("taken as a caption: %s", texts[i]);
	}
}

static void test_mentions_expand_lists_and_ranges(void **state)
{
	(void)state;
	wk_mention m[32];
	int n = wk_mentions_find("As Figs. 3 and 4 show, and Tables 2-4 and Table II confirm "
	                         "(see also fig. 5b; figure 6).", m, 32);
	const char *want[] = {"F3", "F4", "T2", "T3", "T4", "TII", "F5", "F6"};
	assert_int_equal(n, 8);
	for (int i = 0; i < n; i++) {
		char got[20];
		snprintf(got, sizeof got, "%c%s", m[i].type == WK_UNIT_TABLE ? 'T' : 'F', m[i].num);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(wk_mentions_find("Configuration, refigured, tablet 3", m, 32), 0);
}

/* ---- regions on hand-built pages ---- */

/* A plot in the left column: axes (paths), tick labels and a legend (small text), then a
 * two-line caption, on a page of two-column body text. */
static void test_figure_above_caption_takes_paths_and_labels(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 150, 420, 0);
	add_path(p, 90, 170, 92, 330);   /* y axis */
	add_path(p, 90, 328, 290, 330);  /* x axis */
	add_path(p, 95, 200, 280, 320);  /* the curve */
	int tick = add_line(p, 74, 320, 86, 8, "0.5");
	int xlabel = add_line(p, 160, 336, 0, 8, "Epochs");
	int title = add_line(p, 140, 158, 0, 8, "Training loss");
	int cap = add_line(p, 72, 360, 296, 10, "Figure 1: Loss of the model while training on");
	int cap2 = add_line(p, 72, 372, 0, 10, "the data set.");
	wk_page_find_figures(p);
	assert_int_equal(p->nfigures, 1);
	const wk_figure *f = find_label(p, "Figure 1");
	assert_non_null(f);
	assert_int_equal(f->type, WK_UNIT_FIGURE);
	assert_rect_near(f->region, 74, 158, 290, 336 + 9.6f);
	assert_rect_near(f->caption_box, 72, 360, 296, 372 + 12);
	assert_string_equal(f->caption, "Figure 1: Loss of the model while training on the data set.");
	assert_string_equal(f->figure_text, "Training loss\n0.5\nEpochs");
	assert_true(p->lines[tick].flags & WK_LINE_FIGURE);
	assert_true(p->lines[xlabel].flags & WK_LINE_FIGURE);
	assert_true(p->lines[title].flags & WK_LINE_FIGURE);
	assert_true(p->lines[cap].flags & WK_LINE_CAPTION);
	assert_true(p->lines[cap2].flags & WK_LINE_CAPTION);
	for (int i = 0; i < p->nlines; i++)
		if (strcmp(p->lines[i].text, body_text) == 0)
			assert_int_equal(p->lines[i].flags, 0);
	page_free(p);
}

/* A ruled table below its caption, cells set in body-size text. */
static void test_table_below_caption_keeps_cells_out_of_paragraphs(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 150, 330, 1);
	add_line(p, 316, 160, 540, 10, "Table 2: Accuracy of the methods on the test set.");
	add_path(p, 320, 182, 536, 183);
	const char *cells[3][3] = {{"Method", "Acc", "F1"}, {"Ours", "91.2", "88.0"},
	                           {"Baseline", "85.1", "80.3"}};
	int idx[3][3];
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			idx[r][c] = add_line(p, 324 + 80 * c, 186 + 16 * r, 0, 10, cells[r][c]);
	add_path(p, 320, 202, 536, 203);
	add_path(p, 320, 236, 536, 237);
	wk_page_find_figures(p);
	const wk_figure *t = find_label(p, "Table 2");
	assert_non_null(t);
	assert_int_equal(t->type, WK_UNIT_TABLE);
	assert_rect_near(t->region, 320, 182, 536, 237);
	assert_string_equal(t->figure_text,
	                    "Method | Acc | F1\nOurs | 91.2 | 88.0\nBaseline | 85.1 | 80.3");
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			assert_true(p->lines[idx[r][c]].flags & WK_LINE_FIGURE);
	for (int i = 0; i < p->nlines; i++)
		if (strcmp(p->lines[i].text, body_text) == 0)
			assert_int_equal(p->lines[i].flags & (WK_LINE_FIGURE | WK_LINE_CAPTION), 0);
	page_free(p);
}

/* A table without any rule: a grid of text only, with its caption below it. */
static void test_table_without_rules_is_a_text_grid_above_its_caption(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 150, 330, 0);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 3; c++)
			add_line(p, 80 + 70 * c, 170 + 14 * r, 0, 9, c == 0 ? "Model" : "12.5");
	add_line(p, 72, 240, 0, 10, "Table 1: Scores without rules.");
	wk_page_find_figures(p);
	const wk_figure *t = find_label(p, "Table 1");
	assert_non_null(t);
	assert_rect_near(t->region, 80, 170, 220 + 4 * 4.5f, 170 + 14 * 3 + 10.8f);
	assert_true(t->caption_box.y0 > t->region.y1);
	page_free(p);
}

static void test_mentions_inside_paragraphs_are_not_captions(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 590, 660, 0);
	/* A line that continues a sentence ("... shown in") and starts with a label. */
	add_line(p, 72, 600, 296, 10, "the results of the two runs are shown in the chart of");
	add_line(p, 72, 612, 296, 10, "Figure 2. Then the model is trained again for a while");
	add_line(p, 72, 624, 296, 10, "Table 3 shows the averages of the two runs in detail");
	add_line(p, 72, 636, 150, 10, "and more here.");
	/* A prompt listing: "Caption:" then a label on the same row is quoted text. */
	add_line(p, 72, 676, 110, 10, "Caption:");
	add_line(p, 128, 676, 268, 10, "Table 4: The ablation study.");
	wk_page_find_figures(p);
	assert_int_equal(p->nfigures, 0);
	for (int i = 0; i < p->nlines; i++)
		assert_int_equal(p->lines[i].flags, 0);
	page_free(p);
}

/* A figure whose graphics span both columns, with a short centred caption. */
static void test_full_width_figure_spans_both_columns(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 80, 330, 2);
	add_path(p, 80, 90, 290, 280);
	add_path(p, 320, 90, 530, 280);
	add_line(p, 150, 100, 0, 8, "encoder");
	add_line(p, 400, 100, 0, 8, "decoder");
	add_line(p, 240, 295, 0, 10, "Figure 2: The architecture.");
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 2");
	assert_non_null(f);
	assert_rect_near(f->region, 80, 90, 530, 280);
	assert_string_equal(f->figure_text, "encoder decoder");
	page_free(p);
}

/* A raster image alone, caption below; and a LaTeX picture made of glyphs only. */
static void test_image_and_glyph_only_figures_are_found(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 80, 700, 1);
	add_image(p, 330, 90, 530, 250);
	add_line(p, 316, 262, 0, 10, "Fig. 3. A photograph.");
	add_line(p, 380, 420, 0, 9, "A -> B -> C");
	add_line(p, 380, 432, 0, 9, "|         |");
	add_line(p, 380, 444, 0, 9, "D <- E <- F");
	add_line(p, 316, 470, 0, 10, "FIGURE 4 A diagram drawn with letters");
	wk_page_find_figures(p);
	assert_int_equal(p->nfigures, 2);
	const wk_figure *img = find_label(p, "Figure 3");
	const wk_figure *pic = find_label(p, "Figure 4");
	assert_non_null(img);
	assert_non_null(pic);
	assert_rect_near(img->region, 330, 90, 530, 250);
	assert_rect_near(pic->region, 380, 420, 380 + 4.5f * 11, 444 + 10.8f);
	assert_rect_near(pic->box, 316, 420, 316 + 5 * 37, 470 + 12);
	page_free(p);
}

/* Two floats stacked in one column: a figure (caption below) then a table (caption
 * above): each takes its own elements. */
static void test_stacked_figure_and_table_do_not_share_elements(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 60, 460, 0);
	add_path(p, 80, 80, 290, 200);
	add_line(p, 72, 210, 0, 10, "Figure 5: A chart.");
	add_line(p, 72, 250, 0, 10, "Table 6: Numbers.");
	add_path(p, 76, 268, 292, 269);
	for (int r = 0; r < 5; r++)
		add_line(p, 80, 272 + 14 * r, 0, 9, "alpha  1.0  2.0");
	add_path(p, 76, 345, 292, 346);
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 5");
	const wk_figure *t = find_label(p, "Table 6");
	assert_non_null(f);
	assert_non_null(t);
	assert_rect_near(f->region, 80, 80, 290, 200);
	assert_rect_near(t->region, 76, 268, 292, 346);
	page_free(p);
}


/* Two figures next to each other on a one-column page, each with its caption, inside a
 * frame drawn around both: each takes its own side. */
static void test_side_by_side_figures_split_the_row(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 80, 8);
	add_path(p, 80, 200, 530, 330);  /* the frame around both */
	add_image(p, 90, 210, 290, 320);
	add_image(p, 320, 210, 520, 320);
	add_line(p, 120, 340, 0, 10, "Figure 1: Left run.");
	add_line(p, 360, 340, 0, 10, "Figure 2: Right run.");
	add_paragraph(p, 72, 540, 380, 8);
	wk_page_find_figures(p);
	const wk_figure *a = find_label(p, "Figure 1");
	const wk_figure *b = find_label(p, "Figure 2");
	assert_non_null(a);
	assert_non_null(b);
	assert_rect_near(a->region, 90, 210, 290, 320);
	assert_rect_near(b->region, 320, 210, 520, 320);
	page_free(p);
}


/* A narrow caption set beside its figure (one-column page): the figure is on the
 * caption's wide side. */
static void test_side_caption_takes_the_figure_beside_it(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 80, 6);
	add_path(p, 80, 170, 380, 400);
	add_line(p, 120, 180, 0, 8, "v0 v1 v2");
	add_line(p, 396, 300, 540, 10, "Figure 3: Notations of the");
	add_line(p, 396, 312, 540, 10, "diagram on the left side.");
	add_paragraph(p, 72, 540, 420, 6);
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 3");
	assert_non_null(f);
	assert_rect_near(f->region, 80, 170, 380, 400);
	page_free(p);
}

/* A running header and a page number around a figure at the top of the page stay out. */
static void test_running_header_is_not_part_of_a_figure(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_columns(p, 60, 300, 0);
	int header = add_line(p, 72, 40, 0, 8, "Proceedings of a conference");
	add_path(p, 80, 75, 290, 250);
	add_line(p, 72, 262, 0, 10, "Figure 1: Top of the page.");
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 1");
	assert_non_null(f);
	assert_rect_near(f->region, 80, 75, 290, 250);
	assert_int_equal(p->lines[header].flags, 0);
	page_free(p);
}


/* A financial table without a caption: a title ending in ':' above a grid of labels and
 * numbers, single-column page. */
static void test_uncaptioned_number_grid_becomes_a_table(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 80, 4);
	int title = add_line(p, 72, 140, 0, 9, "Sales and operating income by segment:");
	add_line(p, 300, 160, 0, 8, "Net Sales");
	add_line(p, 420, 160, 0, 8, "Margin");
	const char *rows[4][3] = {{"Industrial", "$ 2,952", "37.2 %"}, {"Safety and Graphics", "1,569", "19.8"},
	                          {"Health Care", "1,520", "(0.2)"}, {"Total Company", "$ 7,945", "\xe2\x80\x94"}};
	int cells[4][3];
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 3; c++)
			cells[r][c] = add_line(p, c == 0 ? 72 : 180 + 120 * c, 172 + 11 * r, 0, 8, rows[r][c]);
	add_paragraph(p, 72, 540, 240, 4);
	wk_page_find_figures(p);
	assert_int_equal(p->nfigures, 1);
	const wk_figure *t = &p->figures[0];
	assert_int_equal(t->type, WK_UNIT_TABLE);
	assert_string_equal(t->label, "");
	assert_string_equal(t->caption, "Sales and operating income by segment:");
	assert_non_null(strstr(t->figure_text, "Net Sales | Margin\nIndustrial | $ 2,952 | 37.2 %"));
	assert_non_null(strstr(t->figure_text, "Safety and Graphics | 1,569 | 19.8"));
	assert_rect_near(t->region, 72, 160, 420 + 4.0f * 6, 172 + 33 + 9.6f);
	assert_true(p->lines[title].flags & WK_LINE_CAPTION);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 3; c++)
			assert_true(p->lines[cells[r][c]].flags & WK_LINE_FIGURE);
	for (int i = 0; i < p->nlines; i++)
		if (strcmp(p->lines[i].text, body_text) == 0)
			assert_int_equal(p->lines[i].flags, 0);
	page_free(p);
}

/* ---- refs ---- */

/* A scatter plot's points come out as runs of bullets: they say nothing and cost
 * hundreds of tokens, so figure_text leaves them out and keeps the tick labels. */
static void test_plot_markers_are_not_figure_text(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 72, 6);
	add_path(p, 100, 160, 500, 161);
	add_line(p, 120, 180, 300, 9, "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 \xe2\x80\xa2\xe2\x80\xa2");
	add_line(p, 100, 200, 0, 9, "\xe2\x97\x8f 10 20 30");
	add_path(p, 100, 215, 500, 216);
	add_line(p, 200, 240, 0, 10, "Figure 1: Throughput over time.");
	add_paragraph(p, 72, 540, 270, 6);
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 1");
	assert_non_null(f);
	assert_string_equal(f->figure_text, "10 20 30");
	page_free(p);
}

/* A scanned page: the picture is the page (image strips) and the figure is only its
 * labels, rows far apart; the text layer splits body lines at word gaps. The figure
 * above the caption takes all its labels, and the body text below stays text. */
static void test_figure_on_scanned_page_stops_at_split_body_text(void **state)
{
	(void)state;
	wk_page *p = page_new();
	for (int k = 0; k < 25; k++)
		add_image(p, 0, 31.68f * (float)k, 612, 31.68f * (float)(k + 1));
	const float rows[4] = {80, 130, 200, 240};
	for (int r = 0; r < 4; r++) {
		add_line(p, 90, rows[r], 0, 8, "E(x) A");
		add_line(p, 300, rows[r], 0, 8, "D(y) B");
	}
	add_line(p, 250, 270, 0, 9, "Fig. 1. Queue histories.");
	int first = p->nlines;
	for (int r = 0; r < 6; r++) {
		float y = 310 + 12 * (float)r;
		add_line(p, 72, y, 250, 10, "the quick brown fox jumps over");
		add_line(p, 262, y, 400, 10, "the lazy dog and keeps on");
		add_line(p, 412, y, 540, 10, "running far away");
	}
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 1");
	assert_non_null(f);
	assert_true(f->region.y0 <= 81 && f->region.y1 <= 271);
	assert_non_null(strstr(f->figure_text, "E(x) A"));
	for (int i = first; i < p->nlines; i++)
		assert_int_equal(p->lines[i].flags & (WK_LINE_FIGURE | WK_LINE_CAPTION), 0);
	page_free(p);
}

/* "Fig. 1." and the rest of its first line share a baseline, though a math glyph makes
 * the second box taller: the caption keeps its first line. */
static void test_caption_keeps_a_first_line_with_a_taller_box(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 72, 6);
	add_path(p, 150, 160, 450, 260);
	int a = add_line(p, 126, 271, 150, 8, "Fig. 1.");
	int b = add_line(p, 157, 271, 484, 8, "A manuscript showing a set of five ballots, that satisfies");
	p->lines[b].box.y1 += 3; /* a tall glyph */
	add_line(p, 126, 281, 366, 8, "the three conditions.");
	p->lines[a].baseline = p->lines[b].baseline = 277;
	add_paragraph(p, 72, 540, 310, 6);
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 1");
	assert_non_null(f);
	assert_non_null(strstr(f->caption, "A manuscript showing"));
	assert_non_null(strstr(f->caption, "three conditions"));
	assert_true(f->region.y1 <= 262);
	page_free(p);
}

/* Two framed panels of prose side by side in one figure are read panel by panel, not
 * row by row across both. */
static void test_side_by_side_boxes_are_read_box_by_box(void **state)
{
	(void)state;
	wk_page *p = page_new();
	add_paragraph(p, 72, 540, 72, 6);
	add_path(p, 72, 150, 300, 300);
	add_path(p, 312, 150, 540, 300);
	const char *left[4] = {"Left rule one says this much", "left rule two says that much",
	                       "left rule three says more here", "left rule four ends it all"};
	const char *right[4] = {"Right state one holds a term", "right state two holds a vote",
	                        "right state three holds a log", "right state four ends it all"};
	for (int r = 0; r < 4; r++) {
		add_line(p, 80, 160 + 20 * (float)r, 0, 9, left[r]);
		add_line(p, 320, 160 + 20 * (float)r, 0, 9, right[r]);
	}
	add_line(p, 72, 310, 0, 10, "Figure 2: A summary of the rules.");
	add_paragraph(p, 72, 540, 340, 6);
	wk_page_find_figures(p);
	const wk_figure *f = find_label(p, "Figure 2");
	assert_non_null(f);
	const char *last_left = strstr(f->figure_text, "left rule four");
	const char *first_right = strstr(f->figure_text, "Right state one");
	assert_non_null(last_left);
	assert_non_null(first_right);
	assert_true(last_left < first_right);
	page_free(p);
}

static void test_refs_list_paragraphs_that_mention_each_unit(void **state)
{
	(void)state;
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 1);
	const struct { wk_unit_type t; const char *text, *label; } spec[] = {
		{WK_UNIT_TEXT, "We show in Figure 1 the overview.", NULL},        /* 0 */
		{WK_UNIT_FIGURE, "Figure 1: Overview.", "Figure 1"},               /* 1 */
		{WK_UNIT_TEXT, "Figs. 1 and 2 compare; Tables 2-3 list.", NULL},   /* 2 */
		{WK_UNIT_TABLE, "Table 3: Data.", "Table 3"},                      /* 3 */
		{WK_UNIT_TEXT, "Nothing here but Figure 10 and table of items.", NULL}, /* 4 */
		{WK_UNIT_TEXT, "Figure 1: Overview.", NULL},                       /* 5: leaked caption */
		{WK_UNIT_HEADING, "Figure 1 heading", NULL},                       /* 6 */
		{WK_UNIT_TABLE, "TABLE II: Roman.", "Table II"},                   /* 7 */
		{WK_UNIT_TEXT, "Table II reports, and again Table II.", NULL},     /* 8 */
	};
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		wk_unit *u = wk_doc_add_unit(d, spec[i].t);
		u->text = wk_doc_str(d, spec[i].text);
		if (spec[i].label) {
			u->label = wk_doc_str(d, spec[i].label);
			u->caption = u->text;
		}
	}
	wk_doc_finish(d);
	wk_doc_link_refs(d);
	assert_int_equal(d->units[1].nrefs, 2);
	assert_int_equal(d->units[1].refs[0], 0);
	assert_int_equal(d->units[1].refs[1], 2);
	assert_int_equal(d->units[3].nrefs, 1);
	assert_int_equal(d->units[3].refs[0], 2);
	assert_int_equal(d->units[7].nrefs, 1);
	assert_int_equal(d->units[7].refs[0], 8);
	wk_doc_free(d);
}

/* ---- the graphics collector on real PDFs ---- */

static fz_context *new_ctx(void)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_UNLIMITED);
	fz_register_document_handlers(ctx);
	return ctx;
}

static wk_page *collect(fz_context *ctx, const char *path)
{
	fz_document *doc = fz_open_document(ctx, path);
	fz_page *fzpage = fz_load_page(ctx, doc, 0);
	wk_page *p = calloc(1, sizeof *p);
	p->arena = wk_arena_new();
	wk_collect_graphics(ctx, fzpage, p, NULL);
	fz_drop_page(ctx, fzpage);
	fz_drop_document(ctx, doc);
	return p;
}

static void test_collector_records_paths_and_images_in_points(void **state)
{
	(void)state;
	const char *path = mk_tmp_path(".pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_rect(pdf, 0, 0, 612, 792, 1);     /* a page background: ignored */
	mk_rect(pdf, 100, 120, 200, 80, 0);  /* stroked */
	mk_line(pdf, 100, 300, 400, 300);
	mk_image(pdf, 320, 400, 200, 100, 8, 4);
	mk_text(pdf, "Helvetica", 10, 100, 600, "text is not a path");
	mk_save(pdf, path, NULL);
	fz_context *ctx = new_ctx();
	wk_page *p = collect(ctx, path);
	assert_int_equal(p->npaths, 2);
	assert_int_equal(p->nimages, 1);
	assert_rect_near(p->paths[0], 100, 120, 300, 200);
	assert_true(p->paths[1].x0 < 101 && p->paths[1].x1 > 399);
	assert_true(fabsf(p->paths[1].y0 - 300) < TOL && fabsf(p->paths[1].y1 - 300) < TOL);
	assert_rect_near(p->images[0], 320, 400, 520, 500);
	wk_arena_free(p->arena); /* the collector's arrays live in the page's arena */
	free(p);
	fz_drop_context(ctx);
}

static void test_collector_caps_a_page_with_too_many_paths(void **state)
{
	(void)state;
	const char *path = mk_tmp_path(".pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	for (int i = 0; i < 30000; i++)
		mk_rect(pdf, (float)(i % 300) * 2, (float)(i / 300) * 7, 1, 1, 1);
	mk_save(pdf, path, NULL);
	fz_context *ctx = new_ctx();
	wk_page *p = collect(ctx, path);
	assert_true(p->npaths > 20000);
	assert_true(p->npaths <= 20000 + 32 * 32);
	wk_arena_free(p->arena);
	free(p);
	fz_drop_context(ctx);
}


/* ---- end to end: wukong parse on a generated two-column paper ---- */

static const char *words =
	"Sparse sampling keeps only the evidence that a question needs and drops the rest of "
	"the document so that the model reads less text and answers faster with citations to "
	"the pages where the answer was found in the long document under a token budget";

/* Fills a column from y with justified-looking lines of 10 pt Times; returns the y of
 * the next baseline. `lead` is prepended to the first line. */
static float mk_para(mk_pdf *pdf, float x, float y, float width, int nlines, const char *lead)
{
	char line[512];
	const char *w = words;
	for (int i = 0; i < nlines; i++, y += 12) {
		line[0] = '\0';
		if (i == 0 && lead)
			snprintf(line, sizeof line, "%s ", lead);
		/* The last line is short and ends the sentence, as a paragraph's does. */
		float room = i == nlines - 1 ? width / 2 : width;
		while (1) {
			const char *sp = strchr(w, ' ');
			size_t n = sp ? (size_t)(sp - w) : strlen(w);
			char try[512];
			int len = snprintf(try, sizeof try, "%s%.*s ", line, (int)n, w);
			if (len >= (int)sizeof try || mk_text_width(pdf, "Times-Roman", 10, try) > room)
				break;
			snprintf(line, sizeof line, "%s", try);
			w = sp ? sp + 1 : words;
		}
		if (i == nlines - 1)
			line[strlen(line) - 1] = '.';
		mk_text(pdf, "Times-Roman", 10, x, y, line);
	}
	return y + 8;
}

/* Page 1: left column text, a vector figure (boxes, arrows, labels) and its caption;
 * right column a table (caption above, ruled grid) then text. Page 2: a raster figure
 * across both columns, then text that mentions the figures and the table. */
static void mk_paper(const char *path)
{
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	float y = mk_para(pdf, 72, 90, 224, 8, NULL);
	/* Vector figure: 72..296 x 200..330 */
	mk_rect(pdf, 80, 200, 80, 40, 0);
	mk_rect(pdf, 200, 200, 90, 40, 0);
	mk_line(pdf, 160, 220, 200, 220);
	mk_rect(pdf, 120, 280, 120, 50, 1);
	mk_text(pdf, "Helvetica", 8, 95, 223, "Encoder");
	mk_text(pdf, "Helvetica", 8, 215, 223, "Decoder");
	mk_text(pdf, "Helvetica", 8, 150, 270, "shared memory");
	mk_text(pdf, "Times-Roman", 10, 72, 350, "Figure 1: The two stages of the system and the");
	mk_text(pdf, "Times-Roman", 10, 72, 362, "memory they share.");
	y = mk_para(pdf, 72, 390, 224, 10, NULL);
	(void)y;
	/* Table in the right column: caption above, grid below. */
	mk_text(pdf, "Times-Roman", 10, 316, 90, "Table 1: Accuracy of the samplers.");
	const char *cells[3][3] = {{"Sampler", "Acc", "Pages"}, {"Sparse", "91.2", "3.1"},
	                           {"Dense", "85.7", "9.4"}};
	for (int r = 0; r <= 3; r++)
		mk_line(pdf, 320, 100 + 18 * r, 536, 100 + 18 * r);
	mk_line(pdf, 320, 100, 320, 154);
	mk_line(pdf, 536, 100, 536, 154);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			mk_text(pdf, "Times-Roman", 10, 326 + 72 * c, 113 + 18 * r, cells[r][c]);
	mk_para(pdf, 316, 180, 224, 20, NULL);
	mk_page(pdf, 612, 792);
	mk_image(pdf, 100, 80, 412, 160, 64, 32);
	mk_text(pdf, "Times-Roman", 10, 250, 258, "Figure 2: A photograph.");
	mk_para(pdf, 72, 290, 224, 6, "As Figure 1 shows,");
	mk_para(pdf, 72, 380, 224, 6, "Table 1 and Fig. 2 report");
	mk_para(pdf, 316, 290, 224, 6, NULL);
	mk_save(pdf, path, NULL);
}

static json_t *run_parse(const char *pdf, const char *figdir, int dpi)
{
	char out[1100], cmd[4096];
	snprintf(out, sizeof out, "%s.json", pdf);
	snprintf(cmd, sizeof cmd, "'%s' parse --json --figures '%s' --dpi %d '%s' >'%s'",
	         getenv("WK_BIN"), figdir, dpi, pdf, out);
	if (system(cmd) != 0)
		fail_msg("wukong parse failed: %s", cmd);
	json_error_t jerr;
	json_t *root = json_load_file(out, 0, &jerr);
	if (!root)
		fail_msg("bad JSON from wukong parse: %s", jerr.text);
	return root;
}

static json_t *unit_by_label(json_t *root, const char *label)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(root, "units"), i, u) {
		const char *l = json_string_value(json_object_get(u, "label"));
		if (l && strcmp(l, label) == 0)
			return u;
	}
	fail_msg("no unit labelled %s", label);
	return NULL;
}

static void assert_bbox(json_t *u, int page, float x0, float y0, float x1, float y1, float tol)
{
	json_t *b = json_array_get(json_object_get(u, "bbox"), 0);
	json_t *r = json_object_get(b, "rect");
	assert_int_equal(json_integer_value(json_object_get(b, "page")), page);
	float got[4], want[4] = {x0, y0, x1, y1};
	for (int k = 0; k < 4; k++) {
		got[k] = (float)json_number_value(json_array_get(r, (size_t)k));
		if (fabsf(got[k] - want[k]) > tol)
			fail_msg("bbox [%.1f %.1f %.1f %.1f], expected [%.1f %.1f %.1f %.1f] +- %.0f",
			         got[0], got[1], got[2], got[3], x0, y0, x1, y1, tol);
	}
}

/* The text unit (type "text") whose text contains `needle`; -1 when none. */
static int text_unit_with(json_t *root, const char *needle)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(root, "units"), i, u) {
		const char *t = json_string_value(json_object_get(u, "type"));
		const char *x = json_string_value(json_object_get(u, "text"));
		if (t && strcmp(t, "text") == 0 && x && strstr(x, needle))
			return (int)json_integer_value(json_object_get(u, "idx"));
	}
	return -1;
}

static bool refs_contain(json_t *u, int idx)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(u, "refs"), i, r)
		if (json_integer_value(r) == idx)
			return true;
	return false;
}

/* Width and height of a PNG from its IHDR chunk. */
static void png_size(const char *path, int *w, int *h)
{
	unsigned char hdr[24];
	FILE *f = fopen(path, "rb");
	if (!f || fread(hdr, 1, 24, f) != 24)
		fail_msg("cannot read PNG %s", path ? path : "(null)");
	fclose(f);
	*w = (hdr[16] << 24) | (hdr[17] << 16) | (hdr[18] << 8) | hdr[19];
	*h = (hdr[20] << 24) | (hdr[21] << 16) | (hdr[22] << 8) | hdr[23];
}

static void assert_crop_matches_box(json_t *u, int dpi)
{
	const char *image = json_string_value(json_object_get(u, "image"));
	assert_non_null(image);
	int w, h;
	png_size(image, &w, &h);
	json_t *r = json_object_get(json_array_get(json_object_get(u, "bbox"), 0), "rect");
	float bw = (float)(json_number_value(json_array_get(r, 2)) - json_number_value(json_array_get(r, 0)));
	float bh = (float)(json_number_value(json_array_get(r, 3)) - json_number_value(json_array_get(r, 1)));
	/* The crop may add a small margin; it must stay within a few points of the box. */
	if (fabsf((float)w - bw * dpi / 72) > 12 * dpi / 72.0f ||
	    fabsf((float)h - bh * dpi / 72) > 12 * dpi / 72.0f)
		fail_msg("crop %s is %dx%d px, box %.0fx%.0f pt at %d dpi", image, w, h, bw, bh, dpi);
}

static void test_parse_finds_generated_figures_and_table(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *pdf = mk_tmp_path(".pdf");
	char path[1024], figdir[1100];
	snprintf(path, sizeof path, "%s", pdf);
	snprintf(figdir, sizeof figdir, "%s.figs", path);
	mk_paper(path);
	json_t *root = run_parse(path, figdir, 100);

	json_t *f1 = unit_by_label(root, "Figure 1");
	assert_string_equal(json_string_value(json_object_get(f1, "type")), "figure");
	/* Boxes from 80,200 to 290,330, labels inside, caption down to ~365. */
	assert_bbox(f1, 1, 72, 200, 296, 366, 6);
	const char *ft = json_string_value(json_object_get(f1, "figure_text"));
	assert_non_null(strstr(ft, "Encoder"));
	assert_non_null(strstr(ft, "shared memory"));
	assert_non_null(strstr(json_string_value(json_object_get(f1, "caption")), "memory they share"));

	json_t *t1 = unit_by_label(root, "Table 1");
	assert_string_equal(json_string_value(json_object_get(t1, "type")), "table");
	assert_bbox(t1, 1, 316, 81, 537, 155, 6);
	assert_non_null(strstr(json_string_value(json_object_get(t1, "figure_text")), "91.2"));
	assert_int_equal(text_unit_with(root, "91.2"), -1); /* cells stay out of paragraphs */
	assert_int_equal(text_unit_with(root, "Encoder"), -1);

	json_t *f2 = unit_by_label(root, "Figure 2");
	assert_bbox(f2, 2, 100, 80, 512, 262, 6);

	int m1 = text_unit_with(root, "As Figure 1 shows");
	int m2 = text_unit_with(root, "Table 1 and Fig. 2");
	assert_true(m1 >= 0 && m2 >= 0);
	assert_true(refs_contain(f1, m1));
	assert_true(refs_contain(t1, m2));
	assert_true(refs_contain(f2, m2));
	assert_false(refs_contain(f2, m1));

	assert_crop_matches_box(f1, 100);
	assert_crop_matches_box(t1, 100);
	assert_crop_matches_box(f2, 100);
	json_decref(root);
}

/* A report's narrow text column on the left of the page, `n` lines from y = 130. */
static void text_column(mk_pdf *pdf, int n)
{
	for (int i = 0; i < n; i++)
		mk_text(pdf, "Times-Roman", 11, 66, 130 + 16 * (float)i,
		        i % 2 ? "of the people asked said that" : "Most adults in the survey think");
}

/* A report page: a narrow text column on the left; on the right a bar chart without a
 * "Figure N" caption: a bold title and an italic subtitle above, category labels and
 * values beside the bars, a small source note below. */
static void mk_report(const char *path)
{
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Bold", 14, 66, 90, "Americans are divided on the economy");
	text_column(pdf, 14);
	mk_text(pdf, "Helvetica-Bold", 12, 320, 140, "Younger adults see the economy as weak");
	mk_text(pdf, "Times-Italic", 9, 320, 156, "% who say the economy is in good shape");
	const char *labels[4] = {"Ages 18-29", "30-49", "50-64", "65 and older"};
	const char *values[4] = {"41", "35", "28", "22"};
	const float widths[4] = {120, 100, 80, 64};
	for (int r = 0; r < 4; r++) {
		float y = 180 + 26 * (float)r;
		mk_text(pdf, "Helvetica", 9, 320, y + 10, labels[r]);
		mk_rect(pdf, 390, y, widths[r], 14, 1);
		mk_text(pdf, "Helvetica", 9, 394 + widths[r], y + 10, values[r]);
	}
	mk_text(pdf, "Helvetica", 7, 320, 300, "Source: Survey of adults conducted in June.");
	mk_text(pdf, "Times-Roman", 11, 66, 380, "The rest of the report goes on below the chart and");
	mk_text(pdf, "Times-Roman", 11, 66, 396, "the column beside it, over the whole width of page.");
	mk_save(pdf, path, NULL);
}

/* The type of the unit whose text equals `text`; NULL when none. */
static const char *type_of_text(json_t *root, const char *text)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(root, "units"), i, u) {
		const char *x = json_string_value(json_object_get(u, "text"));
		if (x && strcmp(x, text) == 0)
			return json_string_value(json_object_get(u, "type"));
	}
	return NULL;
}

/* Writes a report page with `mk`, parses it, and writes its chart: the figure without a
 * label, whose caption holds `title`. */
static json_t *parse_report(void (*mk)(const char *), const char *title, json_t **chart)
{
	char path[1024], figdir[1100];
	snprintf(path, sizeof path, "%s", mk_tmp_path(".pdf"));
	snprintf(figdir, sizeof figdir, "%s.figs", path);
	mk(path);
	json_t *root = run_parse(path, figdir, 72);
	*chart = unit_by_label(root, "");
	assert_string_equal(json_string_value(json_object_get(*chart, "type")), "figure");
	assert_non_null(strstr(json_string_value(json_object_get(*chart, "caption")), title));
	return root;
}

static void test_parse_makes_a_captionless_bar_chart_a_figure_titled_by_its_title(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	json_t *chart, *root = parse_report(mk_report, "Younger adults see the economy as weak", &chart);
	const char *caption = json_string_value(json_object_get(chart, "caption"));
	assert_non_null(strstr(caption, "% who say the economy"));
	const char *ft = json_string_value(json_object_get(chart, "figure_text"));
	assert_non_null(strstr(ft, "Ages 18-29"));
	assert_non_null(strstr(ft, "65 and older"));
	assert_non_null(strstr(ft, "41"));
	assert_non_null(strstr(ft, "Source: Survey"));
	/* Labels and bars from 320,180 to 524,272; the title above is wider; note below. */
	assert_bbox(chart, 1, 320, 127, 558, 303, 8);
	assert_crop_matches_box(chart, 72);
	/* Chart labels are neither headings nor text; the text column stays text. */
	const char *labels[3] = {"Ages 18-29", "30-49", "65 and older"};
	for (int k = 0; k < 3; k++)
		assert_null(type_of_text(root, labels[k]));
	assert_int_equal(text_unit_with(root, "Ages 18-29"), -1);
	assert_true(text_unit_with(root, "Most adults in the survey") >= 0);
	assert_true(text_unit_with(root, "The rest of the report") >= 0);
	json_decref(root);
}

/* A report page: a text column on the left; on the right a diverging bar chart whose
 * values stand in columns like a table's figures (printed inside the bars, next to the
 * axis), under bold legend labels, a bold title and a bold panel question. */
static void mk_diverging_chart(const char *path)
{
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Bold", 14, 66, 90, "Views of the economy have turned negative");
	text_column(pdf, 16);
	mk_text(pdf, "Helvetica-Bold", 12, 320, 130, "Most adults see the economy as weak");
	mk_text(pdf, "Helvetica-Bold", 9, 320, 150, "The national economy is in __ shape today");
	mk_text(pdf, "Helvetica-Bold", 9, 372, 172, "Bad shape");
	mk_text(pdf, "Helvetica-Bold", 9, 432, 172, "Good shape");
	const char *labels[5] = {"Total", "Ages 18-29", "30-49", "50-64", "65 and older"};
	const char *bad[5] = {"73", "56", "71", "81", "64"}, *good[5] = {"22", "36", "23", "14", "30"};
	for (int r = 0; r < 5; r++) {
		float y = 180 + 22 * (float)r, wb = 0.9f * (float)atoi(bad[r]), wg = 0.9f * (float)atoi(good[r]);
		mk_text(pdf, "Helvetica", 9, 320, y + 11, labels[r]);
		mk_rect(pdf, 425 - wb, y, wb, 15, 1);
		mk_rect(pdf, 425, y, wg, 15, 1);
		mk_text(pdf, "Helvetica", 9, 410, y + 11, bad[r]);
		mk_text(pdf, "Helvetica", 9, 428, y + 11, good[r]);
	}
	mk_text(pdf, "Helvetica", 7, 320, 300, "Source: Survey of adults conducted in June.");
	mk_text(pdf, "Times-Roman", 11, 66, 420,
	        "The rest of the report goes on below the chart and the column beside it, over the whole");
	mk_text(pdf, "Times-Roman", 11, 66, 436,
	        "width of the page, as reports do after a chart set in the right column of their text.");
	mk_save(pdf, path, NULL);
}

/* Its values line up like a table's, but bars stand behind them and not behind its row
 * labels: it is a figure, its labels and title are never headings nor text. */
static void test_parse_makes_a_bar_chart_in_rows_a_figure_not_a_table(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	json_t *chart, *root = parse_report(mk_diverging_chart, "Most adults see the economy as weak",
	                                    &chart);
	const char *ft = json_string_value(json_object_get(chart, "figure_text"));
	assert_non_null(strstr(ft, "Ages 18-29"));
	assert_non_null(strstr(ft, "81"));
	assert_non_null(strstr(ft, "Good shape"));
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(root, "units"), i, u) {
		const char *type = json_string_value(json_object_get(u, "type"));
		const char *text = json_string_value(json_object_get(u, "text"));
		assert_string_not_equal(type, "table");
		if (strcmp(type, "heading") == 0) {
			assert_null(strstr(text, "shape"));
			assert_null(strstr(text, "Most adults see"));
		}
	}
	assert_int_equal(text_unit_with(root, "Ages 18-29"), -1);
	assert_int_equal(text_unit_with(root, "Bad shape"), -1);
	/* The text column beside the chart stays one paragraph, read before the chart. */
	int para = text_unit_with(root, "Most adults in the survey think");
	assert_true(para >= 0);
	assert_true(para < (int)json_integer_value(json_object_get(chart, "idx")));
	json_decref(root);
}

/* An older paper's page: a figure above its caption and a numbered list paragraph right
 * below it. The crop is the graphic and the caption; the paragraph stays a text unit. */
static void mk_figure_over_list(const char *path)
{
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_para(pdf, 126, 90, 358, 6, NULL);
	mk_rect(pdf, 200, 180, 200, 60, 0);
	mk_line(pdf, 200, 210, 400, 210);
	mk_text(pdf, "Helvetica", 8, 210, 200, "ballot");
	mk_text(pdf, "Helvetica", 8, 300, 230, "voters");
	mk_text(pdf, "Times-Roman", 8, 126, 262, "Fig. 1. Ballots of a manuscript, with column headings added.");
	mk_text(pdf, "Times-Roman", 10, 126, 290, "2.");
	mk_text(pdf, "Times-Roman", 10, 144, 290,
	        "Ballot number two is the earliest ballot, so the condition on it is trivially");
	mk_text(pdf, "Times-Roman", 10, 144, 302, "true.");
	mk_text(pdf, "Times-Roman", 10, 126, 316, "5.");
	mk_text(pdf, "Times-Roman", 10, 144, 316,
	        "None of the quorum members voted in an earlier ballot, so the condition holds");
	mk_text(pdf, "Times-Roman", 10, 144, 328, "as well.");
	mk_para(pdf, 126, 350, 358, 8, NULL);
	mk_save(pdf, path, NULL);
}

static void test_parse_keeps_the_paragraph_below_a_figure_caption_as_text(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	char path[1024], figdir[1100];
	snprintf(path, sizeof path, "%s", mk_tmp_path(".pdf"));
	snprintf(figdir, sizeof figdir, "%s.figs", path);
	mk_figure_over_list(path);
	json_t *root = run_parse(path, figdir, 72);
	json_t *f = unit_by_label(root, "Figure 1");
	assert_bbox(f, 1, 126, 180, 401, 265, 8);
	assert_crop_matches_box(f, 72);
	assert_null(strstr(json_string_value(json_object_get(f, "figure_text")), "earliest ballot"));
	assert_true(text_unit_with(root, "earliest ballot") >= 0);
	assert_true(text_unit_with(root, "None of the quorum members") >= 0);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caption_forms_are_recognised_and_labels_normalised),
		cmocka_unit_test(test_mentions_in_running_text_are_not_caption_starts),
		cmocka_unit_test(test_mentions_expand_lists_and_ranges),
		cmocka_unit_test(test_figure_above_caption_takes_paths_and_labels),
		cmocka_unit_test(test_table_below_caption_keeps_cells_out_of_paragraphs),
		cmocka_unit_test(test_table_without_rules_is_a_text_grid_above_its_caption),
		cmocka_unit_test(test_mentions_inside_paragraphs_are_not_captions),
		cmocka_unit_test(test_full_width_figure_spans_both_columns),
		cmocka_unit_test(test_image_and_glyph_only_figures_are_found),
		cmocka_unit_test(test_stacked_figure_and_table_do_not_share_elements),
		cmocka_unit_test(test_side_by_side_figures_split_the_row),
		cmocka_unit_test(test_side_caption_takes_the_figure_beside_it),
		cmocka_unit_test(test_running_header_is_not_part_of_a_figure),
		cmocka_unit_test(test_uncaptioned_number_grid_becomes_a_table),
		cmocka_unit_test(test_plot_markers_are_not_figure_text),
		cmocka_unit_test(test_figure_on_scanned_page_stops_at_split_body_text),
		cmocka_unit_test(test_caption_keeps_a_first_line_with_a_taller_box),
		cmocka_unit_test(test_side_by_side_boxes_are_read_box_by_box),
		cmocka_unit_test(test_refs_list_paragraphs_that_mention_each_unit),
		cmocka_unit_test(test_collector_records_paths_and_images_in_points),
		cmocka_unit_test(test_collector_caps_a_page_with_too_many_paths),
		cmocka_unit_test(test_parse_finds_generated_figures_and_table),
		cmocka_unit_test(test_parse_makes_a_captionless_bar_chart_a_figure_titled_by_its_title),
		cmocka_unit_test(test_parse_makes_a_bar_chart_in_rows_a_figure_not_a_table),
		cmocka_unit_test(test_parse_keeps_the_paragraph_below_a_figure_caption_as_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
