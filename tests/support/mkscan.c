/* mkscan.c: image-only PDFs rendered from PDFs with known text (see mkscan.h). */
#include "mkscan.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <stdio.h>
#include <stdlib.h>

static void die(const char *what)
{
	fprintf(stderr, "mkscan: %s\n", what);
	abort();
}

/* Adds one page to `out` showing `pix` over the whole `size` box. */
static void add_image_page(fz_context *ctx, pdf_document *out, fz_pixmap *pix, fz_rect size)
{
	float w = size.x1 - size.x0, h = size.y1 - size.y0;
	fz_image *img = fz_new_image_from_pixmap(ctx, pix, NULL);
	pdf_obj *ref = pdf_add_image(ctx, out, img);
	pdf_obj *res = pdf_new_dict(ctx, out, 1);
	pdf_obj *xobj = pdf_dict_put_dict(ctx, res, PDF_NAME(XObject), 1);
	pdf_dict_puts(ctx, xobj, "Im0", ref);
	fz_buffer *contents = fz_new_buffer(ctx, 64);
	fz_append_printf(ctx, contents, "q %g 0 0 %g 0 0 cm /Im0 Do Q\n", w, h);
	pdf_obj *page = pdf_add_page(ctx, out, fz_make_rect(0, 0, w, h), 0, res, contents);
	pdf_insert_page(ctx, out, -1, page);
	pdf_drop_obj(ctx, page);
	fz_drop_buffer(ctx, contents);
	pdf_drop_obj(ctx, res);
	pdf_drop_obj(ctx, ref);
	fz_drop_image(ctx, img);
}

static void scan_pages(fz_context *ctx, fz_document *src, pdf_document *out, int dpi)
{
	int n = fz_count_pages(ctx, src);
	for (int i = 0; i < n; i++) {
		fz_page *page = fz_load_page(ctx, src, i);
		fz_rect bounds = fz_bound_page(ctx, page);
		fz_pixmap *pix = fz_new_pixmap_from_page(ctx, page, fz_scale(dpi / 72.0f, dpi / 72.0f),
		                                         fz_device_gray(ctx), 0);
		fz_set_pixmap_resolution(ctx, pix, dpi, dpi);
		add_image_page(ctx, out, pix, bounds);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, page);
	}
}

void mk_scan(const char *src_path, const char *dst_path, int dpi)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx)
		die("no context");
	fz_register_document_handlers(ctx);
	fz_document *src = NULL;
	pdf_document *out = NULL;
	fz_try(ctx)
	{
		src = fz_open_document(ctx, src_path);
		out = pdf_create_document(ctx);
		scan_pages(ctx, src, out, dpi);
		pdf_write_options opts = pdf_default_write_options;
		opts.do_compress = 1;
		opts.do_compress_images = 1;
		pdf_save_document(ctx, out, dst_path, &opts);
	}
	fz_always(ctx)
	{
		pdf_drop_document(ctx, out);
		fz_drop_document(ctx, src);
	}
	fz_catch(ctx) die(fz_caught_message(ctx));
	fz_drop_context(ctx);
}
