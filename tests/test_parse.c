/* test_parse.c: wk_parse_file on papers we typeset ourselves (tests/support/mkflow.h):
 * exact paragraphs and their order, headings and section paths, hyphenation, columns,
 * running headers and page numbers, figures and tables, threads, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/doc/doc.h"
#include "../src/pdf/hyphen.h"
#include "../src/pdf/pdf.h"
#include "support/mkflow.h"
#include "support/mkhostile.h"
#include "support/mkpages.h"
#include "support/mkpdf.h"

#define HEADER "Journal of Sparse Evidence 12 (2026)"

static const char *const abstract_text =
	"Long documents hide the few passages a question needs among many pages. We parse "
	"them into evidence units and sample the ones that matter under a token budget.";

/* The second fixture's abstract: three lines instead of two. */
static const char *const short_tail_abstract =
	"Long documents hide the few passages a question needs among many pages. We parse "
	"them into evidence units and sample the ones that matter under a token budget, "
	"then answer with citations to pages and boxes that a reader can open and check.";

/* The body: headings (H1/H2) and paragraphs (P) in order; '|' marks hyphenation points. */
static const struct {
	char kind;
	const char *text;
} body[] = {
	{'1', "1 Introduction"},
	{'P', "Reading a long report to answer one question is slow, and most of what a reader "
	      "sees is irrel|e|vant. A system that finds the right passages first can answer "
	      "faster and cite its evi|dence, which lets people check every claim it makes."},
	{'I', "We build such a system on a fast parser. The parser turns each page into para|graphs, "
	      "head|ings, figures and tables, and keeps their order across columns and pages so "
	      "that the sam|pler sees the document as its authors wrote it."},
	{'1', "2 Method"},
	{'P', "The method has two stages. First the doc|u|ment is parsed once and stored; then "
	      "every question selects a handful of units whose words and sections match it, "
	      "within a fixed bud|get of tokens."},
	{'2', "2.1 Sampler"},
	{'P', "The sampler scores every unit against the question with a lexical model and keeps "
	      "the best ones. It prefers units that carry the evi|dence in their own words over "
	      "units that only mention the topic in pass|ing, and it never exceeds the budget."},
	{'I', "Figures and tables are units too: their captions and the words printed inside them "
	      "are scored like any para|graph, so a question about a number in a table can reach "
	      "the table itself rather than the text around it."},
	{'F', "Figure 1: The pipeline from pages to answers."},
	{'I', "As Figure 1 shows, parsing happens once per doc|u|ment while sampling happens once "
	      "per question. The cost of a question therefore depends on the budget and not on "
	      "the length of the doc|u|ment, which is what makes long reports cheap to query."},
	{'2', "2.2 Budget"},
	{'P', "A budget of two thousand tokens is enough for most questions in our tests. Larger "
	      "budgets add context that rarely changes the answer but always adds cost, while "
	      "smaller ones start to drop the decisive sen|tence for multi-hop questions."},
	{'T', "Table 1: Recall of evidence pages at three budgets."},
	{'1', "3 Results"},
	{'P', "Table 1 reports the share of questions whose evidence page is among the selected "
	      "units. Recall grows quickly up to one thousand tokens and slowly after that, so the "
	      "default budget sits where the curve flattens and the cost is still small."},
	{'I', "The parser reads about one hundred and fifty pages per second on one core, which "
	      "is as fast as extracting raw text with the library it builds on. Memory stays "
	      "below three hundred megabytes for a document of five hundred pages because pages "
	      "are processed and released one at a time, and only their units are kept for the "
	      "doc|u|ment pass that joins para|graphs across columns and pages."},
	{'R', "Figure 2: A photograph of the test machine."},
	{'I', "The photograph in Figure 2 shows the machine: an ordinary laptop without a graphics "
	      "card. Every number in this paper was measured on it with the bench|mark scripts "
	      "that come with the source code."},
};

typedef struct fixture {
	char path[512];
	int hyphens;
	int pages;
	float fig1[4];   /* region of figure 1 (x0, y0, x1, y1) */
	float tab1[4];
} fixture;

static fixture fx;

static void draw_vector_figure(mk_flow *f, float top)
{
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	mk_rect(f->pdf, x + 10, top + 10, 70, 40, 0);
	mk_rect(f->pdf, x + w - 80, top + 10, 70, 40, 0);
	mk_line(f->pdf, x + 80, top + 30, x + w - 80, top + 30);
	mk_text(f->pdf, "Helvetica", 7, x + 20, top + 33, "parser");
	mk_text(f->pdf, "Helvetica", 7, x + w - 70, top + 33, "sampler");
	fx.fig1[0] = x + 10, fx.fig1[1] = top + 10, fx.fig1[2] = x + w - 10, fx.fig1[3] = top + 50;
	mk_text(f->pdf, "Times-Roman", 9, x, top + 68, mk_flow_plain(body[8].text));
}

static void draw_table(mk_flow *f, float top)
{
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	mk_text(f->pdf, "Times-Roman", 9, x, top + 9, mk_flow_plain(body[12].text));
	static const char *const cells[3][3] = {
		{"Budget", "Recall", "Tokens"}, {"512", "0.61", "498"}, {"2048", "0.83", "1990"}};
	float t = top + 16, rh = 14;
	for (int r = 0; r <= 3; r++)
		mk_line(f->pdf, x, t + rh * (float)r, x + w, t + rh * (float)r);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			mk_text(f->pdf, "Times-Roman", 9, x + 6 + (float)c * w / 3, t + rh * (float)r + 10,
			        cells[r][c]);
	fx.tab1[0] = x, fx.tab1[1] = t, fx.tab1[2] = x + w, fx.tab1[3] = t + 3 * rh;
}

static void draw_raster_figure(mk_flow *f, float top)
{
	float x = mk_flow_col_x(f), w = mk_flow_col_w(f);
	mk_image(f->pdf, x + 20, top, w - 40, 80, 64, 32);
	mk_text(f->pdf, "Times-Roman", 9, x, top + 96, mk_flow_plain(body[16].text));
}

static void typeset_body(mk_flow *f)
{
	for (size_t i = 0; i < sizeof body / sizeof body[0]; i++) {
		switch (body[i].kind) {
		case '1': mk_flow_heading(f, "Times-Bold", 12, body[i].text); break;
		case '2': mk_flow_heading(f, "Times-Bold", 10, body[i].text); break;
		case 'P': mk_flow_para(f, body[i].text, 0); break;
		case 'I': mk_flow_para(f, body[i].text, 1); break;
		case 'F': draw_vector_figure(f, mk_flow_reserve(f, 72)); break;
		case 'T': draw_table(f, mk_flow_reserve(f, 60)); break;
		case 'R': draw_raster_figure(f, mk_flow_reserve(f, 100)); break;
		}
	}
}

/* tall_title: a title block of six centred lines, more than the column gutter lets cross
 * it on an ordinary page. */
static void write_paper_title(const char *path, const char *password, int tall_title)
{
	mk_pdf *pdf = mk_new();
	mk_flow f;
	mk_flow_init(&f, pdf, 2, HEADER);
	mk_flow_banner(&f, "Times-Bold", 18, "Sparse Evidence for Long Documents");
	if (tall_title) {
		mk_flow_banner(&f, "Times-Bold", 18, "on an Ordinary Processor");
		mk_flow_banner(&f, "Times-Roman", 11, "Analytical Engine Society, London");
		mk_flow_banner(&f, "Times-Roman", 11, "Bletchley Park Research Station");
		mk_flow_banner(&f, "Times-Italic", 10, "Free software under the GNU AGPL");
	}
	mk_flow_banner(&f, "Times-Roman", 11, "Ada Lovelace and Alan Turing");
	f.y += 10;
	mk_flow_banner(&f, "Times-Bold", 10, "Abstract");
	mk_flow_wide_para(&f, tall_title ? short_tail_abstract : abstract_text);
	mk_flow_start_columns(&f, 16);
	/* Narrow columns stretch the text over two pages. */
	f.bottom = 430;
	typeset_body(&f);
	fx.hyphens = f.hyphens;
	fx.pages = f.page;
	mk_outline(pdf, "Introduction", 1);
	mk_save(pdf, path, password);
}

static void write_paper(const char *path, const char *password)
{
	write_paper_title(path, password, 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(fx.path, sizeof fx.path, "%s", mk_tmp_path("-paper.pdf"));
	write_paper(fx.path, NULL);
	return 0;
}

static wk_doc *parse(const char *path, int threads)
{
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	o.threads = threads;
	wk_doc *doc = NULL;
	wk_error err = {0};
	int rc = wk_parse_file(path, &o, &doc, &err);
	if (rc != WK_OK)
		fail_msg("parse %s: %s", path, err.message);
	return doc;
}

static const wk_unit *find_text(const wk_doc *doc, const char *needle)
{
	for (int i = 0; i < doc->nunits; i++)
		if (strstr(doc->units[i].text, needle))
			return &doc->units[i];
	return NULL;
}

static void expect_paragraphs(const wk_doc *doc);

static void test_paragraphs_come_back_exactly_and_in_order(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	expect_paragraphs(doc);
	assert_true(fx.hyphens >= 2); /* the fixture did exercise hyphenated breaks */
	wk_doc_free(doc);
}

/* The paragraphs of `doc`, in order, are exactly those typeset. */
static void expect_paragraphs(const wk_doc *doc)
{
	int at = find_text(doc, "1 Introduction")->idx;
	for (size_t i = 0; i < sizeof body / sizeof body[0]; i++) {
		if (body[i].kind != 'P' && body[i].kind != 'I')
			continue;
		while (at < doc->nunits && doc->units[at].type != WK_UNIT_TEXT)
			at++;
		assert_true(at < doc->nunits);
		assert_string_equal(doc->units[at].text, mk_flow_plain(body[i].text));
		at++;
	}
}

/* A first page whose centred title block crosses the gutter with many lines still has
 * its columns found (the lines of its two columns were once read across as one). */
static void test_a_tall_title_block_does_not_hide_the_columns(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-tall-title.pdf");
	fixture kept = fx; /* the typesetter records the main fixture's positions */
	write_paper_title(path, NULL, 1);
	fx = kept;
	wk_doc *doc = parse(path, 1);
	expect_paragraphs(doc);
	/* The abstract comes back whole above the columns. */
	const wk_unit *abs = find_text(doc, "Long documents hide");
	assert_non_null(abs);
	assert_string_equal(abs->text, short_tail_abstract);
	wk_doc_free(doc);
}

/* The bundled example (written again here by tests/tools/mkexample): its first page has a
 * tall title block above two columns and an abstract whose last line fits in one column.
 * What the README's first command shows comes back whole. */
static void test_the_bundled_example_reads_its_first_page_whole(void **state)
{
	(void)state;
	char path[1100], cmd[2400];
	snprintf(path, sizeof path, "%s", mk_tmp_path("-example.pdf"));
	snprintf(cmd, sizeof cmd, "'%s/mkexample' '%s' >/dev/null",
	         getenv("WK_TOOLS") ? getenv("WK_TOOLS") : ".", path);
	if (system(cmd) != 0)
		skip(); /* the tools are built by make test */
	wk_doc *doc = parse(path, 1);
	const wk_unit *abs = find_text(doc, "Long PDFs hold the answers");
	assert_non_null(abs);
	assert_non_null(strstr(abs->text, "which run on a CPU without a network."));
	const wk_unit *fig = find_text(doc, "Figure 1 shows the pipeline.");
	assert_non_null(fig);
	assert_ptr_equal(fig->text, strstr(fig->text, "Figure 1 shows the pipeline."));
	assert_non_null(strstr(fig->text, "an answer that cites them."));
	assert_null(strstr(fig->text, "place on many pages")); /* the right column's words */
	wk_doc_free(doc);
}

static void test_title_and_abstract_span_the_columns_and_come_first(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	assert_string_equal(doc->title, "Sparse Evidence for Long Documents");
	assert_string_equal(doc->units[0].text, "Sparse Evidence for Long Documents");
	const wk_unit *abs = find_text(doc, "Long documents hide");
	assert_non_null(abs);
	assert_string_equal(abs->text, abstract_text);
	const wk_unit *intro = find_text(doc, "1 Introduction");
	assert_true(abs->idx < intro->idx);
	assert_true(abs->boxes[0].x1 - abs->boxes[0].x0 > 400); /* full width */
	wk_doc_free(doc);
}

static void test_headings_have_levels_and_section_paths(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	static const struct { const char *text; int level; } heads[] = {
		{"1 Introduction", 1}, {"2 Method", 1}, {"2.1 Sampler", 2}, {"2.2 Budget", 2}, {"3 Results", 1}};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		const wk_unit *u = find_text(doc, heads[i].text);
		assert_non_null(u);
		assert_int_equal(u->type, WK_UNIT_HEADING);
		assert_int_equal(u->level, heads[i].level);
	}
	const wk_unit *p = find_text(doc, "The sampler scores every unit");
	assert_string_equal(wk_unit_section(doc, p), "2 Method > 2.1 Sampler");
	p = find_text(doc, "Table 1 reports the share");
	assert_string_equal(wk_unit_section(doc, p), "3 Results");
	wk_doc_free(doc);
}

static void test_running_headers_and_page_numbers_are_removed(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	assert_true(fx.pages >= 2);
	for (int i = 0; i < doc->nunits; i++) {
		const char *t = doc->units[i].text;
		assert_null(strstr(t, "Journal of Sparse"));
		assert_false(strlen(t) <= 2 && t[0] >= '0' && t[0] <= '9');
	}
	wk_doc_free(doc);
}

static void test_hyphenated_breaks_are_joined(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	for (int i = 0; i < doc->nunits; i++) {
		const char *t = doc->units[i].text;
		assert_null(strstr(t, "evi- dence"));
		assert_null(strstr(t, "evi-dence"));
		assert_null(strstr(t, "doc-u"));
	}
	assert_non_null(find_text(doc, "cite its evidence"));
	wk_doc_free(doc);
}

static void test_a_line_cut_after_a_slash_joins_an_address_but_not_a_new_sentence(void **state)
{
	(void)state;
	wk_vocab *v = wk_vocab_new();
	wk_vocab_add_text(v, "The results hold. Results vary.");
	const char *cases[][2] = {
		{"see https://example.org/siege/\nThe results hold.",
		 "see https://example.org/siege/ The results hold."},
		{"at https://example.org/data/\nresults/all.csv today",
		 "at https://example.org/data/results/all.csv today"},
		{"at https://example.org/Data/\nFiles/report.pdf now",
		 "at https://example.org/Data/Files/report.pdf now"},
		{"and/\nor not", "and/or not"},
		{"in November/\nDecember 2015", "in November/December 2015"},
		{"see www.example.org/\nResults soon", "see www.example.org/ Results soon"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wk_buf b;
		wk_buf_init(&b, 0);
		wk_join_lines(v, cases[i][0], &b);
		assert_string_equal(wk_buf_cstr(&b), cases[i][1]);
		wk_buf_free(&b);
	}
	wk_vocab_free(v);
}

static void test_paragraph_across_pages_is_one_unit_with_a_box_per_page(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	int crossing = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		for (int b = 1; b < u->nboxes; b++)
			assert_true(u->boxes[b].page > u->boxes[b - 1].page);
		crossing += u->type == WK_UNIT_TEXT && u->nboxes > 1;
	}
	/* The narrow pages make at least one paragraph run over a page break. */
	assert_true(crossing >= 1);
	wk_doc_free(doc);
}

static bool near(float a, float b, float tol) { return fabsf(a - b) <= tol; }

static void test_figure_and_table_units_have_captions_and_boxes(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	const wk_unit *fig = NULL, *tab = NULL, *photo = NULL;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->label && !strcmp(u->label, "Figure 1")) fig = u;
		if (u->label && !strcmp(u->label, "Table 1")) tab = u;
		if (u->label && !strcmp(u->label, "Figure 2")) photo = u;
	}
	assert_non_null(fig);
	assert_non_null(tab);
	assert_non_null(photo);
	assert_int_equal(fig->type, WK_UNIT_FIGURE);
	assert_int_equal(tab->type, WK_UNIT_TABLE);
	assert_string_equal(fig->caption, mk_flow_plain(body[8].text));
	assert_non_null(strstr(fig->figure_text, "sampler"));
	assert_non_null(strstr(tab->figure_text, "0.83"));
	/* Boxes hold the drawn region, within 12 pt. */
	const float tol = 12;
	assert_true(near(fig->boxes[0].x0, fx.fig1[0], tol) && near(fig->boxes[0].y0, fx.fig1[1], tol));
	assert_true(near(fig->boxes[0].x1, fx.fig1[2], tol));
	assert_true(near(tab->boxes[0].x0, fx.tab1[0], tol) && near(tab->boxes[0].x1, fx.tab1[2], tol));
	/* Table cells do not leak into paragraphs. */
	assert_null(find_text(doc, "Budget Recall") == tab ? NULL : find_text(doc, "Budget Recall"));
	wk_doc_free(doc);
}

static void test_figures_are_referenced_by_the_paragraphs_that_mention_them(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	const wk_unit *mention = find_text(doc, "As Figure 1 shows");
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (!u->label || strcmp(u->label, "Figure 1"))
			continue;
		bool found = false;
		for (int r = 0; r < u->nrefs; r++)
			found |= u->refs[r] == mention->idx;
		assert_true(found);
	}
	wk_doc_free(doc);
}

/* Progress calls of one parse: each must say one more page than the last. */
typedef struct progress_log {
	int calls, last, total;
	bool in_order;
} progress_log;

static void log_progress(void *user, int done, int total)
{
	progress_log *l = user;
	l->in_order &= done == l->last + 1;
	l->last = done;
	l->total = total;
	l->calls++;
}

static char *json_with_progress(const char *path, int threads, progress_log *log)
{
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	o.threads = threads;
	o.on_page = log_progress;
	o.user = log;
	*log = (progress_log){.in_order = true};
	wk_doc *doc = NULL;
	assert_int_equal(wk_parse_file(path, &o, &doc, NULL), WK_OK);
	char *json = NULL;
	size_t len = 0;
	assert_int_equal(wk_doc_to_json(doc, &json, &len, NULL), WK_OK);
	wk_doc_free(doc);
	return json;
}

static char *json_of(const char *path, int threads)
{
	progress_log log;
	return json_with_progress(path, threads, &log);
}

static void test_two_threads_give_the_same_output_as_one(void **state)
{
	(void)state;
	char *one = json_of(fx.path, 1);
	char *two = json_of(fx.path, 2);
	char *four = json_of(fx.path, 4);
	assert_string_equal(one, two);
	assert_string_equal(one, four);
	wk_free(one);
	wk_free(two);
	wk_free(four);
}

/* Two threads split the pages of a short and of a long document, each worker on a
 * document and a context of its own (worker.c): both give what one thread gives, with
 * progress page by page in order. */
static void test_two_threads_give_what_one_gives_on_short_and_long_documents(void **state)
{
	(void)state;
	const int sizes[] = {23, 70};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const char *path = mk_tmp_path(i ? "-long.pdf" : "-short.pdf");
		mkh_valid(path, sizes[i], NULL);
		progress_log one, two;
		char *a = json_with_progress(path, 1, &one);
		char *b = json_with_progress(path, 2, &two);
		assert_string_equal(a, b);
		assert_non_null(strstr(b, "page 23 of the log"));
		assert_int_equal(two.calls, sizes[i]);
		assert_int_equal(two.total, sizes[i]);
		assert_true(two.in_order && one.in_order);
		wk_free(a);
		wk_free(b);
	}
}

static void *parse_json_two_threads(void *path)
{
	return json_of(path, 2);
}

/* MuPDF's JPEG 2000 decoder reaches OpenJPEG through one process-wide variable while the
 * workers' contexts lock nothing in common (context.c): every decode goes through one
 * lock. Two documents parsed at once, with two workers each, decode 64 JPEG 2000 images
 * and give what a lone parse on one thread gives (under ASan, two decodes at once
 * crashed here: OpenJPEG allocated through a context another decode had cleared). */
static void test_jpeg2000_images_decode_safely_in_concurrent_workers(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-jpx.pdf");
	mk_pdf *p = mk_new();
	for (int i = 0; i < 16; i++) {
		mk_page(p, 612, 792);
		char line[80];
		snprintf(line, sizeof line, "Two gradients drawn as JPEG 2000 images, %d of 16.", i + 1);
		mk_text(p, "Times-Roman", 11, 72, 620, line);
		mk_image_jpx(p, 72, 100, 300, 200, 160 + i, 120);
		mk_image_jpx(p, 72, 360, 300, 200, 120, 160 + i);
	}
	mk_save(p, path, NULL);
	char *one = json_of(path, 1);
	int figures = 0; /* each image was read: a figure unit */
	for (const char *q = one; (q = strstr(q, "\"type\":\"figure\"")); q++)
		figures++;
	assert_int_equal(figures, 32);
	pthread_t t[2];
	void *json[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_json_two_threads, (void *)path), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &json[i]);
		assert_string_equal(one, json[i]);
		wk_free(json[i]);
	}
	wk_free(one);
	remove(path);
}

static void test_page_range_parses_only_those_pages(void **state)
{
	(void)state;
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	o.first_page = 2;
	o.last_page = 2;
	wk_doc *doc = NULL;
	assert_int_equal(wk_parse_file(fx.path, &o, &doc, NULL), WK_OK);
	assert_int_equal(doc->npages, fx.pages);
	assert_true(doc->nunits > 0);
	for (int i = 0; i < doc->nunits; i++)
		assert_int_equal(doc->units[i].page, 2);
	wk_doc_free(doc);
}

static void test_outline_and_hash_are_reported(void **state)
{
	(void)state;
	wk_doc *doc = parse(fx.path, 1);
	assert_int_equal(doc->noutline, 1);
	assert_string_equal(doc->outline[0].title, "Introduction");
	assert_int_equal(doc->outline[0].page, 1);
	assert_int_equal(strlen(doc->hash), 64);
	wk_doc_free(doc);
}

/* ---- bad input ---- */

static int parse_code(const char *path, wk_parse_opts *o, wk_error *err)
{
	wk_doc *doc = NULL;
	int rc = wk_parse_file(path, o, &doc, err);
	assert_true(rc == WK_OK ? doc != NULL : doc == NULL);
	wk_doc_free(doc);
	if (rc != WK_OK) {
		assert_non_null(strstr(err->message, path));
		assert_null(strchr(err->message, '\n'));
	}
	return rc;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(data, 1, len, fp);
	fclose(fp);
}

static void test_missing_and_non_pdf_files_are_refused(void **state)
{
	(void)state;
	wk_error err;
	assert_int_equal(parse_code("/nonexistent/paper.pdf", NULL, &err), WK_ENOENT);
	const char *txt = mk_tmp_path("-notes.pdf");
	write_bytes(txt, "just some notes\n", 16);
	assert_int_equal(parse_code(txt, NULL, &err), WK_ENOTPDF);
	const char *empty = mk_tmp_path("-empty.pdf");
	write_bytes(empty, "", 0);
	assert_int_equal(parse_code(empty, NULL, &err), WK_ENOTPDF);
}

static void test_damaged_and_truncated_pdfs_fail_cleanly(void **state)
{
	(void)state;
	wk_error err;
	const char *junk = mk_tmp_path("-junk.pdf");
	write_bytes(junk, "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", 45);
	assert_int_equal(parse_code(junk, NULL, &err), WK_EDAMAGED);
	/* Truncating a real file: either a partial parse or a clean damaged error. */
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(fx.path, 0, &data, &len, NULL), WK_OK);
	const char *cut = mk_tmp_path("-cut.pdf");
	write_bytes(cut, data, len / 3);
	free(data);
	int rc = parse_code(cut, NULL, &err);
	assert_true(rc == WK_OK || rc == WK_EDAMAGED || rc == WK_ENOTEXT);
}

static void test_encrypted_pdf_needs_the_password(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-secret.pdf");
	write_paper(path, "s3cret");
	wk_error err;
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	assert_int_equal(parse_code(path, &o, &err), WK_EPASSWORD);
	o.password = "wrong";
	assert_int_equal(parse_code(path, &o, &err), WK_EPASSWORD);
	o.password = "s3cret";
	wk_doc *doc = NULL;
	assert_int_equal(wk_parse_file(path, &o, &doc, &err), WK_OK);
	assert_non_null(find_text(doc, "cite its evidence"));
	wk_doc_free(doc);
}

static void test_pdf_without_text_layer_is_refused_when_ocr_is_off(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-scan.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_image(pdf, 50, 50, 500, 700, 40, 40);
	mk_save(pdf, path, NULL);
	wk_error err;
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	o.ocr = WK_OCR_NEVER;
	assert_int_equal(parse_code(path, &o, &err), WK_ENOTEXT);
	assert_non_null(strstr(err.message, "no text layer"));
}

static void test_limits_refuse_long_documents_and_stop_on_time_and_memory(void **state)
{
	(void)state;
	wk_error err;
	wk_parse_opts o;
	wk_parse_opts_init(&o);
	o.max_pages = 1;
	assert_int_equal(parse_code(fx.path, &o, &err), WK_ELIMIT);
	wk_parse_opts_init(&o);
	o.timeout = 1e-9;
	assert_int_equal(parse_code(fx.path, &o, &err), WK_ETIMEOUT);
	wk_parse_opts_init(&o);
	o.max_memory = 400 << 10; /* a limit the input hit, as max_pages: not the machine's fault */
	assert_int_equal(parse_code(fx.path, &o, &err), WK_ELIMIT);
	assert_non_null(strstr(err.message, "memory cap"));
}

static void test_memory_input_gives_the_same_units_as_the_file(void **state)
{
	(void)state;
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(fx.path, 0, &data, &len, NULL), WK_OK);
	wk_doc *mem = NULL, *file = parse(fx.path, 1);
	assert_int_equal(wk_parse_memory(data, len, "upload.pdf", NULL, &mem, NULL), WK_OK);
	assert_int_equal(mem->nunits, file->nunits);
	assert_string_equal(mem->hash, file->hash);
	for (int i = 0; i < mem->nunits; i++)
		assert_string_equal(mem->units[i].text, file->units[i].text);
	free(data);
	wk_doc_free(mem);
	wk_doc_free(file);
}

/* Writes `head` and then `tail` after a space narrowed to `share` of its width, the
 * way some producers place each piece of a word on its own ("Balance Shee t"). */
static void narrow_space_line(mk_pdf *pdf, float y, const char *head, float share,
                              const char *tail)
{
	char with_space[256];
	snprintf(with_space, sizeof with_space, "%s ", head);
	float x = 72 + mk_text_width(pdf, "Times-Roman", 10, head) +
	          share * mk_text_width(pdf, "Times-Roman", 10, " ");
	mk_text(pdf, "Times-Roman", 10, 72, y, with_space);
	mk_text(pdf, "Times-Roman", 10, x, y, tail);
}

static const wk_unit *unit_starting(const wk_doc *doc, const char *start)
{
	for (int i = 0; i < doc->nunits; i++)
		if (strncmp(doc->units[i].text, start, strlen(start)) == 0)
			return &doc->units[i];
	return NULL;
}

/* The unit that starts with `start`, which must exist and have type `type`. */
static const wk_unit *assert_unit_type(const wk_doc *doc, const char *start, int type)
{
	const wk_unit *u = unit_starting(doc, start);
	assert_non_null(u);
	assert_int_equal(u->type, type);
	return u;
}

static void test_stray_narrow_spaces_inside_words_are_dropped(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-spaces.pdf");
	mk_pdf *pdf = mk_new();
	/* One line per page: each comes back as a unit of its own. */
	mk_page(pdf, 612, 792);
	narrow_space_line(pdf, 100, "Consolidated Statement of Cash Flow", 0.5f, "s.");
	mk_page(pdf, 612, 792);
	narrow_space_line(pdf, 160, "RESULTS OF THE OPERATI", 0.6f, "ONS.");
	/* Kerning before a capital and a short word keep their space. */
	mk_page(pdf, 612, 792);
	narrow_space_line(pdf, 220, "Filed under section twelve of the", 0.6f, "Act today.");
	mk_page(pdf, 612, 792);
	narrow_space_line(pdf, 280, "Net sales were higher in each", 0.6f, "year since then.");
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *u = unit_starting(doc, "Consolidated");
	assert_non_null(u);
	assert_string_equal(u->text, "Consolidated Statement of Cash Flows.");
	assert_non_null(u = unit_starting(doc, "RESULTS"));
	assert_string_equal(u->text, "RESULTS OF THE OPERATIONS.");
	assert_non_null(u = unit_starting(doc, "Filed"));
	assert_string_equal(u->text, "Filed under section twelve of the Act today.");
	assert_non_null(u = unit_starting(doc, "Net sales"));
	assert_string_equal(u->text, "Net sales were higher in each year since then.");
	wk_doc_free(doc);
}

/* Appends "text" as words placed one by one (as dvips does) in a Type3 font whose
 * scale sits in the font matrix: MuPDF reports size `tf` (0.1), not 10 pt. */
static void t3_words(wk_buf *b, float tf, int y, const char *text)
{
	wk_buf_printf(b, "BT /F1 %g Tf 72 %d Td", (double)tf, y);
	float x = 0;
	for (const char *w = text; *w;) {
		size_t n = strcspn(w, " ");
		wk_buf_printf(b, " %g 0 Td (%.*s) Tj", (double)x, (int)n, w);
		x = ((float)n * 50 + 25) * tf;
		w += n + (w[n] == ' ');
	}
	wk_buf_puts(b, " ET\n");
}

/* A page in a Type3 font with FontMatrix [1 0 0 1], glyphs 50 units wide and a font
 * box 1500 units tall (the shape of old dvips output). */
static void write_type3_pdf(const char *path)
{
	wk_buf content, pdf;
	wk_buf_init(&content, 0);
	wk_buf_init(&pdf, 0);
	t3_words(&content, 0.16f, 700, "results");
	t3_words(&content, 0.1f, 670, "the method reads every page once and keeps");
	t3_words(&content, 0.1f, 658, "the words in order.");
	wk_buf widths, diffs, procs;
	wk_buf_init(&widths, 0), wk_buf_init(&diffs, 0), wk_buf_init(&procs, 0);
	for (int c = 32; c <= 122; c++)
		wk_buf_printf(&widths, " %d", c >= 'a' ? 50 : c == ' ' || c == '.' ? 25 : 0);
	long offs[64];
	int nobj = 0;
	wk_buf_puts(&pdf, "%PDF-1.4\n");
#define OBJ(...) (offs[++nobj] = (long)pdf.len, wk_buf_printf(&pdf, "%d 0 obj\n", nobj), \
                  wk_buf_printf(&pdf, __VA_ARGS__), wk_buf_puts(&pdf, "\nendobj\n"))
	OBJ("<< /Type /Catalog /Pages 2 0 R >>");
	OBJ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	OBJ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R "
	    ">> >> /Contents 4 0 R >>");
	OBJ("<< /Length %zu >>\nstream\n%sendstream", content.len, wk_buf_cstr(&content));
	for (int c = 'a'; c <= 'z'; c++)
		wk_buf_printf(&diffs, " /%c", c), wk_buf_printf(&procs, " /%c %d 0 R", c, 7 + c - 'a');
	OBJ("<< /Type /Font /Subtype /Type3 /FontBBox [0 -300 100 1200] /FontMatrix [1 0 0 1] "
	    "/CharProcs 6 0 R /Encoding << /Type /Encoding /Differences [32 /space 46 /period 97%s] >> "
	    "/FirstChar 32 /LastChar 122 /Widths [%s] >>", wk_buf_cstr(&diffs), wk_buf_cstr(&widths));
	OBJ("<< /space 33 0 R /period 34 0 R%s >>", wk_buf_cstr(&procs));
	for (int c = 'a'; c <= 'z' + 2; c++) {
		int w = c > 'z' ? 25 : 50;
		char proc[64];
		snprintf(proc, sizeof proc, "%d 0 0 0 %d 70 d1\n0 0 %d 70 re f\n", w, w - 5, w - 5);
		OBJ("<< /Length %zu >>\nstream\n%sendstream", strlen(proc), proc);
	}
#undef OBJ
	long xref = (long)pdf.len;
	wk_buf_printf(&pdf, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
	for (int i = 1; i <= nobj; i++)
		wk_buf_printf(&pdf, "%010ld 00000 n \n", offs[i]);
	wk_buf_printf(&pdf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n",
	              nobj + 1, xref);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf.data, 1, pdf.len, f), pdf.len);
	fclose(f);
	wk_buf_free(&content), wk_buf_free(&pdf), wk_buf_free(&widths), wk_buf_free(&diffs),
	    wk_buf_free(&procs);
}

static void test_type3_fonts_scaled_by_their_matrix_get_real_sizes_and_whole_lines(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-type3.pdf");
	write_type3_pdf(path);
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_register_document_handlers(ctx);
	fz_document *fzdoc = fz_open_document(ctx, path);
	fz_page *fzpage = fz_load_page(ctx, fzdoc, 0);
	fz_stext_page *st = fz_new_stext_page_from_page(ctx, fzpage, NULL);
	wk_page page = {.number = 1, .arena = wk_arena_new()};
	wk_extract_lines(ctx, st, &page);
	assert_int_equal(page.nlines, 3);
	assert_string_equal(page.lines[0].text, "results");
	assert_float_equal(page.lines[0].size, 16, 0.6);
	assert_string_equal(page.lines[1].text, "the method reads every page once and keeps");
	assert_string_equal(page.lines[2].text, "the words in order.");
	for (int i = 1; i < 3; i++) {
		assert_float_equal(page.lines[i].size, 10, 0.6);
		assert_true(page.lines[i].box.y1 - page.lines[i].box.y0 < 12);
	}
	wk_arena_free(page.arena);
	fz_drop_stext_page(ctx, st);
	fz_drop_page(ctx, fzpage);
	fz_drop_document(ctx, fzdoc);
	fz_drop_context(ctx);
}

/* A financial table without caption or title: the table unit's text is its first row. */
static void test_uncaptioned_table_unit_is_named_by_its_first_row(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-grid.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	static const char *const prose[] = {
	    "The segments grew in every quarter of the year, and the company reports their",
	    "sales and margins below together with the totals for the whole company group.",
	    "Operating income rose in three of the four segments during the fiscal year."};
	for (int i = 0; i < 2; i++)
		mk_text(pdf, "Times-Roman", 10, 72, 100 + 12 * (float)i, prose[i]);
	mk_text(pdf, "Times-Roman", 8, 300, 160, "Net Sales");
	mk_text(pdf, "Times-Roman", 8, 420, 160, "Margin");
	static const char *const rows[4][3] = {{"Industrial", "$ 2,952", "37.2 %"},
	                                       {"Safety and Graphics", "1,569", "19.8"},
	                                       {"Health Care", "1,520", "(0.2)"},
	                                       {"Total Company", "$ 7,945", "24.1"}};
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 3; c++)
			mk_text(pdf, "Times-Roman", 8, c == 0 ? 72 : 180 + 120 * (float)c, 172 + 11 * (float)r,
			        rows[r][c]);
	mk_text(pdf, "Times-Roman", 10, 72, 260, prose[2]);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *t = NULL;
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].type == WK_UNIT_TABLE)
			t = &doc->units[i];
	assert_non_null(t);
	assert_string_equal(t->caption, "");
	assert_string_equal(t->text, "Net Sales | Margin");
	wk_doc_free(doc);
}

/* Bold chart labels followed only by more short labels are no headings; a bold title
 * followed by a lead-in line and a paragraph is one. */
static void test_bold_labels_leading_no_text_are_not_headings(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-labels.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	static const char *const para[] = {
	    "Most households expect their finances to improve over the next year, and younger",
	    "adults are the most hopeful group of all, while older adults are more cautious."};
	mk_text(pdf, "Times-Bold", 10, 72, 80, "Acquisitions and Divestitures");
	mk_text(pdf, "Times-Roman", 10, 72, 100, "Acquisitions:");
	for (int i = 0; i < 2; i++)
		mk_text(pdf, "Times-Roman", 10, 72, 120 + 12 * (float)i, para[i]);
	mk_text(pdf, "Times-Bold", 10, 300, 260, "Better off");
	mk_text(pdf, "Times-Roman", 10, 300, 300, "26");
	mk_text(pdf, "Times-Bold", 10, 300, 340, "Worse off");
	mk_text(pdf, "Times-Roman", 10, 300, 380, "14");
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "Acquisitions and Divestitures", WK_UNIT_HEADING);
	assert_unit_type(doc, "Better off", WK_UNIT_TEXT);
	assert_unit_type(doc, "Worse off", WK_UNIT_TEXT);
	wk_doc_free(doc);
}

/* A bold label over a row of years ("Years ended December 31" over "2018 2017 2016") is
 * a column header, no heading, though a paragraph follows; a bold "Appendix 2" over a
 * paragraph is one. */
static void test_a_label_over_a_row_of_years_is_not_a_heading(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-values.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	static const char *const para[] = {
	    "Most households expect their finances to improve over the next year, and younger",
	    "adults are the most hopeful group of all, while older adults are more cautious."};
	static const char *const labels[] = {"Years ended December 31", "Appendix 2"};
	static const char *const years[] = {"2018", "2017", "2016"};
	for (int k = 0; k < 2; k++) {
		float y = 80 + 160 * (float)k;
		mk_text(pdf, "Times-Bold", 10, 72, y, labels[k]);
		for (int c = 0; k == 0 && c < 3; c++)
			mk_text(pdf, "Times-Roman", 10, 300 + 80 * (float)c, y + 20, years[c]);
		for (int i = 0; i < 2; i++)
			mk_text(pdf, "Times-Roman", 10, 72, y + 60 + 12 * (float)i, para[i]);
	}
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "Years ended December 31", WK_UNIT_TEXT);
	assert_unit_type(doc, "Appendix 2", WK_UNIT_HEADING);
	wk_doc_free(doc);
}

/* Three pages from one template: "Section N" at `heading_y` (< 0: none), "The keeper
 * wrote page N of the log." at `body_y`, then a line repeated verbatim when `storms`. */
static const char *template_pages(const char *suffix, float heading_y, float body_y, bool storms)
{
	const char *path = mk_tmp_path(suffix);
	mk_pdf *pdf = mk_new();
	char line[64];
	for (int i = 1; i <= 3; i++) {
		mk_page(pdf, 612, 792);
		snprintf(line, sizeof line, "Section %d", i);
		if (heading_y >= 0)
			mk_text(pdf, "Times-Bold", 14, 72, heading_y, line);
		snprintf(line, sizeof line, "The keeper wrote page %d of the log.", i);
		mk_text(pdf, "Times-Roman", 11, 72, body_y, line);
		if (storms)
			mk_text(pdf, "Times-Roman", 11, 72, body_y + 14, "Storms came from the west.");
	}
	mk_save(pdf, path, NULL);
	return path;
}

/* Pages made from one template (forms, slides): lines repeated in the body of every page
 * are no running headers. */
static void test_pages_sharing_one_template_keep_their_text(void **state)
{
	(void)state;
	wk_doc *doc = parse(template_pages("-template.pdf", 80, 110, true), 1);
	const wk_unit *u = unit_starting(doc, "The keeper wrote page 2");
	assert_non_null(u);
	assert_string_equal(u->text, "The keeper wrote page 2 of the log. Storms came from the west.");
	assert_int_equal(u->boxes[0].page, 2);
	wk_doc_free(doc);
}

/* A page whose only text repeats in the top band of every page keeps it. */
static void test_furniture_removal_never_empties_a_page(void **state)
{
	(void)state;
	wk_doc *doc = parse(template_pages("-onlyheader.pdf", -1, 60, false), 1);
	assert_int_equal(doc->nunits, 3);
	assert_string_equal(doc->units[2].text, "The keeper wrote page 3 of the log.");
	wk_doc_free(doc);
}

/* Without metadata, a numbered section heading is not taken as the document's title: the
 * file name is, unless a real title stands above it. */
static void test_section_heading_is_not_the_title(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", mk_tmp_path("-field-notes.pdf"));
	mk_pdf *p = mk_new();
	mk_page(p, 612, 792);
	mk_text(p, "Times-Bold", 14, 72, 80, "1 Introduction");
	mk_text(p, "Times-Roman", 10, 72, 104, "Herds of plains zebra were counted across the reserve.");
	mk_text(p, "Times-Roman", 10, 72, 117, "The survey found that the population grew in 2019.");
	mk_save(p, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_non_null(strstr(doc->title, "field-notes"));
	wk_doc_free(doc);

	mk_pdf *q = mk_new();
	mk_page(q, 612, 792);
	mk_text(q, "Times-Bold", 18, 72, 60, "Zebra Counts on the Northern Reserve");
	mk_text(q, "Times-Bold", 14, 72, 100, "1 Introduction");
	mk_text(q, "Times-Roman", 10, 72, 124, "Herds of plains zebra were counted across the reserve.");
	mk_text(q, "Times-Roman", 10, 72, 137, "The survey found that the population grew in 2019.");
	mk_save(q, path, NULL);
	doc = parse(path, 1);
	assert_string_equal(doc->title, "Zebra Counts on the Northern Reserve");
	wk_doc_free(doc);
}

/* `n` sentences about the valley, joined: paragraph text of a known length. */
static const char *valley_text(char *buf, size_t cap, const char *topic, int n)
{
	static const char *const verbs[] = {"planted", "harvested", "sold", "stored", "carried",
	                                    "weighed", "sorted", "counted"};
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && k + 100 < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%sThe growers %s the %s of field %d before noon.",
		                      i ? " " : "", verbs[i % 8], topic, i + 1);
	return buf;
}

/* A three-column brochure: a paragraph runs from the first column into the second, and a
 * pull quote spans the second and third columns below their text while the first column
 * runs on beside it. The paragraph comes back whole, in order, before the third
 * column's text and the quote. */
static void test_three_column_brochure_paragraph_is_read_whole_and_in_order(void **state)
{
	(void)state;
	static char p1[4096], p2[8192], p3[4096];
	valley_text(p1, sizeof p1, "barley", 10);
	valley_text(p2, sizeof p2, "lentils", 36);
	valley_text(p3, sizeof p3, "apples", 10);
	const char *path = mk_tmp_path("-brochure.pdf");
	mk_pdf *pdf = mk_new();
	mk_flow f;
	mk_flow_init(&f, pdf, 3, NULL);
	mk_flow_heading(&f, "Helvetica-Bold", 14, "Visiting the Valley");
	mk_flow_para(&f, p1, 0);
	mk_flow_para(&f, p2, 0);
	assert_int_equal(f.col, 1); /* the second paragraph went on in the second column */
	float quote_y = f.y + 60;
	f.col = 2;
	f.y = f.col_top;
	mk_flow_para(&f, p3, 0);
	assert_true(f.y < quote_y);
	float x = f.left + mk_flow_col_w(&f) + f.gutter;
	mk_text(pdf, "Helvetica-Bold", 13, x, quote_y, "The best harvest in a decade, the growers");
	mk_text(pdf, "Helvetica-Bold", 13, x, quote_y + 16, "say, came from the lower fields.");
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *a = find_text(doc, "barley of field 1 "), *b = find_text(doc, "lentils of field 1 ");
	const wk_unit *c = find_text(doc, "apples of field 1 "), *q = find_text(doc, "best harvest");
	assert_non_null(a), assert_non_null(b), assert_non_null(c), assert_non_null(q);
	assert_string_equal(b->text, p2);
	assert_string_equal(q->text, "The best harvest in a decade, the growers say, came from the lower fields.");
	assert_true(a->idx < b->idx && b->idx < c->idx && c->idx < q->idx);
	wk_doc_free(doc);
}

/* Two listings side by side, each "N. name ... CODE" with its codes in a column of
 * their own at the listing's right edge: the codes stand between the two columns of
 * names, where the page's gutter is, and must be read with their own listing's rows,
 * not as lines that span both listings. */
static void test_a_listing_whose_codes_stand_in_the_gutter_is_read_column_by_column(void **state)
{
	(void)state;
	static const char *const places[] = {"Harbor City", "Northern Lakes", "Pine Valley",
	                                     "Stone Ridge", "Mill Creek", "Cedar Falls",
	                                     "Oak Bay", "Red Hills", "Silver Plains",
	                                     "Elm Grove", "Bright Water", "Fox Hollow"};
	const char *path = mk_tmp_path("-listing.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	for (int side = 0; side < 2; side++) {
		float left = side ? 334 : 73, code_x = side ? 514 : 253;
		mk_text(pdf, "Helvetica-Bold", 11, left, 100, "Geographic Market Name");
		mk_text(pdf, "Helvetica-Bold", 11, code_x, 100, "Code");
		for (int r = 0; r < 12; r++) {
			char num[8], name[64], code[8];
			int n = side * 12 + r + 1;
			snprintf(num, sizeof num, "%d.", n);
			snprintf(name, sizeof name, "%s %s", places[r], side ? "East" : "West");
			snprintf(code, sizeof code, "LK%02d", n);
			float y = 120 + 10.5f * (float)r;
			mk_text(pdf, "Times-Roman", 9, left + 12, y, num);
			mk_text(pdf, "Times-Roman", 9, left + 36, y, name);
			mk_text(pdf, "Times-Roman", 9, code_x, y, code);
		}
	}
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *west = find_text(doc, "Harbor City West LK01");
	const wk_unit *east = find_text(doc, "Harbor City East LK13");
	assert_non_null(west);
	assert_non_null(east);
	assert_non_null(strstr(west->text, "Fox Hollow West LK12"));
	assert_null(strstr(west->text, "East"));
	assert_null(strstr(east->text, "West"));
	assert_true(west->idx < east->idx);
	wk_doc_free(doc);
}

/* Draws `text` one letter at a time with `track` points between letters and a wider gap
 * at its spaces: letter-spaced type. */
static void spaced_letters(mk_pdf *pdf, const char *font, float size, float y, const char *text,
                           float track)
{
	float x = 72;
	for (const char *p = text; *p; p++) {
		char one[2] = {*p, 0};
		if (*p != ' ')
			mk_text(pdf, font, size, x, y, one);
		x += (*p == ' ' ? 3 * track : mk_text_width(pdf, font, size, one)) + track;
	}
}

/* Letter-spaced words come back as words: "a r t i c l e i n f o" is "article info". */
static void test_letter_spaced_words_are_joined(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-spaced.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	spaced_letters(pdf, "Helvetica", 9, 100, "article info", 3);
	mk_text(pdf, "Times-Roman", 10, 72, 130, "Received in the spring and accepted after two rounds of review.");
	spaced_letters(pdf, "Helvetica-Bold", 12, 200, "SUMMARY OF RESULTS", 4);
	mk_text(pdf, "Times-Roman", 10, 72, 230, "The growers sold most of the harvest before the rains came.");
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_non_null(unit_starting(doc, "article info"));
	assert_string_equal(unit_starting(doc, "article info")->text, "article info");
	assert_non_null(unit_starting(doc, "SUMMARY OF RESULTS"));
	assert_null(find_text(doc, "a r t"));
	wk_doc_free(doc);
}

/* A footnote starts with its number set small and raised, glued to the first word; a
 * body line keeps an exponent glued to a letter ("n2") and a number that is not raised. */
static void test_footnote_marks_are_not_glued_to_the_word_they_precede(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-notes.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Roman", 10, 72, 100, "The sender doubles its window each round trip until the first loss.");
	mk_text(pdf, "Times-Roman", 10, 72, 114, "Sorting costs n log n comparisons and 3 passes over the input.");
	float w = mk_text_width(pdf, "Times-Roman", 6, "2");
	mk_text(pdf, "Times-Roman", 6, 72, 700, "2");
	mk_text(pdf, "Times-Roman", 8, 72 + w, 703, "Slow-start is quite similar to an older algorithm for gateways.");
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_non_null(find_text(doc, "Slow-start is quite similar"));
	assert_null(find_text(doc, "2Slow-start"));
	assert_non_null(find_text(doc, "and 3 passes"));
	wk_doc_free(doc);
}

/* Two body lines of 10 pt at y and y + 12: what a heading must lead. */
static void body_paragraph(mk_pdf *pdf, float x, float y)
{
	mk_text(pdf, "Times-Roman", 10, x, y, "Most households expect their finances to improve over the next year, and the");
	mk_text(pdf, "Times-Roman", 10, x, y + 12, "younger adults are the most hopeful group of all, while older ones are cautious.");
}

/* Three rows of a statement from y on: a label at the left edge, its amount at x. */
static void amount_rows(mk_pdf *pdf, float y, float x, const char *const rows[3], const char *const sums[3])
{
	for (int i = 0; i < 3; i++) {
		mk_text(pdf, "Times-Roman", 10, 72, y + 12 * (float)i, rows[i]);
		mk_text(pdf, "Times-Roman", 10, x, y + 12 * (float)i, sums[i]);
	}
}

/* A bold row whose pieces stand apart like cells ("(Millions)" at the left edge,
 * "December 31, 2018" over the figures) is a table's header row, not a heading; a
 * section label set apart from its title ("Item 2." ... "Properties") stays one. */
static void test_a_row_of_cells_far_apart_is_not_a_heading(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-cells.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	body_paragraph(pdf, 72, 80);
	mk_text(pdf, "Times-Bold", 10, 72, 130, "(Millions)");
	mk_text(pdf, "Times-Bold", 10, 400, 130, "December 31, 2018");
	static const char *const rows[] = {"Due in one year or less", "Due after one year", "Due after ten years"};
	static const char *const sums[] = {"380", "13", "9"};
	amount_rows(pdf, 144, 460, rows, sums);
	body_paragraph(pdf, 72, 200);
	mk_text(pdf, "Times-Bold", 10, 72, 260, "Item 2.");
	mk_text(pdf, "Times-Bold", 10, 72 + mk_text_width(pdf, "Times-Bold", 10, "Item 2.") + 40, 260, "Properties");
	body_paragraph(pdf, 72, 280);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "(Millions)", WK_UNIT_TEXT);
	assert_unit_type(doc, "Item 2.", WK_UNIT_HEADING);
	wk_doc_free(doc);
}

/* The numbered lines of an algorithm listing ("18: end for" in bold) are no headings. */
static void test_numbered_listing_lines_are_not_headings(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-listing.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	body_paragraph(pdf, 72, 80);
	mk_text(pdf, "Times-Bold", 10, 72, 130, "18: end for");
	body_paragraph(pdf, 72, 160);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "18: end for", WK_UNIT_TEXT);
	wk_doc_free(doc);
}

/* Bold labels set far smaller than the body (a drawing's pin names at 6 pt beside 10 pt
 * text) are no headings; a bold label in the body size is one. */
static void test_labels_far_smaller_than_the_body_are_not_headings(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-small.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	for (int i = 0; i < 3; i++)
		body_paragraph(pdf, 72, 80 + 40 * (float)i);
	mk_text(pdf, "Times-Bold", 6, 72, 220, "XTAL2 PORT");
	body_paragraph(pdf, 72, 240);
	mk_text(pdf, "Times-Bold", 10, 72, 290, "Oscillator Characteristics");
	body_paragraph(pdf, 72, 310);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "XTAL2 PORT", WK_UNIT_TEXT);
	assert_unit_type(doc, "Oscillator Characteristics", WK_UNIT_HEADING);
	wk_doc_free(doc);
}

/* A heading-like line right under a line of its look continues it: a quote's
 * attribution "Mechanical Engineering," / "Year 3" (big, the second line alone looking
 * like a heading) is one text unit, and a title's dateline joins the title. */
static void test_a_line_continuing_the_line_above_is_not_a_heading_of_its_own(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-attribution.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Bold", 12, 150, 60, "CONSOLIDATED SUBSIDIARIES OF THE COMPANY");
	mk_text(pdf, "Times-Bold", 12, 190, 74, "AS OF DECEMBER 31, 2018");
	for (int i = 0; i < 3; i++)
		body_paragraph(pdf, 72, 100 + 40 * (float)i);
	mk_text(pdf, "Helvetica", 17, 72, 300, "Mechanical Engineering,");
	mk_text(pdf, "Helvetica", 17, 72, 320, "Year 3");
	body_paragraph(pdf, 72, 360);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *u = assert_unit_type(doc, "Mechanical Engineering,", WK_UNIT_TEXT);
	assert_string_equal(u->text, "Mechanical Engineering, Year 3");
	assert_null(unit_starting(doc, "Year 3"));
	u = assert_unit_type(doc, "CONSOLIDATED SUBSIDIARIES", WK_UNIT_HEADING);
	assert_string_equal(u->text, "CONSOLIDATED SUBSIDIARIES OF THE COMPANY AS OF DECEMBER 31, 2018");
	wk_doc_free(doc);
}

/* Two drawings' titles, one over each drawing and far apart, with nothing but vector
 * graphics between them, are two units: a run's only baseline distance (300 points)
 * is no line spacing. */
static void test_two_titles_far_apart_in_one_column_are_two_units(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-drawings.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Helvetica-Bold", 14, 36, 50, "Dimensional Figure");
	mk_text(pdf, "Helvetica-BoldOblique", 11, 36, 70, "Small Model");
	mk_rect(pdf, 60, 90, 400, 200, 0);
	mk_text(pdf, "Helvetica-BoldOblique", 11, 36, 370, "Large Model");
	mk_rect(pdf, 60, 390, 400, 200, 0);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *u = unit_starting(doc, "Small Model");
	assert_non_null(u);
	assert_string_equal(u->text, "Small Model");
	assert_non_null(unit_starting(doc, "Large Model"));
	wk_doc_free(doc);
}

/* An author's name set big under the title with a raised affiliation mark ("Ada
 * Lovelace¹") is no heading; the title above it and a section heading are. */
static void test_an_author_name_with_an_affiliation_mark_is_not_a_heading(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-author.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Bold", 20, 72, 80, "Pathogenetics of Engines");
	mk_text(pdf, "Times-Roman", 14, 72, 120, "Ada Augusta Lovelace");
	mk_text(pdf, "Times-Roman", 8, 72 + mk_text_width(pdf, "Times-Roman", 14, "Ada Augusta Lovelace") + 3, 114, "1");
	mk_text(pdf, "Times-Italic", 10, 72, 150, "Faculty of Engines, Analytical Society, London");
	mk_text(pdf, "Times-Bold", 12, 72, 190, "Introduction");
	for (int i = 0; i < 3; i++)
		body_paragraph(pdf, 72, 210 + 40 * (float)i);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "Ada Augusta Lovelace", WK_UNIT_TEXT);
	assert_unit_type(doc, "Introduction", WK_UNIT_HEADING);
	wk_doc_free(doc);
}

/* A bold period over the right-hand figures of a one-column page ("Year Ended December
 * 31, 2017" above the amounts) is a column header, no heading; a bold title at the
 * left edge is one. */
static void test_a_period_over_the_right_hand_figures_is_not_a_heading(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-period.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	body_paragraph(pdf, 72, 80);
	mk_text(pdf, "Times-Bold", 10, 72, 130, "Revenues by Channel");
	body_paragraph(pdf, 72, 150);
	mk_text(pdf, "Times-Bold", 10, 420, 200, "Year Ended December 31, 2017");
	static const char *const rows[] = {"Digital online channels", "Retail channels", "Other"};
	static const char *const sums[] = {"5,479", "1,033", "505"};
	amount_rows(pdf, 216, 500, rows, sums);
	body_paragraph(pdf, 72, 270);
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	assert_unit_type(doc, "Year Ended December 31, 2017", WK_UNIT_TEXT);
	assert_unit_type(doc, "Revenues by Channel", WK_UNIT_HEADING);
	wk_doc_free(doc);
}

/* The server keeps an encrypted upload decrypted and names it by the hash of those bytes:
 * the same file and password must give the same bytes, also a clock second later
 * (MuPDF renews /ID from the clock when it saves). */
static void test_an_encrypted_pdf_decrypts_to_the_same_bytes_each_time(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-locked.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Roman", 10, 72, 100, "The vault holds the harvest records of the valley.");
	mk_save(pdf, path, "sesame");
	char *data = NULL, *a = NULL, *b = NULL;
	size_t len = 0, alen = 0, blen = 0;
	wk_error err;
	assert_int_equal(wk_read_file(path, 0, &data, &len, &err), WK_OK);
	assert_int_equal(wk_pdf_decrypt(data, len, "locked.pdf", "guess", &a, &alen, &err), WK_EPASSWORD);
	assert_int_equal(wk_pdf_decrypt(data, len, "locked.pdf", "sesame", &a, &alen, &err), WK_OK);
	struct timespec pause = {1, 100000000};
	nanosleep(&pause, NULL);
	assert_int_equal(wk_pdf_decrypt(data, len, "locked.pdf", "sesame", &b, &blen, &err), WK_OK);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_null(memmem(a, alen, "/Encrypt", 8));
	wk_free(a);
	wk_free(b);
	free(data);
}

/* The four crop pages (tests/support/mkpages.h) at a new temporary path. */
static const char *labelled_pages(const char *suffix, bool printed)
{
	const char *path = mk_tmp_path(suffix);
	mk_crop_pages(path, printed);
	return path;
}

/* Pages of the selection for `question` under `budget` tokens, as a bit set. */
static unsigned selected_pages(const wk_doc *doc, const char *question, int budget)
{
	wk_index *ix = NULL;
	wk_error err = {0};
	assert_int_equal(wk_index_new(doc, &ix, &err), WK_OK);
	wk_ask_opts o;
	wk_ask_opts_init(&o);
	o.budget = budget;
	wk_selection *sel = NULL;
	assert_int_equal(wk_sample(ix, question, &o, &sel, &err), WK_OK);
	unsigned pages = 0;
	for (int i = 0; i < sel->n; i++)
		pages |= 1u << doc->units[sel->items[i].idx].page;
	wk_selection_free(sel);
	wk_index_free(ix);
	return pages;
}

/* Page labels come from /PageLabels ("i, ii, 1, 2"), else from the printed numbers; a
 * question about "page 2" reaches both the page labelled 2 and the second page. */
static void test_page_labels_are_read_and_page_n_reaches_the_labelled_page(void **state)
{
	(void)state;
	static const char *const want[] = {"i", "ii", "1", "2"};
	wk_doc *doc = parse(labelled_pages("-labels.pdf", false), 1);
	for (int i = 0; i < 4; i++)
		assert_string_equal(doc->pages[i].label, want[i]);
	unsigned pages = selected_pages(doc, "What did the farmers plant, according to page 2?", 100);
	assert_true(pages & (1u << 4)); /* labelled 2 */
	assert_true(pages & (1u << 2)); /* the second page */
	assert_false(pages & (1u << 1));
	char *json = NULL;
	wk_error err = {0};
	assert_int_equal(wk_doc_to_json(doc, &json, NULL, &err), WK_OK);
	assert_non_null(strstr(json, "\"page_labels\":[\"i\",\"ii\",\"1\",\"2\"]"));
	wk_doc *back = NULL;
	assert_int_equal(wk_doc_from_json(json, strlen(json), &back, &err), WK_OK);
	assert_string_equal(back->pages[1].label, "ii");
	wk_free(json);
	wk_doc_free(back);
	wk_doc_free(doc);

	doc = parse(labelled_pages("-printed.pdf", true), 1);
	static const char *const printed[] = {"", "1", "2", "3"};
	for (int i = 0; i < 4; i++)
		assert_string_equal(doc->pages[i].label, printed[i]);
	pages = selected_pages(doc, "What did the farmers plant, according to page 3?", 100);
	assert_true(pages & (1u << 4));
	assert_true(pages & (1u << 3));
	wk_doc_free(doc);
}

/* A spread: a short paragraph in the left page's outer column and a list in the right
 * page's, photos between them bleeding up to the fold. Each is read whole: the two were
 * once read across, line by line, as one column. */
static void test_a_spread_reads_each_page_s_column_whole(void **state)
{
	(void)state;
	static const char *const left[] = {"The farmers of the valley", "sell their barley at the",
	                                   "market in the town before", "the autumn rains arrive",
	                                   "each year, as they always", "have done."};
	const char *path = mk_tmp_path("-spread.pdf");
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 1190, 842);
	mk_image(pdf, 210, 100, 385, 600, 40, 60);
	mk_image(pdf, 595, 140, 390, 560, 40, 60);
	char line[96];
	for (int i = 0; i < 14; i++) {
		snprintf(line, sizeof line, "- Grain store number %d", i + 1);
		mk_text(pdf, "Helvetica", 9, 1001, 200 + 12 * i, line);
		if (i < 6)
			mk_text(pdf, "Helvetica", 12, 43, 212 + 18 * i, left[i]);
	}
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	const wk_unit *para = find_text(doc, "The farmers");
	assert_string_equal(para->text, "The farmers of the valley sell their barley at the market "
	                                "in the town before the autumn rains arrive each year, as "
	                                "they always have done.");
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].text && strstr(doc->units[i].text, "Grain store"))
			assert_null(strstr(doc->units[i].text, "barley"));
	wk_doc_free(doc);
}

/* A running footer that carries the page number ("Valley Farm Report | 7") labels its
 * pages; a year in the footer that never changes labels none. */
static void test_a_running_footer_with_the_page_number_labels_the_pages(void **state)
{
	(void)state;
	for (int year = 0; year < 2; year++) {
		const char *path = mk_tmp_path("-footer.pdf");
		mk_pdf *pdf = mk_new();
		char line[160];
		for (int i = 0; i < 5; i++) {
			mk_page(pdf, 612, 792);
			mk_crop_line(pdf, i, 120);
			snprintf(line, sizeof line, "Valley Farm Report %d", year ? 2024 : i + 6);
			mk_text(pdf, "Helvetica", 9, 400, 760, line);
		}
		mk_save(pdf, path, NULL);
		wk_doc *doc = parse(path, 1);
		for (int i = 0; i < 5; i++) {
			snprintf(line, sizeof line, "%d", i + 6);
			assert_string_equal(doc->pages[i].label, year ? "" : line);
		}
		wk_doc_free(doc);
	}
}

/* A brochure of two-page spreads after a portrait cover: PDF page p shows printed pages
 * 2p-2 and 2p-1, their numbers at the foot's left and right corners (some spreads print
 * one of the two only). */
static const char *spread_pages(const char *suffix)
{
	static const int left[] = {0, 2, 0, 6, 8}, right[] = {0, 3, 5, 0, 9};
	const char *path = mk_tmp_path(suffix);
	mk_pdf *pdf = mk_new();
	char line[160];
	for (int i = 0; i < 5; i++) {
		mk_page(pdf, i ? 1190 : 595, 842);
		if (left[i]) {
			snprintf(line, sizeof line, "%d", left[i]);
			mk_text(pdf, "Times-Roman", 10, 43, 809, line);
		}
		mk_crop_line(pdf, i, 100);
		if (right[i]) {
			snprintf(line, sizeof line, "%d", right[i]);
			mk_text(pdf, "Times-Roman", 10, 1140, 809, line);
		}
	}
	mk_save(pdf, path, NULL);
	return path;
}

/* Spreads are labelled with both printed pages ("6-7"), and "page 7" reaches the spread. */
static void test_two_page_spreads_are_labelled_with_both_printed_numbers(void **state)
{
	(void)state;
	wk_doc *doc = parse(spread_pages("-spreads.pdf"), 1);
	static const char *const want[] = {"", "2-3", "4-5", "6-7", "8-9"};
	for (int i = 0; i < 5; i++)
		assert_string_equal(doc->pages[i].label, want[i]);
	unsigned pages = selected_pages(doc, "What did the farmers plant, according to page 7?", 40);
	assert_true(pages & (1u << 4));
	wk_doc_free(doc);
}

/* A page number set just above the running header, so close that the two lines make one
 * block ("3" over "VALLEY FARM REPORT"), still labels its page. */
static void test_a_page_number_over_the_running_header_labels_the_page(void **state)
{
	(void)state;
	const char *path = mk_tmp_path("-header-number.pdf");
	mk_pdf *pdf = mk_new();
	char line[160];
	for (int i = 0; i < 4; i++) {
		mk_page(pdf, 612, 792);
		if (i > 0) {
			snprintf(line, sizeof line, "%d", i);
			mk_text(pdf, "Helvetica-Bold", 9, 303, 47, line);
		}
		mk_text(pdf, "Helvetica", 9, 259, 59, "VALLEY FARM REPORT");
		mk_crop_line(pdf, i, 120);
	}
	mk_save(pdf, path, NULL);
	wk_doc *doc = parse(path, 1);
	static const char *const want[] = {"", "1", "2", "3"};
	for (int i = 0; i < 4; i++)
		assert_string_equal(doc->pages[i].label, want[i]);
	wk_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_come_back_exactly_and_in_order),
		cmocka_unit_test(test_title_and_abstract_span_the_columns_and_come_first),
		cmocka_unit_test(test_a_tall_title_block_does_not_hide_the_columns),
		cmocka_unit_test(test_the_bundled_example_reads_its_first_page_whole),
		cmocka_unit_test(test_headings_have_levels_and_section_paths),
		cmocka_unit_test(test_running_headers_and_page_numbers_are_removed),
		cmocka_unit_test(test_hyphenated_breaks_are_joined),
		cmocka_unit_test(test_a_line_cut_after_a_slash_joins_an_address_but_not_a_new_sentence),
		cmocka_unit_test(test_paragraph_across_pages_is_one_unit_with_a_box_per_page),
		cmocka_unit_test(test_figure_and_table_units_have_captions_and_boxes),
		cmocka_unit_test(test_figures_are_referenced_by_the_paragraphs_that_mention_them),
		cmocka_unit_test(test_two_threads_give_the_same_output_as_one),
		cmocka_unit_test(test_two_threads_give_what_one_gives_on_short_and_long_documents),
		cmocka_unit_test(test_jpeg2000_images_decode_safely_in_concurrent_workers),
		cmocka_unit_test(test_page_range_parses_only_those_pages),
		cmocka_unit_test(test_outline_and_hash_are_reported),
		cmocka_unit_test(test_missing_and_non_pdf_files_are_refused),
		cmocka_unit_test(test_damaged_and_truncated_pdfs_fail_cleanly),
		cmocka_unit_test(test_encrypted_pdf_needs_the_password),
		cmocka_unit_test(test_pdf_without_text_layer_is_refused_when_ocr_is_off),
		cmocka_unit_test(test_limits_refuse_long_documents_and_stop_on_time_and_memory),
		cmocka_unit_test(test_memory_input_gives_the_same_units_as_the_file),
		cmocka_unit_test(test_stray_narrow_spaces_inside_words_are_dropped),
		cmocka_unit_test(test_type3_fonts_scaled_by_their_matrix_get_real_sizes_and_whole_lines),
		cmocka_unit_test(test_uncaptioned_table_unit_is_named_by_its_first_row),
		cmocka_unit_test(test_bold_labels_leading_no_text_are_not_headings),
		cmocka_unit_test(test_two_page_spreads_are_labelled_with_both_printed_numbers),
		cmocka_unit_test(test_a_spread_reads_each_page_s_column_whole),
		cmocka_unit_test(test_a_running_footer_with_the_page_number_labels_the_pages),
		cmocka_unit_test(test_a_page_number_over_the_running_header_labels_the_page),
		cmocka_unit_test(test_a_label_over_a_row_of_years_is_not_a_heading),
		cmocka_unit_test(test_pages_sharing_one_template_keep_their_text),
		cmocka_unit_test(test_furniture_removal_never_empties_a_page),
		cmocka_unit_test(test_section_heading_is_not_the_title),
		cmocka_unit_test(test_page_labels_are_read_and_page_n_reaches_the_labelled_page),
		cmocka_unit_test(test_three_column_brochure_paragraph_is_read_whole_and_in_order),
		cmocka_unit_test(test_a_listing_whose_codes_stand_in_the_gutter_is_read_column_by_column),
		cmocka_unit_test(test_letter_spaced_words_are_joined),
		cmocka_unit_test(test_footnote_marks_are_not_glued_to_the_word_they_precede),
		cmocka_unit_test(test_an_encrypted_pdf_decrypts_to_the_same_bytes_each_time),
		cmocka_unit_test(test_a_row_of_cells_far_apart_is_not_a_heading),
		cmocka_unit_test(test_numbered_listing_lines_are_not_headings),
		cmocka_unit_test(test_labels_far_smaller_than_the_body_are_not_headings),
		cmocka_unit_test(test_a_line_continuing_the_line_above_is_not_a_heading_of_its_own),
		cmocka_unit_test(test_two_titles_far_apart_in_one_column_are_two_units),
		cmocka_unit_test(test_an_author_name_with_an_affiliation_mark_is_not_a_heading),
		cmocka_unit_test(test_a_period_over_the_right_hand_figures_is_not_a_heading),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
