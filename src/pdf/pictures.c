/* pictures.c: figures for the pictures OCR found on pages without a text layer.
 *
 * A scanned page or a slide exported as an image has no drawing operators for the figure
 * finder to grow regions from: the page is one image. Tesseract's layout analysis still
 * tells its picture blocks (photos, drawings, charts) from its text (ocr.c keeps them in
 * page->pictures); each becomes a figure unit, so that a question about what the pages
 * show ("how many photos ...") finds the pages that show something. Its text is a copy of
 * the OCR lines inside it (labels, speech bubbles, chart values), not taken from the
 * page's text as a figure finder's are: Tesseract's picture blocks often reach over the
 * body text beside a chart (a slide's paragraph left of its chart fell inside the chart's
 * block), and taking them lowered page recall @5 on the image-only decks of the
 * development set (docs/ocr.md). It has no caption: the paragraph above a picture on a
 * slide is mostly the slide's title, and copying it as the caption (whose words weigh
 * double) made every question about a title's words find the picture too. */
#include "figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	out->caption = "";
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
