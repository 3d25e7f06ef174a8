/* layout.c: one page's columns, reading order and paragraph candidates.
 *
 * Columns come from gutters: vertical strips that no column-width line crosses, with
 * enough text on both sides. A line that crosses a gutter (a title, an abstract, a
 * full-width figure) spans the columns and cuts the page into bands; each band is read
 * column by column. Inside a column, lines on one baseline form a row, and rows form
 * paragraphs, broken at vertical gaps, font changes, indents, short last lines, list
 * items and heading-like rows. */
#include "pdf.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_GUTTERS = 4, MAX_BLOCKS = 20000, BLOCK_TEXT_MAX = 256 * 1024 };

typedef struct item {
	wk_rect box;
	const wk_line *line; /* NULL for a figure slot */
	int figure;
	int column;          /* -1 spans two columns or more */
	int lo, hi;          /* the columns it covers */
} item;

typedef struct row {
	wk_rect box;
	float base;          /* baseline of its widest line */
	int first, n;        /* items order[first .. first+n) */
	const wk_line *main; /* the widest line of the row: its style is the row's */
	bool headlike;
	int numbering;
} row;

typedef struct layout {
	const wk_page *page;
	wk_page_out *out;
	item *items;
	int nitems;
	int *order;          /* item indices in reading order */
	int norder;
	float gutter[MAX_GUTTERS][2];
	int ngutters;
	float body;          /* the page's body text size */
	int from, to;        /* the items the gutter search looks at */
	float narrow;        /* lines narrower than this share of the text width may make
	                        columns: 0.6 on a page, 0.75 in a stretch of one (an abstract
	                        beside an article-info box takes two thirds of the width) */
	int block_cap;
	int nruns;
} layout;

static float width(wk_rect r) { return r.x1 - r.x0; }
static float height(wk_rect r) { return r.y1 - r.y0; }

static float baseline(const wk_line *l)
{
	return l->baseline > 0 ? l->baseline : l->box.y1;
}

static bool usable(const wk_line *l)
{
	return !(l->flags & (WK_LINE_FIGURE | WK_LINE_CAPTION | WK_LINE_FURNITURE)) && l->text[0];
}

void wk_size_hist_add(wk_size_hist *h, float size, double weight)
{
	float s = roundf(size * 2) / 2;
	int k = 0;
	while (k < h->n && h->size[k] != s)
		k++;
	if (k == h->n) {
		if (h->n == (int)WK_ARRAY_LEN(h->size))
			return;
		h->size[h->n] = s;
		h->weight[h->n++] = 0;
	}
	h->weight[k] += weight;
}

float wk_size_hist_mode(const wk_size_hist *h, float dflt)
{
	int best = 0;
	for (int k = 1; k < h->n; k++)
		if (h->weight[k] > h->weight[best])
			best = k;
	return h->n ? h->size[best] : dflt;
}

/* The size carrying the most characters, running headers and footers left out. */
static float body_size(const wk_page *page)
{
	wk_size_hist h = {.n = 0};
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		bool margin = l->box.y1 < 0.08f * page->height || l->box.y0 > 0.92f * page->height;
		if (usable(l) && !margin)
			wk_size_hist_add(&h, l->size, (double)strlen(l->text));
	}
	return wk_size_hist_mode(&h, 10);
}

/* ---- columns ---- */

/* A figure (a chart beside a text column) holds about as many lines as its height
 * would: it makes a column as text does. */
static int figure_lines(const item *it)
{
	return 1 + (int)(height(it->box) / 12);
}

/* Counts the lines on each side of a candidate gutter [g0, g1] and those crossing it. */
static bool gutter_ok(const layout *lay, float g0, float g1, float text_w)
{
	int left = 0, right = 0, cross = 0, narrow = 0;
	for (int i = lay->from; i < lay->to; i++) {
		const item *it = &lay->items[i];
		if (!it->line) { /* a figure in one column stands for its lines; one across is a band */
			left += it->box.x1 <= g0 + 1 ? figure_lines(it) : 0;
			right += it->box.x0 >= g1 - 1 ? figure_lines(it) : 0;
			continue;
		}
		if (width(it->box) < 0.6f * text_w)
			narrow++;
		if (it->box.x1 <= g0 + 1)
			left++;
		else if (it->box.x0 >= g1 - 1)
			right++;
		else
			cross++;
	}
	int total = left + right + cross;
	return left >= 4 && right >= 4 && left >= narrow / 6 && right >= narrow / 6 &&
	       cross * 2 <= total;
}

/* Short pieces stay out of the cover histogram, so a run may hold a column of them: the
 * codes or amounts right of a list's names ("Little Rock ... AR01"). When at least
 * MIN_INSIDE lines lie inside the run [g0, g1], the gutter is its widest stretch that no
 * line touches, so that they join the column on their side instead of spanning both;
 * a lone page number in a paper's gutter changes nothing. Returns false when no stretch
 * of min_w is left. */
enum { MIN_INSIDE = 3 };
static bool clear_of_short_lines(const layout *lay, float *g0, float *g1, float min_w)
{
	int inside = 0, nbins = (int)(*g1 - *g0) + 1;
	for (int i = lay->from; i < lay->to; i++) {
		const wk_rect b = lay->items[i].box;
		inside += lay->items[i].line && b.x0 >= *g0 - 1 && b.x1 <= *g1 + 1;
	}
	if (inside < MIN_INSIDE || nbins < 2)
		return true;
	unsigned char *used = wk_xcalloc((size_t)nbins, 1);
	for (int i = lay->from; i < lay->to; i++) {
		const wk_rect b = lay->items[i].box;
		if (!lay->items[i].line || b.x1 <= *g0 || b.x0 >= *g1)
			continue;
		for (int x = WK_MAX(0, (int)(b.x0 - *g0)); x <= (int)(b.x1 - *g0) && x < nbins; x++)
			used[x] = 1;
	}
	int best = 0, best_len = 0;
	for (int x = 0; x < nbins;) {
		int start = x;
		while (x < nbins && !used[x])
			x++;
		if (x - start > best_len)
			best = start, best_len = x - start;
		x += x < nbins;
	}
	free(used);
	if ((float)best_len < min_w)
		return false;
	*g1 = *g0 + (float)(best + best_len);
	*g0 += (float)best;
	return true;
}

/* Gutters in the cover histogram: runs of x that at most `allow` narrow lines cover,
 * at least `min_w` wide, checked by gutter_ok. */
static void scan_gutters(layout *lay, const unsigned short *cover, int nbins, float x0,
                         float x1, int allow, float min_w)
{
	float text_w = x1 - x0;
	/* A column is a fifth of the text's width at least; of a two-page spread's, a fifth of
	 * one page's (a spread's outer columns beside photos are a tenth of it). */
	float page_w = lay->page->width, side_min = 0.2f * text_w;
	if (page_w > 1.2f * lay->page->height)
		side_min = 0.2f * fminf(text_w, 0.5f * page_w);
	for (int x = 0; x < nbins && lay->ngutters < MAX_GUTTERS;) {
		if (cover[x] > allow) {
			x++;
			continue;
		}
		int start = x, low = cover[x];
		while (x < nbins && cover[x] <= allow)
			low = WK_MIN(low, cover[x]), x++;
		/* The gutter is the emptiest stretch of the run: ragged line ends around it
		 * are text, not gap. */
		int a = start, b = x;
		while (a < b && cover[a] > low)
			a++;
		while (b > a && cover[b - 1] > low)
			b--;
		float g0 = x0 + (float)a, g1 = x0 + (float)b;
		if (g1 - g0 >= min_w && a > 0 && b < nbins && clear_of_short_lines(lay, &g0, &g1, min_w) &&
		    g0 - x0 > side_min && x1 - g1 > side_min && gutter_ok(lay, g0, g1, text_w)) {
			lay->gutter[lay->ngutters][0] = g0;
			lay->gutter[lay->ngutters][1] = g1;
			lay->ngutters++;
		}
	}
}

/* Adds the narrow lines to the cover histogram; with skip_title, not the lines centred
 * on the page in the top third of its text (a paper's title block above its columns). */
static void fill_cover(const layout *lay, unsigned short *cover, int nbins, float x0, float x1,
                       float top, float bottom, bool skip_title)
{
	float text_w = x1 - x0, mid = 0.5f * (x0 + x1);
	for (int i = lay->from; i < lay->to; i++) {
		const item *it = &lay->items[i];
		/* Short pieces (numbers, table cells) have gaps of their own. */
		if (width(it->box) >= lay->narrow * text_w || (it->line && strlen(it->line->text) < 8))
			continue;
		int weight = it->line ? 1 : figure_lines(it);
		float centre = 0.5f * (it->box.x0 + it->box.x1);
		if (skip_title && fabsf(centre - mid) < 0.03f * text_w &&
		    it->box.y1 < top + (bottom - top) / 3)
			continue;
		int a = (int)(it->box.x0 - x0), b = (int)(it->box.x1 - x0);
		for (int x = WK_MAX(a, 0); x <= b && x < nbins; x++)
			cover[x] = (unsigned short)WK_MIN(65535, cover[x] + weight);
	}
}

/* The fold of a two-page spread: on a landscape page, the middle is a gutter when no
 * line and no table crosses it and each half holds a few lines (a page of a spread may
 * be a photo with a quote on it). The cover histogram misses the fold when a photo
 * bleeds up to it from either side, and gutter_ok asks too many lines of a page. */
enum { FOLD_MIN_LINES = 4 };
static void add_fold(layout *lay)
{
	const wk_page *page = lay->page;
	float mid = 0.5f * page->width;
	if (page->width <= 1.2f * page->height || lay->ngutters >= MAX_GUTTERS)
		return;
	for (int g = 0; g < lay->ngutters; g++)
		if (lay->gutter[g][0] <= mid + 1 && lay->gutter[g][1] >= mid - 1)
			return;
	int left = 0, right = 0;
	for (int i = lay->from; i < lay->to; i++) {
		const item *it = &lay->items[i];
		bool table = !it->line && page->figures[it->figure].type == WK_UNIT_TABLE;
		if ((it->line || table) && it->box.x0 < mid - 1 && it->box.x1 > mid + 1)
			return;
		left += it->line && it->box.x1 <= mid;
		right += it->line && it->box.x0 >= mid;
	}
	if (left < FOLD_MIN_LINES || right < FOLD_MIN_LINES)
		return;
	int k = lay->ngutters++;
	while (k > 0 && lay->gutter[k - 1][0] > mid) {
		lay->gutter[k][0] = lay->gutter[k - 1][0];
		lay->gutter[k][1] = lay->gutter[k - 1][1];
		k--;
	}
	lay->gutter[k][0] = mid - 1;
	lay->gutter[k][1] = mid + 1;
}

/* Gutters: runs of x that no narrow line covers. A few narrow lines may cross one
 * (centred author names, short headings). When none is found so, the page is tried
 * again without its centred title block, for a wide gutter only: a first page whose
 * title, authors and affiliations cross the gutter with more lines than allowed. */
static void find_gutters(layout *lay)
{
	float x0 = 1e9f, x1 = -1e9f, top = 1e9f, bottom = -1e9f;
	for (int i = lay->from; i < lay->to; i++)
		if (lay->items[i].line) {
			x0 = fminf(x0, lay->items[i].box.x0);
			x1 = fmaxf(x1, lay->items[i].box.x1);
			top = fminf(top, lay->items[i].box.y0);
			bottom = fmaxf(bottom, lay->items[i].box.y1);
		}
	float text_w = x1 - x0;
	if (text_w < 100 || text_w > 20000)
		return;
	int nbins = (int)text_w + 1;
	unsigned short *cover = wk_xcalloc((size_t)nbins, sizeof *cover);
	for (int pass = 0; pass < 2 && lay->ngutters == 0; pass++) {
		memset(cover, 0, sizeof *cover * (size_t)nbins);
		fill_cover(lay, cover, nbins, x0, x1, top, bottom, pass == 1);
		int peak = 0;
		for (int x = 0; x < nbins; x++)
			peak = WK_MAX(peak, cover[x]);
		scan_gutters(lay, cover, nbins, x0, x1, WK_MAX(3, peak / 8), pass ? 12.0f : 4.0f);
	}
	free(cover);
	add_fold(lay);
}

/* The columns [lo, hi] a box covers; column is lo when that is one, else -1. */
static void place(const layout *lay, item *it)
{
	wk_rect r = it->box;
	it->lo = 0;
	while (it->lo < lay->ngutters && r.x0 >= lay->gutter[it->lo][1] - 2)
		it->lo++;
	it->hi = it->lo;
	while (it->hi < lay->ngutters && r.x1 > lay->gutter[it->hi][0] + 2)
		it->hi++;
	it->column = it->lo == it->hi ? it->lo : -1;
}

/* ---- reading order ---- */

/* Where an item starts vertically: for text, from the baseline, because the boxes of
 * math and symbol glyphs reach far above the line. */
static float top_of(const item *it)
{
	float top = it->line ? baseline(it->line) - 0.75f * it->line->size : it->box.y0;
	/* Rounded, so that pieces of one baseline sort left to right despite float noise. */
	return roundf(top);
}

static int cmp_top(const void *a, const void *b)
{
	const item *x = a, *y = b;
	float tx = top_of(x), ty = top_of(y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* Reading order over the columns [lo, hi]: a line across all of them (a title, a
 * full-width paragraph) cuts the range into bands; inside a band, columns that no line
 * joins are read one after the other, and columns joined by lines (a side box or a chart
 * over two columns of a three-column page) are read as a range of their own. So a left
 * column runs on beside a box that spans the two right ones. `idx` is in top order. */
static void order_range(layout *lay, const int *idx, int n, int lo, int hi, int depth);

static bool inside(const item *it, int lo, int hi)
{
	return it->lo >= lo && it->hi <= hi;
}

/* The band idx[0, n) (no line across all of [lo, hi]): its groups of joined columns. */
static void order_band(layout *lay, const int *idx, int n, int lo, int hi, int depth)
{
	bool joined[MAX_GUTTERS + 1] = {false}; /* [c]: a line covers columns c and c + 1 */
	for (int k = 0; k < n; k++)
		for (int c = lay->items[idx[k]].lo; c < lay->items[idx[k]].hi; c++)
			joined[c] = true;
	int *sub = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(n, 1));
	for (int a = lo; a <= hi;) {
		int b = a;
		while (b < hi && joined[b])
			b++;
		int m = 0;
		for (int k = 0; k < n; k++)
			if (inside(&lay->items[idx[k]], a, b))
				sub[m++] = idx[k];
		if (a == lo && b == hi) /* lines join the columns, none spans all: read by top */
			memcpy(lay->order + lay->norder, sub, sizeof(int) * (size_t)m), lay->norder += m;
		else if (m)
			order_range(lay, sub, m, a, b, depth + 1);
		a = b + 1;
	}
	free(sub);
}

static void order_range(layout *lay, const int *idx, int n, int lo, int hi, int depth)
{
	if (lo == hi || depth > MAX_GUTTERS + 1) {
		memcpy(lay->order + lay->norder, idx, sizeof(int) * (size_t)n);
		lay->norder += n;
		return;
	}
	int band = 0;
	for (int k = 0; k < n; k++) {
		const item *it = &lay->items[idx[k]];
		if (it->lo > lo || it->hi < hi)
			continue;
		order_band(lay, idx + band, k - band, lo, hi, depth);
		lay->order[lay->norder++] = idx[k];
		band = k + 1;
	}
	order_band(lay, idx + band, n - band, lo, hi, depth);
}

static void find_gutters(layout *lay);

/* Items [from, to) in top order, read over their own columns. */
static void order_items(layout *lay, int from, int to)
{
	int *idx = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(to - from, 1));
	for (int i = from; i < to; i++)
		idx[i - from] = i;
	order_range(lay, idx, to - from, 0, lay->ngutters, 0);
	free(idx);
}

/* A page without page-wide columns may still have them in part of it: an article-info
 * box beside an abstract, a sidebar under a full-width introduction. The page is cut at
 * vertical gaps wider than a body line into stretches, and each stretch of enough lines
 * looks for gutters of its own. */
static void order_stretches(layout *lay)
{
	float gap = lay->body, bottom = -1e9f;
	for (int from = 0, i = 0; i <= lay->nitems; i++) {
		if (i < lay->nitems && (i == from || lay->items[i].box.y0 <= bottom + gap)) {
			bottom = fmaxf(bottom, lay->items[i].box.y1);
			continue;
		}
		lay->ngutters = 0;
		lay->from = from, lay->to = i, lay->narrow = 0.75f;
		if (i - from >= 8)
			find_gutters(lay);
		for (int k = from; k < i; k++)
			place(lay, &lay->items[k]);
		order_items(lay, from, i);
		from = i;
		if (i < lay->nitems)
			bottom = lay->items[i].box.y1;
	}
}

static void reading_order(layout *lay)
{
	qsort(lay->items, (size_t)lay->nitems, sizeof(item), cmp_top);
	lay->order = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(lay->nitems, 1));
	if (lay->ngutters)
		order_items(lay, 0, lay->nitems);
	else
		order_stretches(lay);
}

/* ---- rows ---- */

static bool ends_with_any(const char *s, const char *chars)
{
	size_t n = strlen(s);
	return n > 0 && strchr(chars, s[n - 1]) != NULL;
}

int wk_count_words(const char *s)
{
	int n = 0;
	for (bool in = false; *s; s++) {
		bool sp = *s == ' ' || *s == '\n';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

static bool starts_list_item(const char *s);

/* "2. RELATED WORK": small-caps section titles of some journals are neither bold nor big. */
static bool all_caps(const char *s)
{
	int upper = 0;
	for (; *s; s++) {
		if (islower((unsigned char)*s))
			return false;
		upper += isupper((unsigned char)*s) != 0;
	}
	return upper >= 3;
}

/* A numbered line of a listing ("18: end for", "3: while i < k do"): algorithm steps are
 * set in bold keywords, never section headings. */
static bool listing_line(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n <= 3 && s[n] == ':' && s[n + 1] == ' ';
}

/* A person's name: two to six words, each capitalised ("Mohammad Saad Zaghloul Salem",
 * "Ed H. Chi"); the raised mark at its end (WK_LINE_MARK_END) not counted. */
static bool name_like(const char *s)
{
	int words = 0;
	for (const char *p = s; *p; p += strspn(p, " ")) {
		size_t w = strcspn(p, " ");
		if (isdigit((unsigned char)*p) || *p == ',')
			break; /* the mark */
		if (!isupper((unsigned char)*p) && (unsigned char)*p < 0x80)
			return false;
		words++;
		p += w;
	}
	return words >= 2 && words <= 6;
}

static bool headlike_line(const layout *lay, const wk_line *l, int numbering)
{
	int words = wk_count_words(l->text);
	if (words == 0 || words > 14 || strlen(l->text) > 120 || listing_line(l->text))
		return false;
	/* A name with a numbered affiliation mark is an author, set big under the title but
	 * never a heading. A symbol ("Collection∗") is as often a title's footnote. (A
	 * title-case heading with a numbered footnote, "Related Work²", reads the same and is
	 * lost: none of the shared documents has one.) */
	size_t len = strlen(l->text);
	if ((l->flags & WK_LINE_MARK_END) && numbering == 0 && len > 0 &&
	    isdigit((unsigned char)l->text[len - 1]) && name_like(l->text))
		return false;
	bool alpha = false;
	for (const char *p = l->text; *p; p++)
		alpha |= isalpha((unsigned char)*p) != 0;
	int commas = 0;
	for (const char *p = l->text; *p; p++)
		commas += *p == ',';
	/* Author lists are set big too. */
	if (!alpha || commas >= 2 || ends_with_any(l->text, ",;") ||
	    (starts_list_item(l->text) && numbering == 0))
		return false;
	/* Set big but in a regular weight: a title, or author names under one. */
	if (l->size >= lay->body * (l->bold || numbering ? 1.12f : 1.3f))
		return true;
	if (numbering > 0 && (l->bold || l->size > lay->body + 0.4f || all_caps(l->text)))
		return true;
	return l->bold && !ends_with_any(l->text, ".:") && words <= 12;
}

/* Pieces of one row further apart than this many font sizes are cells or labels side
 * by side ("(Millions)" ... "December 31, 2018", "Reagan" ... "67", two columns' box
 * titles), not the words of one heading. Read off the multi-piece heading-like rows of
 * the shared documents: real unnumbered headings keep their pieces within 2.5 sizes
 * ("Item 1." + "Business", display faces with wide tracking at 2.1-2.4), table header
 * rows and chart labels start at 2.8 and are mostly far wider (4-60). */
#define ROW_CELL_GAP 3.0f

/* A section label set apart from its title: "Item 1B." or "Note 9" before "Business",
 * a word or two ending in a number. */
static bool label_piece(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && strchr(".:", s[n - 1]))
		n--;
	return n > 0 && n <= 12 && wk_count_words(s) <= 2 &&
	       (isdigit((unsigned char)s[n - 1]) || isdigit((unsigned char)s[n > 1 ? n - 2 : 0]));
}

/* The widest gap between neighbouring pieces of row r, in sizes of the piece after it. */
static float widest_piece_gap(const layout *lay, const row *r)
{
	float widest = 0;
	for (int i = r->first + 1; i < r->first + r->n; i++) {
		const wk_line *a = lay->items[lay->order[i - 1]].line, *b = lay->items[lay->order[i]].line;
		if (a && b && b->size > 0)
			widest = fmaxf(widest, (b->box.x0 - a->box.x1) / b->size);
	}
	return widest;
}

/* Numbering and heading look of a row; a row of a few pieces ("1" + "Introduction")
 * is judged on its joined text with the style of its widest piece, and is no heading
 * when its pieces stand apart like cells (ROW_CELL_GAP) after an unnumbered start. */
static void classify_row(const layout *lay, row *r)
{
	const wk_line *first = lay->items[lay->order[r->first]].line;
	if (r->n == 1) {
		r->numbering = wk_heading_numbering(first->text);
		r->headlike = headlike_line(lay, first, r->numbering);
		return;
	}
	if (r->n > 3)
		return;
	char text[256];
	size_t k = 0;
	for (int i = r->first; i < r->first + r->n; i++) {
		const wk_line *l = lay->items[lay->order[i]].line;
		k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", k ? " " : "", l->text);
		if (k >= sizeof text - 1)
			return;
	}
	wk_line joined = *r->main;
	joined.text = text;
	r->numbering = wk_heading_numbering(text);
	r->headlike = headlike_line(lay, &joined, r->numbering) &&
	              (r->numbering > 0 || label_piece(first->text) ||
	               widest_piece_gap(lay, r) < ROW_CELL_GAP);
}

/* Groups consecutive items of one run that share a baseline. */
static int build_rows(layout *lay, int from, int to, row *rows)
{
	int n = 0;
	for (int k = from; k < to; k++) {
		const item *it = &lay->items[lay->order[k]];
		row *r = n ? &rows[n - 1] : NULL;
		float tol = 0.4f * (it->line ? it->line->size : 10);
		if (r && r->main && it->line && fabsf(baseline(it->line) - r->base) < tol &&
		    it->box.x0 >= r->box.x1 - 1) {
			r->n++;
			r->box = (wk_rect){fminf(r->box.x0, it->box.x0), fminf(r->box.y0, it->box.y0),
			                   fmaxf(r->box.x1, it->box.x1), fmaxf(r->box.y1, it->box.y1)};
			if (width(it->box) > width(r->main->box))
				r->main = it->line, r->base = baseline(it->line);
			continue;
		}
		rows[n++] = (row){it->box, it->line ? baseline(it->line) : it->box.y1, k, 1, it->line, false, 0};
	}
	for (int i = 0; i < n; i++)
		if (rows[i].main)
			classify_row(lay, &rows[i]);
	return n;
}

/* ---- paragraphs ---- */

typedef struct run_geom {
	float left, right;
	float leading; /* baseline distance per point of font size; 0 = unknown */
	bool justified;
} run_geom;

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* A baseline distance over this many font sizes is no line spacing: double-spaced
 * manuscripts reach about 2.3. A run of two or three rows has one or two distances only,
 * and when one was the gap between two drawings' titles ("27\" Model" over one drawing,
 * "32\" Model" 300 points lower) it made them one paragraph. Runs with more distances
 * keep their measure: a phone manual's steps, set apart by icons, stay whole. */
#define MAX_LEADING 2.5f

static run_geom measure_run(const row *rows, int n)
{
	run_geom g = {1e9f, -1e9f, 0, false};
	float *d = wk_xmalloc(sizeof(float) * (size_t)WK_MAX(n, 1));
	int nd = 0, full = 0;
	for (int i = 0; i < n; i++) {
		g.left = fminf(g.left, rows[i].box.x0);
		g.right = fmaxf(g.right, rows[i].box.x1);
		if (i > 0 && rows[i].main && rows[i - 1].main) {
			float delta = rows[i].base - rows[i - 1].base;
			if (delta > 0 && rows[i].main->size > 0 &&
			    fabsf(rows[i].main->size - rows[i - 1].main->size) < 0.5f)
				d[nd++] = delta / rows[i].main->size;
		}
	}
	/* A low quantile: paragraph gaps are the outliers. Relative to the size, because a
	 * run may mix sizes: on slides a 30 pt quote over 8 pt footnotes, whose absolute
	 * spacing cut the quote into one paragraph per line. */
	if (nd) {
		qsort(d, (size_t)nd, sizeof(float), cmp_float);
		g.leading = nd >= 3 ? d[nd / 4] : fminf(d[nd / 4], MAX_LEADING);
	}
	for (int i = 0; i < n; i++)
		full += rows[i].box.x1 >= g.right - 2;
	g.justified = n >= 3 && full * 2 >= n;
	free(d);
	return g;
}

static bool starts_list_item(const char *s)
{
	static const char *const bullets[] = {"\xe2\x80\x94 ", "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa",
	                                      "\xe2\x80\x93 ", "- ", "\xe2\x88\x97", "* ",
	                                      "\xef\x82\xb7", "\xe2\x97\x8f", "\xe2\x96\xa0"};
	for (size_t i = 0; i < WK_ARRAY_LEN(bullets); i++)
		if (strncmp(s, bullets[i], strlen(bullets[i])) == 0)
			return true;
	const char *p = s;
	if (*p == '(')
		p++;
	const char *q = p;
	while (isdigit((unsigned char)*q) || (q - p < 1 && islower((unsigned char)*q)))
		q++;
	return q > p && q - p <= 3 && (*q == ')' || (*q == '.' && q[1] == ' ')) &&
	       (q[1] == ' ' || *p == '(');
}

static bool row_short(const row *r, const run_geom *g)
{
	float size = r->main ? r->main->size : 10;
	if (g->justified)
		return r->box.x1 < g->right - 1.2f * size;
	return r->box.x1 < g->right - 0.25f * (g->right - g->left);
}

/* Whether a paragraph ends between rows a and b; `c` is the row after b, or NULL. */
static bool breaks_between(const row *a, const row *b, const row *c, const run_geom *g)
{
	if (!a->main || !b->main)
		return true;
	float size = a->main->size;
	if (a->headlike != b->headlike || (b->headlike && b->numbering > 0))
		return true;
	if (a->headlike && (a->main->bold != b->main->bold || fabsf(a->main->size - b->main->size) > 0.5f))
		return true;
	if (fabsf(a->main->size - b->main->size) > fmaxf(0.7f, 0.1f * size))
		return true;
	float delta = b->base - a->base;
	float spacing = (g->leading > 0 ? g->leading : 1.25f) * size;
	if (a->headlike)
		spacing = fmaxf(spacing, 1.3f * size); /* headings have leading of their own */
	if (delta > spacing * 1.35f + 0.5f || delta < -0.5f * size)
		return true;
	if (a->headlike)
		return false; /* a heading's second line may hang under its title */
	const char *text = b->main->text;
	/* "1." may just be a number wrapped to the start of a line: an item must follow a
	 * finished line. */
	if (starts_list_item(text) && ((unsigned char)text[0] >= 0x80 || row_short(a, g) ||
	                               ends_with_any(a->main->text, ".:;")))
		return true;
	bool indented = b->box.x0 > g->left + 0.8f * size && b->box.x0 < g->left + 6 * size &&
	                a->box.x0 < g->left + 0.5f * size;
	/* A hanging indent (list items, references) keeps the lines after b indented too. */
	bool hanging = (c && c->main && fabsf(c->box.x0 - b->box.x0) < 1.0f && !row_short(a, g)) ||
	               starts_list_item(a->main->text);
	if (indented && !hanging && (row_short(a, g) || !g->justified || b->box.x0 - g->left < 3 * size))
		return true;
	return row_short(a, g) && ends_with_any(a->main->text, ".!?:\"") &&
	       !islower((unsigned char)text[0]);
}

/* A block that starts in the right half of its run and is not centred on it (its centre
 * more than 15% of the run's width off) stands over the run's right-hand columns. With a
 * figure in it and no section number, it is a column header ("Year Ended December 31,
 * 2017" over the figures), not a heading, which starts at the run's left edge or is
 * centred on it. Without the figure the rule took box titles side by side on brochure
 * spreads and a report's centred title in a run reaching further left; with it, on the
 * shared documents, only column headers and an exhibit's number in a page corner. */
static bool right_of_run(wk_rect box, const run_geom *g)
{
	float w = g->right - g->left;
	return w > 0 && box.x0 > g->left + 0.5f * w &&
	       fabsf((box.x0 + box.x1) / 2 - (g->left + g->right) / 2) > 0.15f * w;
}

static wk_block *new_block(layout *lay)
{
	wk_page_out *out = lay->out;
	if (out->nblocks >= MAX_BLOCKS)
		return NULL;
	out->blocks = wk_grow(out->blocks, &lay->block_cap, out->nblocks + 1, sizeof(wk_block));
	wk_block *b = &out->blocks[out->nblocks++];
	memset(b, 0, sizeof *b);
	return b;
}

/* Rows [from, to) become one text block. */
static void emit_block(layout *lay, const row *rows, int from, int to, const run_geom *g,
                       int column)
{
	wk_block *b = new_block(lay);
	if (!b)
		return;
	wk_buf text;
	wk_buf_init(&text, BLOCK_TEXT_MAX);
	int bold = 0;
	b->box = rows[from].box;
	for (int i = from; i < to; i++) {
		const row *r = &rows[i];
		if (i > from)
			wk_buf_putc(&text, '\n');
		for (int k = r->first; k < r->first + r->n; k++) {
			if (k > r->first)
				wk_buf_putc(&text, ' ');
			wk_buf_puts(&text, lay->items[lay->order[k]].line->text);
		}
		bold += r->main->bold;
		b->box = (wk_rect){fminf(b->box.x0, r->box.x0), fminf(b->box.y0, r->box.y0),
		                   fmaxf(b->box.x1, r->box.x1), fmaxf(b->box.y1, r->box.y1)};
	}
	const row *first = &rows[from], *last = &rows[to - 1];
	b->kind = WK_BLOCK_TEXT;
	b->text = wk_arena_strdup(lay->out->arena, wk_buf_cstr(&text));
	wk_buf_free(&text);
	b->size = first->main->size;
	b->bold = (float)bold / (float)(to - from);
	b->italic = first->main->italic;
	b->mono = first->main->mono;
	b->nlines = to - from;
	b->numbering = first->numbering;
	b->column = column;
	float size = first->main->size;
	if (first->box.x0 > g->left + 0.8f * size)
		b->flags |= WK_BF_INDENT;
	if (starts_list_item(first->main->text))
		b->flags |= WK_BF_LIST;
	if (row_short(last, g))
		b->flags |= WK_BF_SHORT_END;
	if (first->headlike && !(first->numbering == 0 && strpbrk(b->text, "0123456789") &&
	                         right_of_run(b->box, g)))
		b->flags |= WK_BF_HEADLIKE;
}

static void emit_figure(layout *lay, const item *it)
{
	wk_block *b = new_block(lay);
	if (!b)
		return;
	b->kind = WK_BLOCK_FIGURE;
	b->box = it->box;
	b->figure = it->figure;
	b->column = it->column;
	b->text = "";
}

/* Turns the run order[from, to) (one column of one band) into blocks. */
static void layout_run(layout *lay, int from, int to, row *rows)
{
	int nrows = build_rows(lay, from, to, rows);
	run_geom g = measure_run(rows, nrows);
	int first_block = lay->out->nblocks;
	int column = lay->items[lay->order[from]].column;
	lay->nruns++;
	for (int i = 0, start = 0; i < nrows; i++) {
		if (!rows[i].main) {
			if (start < i)
				emit_block(lay, rows, start, i, &g, column);
			emit_figure(lay, &lay->items[lay->order[rows[i].first]]);
			start = i + 1;
		} else if (i + 1 == nrows ||
		           breaks_between(&rows[i], &rows[i + 1], i + 2 < nrows ? &rows[i + 2] : NULL, &g)) {
			emit_block(lay, rows, start, i + 1, &g, column);
			start = i + 1;
		}
	}
	for (int i = first_block; i < lay->out->nblocks; i++)
		lay->out->blocks[i].run = lay->nruns;
}

static void build_blocks(layout *lay)
{
	row *rows = wk_xmalloc(sizeof(row) * (size_t)WK_MAX(lay->norder, 1));
	for (int k = 0; k < lay->norder;) {
		const item *first = &lay->items[lay->order[k]];
		int end = k + 1;
		while (end < lay->norder && lay->items[lay->order[end]].lo == first->lo &&
		       lay->items[lay->order[end]].hi == first->hi)
			end++;
		layout_run(lay, k, end, rows);
		k = end;
	}
	free(rows);
}

/* Flags blocks in the top and bottom bands of the page: running headers and footers
 * live there. The assembler decides with the other pages. */
static void flag_margins(layout *lay)
{
	wk_page_out *out = lay->out;
	float h = out->height > 0 ? out->height : 792;
	/* The two topmost and two lowest short blocks near the page's edges: the assembler
	 * keeps them only when they do not repeat across pages. */
	int top[2] = {-1, -1}, bottom[2] = {-1, -1};
	for (int i = 0; i < out->nblocks; i++) {
		const wk_block *b = &out->blocks[i];
		if (b->kind != WK_BLOCK_TEXT || b->nlines > 2)
			continue;
		for (int k = 0; k < 2; k++)
			if (top[k] < 0 || b->box.y0 < out->blocks[top[k]].box.y0) {
				if (k == 0)
					top[1] = top[0];
				top[k] = i;
				break;
			}
		for (int k = 0; k < 2; k++)
			if (bottom[k] < 0 || b->box.y1 > out->blocks[bottom[k]].box.y1) {
				if (k == 0)
					bottom[1] = bottom[0];
				bottom[k] = i;
				break;
			}
	}
	for (int k = 0; k < 2; k++) {
		if (top[k] >= 0 && out->blocks[top[k]].box.y1 < 0.2f * h)
			out->blocks[top[k]].flags |= WK_BF_TOP;
		if (bottom[k] >= 0 && out->blocks[bottom[k]].box.y0 > 0.8f * h)
			out->blocks[bottom[k]].flags |= WK_BF_BOTTOM;
	}
}

static bool first_line_has(const char *text, char c)
{
	const char *p = strchr(text, c);
	return p && (size_t)(p - text) < strcspn(text, "\n");
}

/* Author names are set big but are no headings: heading-like blocks side by side on one
 * baseline in one size (an author grid, a row of chart labels), or one followed by an
 * e-mail address, lose the heading look. Numbered headings keep it (two columns' section
 * titles may share a baseline). */
static void unmark_author_names(wk_page_out *out)
{
	for (int i = 0; i < out->nblocks; i++) {
		wk_block *b = &out->blocks[i];
		if (b->kind != WK_BLOCK_TEXT || !(b->flags & WK_BF_HEADLIKE) || b->numbering)
			continue;
		const wk_block *next = i + 1 < out->nblocks ? &out->blocks[i + 1] : NULL;
		bool author = next && next->kind == WK_BLOCK_TEXT && next->run == b->run &&
		              first_line_has(next->text, '@');
		for (int k = 0; k < out->nblocks && !author; k++) {
			const wk_block *c = &out->blocks[k];
			author = k != i && c->kind == WK_BLOCK_TEXT && (c->flags & WK_BF_HEADLIKE) &&
			         !c->numbering && fabsf(c->box.y0 - b->box.y0) < 0.3f * b->size &&
			         fabsf(c->size - b->size) < 0.5f &&
			         (c->box.x0 > b->box.x1 || c->box.x1 < b->box.x0);
		}
		if (author)
			b->flags |= WK_BF_AUTHOR;
	}
	/* A second name in an author's card ("Kyle Lo", then "Doug Downey") sits a line or
	 * two under a name found so. */
	for (int i = 0; i < out->nblocks; i++) {
		wk_block *b = &out->blocks[i];
		if (b->kind != WK_BLOCK_TEXT || !(b->flags & WK_BF_HEADLIKE) || b->numbering)
			continue;
		for (int k = 0; k < out->nblocks; k++) {
			const wk_block *c = &out->blocks[k];
			if ((c->flags & WK_BF_AUTHOR) && fabsf(c->size - b->size) < 0.5f &&
			    fabsf(c->box.y0 - b->box.y0) < 2.5f * b->size)
				b->flags |= WK_BF_AUTHOR;
		}
	}
	for (int i = 0; i < out->nblocks; i++)
		if (out->blocks[i].flags & WK_BF_AUTHOR)
			out->blocks[i].flags &= ~(unsigned)(WK_BF_HEADLIKE | WK_BF_AUTHOR);
}

/* Line numbers of review copies: a column of bare integers beside the text. */
static void flag_line_numbers(const wk_page *page, item *items, int n)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		const char *s = items[i].line ? items[i].line->text : "x";
		size_t len = strspn(s, "0123456789");
		count += len > 0 && len <= 4 && s[len] == '\0' && width(items[i].box) < 25;
	}
	if (count < 10)
		return;
	for (int i = 0; i < n; i++) {
		const char *s = items[i].line ? items[i].line->text : "x";
		size_t len = strspn(s, "0123456789");
		if (len > 0 && len <= 4 && s[len] == '\0' &&
		    (items[i].box.x1 < 0.15f * page->width || items[i].box.x0 > 0.85f * page->width ||
		     items[i].column == -1))
			items[i].line = NULL, items[i].figure = -2;
	}
}

static void collect_items(layout *lay)
{
	const wk_page *page = lay->page;
	lay->items = wk_xmalloc(sizeof(item) * (size_t)WK_MAX(page->nlines + page->nfigures, 1));
	for (int i = 0; i < page->nlines; i++)
		if (usable(&page->lines[i]))
			lay->items[lay->nitems++] = (item){page->lines[i].box, &page->lines[i], -1, 0};
	for (int i = 0; i < page->nfigures; i++) {
		wk_rect r = page->figures[i].box;
		lay->items[lay->nitems++] = (item){r, NULL, i, 0};
	}
}

/* One leading below: b's baseline 0.8 to 1.6 sizes under a's. */
static bool next_line(const item *a, const item *b)
{
	float d = baseline(b->line) - baseline(a->line);
	return d >= 0.8f * b->line->size && d <= 1.6f * b->line->size;
}

/* The short last line of a full-width paragraph (an abstract) fits in one column, yet
 * belongs to the paragraph above it: a line one leading under a line that crosses the
 * gutters, starting where it starts, with no line of its column under it, goes with it.
 * `spans` are the lines that cross the gutters (few: the search stays linear). */
static int spanning_tail(const layout *lay, const int *spans, int nspans, const item *it)
{
	int above = -1;
	for (int k = 0; k < nspans && above < 0; k++) {
		const item *s = &lay->items[spans[k]];
		if (fabsf(s->box.x0 - it->box.x0) <= 2 && s->box.x1 > it->box.x1 && next_line(s, it))
			above = spans[k];
	}
	for (int k = 0; k < lay->nitems && above >= 0; k++) {
		const item *b = &lay->items[k];
		if (b->line && b->column == it->column && next_line(it, b))
			return -1;
	}
	return above;
}

static void join_spanning_tails(layout *lay)
{
	int *spans = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(lay->nitems, 1)), nspans = 0;
	for (int i = 0; i < lay->nitems; i++)
		if (lay->items[i].line && lay->items[i].column == -1)
			spans[nspans++] = i;
	int *tails = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(lay->nitems, 1)), ntails = 0;
	int *above = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(lay->nitems, 1));
	for (int i = 0; i < lay->nitems && nspans; i++)
		if (lay->items[i].line && lay->items[i].column >= 0 &&
		    (above[ntails] = spanning_tail(lay, spans, nspans, &lay->items[i])) >= 0)
			tails[ntails++] = i;
	for (int t = 0; t < ntails; t++) { /* after the search: a tail is no line's span above */
		item *tail = &lay->items[tails[t]];
		tail->column = -1;
		tail->lo = lay->items[above[t]].lo;
		tail->hi = lay->items[above[t]].hi;
	}
	free(above);
	free(spans);
	free(tails);
}

/* A slide's title: among the text blocks of one to three lines that start in the top
 * SLIDE_TITLE_BAND of a landscape page, the one set largest, when it is larger than the
 * page's body text and something else on the slide follows it (a title alone on its
 * slide stays text: the sampler picks text units, never headings). OCR'd slides have no
 * bold and sizes from line heights, and their titles are often set only a little
 * larger than the bullets, so the document-wide heading rule misses them. The band was
 * read off the image-only decks of the development set: their titles start in the top
 * fifth, their first bullet often in the top third. */
#define SLIDE_TITLE_BAND 0.3f
#define SLIDE_TITLE_RATIO 1.1f

static void mark_slide_title(layout *lay)
{
	wk_page_out *out = lay->out;
	if (out->width <= out->height * 1.05f)
		return;
	int title = -1, others = 0;
	for (int i = 0; i < out->nblocks; i++) {
		wk_block *b = &out->blocks[i];
		b->flags |= WK_BF_SLIDE;
		if (b->kind != WK_BLOCK_TEXT || (b->flags & WK_BF_FURNITURE) || !b->text[0])
			continue;
		others++;
		if (b->nlines > 3 || b->box.y0 > SLIDE_TITLE_BAND * out->height ||
		    wk_count_words(b->text) > 20 || islower((unsigned char)b->text[0]))
			continue;
		if (title < 0 || b->size > out->blocks[title].size)
			title = i;
	}
	for (int i = 0; i < out->nblocks; i++)
		others += out->blocks[i].kind == WK_BLOCK_FIGURE;
	if (title >= 0 && others >= 2 && out->blocks[title].size > lay->body * SLIDE_TITLE_RATIO)
		out->blocks[title].flags |= WK_BF_HEADLIKE | WK_BF_TITLE;
}

void wk_layout_page(const wk_page *page, wk_page_out *out)
{
	layout lay = {.page = page, .out = out};
	lay.body = body_size(page);
	collect_items(&lay);
	lay.from = 0, lay.to = lay.nitems, lay.narrow = 0.6f;
	find_gutters(&lay);
	for (int i = 0; i < lay.nitems; i++)
		place(&lay, &lay.items[i]);
	if (lay.ngutters)
		join_spanning_tails(&lay);
	flag_line_numbers(page, lay.items, lay.nitems);
	int kept = 0;
	for (int i = 0; i < lay.nitems; i++)
		if (lay.items[i].figure != -2)
			lay.items[kept++] = lay.items[i];
	lay.nitems = kept;
	reading_order(&lay);
	build_blocks(&lay);
	unmark_author_names(out);
	flag_margins(&lay);
	mark_slide_title(&lay);
	/* Blocks move into the page's output arena; the malloc'd array goes. */
	wk_block *blocks = wk_arena_alloc(out->arena, sizeof(wk_block) * (size_t)WK_MAX(out->nblocks, 1));
	if (out->nblocks)
		memcpy(blocks, out->blocks, sizeof(wk_block) * (size_t)out->nblocks);
	free(out->blocks);
	out->blocks = blocks;
	free(lay.items);
	free(lay.order);
}
