/* mkpdf.c: test fixture PDFs written with MuPDF's PDF writer. */
#include "mkpdf.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_FONTS = 8, MAX_IMAGES = 64, MAX_OUTLINE = 64, MAX_LABELS = 16 };

struct mk_pdf {
	fz_context *ctx;
	pdf_document *doc;
	float width, height;
	fz_buffer *contents;  /* current page, NULL when none */
	pdf_obj *resources;
	struct { const char *name; fz_font *font; pdf_obj *ref; } fonts[MAX_FONTS];
	int nfonts;
	int nimages;
	struct { char *title; int page; } outline[MAX_OUTLINE];
	int noutline;
	struct { int first; char style; } labels[MAX_LABELS];
	int nlabels;
};

static void die(const char *what)
{
	fprintf(stderr, "mkpdf: %s\n", what);
	abort();
}

mk_pdf *mk_new(void)
{
	mk_pdf *p = calloc(1, sizeof *p);
	if (!p)
		die("out of memory");
	p->ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!p->ctx)
		die("no context");
	p->doc = pdf_create_document(p->ctx);
	return p;
}

static void finish_page(mk_pdf *p)
{
	if (!p->contents)
		return;
	fz_context *ctx = p->ctx;
	pdf_obj *page = pdf_add_page(ctx, p->doc, fz_make_rect(0, 0, p->width, p->height), 0,
	                             p->resources, p->contents);
	pdf_insert_page(ctx, p->doc, -1, page);
	pdf_drop_obj(ctx, page);
	pdf_drop_obj(ctx, p->resources);
	fz_drop_buffer(ctx, p->contents);
	p->contents = NULL;
	p->resources = NULL;
}

void mk_page(mk_pdf *p, float width, float height)
{
	finish_page(p);
	p->width = width;
	p->height = height;
	p->contents = fz_new_buffer(p->ctx, 4096);
	p->resources = pdf_new_dict(p->ctx, p->doc, 4);
	pdf_dict_put_dict(p->ctx, p->resources, PDF_NAME(Font), 8);
	pdf_dict_put_dict(p->ctx, p->resources, PDF_NAME(XObject), 8);
}

static int font_index(mk_pdf *p, const char *name)
{
	for (int i = 0; i < p->nfonts; i++)
		if (!strcmp(p->fonts[i].name, name))
			return i;
	if (p->nfonts == MAX_FONTS)
		die("too many fonts");
	int i = p->nfonts++;
	p->fonts[i].name = name;
	p->fonts[i].font = fz_new_base14_font(p->ctx, name);
	p->fonts[i].ref = pdf_add_simple_font(p->ctx, p->doc, p->fonts[i].font,
	                                      PDF_SIMPLE_ENCODING_LATIN);
	return i;
}

float mk_text_width(mk_pdf *p, const char *font, float size, const char *text)
{
	fz_font *f = p->fonts[font_index(p, font)].font;
	float w = 0;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++)
		w += fz_advance_glyph(p->ctx, f, fz_encode_character(p->ctx, f, *s), 0);
	return w * size;
}

void mk_text(mk_pdf *p, const char *font, float size, float x, float y, const char *text)
{
	if (!p->contents)
		die("text before the first page");
	int fi = font_index(p, font);
	char key[8];
	snprintf(key, sizeof key, "F%d", fi);
	pdf_obj *fonts = pdf_dict_get(p->ctx, p->resources, PDF_NAME(Font));
	pdf_dict_puts(p->ctx, fonts, key, p->fonts[fi].ref);
	fz_append_printf(p->ctx, p->contents, "BT /%s %g Tf %g %g Td (", key, size, x, p->height - y);
	for (const char *s = text; *s; s++) {
		if (*s == '(' || *s == ')' || *s == '\\')
			fz_append_byte(p->ctx, p->contents, '\\');
		fz_append_byte(p->ctx, p->contents, *s);
	}
	fz_append_string(p->ctx, p->contents, ") Tj ET\n");
}

void mk_rect(mk_pdf *p, float x, float y, float w, float h, int fill)
{
	fz_append_printf(p->ctx, p->contents, "q 0.6 g 0 G %g %g %g %g re %s Q\n", x,
	                 p->height - y - h, w, h, fill ? "f" : "S");
}

void mk_line(mk_pdf *p, float x0, float y0, float x1, float y1)
{
	fz_append_printf(p->ctx, p->contents, "q 0 G 0.8 w %g %g m %g %g l S Q\n", x0,
	                 p->height - y0, x1, p->height - y1);
}

void mk_image(mk_pdf *p, float x, float y, float w, float h, int px, int py)
{
	fz_context *ctx = p->ctx;
	fz_pixmap *pix = fz_new_pixmap(ctx, fz_device_rgb(ctx), px, py, NULL, 0);
	unsigned char *s = fz_pixmap_samples(ctx, pix);
	for (int j = 0; j < py; j++)
		for (int i = 0; i < px; i++, s += 3) {
			s[0] = (unsigned char)(255 * i / (px > 1 ? px - 1 : 1));
			s[1] = (unsigned char)(255 * j / (py > 1 ? py - 1 : 1));
			s[2] = 128;
		}
	fz_image *img = fz_new_image_from_pixmap(ctx, pix, NULL);
	pdf_obj *ref = pdf_add_image(ctx, p->doc, img);
	char key[16];
	snprintf(key, sizeof key, "Im%d", p->nimages++);
	pdf_dict_puts_drop(ctx, pdf_dict_get(ctx, p->resources, PDF_NAME(XObject)), key, ref);
	fz_append_printf(ctx, p->contents, "q %g 0 0 %g %g %g cm /%s Do Q\n", w, h, x,
	                 p->height - y - h, key);
	fz_drop_image(ctx, img);
	fz_drop_pixmap(ctx, pix);
}

void mk_outline(mk_pdf *p, const char *title, int page)
{
	if (p->noutline == MAX_OUTLINE)
		die("too many outline entries");
	p->outline[p->noutline].title = strdup(title);
	p->outline[p->noutline++].page = page;
}

static void write_outline(mk_pdf *p)
{
	if (!p->noutline)
		return;
	fz_context *ctx = p->ctx;
	fz_outline_iterator *it = pdf_new_outline_iterator(ctx, p->doc);
	for (int i = 0; i < p->noutline; i++) {
		char uri[32];
		snprintf(uri, sizeof uri, "#page=%d", p->outline[i].page);
		fz_outline_item item = {p->outline[i].title, uri, 0};
		fz_outline_iterator_insert(ctx, it, &item);
		free(p->outline[i].title);
	}
	fz_drop_outline_iterator(ctx, it);
}

void mk_page_label(mk_pdf *p, int first, char style)
{
	if (p->nlabels == MAX_LABELS)
		die("too many page label ranges");
	p->labels[p->nlabels].first = first;
	p->labels[p->nlabels++].style = style;
}

static void write_labels(mk_pdf *p)
{
	if (!p->nlabels)
		return;
	fz_context *ctx = p->ctx;
	pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, p->doc), PDF_NAME(Root));
	pdf_obj *tree = pdf_new_dict(ctx, p->doc, 1);
	pdf_dict_puts_drop(ctx, root, "PageLabels", tree);
	pdf_obj *nums = pdf_dict_put_array(ctx, tree, PDF_NAME(Nums), 2 * p->nlabels);
	for (int i = 0; i < p->nlabels; i++) {
		char style[2] = {p->labels[i].style, 0};
		pdf_array_push_int(ctx, nums, p->labels[i].first - 1);
		pdf_obj *range = pdf_array_push_dict(ctx, nums, 1);
		pdf_dict_put_name(ctx, range, PDF_NAME(S), style);
	}
}

void mk_save(mk_pdf *p, const char *path, const char *password)
{
	fz_context *ctx = p->ctx;
	finish_page(p);
	write_outline(p);
	write_labels(p);
	pdf_write_options opts = pdf_default_write_options;
	opts.do_compress = 1;
	if (password) {
		opts.do_encrypt = PDF_ENCRYPT_RC4_128;
		snprintf(opts.upwd_utf8, sizeof opts.upwd_utf8, "%s", password);
		snprintf(opts.opwd_utf8, sizeof opts.opwd_utf8, "%s-owner", password);
		opts.permissions = -1;
	}
	fz_try(ctx) pdf_save_document(ctx, p->doc, path, &opts);
	fz_catch(ctx) die(fz_caught_message(ctx));
	for (int i = 0; i < p->nfonts; i++) {
		fz_drop_font(ctx, p->fonts[i].font);
		pdf_drop_obj(ctx, p->fonts[i].ref);
	}
	pdf_drop_document(ctx, p->doc);
	fz_drop_context(ctx);
	free(p);
}

const char *mk_tmp_path(const char *suffix)
{
	static char buf[512];
	static int counter;
	const char *dir = getenv("WK_TMP");
	snprintf(buf, sizeof buf, "%s/mk-%ld-%d%s", dir ? dir : "/tmp", (long)getpid(), counter++,
	         suffix);
	return buf;
}
