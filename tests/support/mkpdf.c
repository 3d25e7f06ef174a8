/* mkpdf.c: test fixture PDFs written with MuPDF's PDF writer. */
#include "mkpdf.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openjpeg.h>
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

/* The gradient's channel c at pixel (i, j) of px by py. */
static int gradient(int c, int i, int j, int px, int py)
{
	return c == 0 ? 255 * i / (px > 1 ? px - 1 : 1) : c == 1 ? 255 * j / (py > 1 ? py - 1 : 1) : 128;
}

/* Draws the image XObject `ref` into the box; takes ref. */
static void draw_image(mk_pdf *p, pdf_obj *ref, float x, float y, float w, float h)
{
	char key[16];
	snprintf(key, sizeof key, "Im%d", p->nimages++);
	pdf_dict_puts_drop(p->ctx, pdf_dict_get(p->ctx, p->resources, PDF_NAME(XObject)), key, ref);
	fz_append_printf(p->ctx, p->contents, "q %g 0 0 %g %g %g cm /%s Do Q\n", w, h, x,
	                 p->height - y - h, key);
}

void mk_image(mk_pdf *p, float x, float y, float w, float h, int px, int py)
{
	fz_context *ctx = p->ctx;
	fz_pixmap *pix = fz_new_pixmap(ctx, fz_device_rgb(ctx), px, py, NULL, 0);
	unsigned char *s = fz_pixmap_samples(ctx, pix);
	for (int j = 0; j < py; j++)
		for (int i = 0; i < px; i++)
			for (int c = 0; c < 3; c++)
				*s++ = (unsigned char)gradient(c, i, j, px, py);
	fz_image *img = fz_new_image_from_pixmap(ctx, pix, NULL);
	draw_image(p, pdf_add_image(ctx, p->doc, img), x, y, w, h);
	fz_drop_image(ctx, img);
	fz_drop_pixmap(ctx, pix);
}

/* OpenJPEG writes its JP2 file through these: into a MuPDF buffer, seeking back to fill
 * in box lengths. */
typedef struct jpx_out {
	fz_context *ctx;
	fz_buffer *buf;
	size_t pos;
} jpx_out;

static OPJ_SIZE_T jpx_write(void *data, OPJ_SIZE_T n, void *user)
{
	jpx_out *o = user;
	size_t end = o->pos + n;
	if (end > o->buf->len) {
		fz_resize_buffer(o->ctx, o->buf, end);
		o->buf->len = end;
	}
	memcpy(o->buf->data + o->pos, data, n);
	o->pos = end;
	return n;
}

/* OpenJPEG skips ahead of what it wrote to leave room for a box header: zeros until then. */
static OPJ_BOOL jpx_seek(OPJ_OFF_T to, void *user)
{
	jpx_out *o = user;
	if (to < 0)
		return OPJ_FALSE;
	if ((size_t)to > o->buf->len) {
		size_t old = o->buf->len;
		fz_resize_buffer(o->ctx, o->buf, (size_t)to);
		memset(o->buf->data + old, 0, (size_t)to - old);
		o->buf->len = (size_t)to;
	}
	o->pos = (size_t)to;
	return OPJ_TRUE;
}

static OPJ_OFF_T jpx_skip(OPJ_OFF_T n, void *user)
{
	jpx_out *o = user;
	return jpx_seek((OPJ_OFF_T)o->pos + n, user) ? n : -1;
}

/* MuPDF replaces OpenJPEG's allocator with one that allocates from the context these set
 * (load-jpx.c, 1.21): exported, not in its headers. */
void opj_lock(fz_context *ctx);
void opj_unlock(fz_context *ctx);

static void jpx_message(const char *msg, void *user)
{
	(void)user;
	fprintf(stderr, "mkpdf: OpenJPEG: %s", msg);
}

/* The gradient of mk_image as a lossless JP2 file. */
static fz_buffer *jpx_gradient(fz_context *ctx, int px, int py)
{
	opj_lock(ctx);
	opj_image_cmptparm_t parm[3];
	for (int c = 0; c < 3; c++)
		parm[c] = (opj_image_cmptparm_t){.dx = 1, .dy = 1, .w = (OPJ_UINT32)px, .h = (OPJ_UINT32)py, .prec = 8};
	opj_image_t *img = opj_image_create(3, parm, OPJ_CLRSPC_SRGB);
	if (!img)
		die("OpenJPEG: cannot make an image"); /* (with the lock held: the test ends) */
	img->x1 = (OPJ_UINT32)px;
	img->y1 = (OPJ_UINT32)py;
	for (int j = 0; j < py; j++)
		for (int i = 0; i < px; i++)
			for (int c = 0; c < 3; c++)
				img->comps[c].data[j * px + i] = gradient(c, i, j, px, py);
	opj_cparameters_t par;
	opj_set_default_encoder_parameters(&par);
	par.tcp_numlayers = 1;
	par.tcp_rates[0] = 0; /* lossless */
	par.cp_disto_alloc = 1;
	par.numresolution = 2; /* small images: each resolution halves the side */
	jpx_out out = {ctx, fz_new_buffer(ctx, 4096), 0};
	opj_codec_t *codec = opj_create_compress(OPJ_CODEC_JP2);
	opj_set_error_handler(codec, jpx_message, NULL);
	opj_stream_t *stm = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE);
	opj_stream_set_user_data(stm, &out, NULL);
	opj_stream_set_write_function(stm, jpx_write);
	opj_stream_set_seek_function(stm, jpx_seek);
	opj_stream_set_skip_function(stm, jpx_skip);
	int ok = opj_setup_encoder(codec, &par, img) && opj_start_compress(codec, img, stm) &&
	          opj_encode(codec, stm) && opj_end_compress(codec, stm);
	opj_stream_destroy(stm);
	opj_destroy_codec(codec);
	opj_image_destroy(img);
	opj_unlock(ctx);
	if (!ok)
		die("OpenJPEG: cannot encode");
	return out.buf;
}

void mk_image_jpx(mk_pdf *p, float x, float y, float w, float h, int px, int py)
{
	fz_context *ctx = p->ctx;
	fz_buffer *jp2 = jpx_gradient(ctx, px, py);
	pdf_obj *dict = pdf_new_dict(ctx, p->doc, 6);
	pdf_dict_put(ctx, dict, PDF_NAME(Type), PDF_NAME(XObject));
	pdf_dict_put(ctx, dict, PDF_NAME(Subtype), PDF_NAME(Image));
	pdf_dict_put_int(ctx, dict, PDF_NAME(Width), px);
	pdf_dict_put_int(ctx, dict, PDF_NAME(Height), py);
	pdf_dict_put(ctx, dict, PDF_NAME(Filter), PDF_NAME(JPXDecode));
	draw_image(p, pdf_add_stream(ctx, p->doc, jp2, dict, 1), x, y, w, h);
	pdf_drop_obj(ctx, dict);
	fz_drop_buffer(ctx, jp2);
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
