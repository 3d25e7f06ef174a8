/* test_ocr.c: pages without a text layer are read with Tesseract.
 *
 * Ground truth: a PDF with known words at known places (mkpdf), rendered into an
 * image-only PDF (mkscan) as a scanner would give it. wk_ocr_page must find the words,
 * put the line boxes where the text was drawn and estimate the font sizes; pages read by
 * two threads must give the text one thread gives, with a progress call per page; the CLI
 * must turn such a scan into paragraphs marked ocr with --ocr auto and refuse it with
 * --ocr never, and --ocr never must say which pages of a mixed document it left unread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <mupdf/fitz.h>

#include "../src/pdf/ocr.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"
#include "support/mkscan.h"

static const char *const body[] = {
	"The harbour committee met on Tuesday to discuss the annual budget",
	"for lighthouse maintenance, dredging of the northern channel and new",
	"mooring posts. Members agreed that the western pier needs urgent",
	"repairs before winter storms arrive, and asked the engineer to",
	"prepare three estimates. The treasurer reported a modest surplus",
	"from fishing licences, which will fund a second patrol boat.",
};
enum { NBODY = sizeof body / sizeof body[0] };
static const char heading[] = "Harbour Budget Review";
static const float body_x = 72, body_y0 = 140, body_step = 15, body_size = 11;
static const float heading_y = 100, heading_size = 18;

/* A page of `path` run through wk_ocr_page; the caller frees page.arena. */
typedef struct ocr_run {
	int rc;
	wk_error err;
	wk_page page;
} ocr_run;

static void ocr_file(const char *path, const char *lang, ocr_run *run)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	assert_non_null(ctx);
	fz_register_document_handlers(ctx);
	fz_document *doc = fz_open_document(ctx, path);
	fz_page *fzpage = fz_load_page(ctx, doc, 0);
	memset(run, 0, sizeof *run);
	run->page.number = 1;
	run->page.width = 612;
	run->page.height = 792;
	run->page.arena = wk_arena_new();
	run->rc = wk_ocr_page(NULL, ctx, fzpage, &run->page, lang, &run->err);
	fz_drop_page(ctx, fzpage);
	fz_drop_document(ctx, doc);
	fz_drop_context(ctx);
}

typedef struct fixture {
	char scan[512];  /* image-only PDF of the page */
	char blank[512]; /* image-only PDF of an empty page */
	float width[NBODY]; /* printed width of each body line */
	ocr_run scanned;    /* wk_ocr_page on the scan, run once for the tests that read it */
	char pages3[512];   /* image-only PDF of three pages of different text */
} fixture;

/* Three pages, each a heading and a different line: the threads must not mix them up. */
static const char *const page_lines[3][2] = {
	{"Quarterly Shipping Report", "Container traffic rose in the spring months"},
	{"Regional Rainfall Summary", "The western valleys received twice the usual rain"},
	{"Library Opening Hours", "Reading rooms stay open until nine on weekdays"},
};

static void draw_page(mk_pdf *pdf, fixture *f)
{
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Bold", heading_size, body_x, heading_y, heading);
	for (int i = 0; i < NBODY; i++) {
		mk_text(pdf, "Times-Roman", body_size, body_x, body_y0 + i * body_step, body[i]);
		f->width[i] = mk_text_width(pdf, "Times-Roman", body_size, body[i]);
	}
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	mk_pdf *pdf = mk_new();
	draw_page(pdf, f);
	char text_pdf[512];
	snprintf(text_pdf, sizeof text_pdf, "%s", mk_tmp_path("-text.pdf"));
	mk_save(pdf, text_pdf, NULL);
	snprintf(f->scan, sizeof f->scan, "%s", mk_tmp_path("-scan.pdf"));
	mk_scan(text_pdf, f->scan, 200);

	pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_rect(pdf, 100, 100, 0.5f, 0.5f, 1); /* a speck, so the page is not empty */
	mk_save(pdf, text_pdf, NULL);
	snprintf(f->blank, sizeof f->blank, "%s", mk_tmp_path("-blank.pdf"));
	mk_scan(text_pdf, f->blank, 150);
	ocr_file(f->scan, "eng", &f->scanned);

	pdf = mk_new();
	for (int i = 0; i < 3; i++) {
		mk_page(pdf, 612, 792);
		mk_text(pdf, "Helvetica-Bold", 24, 72, 120, page_lines[i][0]);
		mk_text(pdf, "Helvetica", 14, 72, 170, page_lines[i][1]);
	}
	mk_save(pdf, text_pdf, NULL);
	snprintf(f->pages3, sizeof f->pages3, "%s", mk_tmp_path("-pages3.pdf"));
	mk_scan(text_pdf, f->pages3, 150);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	wk_arena_free(f->scanned.page.arena);
	free(f);
	return 0;
}

/* Lower-cased words of `text` without punctuation, appended to words[] (max cap). */
static int split_words(const char *text, char words[][32], int n, int cap)
{
	const char *s = text;
	while (*s && n < cap) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		int len = 0;
		while (isalnum((unsigned char)*s)) {
			if (len < 31)
				words[n][len++] = (char)tolower((unsigned char)*s);
			s++;
		}
		if (len)
			words[n++][len] = 0;
	}
	return n;
}

static double share_of_known_words_found(const char *found_text)
{
	static char known[256][32], found[1024][32];
	int nk = split_words(heading, known, 0, 256);
	for (int i = 0; i < NBODY; i++)
		nk = split_words(body[i], known, nk, 256);
	int nf = split_words(found_text, found, 0, 1024);
	int hits = 0;
	for (int i = 0; i < nk; i++)
		for (int j = 0; j < nf; j++)
			if (!strcmp(known[i], found[j])) {
				hits++;
				found[j][0] = 0; /* each recognised word counts once */
				break;
			}
	return (double)hits / nk;
}

static char *page_text(const wk_page *page)
{
	wk_buf b;
	wk_buf_init(&b, 0);
	for (int i = 0; i < page->nlines; i++) {
		wk_buf_puts(&b, page->lines[i].text);
		wk_buf_putc(&b, '\n');
	}
	return wk_buf_steal(&b);
}

static const wk_line *line_starting(const wk_page *page, const char *prefix)
{
	for (int i = 0; i < page->nlines; i++)
		if (!strncmp(page->lines[i].text, prefix, strlen(prefix)))
			return &page->lines[i];
	return NULL;
}

static void test_ocr_finds_nine_tenths_of_the_printed_words(void **state)
{
	fixture *f = *state;
	const ocr_run *run = &f->scanned;
	assert_int_equal(run->rc, WK_OK);
	assert_true(run->page.ocr);
	assert_int_equal(run->page.nlines, NBODY + 1);
	char *text = page_text(&run->page);
	double share = share_of_known_words_found(text);
	if (share < 0.9)
		print_message("recognised (%.2f of the words):\n%s", share, text);
	assert_true(share >= 0.9);
	free(text);
}

static void test_ocr_line_boxes_are_where_the_text_was_drawn(void **state)
{
	fixture *f = *state;
	const ocr_run *run = &f->scanned;
	assert_int_equal(run->rc, WK_OK);
	for (int i = 0; i < NBODY; i++) {
		char first[16];
		sscanf(body[i], "%15s", first);
		const wk_line *line = line_starting(&run->page, first);
		assert_non_null(line);
		float baseline = body_y0 + i * body_step;
		/* x-height above the baseline, descenders below it: 3 pt covers both. */
		assert_true(fabsf(line->box.x0 - body_x) < 3);
		assert_true(line->box.y0 < baseline - body_size * 0.5f);
		assert_true(line->box.y0 > baseline - body_size * 1.0f);
		assert_true(fabsf(line->box.y1 - baseline) < 3.5f);
		float right = body_x + f->width[i];
		if (fabsf(line->box.x1 - right) >= 3)
			print_message("line %d ends at %.1f, drawn to %.1f\n", i, line->box.x1, right);
		assert_true(fabsf(line->box.x1 - right) < 3);
	}
}

static void test_ocr_estimates_font_sizes_and_tells_heading_from_body(void **state)
{
	fixture *f = *state;
	const ocr_run *run = &f->scanned;
	assert_int_equal(run->rc, WK_OK);
	const wk_line *head = line_starting(&run->page, "Harbour");
	assert_non_null(head);
	assert_true(fabsf(head->size - heading_size) < heading_size * 0.2f);
	for (int i = 0; i < run->page.nlines; i++) {
		const wk_line *line = &run->page.lines[i];
		if (line == head)
			continue;
		assert_true(fabsf(line->size - body_size) < body_size * 0.2f);
		assert_true(line->font >= 0 && line->font < run->page.nfonts);
	}
}

static void test_ocr_of_an_empty_scan_reports_no_text(void **state)
{
	fixture *f = *state;
	ocr_run run;
	ocr_file(f->blank, "eng", &run);
	assert_int_equal(run.rc, WK_ENOTEXT);
	assert_int_equal(run.page.nlines, 0);
	assert_false(run.page.ocr);
	assert_non_null(strstr(run.err.message, "page 1"));
	wk_arena_free(run.page.arena);
}

static void test_ocr_rejects_missing_and_malformed_languages(void **state)
{
	fixture *f = *state;
	ocr_run run;
	ocr_file(f->scan, "zzq", &run);
	assert_int_equal(run.rc, WK_ENOTEXT);
	assert_non_null(strstr(run.err.message, "zzq"));
	assert_non_null(strstr(run.err.message, "not installed"));
	wk_arena_free(run.page.arena);
	ocr_file(f->scan, "../../etc/passwd", &run);
	assert_int_equal(run.rc, WK_EINVAL);
	assert_int_equal(run.page.nlines, 0);
	wk_arena_free(run.page.arena);
}

/* What the parser reported while reading: progress calls and warnings. */
typedef struct progress {
	int calls, last_done, total, out_of_order;
	char warning[512];
} progress;

static void on_page(void *user, int done, int total)
{
	progress *p = user;
	p->out_of_order += done != p->last_done + 1;
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static void on_warning(void *user, const char *message)
{
	progress *p = user;
	snprintf(p->warning, sizeof p->warning, "%s", message);
}

static wk_doc *parse_with(const char *path, int threads, int ocr, progress *p)
{
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.threads = threads;
	opts.ocr = ocr;
	opts.timeout = 0;
	opts.on_page = on_page;
	opts.on_warning = on_warning;
	opts.user = p;
	memset(p, 0, sizeof *p);
	wk_doc *doc = NULL;
	wk_error err;
	int rc = wk_parse_file(path, &opts, &doc, &err);
	if (rc != WK_OK)
		print_message("parse of %s failed: %s\n", path, err.message);
	assert_int_equal(rc, WK_OK);
	return doc;
}

/* Every unit's page and text, one per line. */
static char *units_text(const wk_doc *doc)
{
	wk_buf b;
	wk_buf_init(&b, 0);
	for (int i = 0; i < doc->nunits; i++) {
		char head[32];
		snprintf(head, sizeof head, "%d: ", doc->units[i].page);
		wk_buf_puts(&b, head);
		wk_buf_puts(&b, doc->units[i].text ? doc->units[i].text : "");
		wk_buf_putc(&b, '\n');
	}
	return wk_buf_steal(&b);
}

static void test_two_threads_read_a_scan_as_one_thread_does_and_report_every_page(void **state)
{
	fixture *f = *state;
	progress p1, p2;
	wk_doc *one = parse_with(f->pages3, 1, WK_OCR_AUTO, &p1);
	wk_doc *two = parse_with(f->pages3, 2, WK_OCR_AUTO, &p2);
	char *t1 = units_text(one), *t2 = units_text(two);
	assert_string_equal(t1, t2);
	for (int i = 0; i < 3; i++) {
		assert_true(one->pages[i].ocr);
		/* Each page's heading on its own page: no text went to another page. */
		char want[64];
		snprintf(want, sizeof want, "%d: %s", i + 1, page_lines[i][0]);
		if (!strstr(t2, want))
			print_message("missing '%s' in:\n%s", want, t2);
		assert_non_null(strstr(t2, want));
	}
	for (progress *p = &p1; p; p = p == &p1 ? &p2 : NULL) {
		assert_int_equal(p->calls, 3);
		assert_int_equal(p->last_done, 3);
		assert_int_equal(p->total, 3);
		assert_int_equal(p->out_of_order, 0);
	}
	free(t1);
	free(t2);
	wk_doc_free(one);
	wk_doc_free(two);
}

/* The JSON of the whole document (boxes, font sizes, headings, not only the text). */
static char *doc_json(const wk_doc *doc)
{
	char *json = NULL;
	size_t len = 0;
	wk_error err;
	assert_int_equal(wk_doc_to_json(doc, &json, &len, &err), WK_OK);
	return json;
}

/* Pages read in parallel by 1, 2 or 3 threads: the same document, boxes and sizes too. */
static void test_one_two_and_three_threads_give_the_same_document_byte_for_byte(void **state)
{
	fixture *f = *state;
	progress p;
	wk_doc *docs[3];
	char *json[3];
	for (int i = 0; i < 3; i++) {
		docs[i] = parse_with(f->pages3, i + 1, WK_OCR_AUTO, &p);
		json[i] = doc_json(docs[i]);
	}
	assert_int_equal(docs[0]->nunits, 6);
	assert_string_equal(json[0], json[1]);
	assert_string_equal(json[0], json[2]);
	for (int i = 0; i < 3; i++) {
		wk_free(json[i]);
		wk_doc_free(docs[i]);
	}
}

/* Threads of this process, from /proc (0 where there is none). */
static int process_threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* libgomp keeps the threads of a team for the next region of the same thread: had
 * Tesseract's OpenMP regions run on more than one thread, they would still be there. */
static void test_a_page_is_recognised_on_the_calling_thread_alone(void **state)
{
	fixture *f = *state;
	ocr_run run;
	ocr_file(f->scan, "eng", &run);
	assert_int_equal(run.rc, WK_OK);
	int threads = process_threads();
	if (threads > 0) /* no /proc: nothing to count */
		assert_int_equal(threads, 1);
	wk_arena_free(run.page.arena);
}

static void test_ocr_never_names_the_image_pages_of_a_mixed_document_it_left_unread(void **state)
{
	(void)state;
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 612, 792);
	mk_text(pdf, "Times-Roman", 12, 72, 100, "A page with a text layer and enough words to count.");
	mk_page(pdf, 612, 792);
	mk_image(pdf, 72, 72, 468, 648, 64, 64);
	char path[512];
	snprintf(path, sizeof path, "%s", mk_tmp_path("-mixed.pdf"));
	mk_save(pdf, path, NULL);
	progress p;
	wk_doc *doc = parse_with(path, 1, WK_OCR_NEVER, &p);
	assert_false(doc->pages[1].ocr);
	assert_non_null(strstr(p.warning, "1 page without a text layer not read"));
	assert_non_null(strstr(p.warning, "--ocr never"));
	assert_non_null(strstr(p.warning, ": 2"));
	for (int i = 0; i < doc->nunits; i++)
		assert_int_equal(doc->units[i].page, 1);
	wk_doc_free(doc);
}

/* Two 4:3 slides, each a title set a little larger than its bullets (not bold, not
 * 1.3 times the body: the document-wide heading rule misses it) and three bullets; the
 * first slide's last bullet stops mid-sentence and the second's first bullet starts in
 * lower case, as a paragraph continued on the next page would. */
static const char *const slide_titles[2] = {"Harbour Traffic This Year", "Plans For The Pier"};
static const char *const slide_bullets[2][3] = {
	{"Container ships arrived twice a week", "Ferries carried more passengers in summer",
	 "The fishing fleet kept its moorings and"},
	{"stronger posts will hold the new pontoon", "Repairs start before the winter storms",
	 "The treasurer set aside a reserve"},
};

static void make_slides(const char *path)
{
	mk_pdf *pdf = mk_new();
	for (int s = 0; s < 2; s++) {
		mk_page(pdf, 720, 540);
		mk_text(pdf, "Helvetica", 30, 54, 80, slide_titles[s]);
		for (int i = 0; i < 3; i++)
			mk_text(pdf, "Helvetica", 24, 72, 190 + 60 * i, slide_bullets[s][i]);
	}
	mk_save(pdf, path, NULL);
}

static const wk_unit *unit_starting(const wk_doc *doc, const char *prefix)
{
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].text && !strncmp(doc->units[i].text, prefix, strlen(prefix)))
			return &doc->units[i];
	return NULL;
}

/* Each slide's title is a heading, and no unit runs from one slide onto the next. */
static void assert_slides_read_slide_by_slide(const wk_doc *doc)
{
	char *text = units_text(doc);
	for (int s = 0; s < 2; s++) {
		const wk_unit *title = unit_starting(doc, slide_titles[s]);
		if (!title || title->type != WK_UNIT_HEADING)
			print_message("slide %d's title is no heading in:\n%s", s + 1, text);
		assert_non_null(title);
		assert_int_equal(title->type, WK_UNIT_HEADING);
		assert_int_equal(title->page, s + 1);
	}
	for (int i = 0; i < doc->nunits; i++)
		assert_int_equal(doc->units[i].nboxes, 1);
	const wk_unit *cont = unit_starting(doc, "stronger posts");
	assert_non_null(cont);
	assert_int_equal(cont->page, 2);
	free(text);
}

static void test_a_slide_title_set_a_little_larger_than_its_bullets_becomes_a_heading(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", mk_tmp_path("-slides.pdf"));
	make_slides(path);
	progress p;
	wk_doc *doc = parse_with(path, 1, WK_OCR_NEVER, &p);
	assert_slides_read_slide_by_slide(doc);
	wk_doc_free(doc);
}

/* Slides made by `make` into `name`, exported as images (96 ppi) and parsed with OCR. */
static wk_doc *parse_slides_scan(void (*make)(const char *), const char *name)
{
	char text_pdf[512], scan[512];
	snprintf(text_pdf, sizeof text_pdf, "%s", mk_tmp_path(name));
	snprintf(scan, sizeof scan, "%s", mk_tmp_path("-scan.pdf"));
	make(text_pdf);
	mk_scan(text_pdf, scan, 96);
	progress p;
	return parse_with(scan, 1, WK_OCR_AUTO, &p);
}

static void test_an_ocr_slide_title_becomes_a_heading_from_its_word_heights(void **state)
{
	(void)state;
	wk_doc *doc = parse_slides_scan(make_slides, "-slides.pdf");
	assert_true(doc->pages[0].ocr && doc->pages[1].ocr);
	assert_slides_read_slide_by_slide(doc);
	wk_doc_free(doc);
}

/* A parse whose timeout suits text pages only: the pages needing OCR bring their own. */
static int parse_timed(const char *path, double timeout, double ocr_page_timeout, wk_error *err)
{
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.timeout = timeout;
	opts.ocr_page_timeout = ocr_page_timeout;
	wk_doc *doc = NULL;
	int rc = wk_parse_file(path, &opts, &doc, err);
	wk_doc_free(doc);
	return rc;
}

static void test_each_page_needing_ocr_adds_its_own_time_to_the_timeout(void **state)
{
	fixture *f = *state;
	wk_error err;
	/* Three pages of OCR take far more than 50 ms (loading the model alone does). */
	assert_int_equal(parse_timed(f->pages3, 0.05, 0, &err), WK_ETIMEOUT);
	assert_non_null(strstr(err.message, "timed out after 0.05 s"));
	assert_int_equal(parse_timed(f->pages3, 0.05, 0.05, &err), WK_ETIMEOUT);
	assert_non_null(strstr(err.message, "for its pages needing OCR"));
	int rc = parse_timed(f->pages3, 2, 120, &err);
	if (rc != WK_OK)
		print_message("%s\n", err.message);
	assert_int_equal(rc, WK_OK);
}

/* Units of a `wukong parse --json` output; NULL when it is not JSON. */
static json_t *parse_json(const char *out)
{
	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr);
	return json_is_object(root) ? root : (json_decref(root), NULL);
}

static void test_cli_ocr_auto_turns_a_scan_into_ocr_paragraphs(void **state)
{
	fixture *f = *state;
	mk_limits lim = {.wall_seconds = 120};
	mk_result r;
	mk_run_parse(&lim, &r, "--json", "--ocr", "auto", f->scan, NULL);
	if (r.status != 0)
		print_message("status %d, stderr: %s\n", r.status, r.err);
	assert_int_equal(r.status, 0);
	json_t *root = parse_json(r.out);
	assert_non_null(root);
	json_t *units = json_object_get(root, "units"), *unit;
	size_t i;
	int ocr_text_units = 0;
	wk_buf all;
	wk_buf_init(&all, 0);
	json_array_foreach(units, i, unit) {
		const char *type = json_string_value(json_object_get(unit, "type"));
		if (json_is_true(json_object_get(unit, "ocr")) && type && !strcmp(type, "text"))
			ocr_text_units++;
		wk_buf_puts(&all, json_string_value(json_object_get(unit, "text")));
		wk_buf_putc(&all, ' ');
	}
	assert_true(ocr_text_units >= 1);
	assert_true(share_of_known_words_found(wk_buf_cstr(&all)) >= 0.9);
	json_t *ocr_pages = json_object_get(root, "ocr_pages");
	assert_int_equal(json_array_size(ocr_pages), 1);
	assert_int_equal(json_integer_value(json_array_get(ocr_pages, 0)), 1);
	wk_buf_free(&all);
	json_decref(root);
	mk_result_free(&r);
}

static void test_cli_ocr_never_refuses_a_scan_saying_ocr_is_off_in_one_line(void **state)
{
	fixture *f = *state;
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	mk_run_parse(&lim, &r, "--ocr", "never", f->scan, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no text layer"));
	assert_non_null(strstr(r.err, "OCR is off (--ocr never)"));
	assert_non_null(strstr(r.err, "-scan.pdf"));
	const char *nl = strchr(r.err, '\n');
	assert_true(nl && nl[1] == 0); /* one line */
	mk_result_free(&r);
}

/* Tesseract is opened on the first page that needs it (src/pdf/tess_load.c): without it a
 * scan fails in one line naming the package, exit 4 (the environment, not the file). */
static void test_cli_a_scan_without_tesseract_installed_names_the_package(void **state)
{
	fixture *f = *state;
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	setenv("WK_LIBTESSERACT", "/nonexistent/libtesseract.so.5", 1);
	mk_run_parse(&lim, &r, "--ocr", "auto", f->scan, NULL);
	unsetenv("WK_LIBTESSERACT");
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "install libtesseract5"));
	const char *nl = strchr(r.err, '\n');
	assert_true(nl && nl[1] == 0); /* one line */
	mk_result_free(&r);
}

/* A slide exported as an image: a title, a photo in the middle, a line under it. */
static void make_picture_slide(const char *path)
{
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 720, 540);
	mk_text(pdf, "Helvetica-Bold", 28, 60, 70, "Harbour Views This Spring");
	mk_image(pdf, 200, 130, 320, 240, 64, 48);
	mk_text(pdf, "Helvetica", 16, 60, 450, "Visitors counted at the western pier every weekend");
	mk_save(pdf, path, NULL);
}

static void test_a_picture_on_a_scanned_slide_becomes_a_figure_unit_where_it_was_drawn(void **state)
{
	(void)state;
	wk_doc *doc = parse_slides_scan(make_picture_slide, "-picture.pdf");
	const wk_unit *fig = NULL, *below = NULL, *title = NULL;
	int nfigures = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_FIGURE)
			fig = u, nfigures++;
		if (u->type == WK_UNIT_TEXT && strstr(u->text, "western pier"))
			below = u;
		if (u->type == WK_UNIT_HEADING && strstr(u->text, "Harbour Views"))
			title = u;
	}
	assert_int_equal(nfigures, 1);
	assert_true(fig->ocr);
	/* The box is the picture's, within a few points, not the slide's. */
	assert_true(fabsf(fig->boxes[0].x0 - 200) < 6 && fabsf(fig->boxes[0].x1 - 520) < 6);
	assert_true(fabsf(fig->boxes[0].y0 - 130) < 6 && fabsf(fig->boxes[0].y1 - 370) < 6);
	/* The text around it stays the slide's: its title a heading, the line below text. */
	assert_non_null(title);
	assert_non_null(below);
	wk_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocr_finds_nine_tenths_of_the_printed_words),
		cmocka_unit_test(test_ocr_line_boxes_are_where_the_text_was_drawn),
		cmocka_unit_test(test_ocr_estimates_font_sizes_and_tells_heading_from_body),
		cmocka_unit_test(test_ocr_of_an_empty_scan_reports_no_text),
		cmocka_unit_test(test_ocr_rejects_missing_and_malformed_languages),
		cmocka_unit_test(test_cli_a_scan_without_tesseract_installed_names_the_package),
		cmocka_unit_test(test_two_threads_read_a_scan_as_one_thread_does_and_report_every_page),
		cmocka_unit_test(test_one_two_and_three_threads_give_the_same_document_byte_for_byte),
		cmocka_unit_test(test_a_page_is_recognised_on_the_calling_thread_alone),
		cmocka_unit_test(test_ocr_never_names_the_image_pages_of_a_mixed_document_it_left_unread),
		cmocka_unit_test(test_cli_ocr_auto_turns_a_scan_into_ocr_paragraphs),
		cmocka_unit_test(test_cli_ocr_never_refuses_a_scan_saying_ocr_is_off_in_one_line),
		cmocka_unit_test(test_a_slide_title_set_a_little_larger_than_its_bullets_becomes_a_heading),
		cmocka_unit_test(test_an_ocr_slide_title_becomes_a_heading_from_its_word_heights),
		cmocka_unit_test(test_each_page_needing_ocr_adds_its_own_time_to_the_timeout),
		cmocka_unit_test(test_a_picture_on_a_scanned_slide_becomes_a_figure_unit_where_it_was_drawn),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
