/* figures.c: page statistics, body text and caption lines for the figure and table
 * finder; wk_page_find_figures itself is in regions.c.
 *
 * Body text matters because it is what stops a figure region: a figure grows from its
 * caption over paths, images and short lines of text (axis labels, cells) until it meets
 * long lines of body-size text, another caption or the page margin. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static float width_of(wk_rect r)
{
	return r.x1 - r.x0;
}


/* The font size that carries the most characters, to 0.5 pt, counting lines that can be
 * prose (a fifth of the page wide, five words): the short lines of a big figure (plot
 * ticks, inference rules, cells) can outnumber the prose on a page. A report's narrow
 * text column beside its charts is a quarter of the page wide. Text under 5 pt is never
 * body. */
static float dominant_size(const wk_page *page)
{
	enum { NBINS = 160 };
	size_t chars[NBINS] = {0};
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < page->nlines; i++) {
			const wk_line *l = &page->lines[i];
			int bin = (int)lrintf(l->size * 2);
			const char *t = l->text ? l->text : "";
			bool prose = l->box.x1 - l->box.x0 >= 0.2f * page->width && wk_fig_word_count(t) >= 5;
			if (bin >= 10 && bin < NBINS && (prose || pass == 1))
				chars[bin] += strlen(t);
		}
		size_t total = 0;
		for (int b = 0; b < NBINS; b++)
			total += chars[b];
		if (total > 0)
			break;
	}
	int best = 20;
	for (int b = 1; b < NBINS; b++)
		if (chars[b] > chars[best])
			best = b;
	return best / 2.0f;
}

static bool body_sized(const wk_fig_page *fp, const wk_line *l)
{
	return fabsf(l->size - fp->body_size) <= 0.8f;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Two columns when both halves hold several body-size lines and lines across the
 * gutter are fewer; the column width is a high percentile of body line widths. The
 * gutter's edges are where the left column's lines end and the right one's start. */
static void find_columns(wk_fig_page *fp)
{
	wk_page *page = fp->page;
	int left = 0, right = 0, across = 0, n = 0, nl = 0, nr = 0;
	size_t cap = sizeof(float) * (size_t)(page->nlines + 1);
	float *widths = wk_arena_alloc(page->arena, cap);
	float *ends = wk_arena_alloc(page->arena, cap), *starts = wk_arena_alloc(page->arena, cap);
	fp->mid = page->width / 2;
	fp->left = page->width;
	fp->right = 0;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (!body_sized(fp, l) || width_of(l->box) < 0.2f * page->width ||
		    (l->flags & WK_LINE_FURNITURE))
			continue;
		bool in_left = l->box.x1 < fp->mid + 5, in_right = l->box.x0 > fp->mid - 5;
		left += in_left;
		right += in_right;
		across += !in_left && !in_right;
		if (in_left)
			ends[nl++] = l->box.x1;
		if (in_right)
			starts[nr++] = l->box.x0;
		widths[n++] = width_of(l->box);
		fp->left = WK_MIN(fp->left, l->box.x0);
		fp->right = WK_MAX(fp->right, l->box.x1);
	}
	fp->two_col = left >= 3 && right >= 3 && left + right > 2 * across;
	fp->gutter0 = fp->gutter1 = fp->mid;
	if (fp->two_col) {
		qsort(ends, (size_t)nl, sizeof(float), cmp_float);
		qsort(starts, (size_t)nr, sizeof(float), cmp_float);
		fp->gutter0 = WK_MIN(ends[(nl * 9) / 10], fp->mid);
		fp->gutter1 = WK_MAX(starts[nr / 10], fp->mid);
	}
	if (n == 0) {
		fp->left = page->width * 0.08f;
		fp->right = page->width * 0.92f;
		fp->col_width = fp->two_col ? page->width * 0.4f : page->width * 0.84f;
		return;
	}
	qsort(widths, (size_t)n, sizeof(float), cmp_float);
	fp->col_width = widths[(n * 9) / 10];
}

/* Share of characters that are digits: table rows are number-heavy. */
static float digit_share(const char *s)
{
	int digits = 0, all = 0;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		all++;
		digits += *s >= '0' && *s <= '9';
	}
	return all ? (float)digits / (float)all : 0;
}

int wk_fig_word_count(const char *s)
{
	int n = 0;
	bool in = false;
	for (; *s; s++) {
		bool space = *s == ' ' || *s == '\t';
		n += !space && !in;
		in = !space;
	}
	return n;
}

bool wk_fig_image_page(const wk_page *page)
{
	float area = 0;
	for (int i = 0; i < page->nimages; i++)
		area += (page->images[i].x1 - page->images[i].x0) * (page->images[i].y1 - page->images[i].y0);
	return area > 0.5f * page->width * page->height;
}

/* Lines framed by a drawn box or set on an image are part of a figure (a boxed prompt,
 * an annotated screenshot), whatever their length. Frames are the graphics bigger than a
 * few lines (small ones cannot hold a line), at most MAX_FRAMES of them, so that a page
 * of 20,000 path segments costs one pass. */
static void find_framed(wk_fig_page *fp)
{
	enum { MAX_FRAMES = 2000 };
	wk_page *page = fp->page;
	float page_area = page->width * page->height;
	int room = WK_MIN(page->npaths + page->nimages, MAX_FRAMES); /* not 32 KB zeroed a page */
	wk_rect *frames = wk_arena_alloc(page->arena, sizeof(wk_rect) * (size_t)WK_MAX(room, 1));
	int nf = 0;
	/* Lines over a scanned page are not on a picture: the picture is the page. */
	int passes = wk_fig_image_page(page) ? 1 : 2;
	for (int pass = 0; pass < passes; pass++) {
		const wk_rect *g = pass ? page->images : page->paths;
		int n = pass ? page->nimages : page->npaths;
		for (int i = 0; i < n && nf < room; i++) {
			float area = (g[i].x1 - g[i].x0) * (g[i].y1 - g[i].y0);
			if (area >= 400 && area < 0.6f * page_area && g[i].y1 - g[i].y0 > 8)
				frames[nf++] = g[i];
		}
	}
	fp->framed = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	for (int l = 0; l < page->nlines; l++) {
		wk_rect r = page->lines[l].box;
		for (int i = 0; i < nf && !fp->framed[l]; i++)
			fp->framed[l] = frames[i].x0 <= r.x0 - 1 && frames[i].x1 >= r.x1 + 1 &&
			                frames[i].y0 <= r.y0 - 1 && frames[i].y1 >= r.y1 + 1;
	}
}

/* Prose-like: body-size, wordy, dense (no wide gaps as in a table row read as one
 * line), not number-heavy, not framed by a drawing. */
static bool prose_like(const wk_fig_page *fp, const wk_line *l, int min_words)
{
	const char *t = l->text ? l->text : "";
	size_t chars = strlen(t);
	if (!body_sized(fp, l) || (l->flags & WK_LINE_FURNITURE) || chars == 0)
		return false;
	if (wk_fig_word_count(t) < min_words || digit_share(t) > 0.3f)
		return false;
	if (width_of(l->box) / ((float)chars * l->size) > 0.7f)
		return false;
	return !fp->framed[l - fp->page->lines];
}

/* Long lines of prose: body text. */
static bool is_body_line(const wk_fig_page *fp, const wk_line *l)
{
	return width_of(l->box) >= 0.7f * fp->col_width && prose_like(fp, l, 6);
}

/* Text wrapped around a figure is narrow but still body: prose lines stacked on a
 * common left edge, at least three of them. */
static bool in_prose_stack(const wk_fig_page *fp, int i)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[i];
	int near = 0;
	if (!prose_like(fp, l, 5) || width_of(l->box) < 0.3f * fp->col_width)
		return false;
	for (int j = 0; j < page->nlines && near < 2; j++) {
		const wk_line *o = &page->lines[j];
		float dy = fabsf(o->box.y0 - l->box.y0);
		if (j != i && dy > 0.5f * l->size && dy < 2.6f * l->size &&
		    fabsf(o->box.x0 - l->box.x0) < 2 && prose_like(fp, o, 4))
			near++;
	}
	return near >= 2;
}

/* Body text comes in paragraphs: a long line with no body line right above or below
 * it (nor a short last line on its left edge) is a display (an inference rule, an
 * equation), which figures may contain. */
static void keep_paragraph_lines(wk_fig_page *fp)
{
	wk_page *page = fp->page;
	unsigned char *keep = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		for (int j = 0; j < page->nlines && fp->body[i] && !keep[i]; j++) {
			const wk_line *o = &page->lines[j];
			float dy = fabsf(o->box.y0 - l->box.y0);
			/* A paragraph's short last line starts on its left edge ("true."). */
			bool last = fabsf(o->box.x0 - l->box.x0) < 1 && o->box.y0 > l->box.y0 &&
			            prose_like(fp, o, 1);
			keep[i] = j != i && (fp->body[j] || last) && dy > 0.5f * l->size &&
			          dy < 1.8f * l->size && o->box.x0 < l->box.x1 && l->box.x0 < o->box.x1;
		}
	}
	for (int i = 0; i < page->nlines; i++)
		fp->body[i] = keep[i];
}

/* Vertical gap from a (above) to b (below); negative when they overlap. */
static float vgap(wk_rect a, wk_rect b)
{
	return b.y0 - a.y1;
}

static bool x_overlap(wk_rect a, wk_rect b)
{
	return a.x0 < b.x1 && b.x0 < a.x1;
}

/* The first and last lines of a paragraph are short but belong to it: a body-size line
 * right below a body line and aligned with it, or right above it, is body too. */
static void extend_body(wk_fig_page *fp)
{
	wk_page *page = fp->page;
	for (int i = 0; i < page->nlines; i++) {
		if (fp->body[i] != 1)
			continue;
		const wk_line *b = &page->lines[i];
		for (int j = 0; j < page->nlines; j++) {
			const wk_line *l = &page->lines[j];
			if (fp->body[j] || !body_sized(fp, l) || !x_overlap(b->box, l->box) ||
			    (l->flags & WK_LINE_FURNITURE))
				continue;
			float below = vgap(b->box, l->box), above = vgap(l->box, b->box);
			bool tail = below > -0.3f * l->size && below < 0.5f * l->size &&
			            fabsf(l->box.x0 - b->box.x0) < 2 && l->box.x1 <= b->box.x1 + 2;
			bool head = above > -0.3f * l->size && above < 0.5f * l->size &&
			            l->box.x0 >= b->box.x0 - 2 && l->box.x0 < b->box.x0 + 3 * l->size &&
			            fabsf(l->box.x1 - b->box.x1) < 3;
			if (tail || head)
				fp->body[j] = 2;
		}
	}
}

/* Length of a leading section number ("4", "4.1", "A.2.") followed by a space or the
 * end of the text; 0 when there is none. */
static size_t section_number(const char *t)
{
	size_t n = 0;
	if (t[0] >= 'A' && t[0] <= 'Z' && t[1] == '.')
		n = 2;
	if (!(t[n] >= '0' && t[n] <= '9'))
		return 0;
	while ((t[n] >= '0' && t[n] <= '9') || (t[n] == '.' && n > 0))
		n++;
	return (t[n] == ' ' || t[n] == '\0') && n <= 8 ? n : 0;
}

/* Whether the words after a section number look like a title: a capital first, no
 * number among them (a table row "1 Ours 91.2" is not a heading). */
static bool title_words(const char *t)
{
	while (*t == ' ')
		t++;
	if (!(*t >= 'A' && *t <= 'Z'))
		return false;
	for (const char *s = t; *s; s++)
		if (*s >= '0' && *s <= '9')
			return false;
	return wk_fig_word_count(t) <= 12;
}

/* The line on the same row right after line i, at most `max_gap` points away (a
 * heading or a justified line split at a wide gap). */
static int next_on_row(const wk_page *page, int i, float max_gap)
{
	const wk_line *l = &page->lines[i];
	int best = -1;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *r = &page->lines[j];
		/* A math glyph makes a box taller: one baseline is one row. */
		float dy = l->baseline > 0 && r->baseline > 0
		               ? fabsf(r->baseline - l->baseline)
		               : fabsf((r->box.y0 + r->box.y1) / 2 - (l->box.y0 + l->box.y1) / 2);
		float dx = r->box.x0 - l->box.x1;
		if (j != i && dy < 0.3f * l->size && dx >= 0 && dx < max_gap &&
		    (best < 0 || r->box.x0 < page->lines[best].box.x0))
			best = j;
	}
	return best;
}

/* Two numbered "headings" with the same words after the number on one row of one column
 * are a table's column headers ("52 Weeks Ended" over each year's figures, "53 Weeks
 * Ended" beside), not section headings: two columns' headings side by side lie on either
 * side of the gutter, and a table of contents' entries on one row differ ("18 School of
 * ..." beside "24 Colleges of ..."). The pieces of one heading ("4.1" then "Results") do
 * not count: only one of them starts with a number. */
static void unmark_header_rows(wk_fig_page *fp)
{
	enum { HEADER_CELL = 255 }; /* marked while the rows are looked at, cleared after */
	const wk_page *page = fp->page;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float cy = (l->box.y0 + l->box.y1) / 2;
		bool left = (l->box.x0 + l->box.x1) / 2 < fp->mid;
		for (int j = i + 1; j < page->nlines && fp->body[i] >= 3; j++) {
			const wk_line *o = &page->lines[j];
			bool same_col = !fp->two_col || ((o->box.x0 + o->box.x1) / 2 < fp->mid) == left;
			size_t nl = section_number(l->text), no = section_number(o->text);
			if ((fp->body[j] == 3 || fp->body[j] == HEADER_CELL) && same_col && nl > 0 &&
			    no > 0 && l->text[nl] && strcasecmp(l->text + nl, o->text + no) == 0 &&
			    fabsf((o->box.y0 + o->box.y1) / 2 - cy) < 0.45f * l->size)
				fp->body[i] = fp->body[j] = HEADER_CELL;
		}
	}
	for (int i = 0; i < page->nlines; i++)
		fp->body[i] = fp->body[i] == HEADER_CELL ? 0 : fp->body[i];
}

/* Numbered section headings ("4.1 Results") stop figure regions like body text. */
static void mark_headings(wk_fig_page *fp)
{
	wk_page *page = fp->page;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		size_t n = l->text ? section_number(l->text) : 0;
		/* Headings stand out (bold or larger); "2. Reply false if ..." is a list item,
		 * and one inside a framed panel belongs to a figure. */
		bool styled = l->bold || l->size > fp->body_size + 0.5f;
		if (fp->body[i] || n == 0 || l->size < fp->body_size - 0.5f || fp->framed[i] ||
		    (l->flags & WK_LINE_FURNITURE))
			continue;
		if (l->text[n] != '\0') {
			if (styled && title_words(l->text + n))
				fp->body[i] = 3;
			continue;
		}
		int r = next_on_row(page, i, 3 * l->size);
		if (r >= 0 && (styled || page->lines[r].bold) && title_words(page->lines[r].text) &&
		    fabsf(page->lines[r].size - l->size) < 0.8f)
			fp->body[i] = fp->body[r] = 3;
	}
	unmark_header_rows(fp);
}


static int cmp_line_x(const void *a, const void *b, void *arg)
{
	const wk_line *lines = arg;
	float x = lines[*(const int *)a].box.x0, y = lines[*(const int *)b].box.x0;
	return (x > y) - (x < y);
}

/* A text layer laid over a scanned page often splits a printed line at its word gaps:
 * the pieces on one row, close together, that make a long wordy line are body text.
 * Only there: on a born-digital page a line split at a wide gap is two things
 * ("Caption:" then a quoted "Table 4: ..."). */
static void join_row_pieces(wk_fig_page *fp)
{
	enum { MAX_PIECES = 64 };
	wk_page *page = fp->page;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (fp->body[i] || !prose_like(fp, l, 1))
			continue;
		int row[MAX_PIECES], n = 0, words = 0;
		float cy = (l->box.y0 + l->box.y1) / 2;
		for (int j = 0; j < page->nlines && n < MAX_PIECES; j++) {
			const wk_line *o = &page->lines[j];
			if (fabsf((o->box.y0 + o->box.y1) / 2 - cy) < 0.3f * l->size && prose_like(fp, o, 1))
				row[n++] = j, words += wk_fig_word_count(o->text);
		}
		if (n < 2 || words < 6)
			continue;
		qsort_r(row, (size_t)n, sizeof(int), cmp_line_x, page->lines);
		bool close = true;
		for (int k = 1; k < n; k++)
			close &= page->lines[row[k]].box.x0 - page->lines[row[k - 1]].box.x1 < 2.5f * l->size;
		float width = page->lines[row[n - 1]].box.x1 - page->lines[row[0]].box.x0;
		/* 4: body, but its pieces are no wrapped text beside a figure */
		for (int k = 0; k < n && close && width >= 0.7f * fp->col_width; k++)
			fp->body[row[k]] = 4;
	}
}

void wk_fig_page_init(wk_fig_page *fp, wk_page *page)
{
	memset(fp, 0, sizeof *fp);
	fp->page = page;
	fp->body_size = dominant_size(page);
	find_columns(fp);
	find_framed(fp);
	fp->body = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	for (int i = 0; i < page->nlines; i++)
		fp->body[i] = is_body_line(fp, &page->lines[i]) || in_prose_stack(fp, i) ? 1 : 0;
	keep_paragraph_lines(fp);
	extend_body(fp);
	if (wk_fig_image_page(page))
		join_row_pieces(fp);
	mark_headings(fp);
}

/* The horizontal span a caption's region is looked for in: its column, or the text
 * width when the caption crosses the gutter or the page has one column. */
static void caption_span(const wk_fig_page *fp, wk_rect box, float *xa, float *xb)
{
	float left = WK_MIN(fp->left, box.x0) - 4, right = WK_MAX(fp->right, box.x1) + 4;
	bool across = box.x0 < fp->mid - 10 && box.x1 > fp->mid + 10;
	if (!fp->two_col || across) {
		*xa = left;
		*xb = right;
	} else if ((box.x0 + box.x1) / 2 < fp->mid) {
		*xa = left;
		*xb = fp->gutter0 + 4;
	} else {
		*xa = fp->gutter1 - 4;
		*xb = right;
	}
}

/* A caption beside body text (a wrapped figure): the region is looked for on the
 * caption's side of that text only. */
static void narrow_for_wrap(const wk_fig_page *fp, const wk_fig_caption *c, float *xa, float *xb)
{
	const wk_page *page = fp->page;
	/* Wrapped text runs beside the figure too, not only beside its caption. */
	float reach = 0.4f * page->height;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float cy = (l->box.y0 + l->box.y1) / 2;
		/* Only full body lines: a paragraph's short last line beside a centred
		 * caption is not wrapped text. */
		if (fp->body[i] != 1 || cy < c->box.y0 - reach || cy > c->box.y1 + reach)
			continue;
		/* Wrapped text keeps close to the float (a column separation away). */
		float near = 3 * fp->body_size;
		if (l->box.x1 < c->box.x0 && l->box.x1 > *xa && c->box.x0 - l->box.x1 < near)
			*xa = l->box.x1 + 2;
		else if (l->box.x0 > c->box.x1 && l->box.x0 < *xb && l->box.x0 - c->box.x1 < near)
			*xb = l->box.x0 - 2;
	}
}

/* The line right above `i` in its column, close enough to be the same paragraph. */
static int line_above(const wk_page *page, int i)
{
	const wk_line *l = &page->lines[i];
	int best = -1;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *p = &page->lines[j];
		float gap = vgap(p->box, l->box);
		if (j == i || !x_overlap(p->box, l->box) || gap < -0.4f * l->size ||
		    gap > 0.8f * l->size)
			continue;
		if (best < 0 || p->box.y1 > page->lines[best].box.y1)
			best = j;
	}
	return best;
}

/* "... as shown in\nFigure 3. The ..." : a label that continues a sentence. */
static bool continues_sentence(const wk_fig_page *fp, int i)
{
	const wk_page *page = fp->page;
	int p = line_above(page, i);
	if (p < 0 || !fp->body[p] || fabsf(page->lines[p].size - page->lines[i].size) > 0.8f)
		return false;
	/* A paragraph's lines share its left edge (give or take an indent). */
	const wk_line *prev = &page->lines[p], *l = &page->lines[i];
	if (fabsf(prev->box.x0 - l->box.x0) > 2 * l->size)
		return false;
	const char *t = page->lines[p].text;
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	if (n == 0)
		return false;
	char c = t[n - 1];
	return !(c == '.' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']');
}

/* Tables of contents ("Figure 3 Overview ........ 12") list captions, they are not. */
static bool is_toc_entry(const char *text)
{
	return strstr(text, "....") || strstr(text, ". . . .") || strstr(text, "\xe2\x80\xa6\xe2\x80\xa6");
}

/* The lines that continue line i on its row, left to right (a justified line split at
 * its wide gaps: "Table" "1:" "Sandboxing ..."). Returns how many, at most `cap`. */
static int row_partners(const wk_page *page, int i, int *out, int cap)
{
	int n = 0;
	for (int j = next_on_row(page, i, 1.5f * page->lines[i].size); j >= 0 && n < cap;
	     j = next_on_row(page, j, 1.5f * page->lines[j].size)) {
		if (page->lines[j].flags & WK_LINE_FURNITURE)
			break;
		out[n++] = j;
	}
	return n;
}

/* Parses a caption label at the start of line i, or of its row when the line holds
 * only the keyword or the label. */
static bool parse_row_label(const wk_page *page, int i, wk_caption_label *label)
{
	const wk_line *l = &page->lines[i];
	if (wk_caption_parse(l->text, label))
		return true;
	if (wk_fig_word_count(l->text) > 2)
		return false;
	int partners[2];
	int n = row_partners(page, i, partners, 2);
	char joined[256];
	size_t len = (size_t)snprintf(joined, sizeof joined, "%s", l->text);
	for (int k = 0; k < n && len < sizeof joined; k++) {
		len += (size_t)snprintf(joined + len, sizeof joined - len, " %s",
		                        page->lines[partners[k]].text);
		if (wk_caption_parse(joined, label))
			return true;
	}
	return false;
}

/* A label that follows a lead-in on its row ("Caption: Table 4: ..." in a prompt
 * listing) starts no caption; text in the other column, wrapped text, a heading beside
 * a wrapped table or another caption (figures side by side) does not count. */
static bool follows_on_row(const wk_fig_page *fp, int i)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[i];
	float xa, xb;
	caption_span(fp, l->box, &xa, &xb);
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		wk_caption_label other;
		float dy = fabsf((o->box.y0 + o->box.y1) / 2 - (l->box.y0 + l->box.y1) / 2);
		/* Only a short lead-in of the same size right before it ("Caption:"):
		 * labels of a figure beside a side caption are smaller or farther. */
		if (j == i || dy > 0.3f * l->size || o->box.x1 > l->box.x0 + 1 || o->box.x0 < xa ||
		    l->box.x0 - o->box.x1 > 3 * l->size || fabsf(o->size - l->size) > 0.5f ||
		    fp->body[j] || wk_fig_word_count(o->text) > 3 || (o->flags & WK_LINE_FURNITURE))
			continue; /* wrapped prose beside a caption is not a lead-in */
		size_t n = strlen(o->text);
		if (n > 0 && o->text[n - 1] == ':' && !wk_caption_parse(o->text, &other))
			return true;
	}
	return false;
}

static bool caption_start(const wk_fig_page *fp, int i, wk_caption_label *label)
{
	const wk_line *l = &fp->page->lines[i];
	if (!l->text || (l->flags & WK_LINE_FURNITURE) || !parse_row_label(fp->page, i, label))
		return false;
	if (is_toc_entry(l->text) || continues_sentence(fp, i))
		return false;
	/* "Table 1 Statistics ..." without punctuation must not sit inside a paragraph. */
	if (label->strength == WK_CAP_WORD && fp->body[i] && line_above(fp->page, i) >= 0)
		return false;
	return !follows_on_row(fp, i);
}

/* A caption set in its own face (bold, italic) ends where body text in another face
 * follows without a gap. The first line may be in the label's face when it holds little
 * more than the label. */
static bool same_face(const wk_page *page, const wk_fig_caption *c, const wk_line *l)
{
	const wk_line *prev = &page->lines[c->lines[c->nlines - 1]];
	if (c->nlines == 1 && wk_fig_word_count(prev->text) <= 3)
		return true;
	/* A first line that fills the span wraps on: its run-in title may be bold. */
	if (c->nlines == 1 && prev->box.x1 - prev->box.x0 >= 0.85f * (c->xb - c->xa))
		return true;
	return prev->font == l->font || (prev->bold == l->bold && prev->italic == l->italic);
}

/* Caption lines after the first stay within its width (left-aligned or centred);
 * a wider line below is the text that follows. "TABLE I" alone on its line is the
 * exception: its title below is wider. */
static bool within_caption(const wk_page *page, const wk_fig_caption *c, const wk_line *l)
{
	const wk_line *first = &page->lines[c->lines[0]];
	if (c->nlines == 1 && wk_fig_word_count(first->text) <= 3)
		return true;
	return l->box.x0 >= c->box.x0 - first->size && l->box.x1 <= c->box.x1 + first->size;
}

/* A table row or figure labels below a caption: the line shares its row with another
 * line of the span (extract.c splits rows at wide gaps), or a drawn rule separates it
 * from the caption. */
static bool below_is_content(const wk_fig_page *fp, const wk_fig_caption *c, int li)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[li];
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		float dy = fabsf((o->box.y0 + o->box.y1) / 2 - (l->box.y0 + l->box.y1) / 2);
		/* Text beside the caption (wrapped around it) does not count. */
		bool under = o->box.x0 < c->box.x1 && o->box.x1 > c->box.x0;
		if (j != li && dy < 0.3f * l->size && under)
			return true;
	}
	for (int k = 0; k < page->npaths; k++) {
		const wk_rect *r = &page->paths[k];
		if (r->y0 >= c->box.y1 - 1 && r->y1 <= l->box.y0 + 1 && r->x0 < l->box.x1 &&
		    r->x1 > l->box.x0)
			return true;
	}
	return false;
}

/* Adds the lines that continue a caption: same size and face, close below, same span. */
static void gather_caption(const wk_fig_page *fp, wk_fig_caption *c, const unsigned char *start)
{
	const wk_page *page = fp->page;
	const wk_line *first = &page->lines[c->lines[0]];
	for (bool grew = true; grew && c->nlines < WK_FIG_MAX_CAPTION_LINES;) {
		grew = false;
		int best = -1;
		for (int j = 0; j < page->nlines; j++) {
			const wk_line *l = &page->lines[j];
			float gap = vgap(c->box, l->box);
			float cx = (l->box.x0 + l->box.x1) / 2;
			if (start[j] || l->box.y0 < c->box.y1 - 0.5f * l->size || gap > 0.6f * first->size ||
			    fabsf(l->size - first->size) > 0.8f || cx < c->xa || cx > c->xb ||
			    (l->flags & WK_LINE_FURNITURE) || l->box.x0 < c->xa - 2 ||
			    !x_overlap(l->box, c->box))
				continue;
			if (best < 0 || l->box.y0 < page->lines[best].box.y0)
				best = j;
		}
		if (best >= 0 && same_face(page, c, &page->lines[best]) &&
		    within_caption(page, c, &page->lines[best]) && !below_is_content(fp, c, best)) {
			bool dup = false;
			for (int k = 0; k < c->nlines; k++)
				dup |= c->lines[k] == best;
			if (dup)
				break;
			const wk_rect *b = &page->lines[best].box;
			c->lines[c->nlines++] = best;
			c->box = (wk_rect){WK_MIN(c->box.x0, b->x0), WK_MIN(c->box.y0, b->y0),
			                   WK_MAX(c->box.x1, b->x1), WK_MAX(c->box.y1, b->y1)};
			grew = true;
		}
	}
}

/* Two caption starts with one label on a page: keep the surer one. */
static int keep_best(wk_fig_caption *out, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		int dup = -1;
		for (int j = 0; j < k && dup < 0; j++)
			if (out[j].label.type == out[i].label.type &&
			    strcmp(out[j].label.num, out[i].label.num) == 0)
				dup = j;
		if (dup < 0)
			out[k++] = out[i];
		else if (out[i].label.strength > out[dup].label.strength)
			out[dup] = out[i];
	}
	return k;
}

/* Captions side by side on one row (two figures next to each other) split the span
 * between them. */
static void split_side_by_side(wk_fig_caption *caps, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			wk_fig_caption *a = &caps[i], *b = &caps[j];
			bool same_row = a->box.y0 < b->box.y1 && b->box.y0 < a->box.y1;
			if (i == j || !same_row || a->box.x1 > b->box.x0)
				continue; /* a must be left of b */
			float mid = (a->box.x1 + b->box.x0) / 2;
			a->xb = WK_MIN(a->xb, mid);
			b->xa = WK_MAX(b->xa, mid);
			a->beside = b->beside = true;
		}
}

int wk_fig_find_captions(const wk_fig_page *fp, wk_fig_caption *out, int cap)
{
	const wk_page *page = fp->page;
	unsigned char *start = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	int n = 0;
	for (int i = 0; i < page->nlines && n < cap; i++) {
		wk_caption_label label;
		if (!caption_start(fp, i, &label))
			continue;
		start[i] = 1;
		wk_fig_caption *c = &out[n++];
		memset(c, 0, sizeof *c);
		c->label = label;
		c->lines[c->nlines++] = i;
		c->box = page->lines[i].box;
		int row[WK_FIG_MAX_CAPTION_LINES / 2];
		int nrow = row_partners(page, i, row, WK_FIG_MAX_CAPTION_LINES / 2);
		for (int k = 0; k < nrow; k++) {
			const wk_rect *b = &page->lines[row[k]].box;
			start[row[k]] = 1;
			c->lines[c->nlines++] = row[k];
			c->box = (wk_rect){WK_MIN(c->box.x0, b->x0), WK_MIN(c->box.y0, b->y0),
			                   WK_MAX(c->box.x1, b->x1), WK_MAX(c->box.y1, b->y1)};
		}
		caption_span(fp, c->box, &c->xa, &c->xb);
	}
	for (int i = 0; i < n; i++) {
		narrow_for_wrap(fp, &out[i], &out[i].xa, &out[i].xb);
		gather_caption(fp, &out[i], start);
		narrow_for_wrap(fp, &out[i], &out[i].xa, &out[i].xb);
	}
	n = keep_best(out, n);
	split_side_by_side(out, n);
	return n;
}
