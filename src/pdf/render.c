/* render.c: pages and regions as PNG: wk_render_page, wk_render_box and the figure crops
 * that `--figures DIR` writes. */
#include "context.h"
#include "pdf.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One render's budget: a 60 Mpx RGB pixmap is 180 MB, its PNG less; the deadline bounds
 * pages that are slow to draw (a hostile page costs the server at most this much). */
enum { RENDER_MEMORY = 384 << 20, RENDER_STORE = 32 << 20, MAX_PIXELS = 60 * 1000 * 1000 };
#define RENDER_SECONDS 10.0

/* The transform that maps `area` (points) to pixels at `dpi`, fitted into max_side. */
static fz_matrix scale_for(fz_rect area, int dpi, int max_side)
{
	float zoom = (float)dpi / 72.0f;
	float w = (area.x1 - area.x0) * zoom, h = (area.y1 - area.y0) * zoom;
	float side = w > h ? w : h;
	if (max_side > 0 && side > (float)max_side)
		zoom *= (float)max_side / side;
	if (w * h > MAX_PIXELS)
		zoom *= sqrtf((float)MAX_PIXELS / (w * h));
	return fz_scale(zoom, zoom);
}

/* Renders `area` of a loaded page into a PNG buffer. May throw. */
static fz_buffer *render_area(fz_context *ctx, fz_page *page, fz_rect area, int dpi, int max_side)
{
	fz_matrix ctm = scale_for(area, dpi, max_side);
	fz_irect bbox = fz_round_rect(fz_transform_rect(area, ctm));
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	fz_buffer *png = NULL;
	fz_var(pix);
	fz_var(dev);
	fz_try(ctx)
	{
		pix = fz_new_pixmap_with_bbox(ctx, fz_device_rgb(ctx), bbox, NULL, 0);
		fz_clear_pixmap_with_value(ctx, pix, 255);
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_run_page(ctx, page, dev, ctm, NULL);
		fz_close_device(ctx, dev);
		png = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
	}
	fz_always(ctx)
	{
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx) fz_rethrow(ctx);
	return png;
}

/* Opens `path`, renders `box` of page box->page (or the whole page when whole). */
static int render(const char *path, const char *password, const wk_box *box, bool whole,
                  int dpi, int max_side, unsigned char **png, size_t *len, wk_error *err)
{
	*png = NULL;
	*len = 0;
	if (!path || dpi < 18 || dpi > 600)
		return wk_set_error(err, WK_EINVAL, "%s: dpi must be 18..600", path ? path : "render");
	wk_mupdf m;
	if (wk_mupdf_init(&m, RENDER_MEMORY, RENDER_STORE) != WK_OK)
		return wk_set_error(err, WK_ENOMEM, "%s: cannot start MuPDF", path);
	wk_mupdf_limit(&m, wk_now_ms() + RENDER_SECONDS * 1000, NULL, NULL);
	fz_context *ctx = m.ctx;
	bool limit_hit = false;
	fz_document *doc = NULL;
	fz_page *page = NULL;
	fz_buffer *buf = NULL;
	int code = WK_OK;
	fz_var(doc);
	fz_var(page);
	fz_var(buf);
	fz_var(code);
	fz_try(ctx)
	{
		doc = fz_open_document(ctx, path);
		if (fz_needs_password(ctx, doc) && !fz_authenticate_password(ctx, doc, password ? password : ""))
			code = wk_set_error(err, WK_EPASSWORD, "%s: encrypted: a password is needed", path);
		else if (box->page < 1 || box->page > fz_count_pages(ctx, doc))
			code = wk_set_error(err, WK_ENOTFOUND, "%s: no page %d", path, box->page);
		else {
			page = fz_load_page(ctx, doc, box->page - 1);
			wk_page_check(ctx, &m, page, &limit_hit);
			fz_rect area = fz_bound_page(ctx, page);
			if (!whole)
				area = fz_intersect_rect(area, fz_make_rect(box->x0, box->y0, box->x1, box->y1));
			if (fz_is_empty_rect(area))
				code = wk_set_error(err, WK_EINVAL, "%s: empty region on page %d", path, box->page);
			else
				buf = render_area(ctx, page, area, dpi, max_side);
		}
	}
	fz_always(ctx)
	{
		fz_drop_page(ctx, page);
		fz_drop_document(ctx, doc);
	}
	fz_catch(ctx)
	{
		code = wk_mupdf_budget_error(&m, path, RENDER_SECONDS, err);
		if (code == WK_OK)
			code = wk_set_error(err, limit_hit ? WK_ELIMIT : WK_EDAMAGED, "%s: cannot render page %d: %s",
			                    path, box->page, fz_caught_message(ctx));
	}
	if (code == WK_OK && buf && !(*png = wk_mupdf_take_buffer(ctx, buf, len)))
		code = wk_set_error(err, WK_ENOMEM, "%s: out of memory", path);
	fz_drop_buffer(ctx, buf);
	wk_mupdf_drop(&m);
	return code;
}

int wk_render_page(const char *path, const char *password, int page, int dpi, int max_side,
                   unsigned char **png, size_t *len, wk_error *err)
{
	wk_box box = {page, 0, 0, 0, 0};
	return render(path, password, &box, true, dpi, max_side, png, len, err);
}

int wk_render_box(const char *path, const char *password, const wk_box *box, int dpi,
                  int max_side, unsigned char **png, size_t *len, wk_error *err)
{
	if (!box)
		return wk_set_error(err, WK_EINVAL, "%s: no region", path ? path : "render");
	return render(path, password, box, false, dpi, max_side, png, len, err);
}

/* "Figure 2" -> "figure-2"; empty labels become kind-index. */
static void crop_name(const wk_figure *f, int index, char *out, size_t size)
{
	size_t k = 0;
	for (const char *p = f->label ? f->label : ""; *p && k + 1 < size && k < 40; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c))
			out[k++] = (char)tolower(c);
		else if (k > 0 && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k > 0 && out[k - 1] == '-')
		k--;
	out[k] = '\0';
	if (k == 0)
		snprintf(out, size, "%s-%d", f->type == WK_UNIT_TABLE ? "table" : "figure", index + 1);
}

static void crop_one(fz_context *ctx, fz_page *fzpage, wk_page *page, wk_figure *f,
                     const char *path, int dpi)
{
	fz_buffer *buf = NULL;
	fz_var(buf);
	fz_try(ctx)
	{
		fz_rect area = fz_make_rect(f->box.x0, f->box.y0, f->box.x1, f->box.y1);
		area = fz_intersect_rect(area, fz_bound_page(ctx, fzpage));
		if (!fz_is_empty_rect(area)) {
			buf = render_area(ctx, fzpage, area, dpi, 0);
			fz_save_buffer(ctx, buf, path);
			f->image = wk_arena_strdup(page->arena, path);
		}
	}
	fz_always(ctx) fz_drop_buffer(ctx, buf);
	fz_catch(ctx) { /* a crop that cannot be written is left out */ }
}

void wk_write_figure_crops(fz_context *ctx, fz_page *fzpage, wk_page *page, const char *dir,
                           const char *stem, int dpi)
{
	dpi = dpi >= 18 && dpi <= 600 ? dpi : 150;
	for (int i = 0; i < page->nfigures; i++) {
		wk_figure *f = &page->figures[i];
		char name[64], path[4096];
		crop_name(f, i, name, sizeof name);
		snprintf(path, sizeof path, "%s/%s-p%d-%s.png", dir, stem, page->number, name);
		for (int j = 0; j < i; j++)
			if (page->figures[j].image && strcmp(page->figures[j].image, path) == 0)
				snprintf(path, sizeof path, "%s/%s-p%d-%s-%d.png", dir, stem, page->number, name, i + 1);
		crop_one(ctx, fzpage, page, f, path, dpi);
	}
}
