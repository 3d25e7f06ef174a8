/* graphics.c: a MuPDF device that records where a page draws vector paths and images.
 *
 * The figure finder only needs boxes, so the device keeps bounding boxes, intersected
 * with the clip in force (a clipped image or a pattern fill only shows inside its clip)
 * and with the page. Content drawn to define a soft mask or a tile cell is not a
 * drawing of its own: the tile's visible area is recorded instead. Boxes are gathered in
 * malloc'd lists while the page runs and copied into the page's arena at the end. */
#include "graphics.h"

#include <stdlib.h>
#include <string.h>

/* Past this many boxes of a kind, further boxes are merged into a coarse grid of the
 * page, so that a hostile page with millions of paths costs bounded memory. */
enum { GFX_MAX_BOXES = 20000, GFX_GRID = 32, GFX_MAX_CLIP = 256 };

typedef struct box_list {
	wk_rect *items;
	int n, cap;
	wk_rect grid[GFX_GRID * GFX_GRID]; /* coarse boxes, x1 < x0 while empty */
	bool overflow;
} box_list;

typedef struct gfx_device {
	fz_device super;
	fz_rect page;          /* page bounds, the outermost clip */
	fz_rect clip[GFX_MAX_CLIP];
	int depth;             /* clips pushed; entries past GFX_MAX_CLIP are not stored */
	int hidden;            /* > 0 while inside a mask definition or a tile cell */
	box_list paths, images;
} gfx_device;

static fz_rect current_clip(const gfx_device *dev)
{
	if (dev->depth == 0)
		return dev->page;
	return dev->clip[WK_MIN(dev->depth, GFX_MAX_CLIP) - 1];
}

static void push_clip(gfx_device *dev, fz_rect r)
{
	fz_rect c = fz_intersect_rect(current_clip(dev), r);
	if (dev->depth < GFX_MAX_CLIP)
		dev->clip[dev->depth] = c;
	dev->depth++;
}

static void list_grid_add(box_list *list, const fz_rect *page, wk_rect r)
{
	float w = page->x1 - page->x0, h = page->y1 - page->y0;
	int gx = (int)(((r.x0 + r.x1) / 2 - page->x0) / (w > 0 ? w : 1) * GFX_GRID);
	int gy = (int)(((r.y0 + r.y1) / 2 - page->y0) / (h > 0 ? h : 1) * GFX_GRID);
	gx = WK_MAX(0, WK_MIN(GFX_GRID - 1, gx));
	gy = WK_MAX(0, WK_MIN(GFX_GRID - 1, gy));
	wk_rect *cell = &list->grid[gy * GFX_GRID + gx];
	if (!list->overflow) {
		for (int i = 0; i < GFX_GRID * GFX_GRID; i++)
			list->grid[i] = (wk_rect){1, 1, 0, 0};
		list->overflow = true;
	}
	if (cell->x1 < cell->x0) {
		*cell = r;
		return;
	}
	cell->x0 = WK_MIN(cell->x0, r.x0);
	cell->y0 = WK_MIN(cell->y0, r.y0);
	cell->x1 = WK_MAX(cell->x1, r.x1);
	cell->y1 = WK_MAX(cell->y1, r.y1);
}

static void list_add(box_list *list, const fz_rect *page, wk_rect r)
{
	if (list->n >= GFX_MAX_BOXES) {
		list_grid_add(list, page, r);
		return;
	}
	list->items = wk_grow(list->items, &list->cap, list->n + 1, sizeof(wk_rect));
	list->items[list->n++] = r;
}

/* Records `r` (device space) clipped to the current clip; `skip_full_page` drops boxes
 * that cover nearly the whole page (backgrounds, frames). */
static void record(gfx_device *dev, box_list *list, fz_rect r, bool skip_full_page)
{
	if (dev->hidden > 0)
		return;
	r = fz_intersect_rect(r, current_clip(dev));
	if (!(r.x1 >= r.x0 && r.y1 >= r.y0) || (r.x1 == r.x0 && r.y1 == r.y0))
		return;
	float pw = dev->page.x1 - dev->page.x0, ph = dev->page.y1 - dev->page.y0;
	if (skip_full_page && r.x1 - r.x0 >= 0.9f * pw && r.y1 - r.y0 >= 0.9f * ph)
		return;
	list_add(list, &dev->page, (wk_rect){r.x0, r.y0, r.x1, r.y1});
}

/* A fill in white on a white page is invisible: used to mask, not to draw. */
static bool is_white(fz_context *ctx, fz_colorspace *cs, const float *color)
{
	if (!cs || !color)
		return false;
	float rgb[3] = {0, 0, 0};
	fz_convert_color(ctx, cs, color, fz_device_rgb(ctx), rgb, NULL, fz_default_color_params);
	return rgb[0] > 0.98f && rgb[1] > 0.98f && rgb[2] > 0.98f;
}

static void gfx_fill_path(fz_context *ctx, fz_device *dev_, const fz_path *path, int even_odd,
                          fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
                          fz_color_params cp)
{
	(void)even_odd;
	(void)cp;
	gfx_device *dev = (gfx_device *)dev_;
	if (alpha <= 0.01f || is_white(ctx, cs, color))
		return;
	record(dev, &dev->paths, fz_bound_path(ctx, path, NULL, ctm), true);
}

/* MuPDF bounds a stroke for the worst miter join (up to 10 line widths out); the figure
 * finder wants where the ink is: the path grown by half the line width. */
static fz_rect stroke_bounds(fz_context *ctx, const fz_path *path, const fz_stroke_state *stroke,
                             fz_matrix ctm)
{
	fz_rect r = fz_bound_path(ctx, path, NULL, ctm);
	float half = stroke ? stroke->linewidth / 2 * fz_matrix_expansion(ctm) : 0;
	half = WK_MAX(half, 0.25f);
	return fz_expand_rect(r, half);
}

static void gfx_stroke_path(fz_context *ctx, fz_device *dev_, const fz_path *path,
                            const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
                            const float *color, float alpha, fz_color_params cp)
{
	(void)cp;
	gfx_device *dev = (gfx_device *)dev_;
	if (alpha <= 0.01f || is_white(ctx, cs, color))
		return;
	record(dev, &dev->paths, stroke_bounds(ctx, path, stroke, ctm), true);
}

static void gfx_clip_path(fz_context *ctx, fz_device *dev_, const fz_path *path, int even_odd,
                          fz_matrix ctm, fz_rect scissor)
{
	(void)even_odd;
	(void)scissor;
	push_clip((gfx_device *)dev_, fz_bound_path(ctx, path, NULL, ctm));
}

static void gfx_clip_stroke_path(fz_context *ctx, fz_device *dev_, const fz_path *path,
                                 const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	(void)scissor;
	push_clip((gfx_device *)dev_, stroke_bounds(ctx, path, stroke, ctm));
}

static void gfx_clip_text(fz_context *ctx, fz_device *dev_, const fz_text *text, fz_matrix ctm,
                          fz_rect scissor)
{
	(void)scissor;
	push_clip((gfx_device *)dev_, fz_bound_text(ctx, text, NULL, ctm));
}

static void gfx_clip_stroke_text(fz_context *ctx, fz_device *dev_, const fz_text *text,
                                 const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	(void)scissor;
	push_clip((gfx_device *)dev_, fz_bound_text(ctx, text, stroke, ctm));
}

static void gfx_clip_image_mask(fz_context *ctx, fz_device *dev_, fz_image *img, fz_matrix ctm,
                                fz_rect scissor)
{
	(void)ctx;
	(void)img;
	(void)scissor;
	push_clip((gfx_device *)dev_, fz_transform_rect(fz_unit_rect, ctm));
}

static void gfx_pop_clip(fz_context *ctx, fz_device *dev_)
{
	(void)ctx;
	gfx_device *dev = (gfx_device *)dev_;
	if (dev->depth > 0)
		dev->depth--;
}

static void gfx_fill_shade(fz_context *ctx, fz_device *dev_, fz_shade *shade, fz_matrix ctm,
                           float alpha, fz_color_params cp)
{
	(void)cp;
	gfx_device *dev = (gfx_device *)dev_;
	if (alpha > 0.01f)
		record(dev, &dev->images, fz_bound_shade(ctx, shade, ctm), true);
}

static void gfx_fill_image(fz_context *ctx, fz_device *dev_, fz_image *img, fz_matrix ctm,
                           float alpha, fz_color_params cp)
{
	(void)ctx;
	(void)img;
	(void)cp;
	gfx_device *dev = (gfx_device *)dev_;
	if (alpha > 0.01f)
		record(dev, &dev->images, fz_transform_rect(fz_unit_rect, ctm), false);
}

static void gfx_fill_image_mask(fz_context *ctx, fz_device *dev_, fz_image *img, fz_matrix ctm,
                                fz_colorspace *cs, const float *color, float alpha,
                                fz_color_params cp)
{
	(void)img;
	(void)cp;
	gfx_device *dev = (gfx_device *)dev_;
	if (alpha > 0.01f && !is_white(ctx, cs, color))
		record(dev, &dev->images, fz_transform_rect(fz_unit_rect, ctm), false);
}

static void gfx_begin_mask(fz_context *ctx, fz_device *dev_, fz_rect area, int luminosity,
                           fz_colorspace *cs, const float *bc, fz_color_params cp)
{
	(void)ctx;
	(void)area;
	(void)luminosity;
	(void)cs;
	(void)bc;
	(void)cp;
	((gfx_device *)dev_)->hidden++;
}

/* The mask, once defined, clips what follows until the matching pop_clip. */
static void gfx_end_mask(fz_context *ctx, fz_device *dev_)
{
	(void)ctx;
	gfx_device *dev = (gfx_device *)dev_;
	if (dev->hidden > 0)
		dev->hidden--;
	push_clip(dev, current_clip(dev));
}

static int gfx_begin_tile(fz_context *ctx, fz_device *dev_, fz_rect area, fz_rect view,
                          float xstep, float ystep, fz_matrix ctm, int id)
{
	(void)ctx;
	(void)area;
	(void)view;
	(void)xstep;
	(void)ystep;
	(void)ctm;
	(void)id;
	gfx_device *dev = (gfx_device *)dev_;
	/* A pattern fill shows inside the clip set up for it. */
	record(dev, &dev->paths, current_clip(dev), true);
	dev->hidden++;
	return 0;
}

static void gfx_end_tile(fz_context *ctx, fz_device *dev_)
{
	(void)ctx;
	gfx_device *dev = (gfx_device *)dev_;
	if (dev->hidden > 0)
		dev->hidden--;
}

static void list_free(box_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->cap = 0;
}

static void gfx_drop(fz_context *ctx, fz_device *dev_)
{
	(void)ctx;
	gfx_device *dev = (gfx_device *)dev_;
	list_free(&dev->paths);
	list_free(&dev->images);
}

/* Copies a list (exact boxes, then the non-empty coarse cells) into the page's arena. */
static wk_rect *list_to_arena(const box_list *list, wk_arena *arena, int *n)
{
	int total = list->n;
	if (list->overflow)
		for (int i = 0; i < GFX_GRID * GFX_GRID; i++)
			total += list->grid[i].x1 >= list->grid[i].x0;
	*n = total;
	if (total == 0)
		return NULL;
	wk_rect *out = wk_arena_alloc(arena, sizeof(wk_rect) * (size_t)total);
	if (list->n > 0)
		memcpy(out, list->items, sizeof(wk_rect) * (size_t)list->n);
	int k = list->n;
	if (list->overflow)
		for (int i = 0; i < GFX_GRID * GFX_GRID; i++)
			if (list->grid[i].x1 >= list->grid[i].x0)
				out[k++] = list->grid[i];
	return out;
}

static gfx_device *gfx_new(fz_context *ctx, fz_rect page)
{
	gfx_device *dev = fz_new_derived_device(ctx, gfx_device);
	dev->super.drop_device = gfx_drop;
	dev->super.fill_path = gfx_fill_path;
	dev->super.stroke_path = gfx_stroke_path;
	dev->super.clip_path = gfx_clip_path;
	dev->super.clip_stroke_path = gfx_clip_stroke_path;
	dev->super.clip_text = gfx_clip_text;
	dev->super.clip_stroke_text = gfx_clip_stroke_text;
	dev->super.clip_image_mask = gfx_clip_image_mask;
	dev->super.pop_clip = gfx_pop_clip;
	dev->super.fill_shade = gfx_fill_shade;
	dev->super.fill_image = gfx_fill_image;
	dev->super.fill_image_mask = gfx_fill_image_mask;
	dev->super.begin_mask = gfx_begin_mask;
	dev->super.end_mask = gfx_end_mask;
	dev->super.begin_tile = gfx_begin_tile;
	dev->super.end_tile = gfx_end_tile;
	dev->page = page;
	return dev;
}

fz_device *wk_graphics_device_new(fz_context *ctx, fz_rect page_bounds)
{
	return &gfx_new(ctx, page_bounds)->super;
}

void wk_graphics_device_finish(fz_context *ctx, fz_device *dev_, wk_page *page)
{
	(void)ctx;
	gfx_device *dev = (gfx_device *)dev_;
	page->paths = list_to_arena(&dev->paths, page->arena, &page->npaths);
	page->images = list_to_arena(&dev->images, page->arena, &page->nimages);
}

void wk_collect_graphics(fz_context *ctx, fz_page *fzpage, wk_page *page, fz_cookie *cookie)
{
	page->npaths = 0;
	page->nimages = 0;
	page->paths = NULL;
	page->images = NULL;
	fz_device *dev = wk_graphics_device_new(ctx, fz_bound_page(ctx, fzpage));
	fz_try(ctx)
	{
		fz_run_page_contents(ctx, fzpage, dev, fz_identity, cookie);
		fz_close_device(ctx, dev);
		wk_graphics_device_finish(ctx, dev, page);
	}
	fz_always(ctx)
		fz_drop_device(ctx, dev);
	fz_catch(ctx)
		fz_rethrow(ctx);
}
