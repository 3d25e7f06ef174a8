/* pictures.c: figures for the pictures OCR found on pages without a text layer.
 *
 * A scanned page or a slide exported as an image has no drawing operators for the figure
 * finder to grow regions from: the page is one image. Tesseract's layout analysis still
 * tells its picture blocks (photos, drawings, charts) from its text (ocr.c keeps them in
 * page->pictures); each becomes a figure unit, so that a question about what the pages
 * show ("how many photos ...") finds the pages that show something. Its text is the OCR
 * lines inside it (labels, speech bubbles, chart values); its caption is the paragraph
 * nearest above it (a chart's title, a slide's heading) or, failing that, below it.
 * Both are copied, not taken from the page's text as a figure finder's are: Tesseract's
 * picture blocks often reach over the body text beside a chart (a slide's paragraph
 * left of its chart fell inside the chart's block), and the line above a picture is
 * often the slide's title, which stays its heading. Taking them lowered page recall @5
 * on the image-only decks of the development set (0.788 against 0.797, docs/ocr.md). */
#include "figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How far from a picture its caption may be, as a share of the page height: a slide's
 * title sits above its picture with some space between. Chosen on the image-only decks
 * of the development set (docs/ocr.md). */
#define CAPTION_GAP_ABOVE 0.12f
#define CAPTION_GAP_BELOW 0.06f
enum { CAPTION_MAX_LINES = 4 };

static float rect_area(wk_rect r)
{
	return fmaxf(r.x1 - r.x0, 0) * fmaxf(r.y1 - r.y0, 0);
}

static wk_rect rect_meet(wk_rect a, wk_rect b)
{
	return (wk_rect){fmaxf(a.x0, b.x0), fmaxf(a.y0, b.y0), fminf(a.x1, b.x1), fminf(a.y1, b.y1)};
}

/* A line belongs to the picture when most of it lies inside. */
static bool line_inside(const wk_line *l, wk_rect r)
{
	float area = rect_area(l->box);
	return area > 0 && rect_area(rect_meet(l->box, r)) > 0.5f * area;
}

/* Half or more of the picture is already a figure or table the finder found. */
static bool already_figure(const wk_page *page, wk_rect r)
{
	for (int i = 0; i < page->nfigures; i++)
		if (rect_area(rect_meet(page->figures[i].box, r)) >= 0.5f * rect_area(r))
			return true;
	return false;
}

static bool free_line(const wk_line *l)
{
	return !(l->flags & (WK_LINE_FIGURE | WK_LINE_FURNITURE)) && l->text && l->text[0];
}

/* The free line nearest the picture on the given side, within `gap` points and across
 * its width; -1 when none. */
static int nearest_line(const wk_page *page, wk_rect r, bool above, float gap)
{
	int best = -1;
	float best_d = gap;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (!free_line(l) || l->box.x1 <= r.x0 || l->box.x0 >= r.x1 || line_inside(l, r))
			continue;
		float d = above ? r.y0 - l->box.y1 : l->box.y0 - r.y1;
		if (d >= -1 && d < best_d)
			best = i, best_d = d;
	}
	return best;
}

/* The caption: the paragraph (OCR block) of the line nearest above, else below; its
 * first CAPTION_MAX_LINES lines, copied. "" when none is near. */
static char *picture_caption(wk_page *page, wk_rect r)
{
	int near = nearest_line(page, r, true, CAPTION_GAP_ABOVE * page->height);
	if (near < 0)
		near = nearest_line(page, r, false, CAPTION_GAP_BELOW * page->height);
	if (near < 0)
		return "";
	int idx[CAPTION_MAX_LINES], n = 0;
	for (int i = 0; i < page->nlines && n < CAPTION_MAX_LINES; i++)
		if (page->lines[i].block == page->lines[near].block && free_line(&page->lines[i]) &&
		    !line_inside(&page->lines[i], r))
			idx[n++] = i;
	return wk_fig_caption_join(page, idx, n);
}

/* Fills `out` for picture r: a copy of its lines is the figure's text. */
static void emit_picture(wk_page *page, wk_rect r, wk_figure *out)
{
	int *idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	int n = 0;
	for (int i = 0; i < page->nlines; i++)
		if (free_line(&page->lines[i]) && line_inside(&page->lines[i], r))
			idx[n++] = i;
	memset(out, 0, sizeof *out);
	out->type = WK_UNIT_FIGURE;
	out->label = "";
	out->caption = picture_caption(page, r);
	out->figure_text = wk_fig_join_lines(page, idx, n, " ");
	out->region = r;
	out->caption_box = r;
	out->box = r;
}

static int cmp_larger(const void *a, const void *b)
{
	float x = rect_area(*(const wk_rect *)a), y = rect_area(*(const wk_rect *)b);
	return (x < y) - (x > y);
}

void wk_page_add_pictures(wk_page *page)
{
	if (!page || page->npictures == 0)
		return;
	/* Larger first: a picture inside one already taken is part of it. */
	qsort(page->pictures, (size_t)page->npictures, sizeof *page->pictures, cmp_larger);
	wk_figure *all = wk_arena_alloc(page->arena,
	                                sizeof *all * (size_t)(page->nfigures + page->npictures));
	if (page->nfigures)
		memcpy(all, page->figures, sizeof *all * (size_t)page->nfigures);
	page->figures = all;
	for (int i = 0; i < page->npictures; i++)
		if (!already_figure(page, page->pictures[i]))
			emit_picture(page, page->pictures[i], &page->figures[page->nfigures++]);
}
