/* tee.c: one interpretation of a page for two devices. */
#include "tee.h"

typedef struct tee_device {
	fz_device super;
	fz_device *a, *b;
} tee_device;

#define TEE(dev_) tee_device *t = (tee_device *)(dev_)

static void tee_fill_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
                          fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
                          fz_color_params cp)
{
	TEE(dev);
	fz_fill_path(ctx, t->a, path, even_odd, ctm, cs, color, alpha, cp);
	fz_fill_path(ctx, t->b, path, even_odd, ctm, cs, color, alpha, cp);
}

static void tee_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
                            const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
                            const float *color, float alpha, fz_color_params cp)
{
	TEE(dev);
	fz_stroke_path(ctx, t->a, path, stroke, ctm, cs, color, alpha, cp);
	fz_stroke_path(ctx, t->b, path, stroke, ctm, cs, color, alpha, cp);
}

static void tee_clip_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
                          fz_matrix ctm, fz_rect scissor)
{
	TEE(dev);
	fz_clip_path(ctx, t->a, path, even_odd, ctm, scissor);
	fz_clip_path(ctx, t->b, path, even_odd, ctm, scissor);
}

static void tee_clip_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
                                 const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	TEE(dev);
	fz_clip_stroke_path(ctx, t->a, path, stroke, ctm, scissor);
	fz_clip_stroke_path(ctx, t->b, path, stroke, ctm, scissor);
}

static void tee_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
                          fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	TEE(dev);
	fz_fill_text(ctx, t->a, text, ctm, cs, color, alpha, cp);
	fz_fill_text(ctx, t->b, text, ctm, cs, color, alpha, cp);
}

static void tee_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
                            const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
                            const float *color, float alpha, fz_color_params cp)
{
	TEE(dev);
	fz_stroke_text(ctx, t->a, text, stroke, ctm, cs, color, alpha, cp);
	fz_stroke_text(ctx, t->b, text, stroke, ctm, cs, color, alpha, cp);
}

static void tee_clip_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
                          fz_rect scissor)
{
	TEE(dev);
	fz_clip_text(ctx, t->a, text, ctm, scissor);
	fz_clip_text(ctx, t->b, text, ctm, scissor);
}

static void tee_clip_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
                                 const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	TEE(dev);
	fz_clip_stroke_text(ctx, t->a, text, stroke, ctm, scissor);
	fz_clip_stroke_text(ctx, t->b, text, stroke, ctm, scissor);
}

static void tee_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
	TEE(dev);
	fz_ignore_text(ctx, t->a, text, ctm);
	fz_ignore_text(ctx, t->b, text, ctm);
}

static void tee_fill_shade(fz_context *ctx, fz_device *dev, fz_shade *shade, fz_matrix ctm,
                           float alpha, fz_color_params cp)
{
	TEE(dev);
	fz_fill_shade(ctx, t->a, shade, ctm, alpha, cp);
	fz_fill_shade(ctx, t->b, shade, ctm, alpha, cp);
}

static void tee_fill_image(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
                           float alpha, fz_color_params cp)
{
	TEE(dev);
	fz_fill_image(ctx, t->a, image, ctm, alpha, cp);
	fz_fill_image(ctx, t->b, image, ctm, alpha, cp);
}

static void tee_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
                                fz_colorspace *cs, const float *color, float alpha,
                                fz_color_params cp)
{
	TEE(dev);
	fz_fill_image_mask(ctx, t->a, image, ctm, cs, color, alpha, cp);
	fz_fill_image_mask(ctx, t->b, image, ctm, cs, color, alpha, cp);
}

static void tee_clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm,
                                fz_rect scissor)
{
	TEE(dev);
	fz_clip_image_mask(ctx, t->a, image, ctm, scissor);
	fz_clip_image_mask(ctx, t->b, image, ctm, scissor);
}

static void tee_pop_clip(fz_context *ctx, fz_device *dev)
{
	TEE(dev);
	fz_pop_clip(ctx, t->a);
	fz_pop_clip(ctx, t->b);
}

static void tee_begin_mask(fz_context *ctx, fz_device *dev, fz_rect area, int luminosity,
                           fz_colorspace *cs, const float *bc, fz_color_params cp)
{
	TEE(dev);
	fz_begin_mask(ctx, t->a, area, luminosity, cs, bc, cp);
	fz_begin_mask(ctx, t->b, area, luminosity, cs, bc, cp);
}

static void tee_end_mask(fz_context *ctx, fz_device *dev)
{
	TEE(dev);
	fz_end_mask(ctx, t->a);
	fz_end_mask(ctx, t->b);
}

static void tee_begin_group(fz_context *ctx, fz_device *dev, fz_rect area, fz_colorspace *cs,
                            int isolated, int knockout, int blendmode, float alpha)
{
	TEE(dev);
	fz_begin_group(ctx, t->a, area, cs, isolated, knockout, blendmode, alpha);
	fz_begin_group(ctx, t->b, area, cs, isolated, knockout, blendmode, alpha);
}

static void tee_end_group(fz_context *ctx, fz_device *dev)
{
	TEE(dev);
	fz_end_group(ctx, t->a);
	fz_end_group(ctx, t->b);
}

/* A tile's contents are skipped only when both devices have it already. */
static int tee_begin_tile(fz_context *ctx, fz_device *dev, fz_rect area, fz_rect view,
                          float xstep, float ystep, fz_matrix ctm, int id)
{
	TEE(dev);
	int ra = fz_begin_tile_id(ctx, t->a, area, view, xstep, ystep, ctm, id);
	int rb = fz_begin_tile_id(ctx, t->b, area, view, xstep, ystep, ctm, id);
	return ra && rb;
}

static void tee_end_tile(fz_context *ctx, fz_device *dev)
{
	TEE(dev);
	fz_end_tile(ctx, t->a);
	fz_end_tile(ctx, t->b);
}

static void tee_render_flags(fz_context *ctx, fz_device *dev, int set, int clear)
{
	TEE(dev);
	fz_render_flags(ctx, t->a, set, clear);
	fz_render_flags(ctx, t->b, set, clear);
}

static void tee_set_default_colorspaces(fz_context *ctx, fz_device *dev,
                                        fz_default_colorspaces *cs)
{
	TEE(dev);
	fz_set_default_colorspaces(ctx, t->a, cs);
	fz_set_default_colorspaces(ctx, t->b, cs);
}

static void tee_begin_layer(fz_context *ctx, fz_device *dev, const char *name)
{
	TEE(dev);
	fz_begin_layer(ctx, t->a, name);
	fz_begin_layer(ctx, t->b, name);
}

static void tee_end_layer(fz_context *ctx, fz_device *dev)
{
	TEE(dev);
	fz_end_layer(ctx, t->a);
	fz_end_layer(ctx, t->b);
}

fz_device *wk_new_tee_device(fz_context *ctx, fz_device *a, fz_device *b)
{
	tee_device *t = fz_new_derived_device(ctx, tee_device);
	t->a = a;
	t->b = b;
	/* The interpreter reads hints (e.g. whether to decode images) from the device it
	 * drives: only what both devices can do without is skipped. */
	t->super.hints = a->hints & b->hints;
	t->super.fill_path = tee_fill_path;
	t->super.stroke_path = tee_stroke_path;
	t->super.clip_path = tee_clip_path;
	t->super.clip_stroke_path = tee_clip_stroke_path;
	t->super.fill_text = tee_fill_text;
	t->super.stroke_text = tee_stroke_text;
	t->super.clip_text = tee_clip_text;
	t->super.clip_stroke_text = tee_clip_stroke_text;
	t->super.ignore_text = tee_ignore_text;
	t->super.fill_shade = tee_fill_shade;
	t->super.fill_image = tee_fill_image;
	t->super.fill_image_mask = tee_fill_image_mask;
	t->super.clip_image_mask = tee_clip_image_mask;
	t->super.pop_clip = tee_pop_clip;
	t->super.begin_mask = tee_begin_mask;
	t->super.end_mask = tee_end_mask;
	t->super.begin_group = tee_begin_group;
	t->super.end_group = tee_end_group;
	t->super.begin_tile = tee_begin_tile;
	t->super.end_tile = tee_end_tile;
	t->super.render_flags = tee_render_flags;
	t->super.set_default_colorspaces = tee_set_default_colorspaces;
	t->super.begin_layer = tee_begin_layer;
	t->super.end_layer = tee_end_layer;
	return &t->super;
}
