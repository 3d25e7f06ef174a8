/* mkhostile.c: generated hostile PDFs (see mkhostile.h). */
#include "mkhostile.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mkpdf.h"
#include "mkraw.h"

static const char font_dict[] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

static void die(const char *what)
{
	fprintf(stderr, "mkhostile: %s\n", what);
	abort();
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* `data` raw-deflated and ended with a full flush: a byte-aligned piece that needs no
 * earlier history, so that copies of it can be concatenated. The caller frees it. */
static unsigned char *deflate_piece(const unsigned char *data, size_t len, size_t *outlen)
{
	size_t cap = len / 64 + 1024;
	unsigned char *out = xmalloc(cap);
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_RLE) != Z_OK)
		die("deflateInit2");
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in)
		die("deflate");
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* `prefix`, `total` copies of `byte`, then `suffix` (both may be ""), zlib-compressed,
 * the copies built from one compressed piece repeated: a gigabyte bomb costs
 * milliseconds to make. The caller frees the result. */
static unsigned char *deflate_framed(const char *prefix, unsigned char byte, size_t total,
                                     const char *suffix, size_t *outlen)
{
	enum { CHUNK = 1 << 20 };
	static unsigned char in[CHUNK];
	memset(in, byte, sizeof in);
	size_t nfull = total / CHUNK, rest = total % CHUNK, plen, rlen, hlen, slen;
	size_t np = strlen(prefix), ns = strlen(suffix);
	unsigned char *head = deflate_piece((const unsigned char *)prefix, np, &hlen);
	unsigned char *piece = deflate_piece(in, CHUNK, &plen);
	unsigned char *tail = deflate_piece(in, rest, &rlen);
	unsigned char *end = deflate_piece((const unsigned char *)suffix, ns, &slen);
	unsigned char *out = xmalloc(2 + hlen + nfull * plen + rlen + slen + 6), *p = out;
	uLong adler = adler32(1, (const unsigned char *)prefix, (uInt)np);
	uLong chunk_adler = adler32(1, in, CHUNK);
	*p++ = 0x78, *p++ = 0x01; /* zlib header: deflate, 32K window */
	memcpy(p, head, hlen), p += hlen;
	for (size_t i = 0; i < nfull; i++, p += plen) {
		memcpy(p, piece, plen);
		adler = adler32_combine(adler, chunk_adler, CHUNK);
	}
	memcpy(p, tail, rlen), p += rlen;
	adler = adler32_combine(adler, adler32(1, in, (uInt)rest), (z_off_t)rest);
	memcpy(p, end, slen), p += slen;
	adler = adler32_combine(adler, adler32(1, (const unsigned char *)suffix, (uInt)ns), (z_off_t)ns);
	*p++ = 0x03, *p++ = 0x00; /* an empty final block */
	for (int shift = 24; shift >= 0; shift -= 8)
		*p++ = (unsigned char)(adler >> shift);
	*outlen = (size_t)(p - out);
	free(head), free(piece), free(tail), free(end);
	return out;
}

/* `total` copies of `byte`, zlib-compressed (see deflate_framed). */
static unsigned char *deflate_fill(unsigned char byte, size_t total, size_t *outlen)
{
	return deflate_framed("", byte, total, "", outlen);
}

static unsigned char *deflate_bytes(const void *data, size_t len, size_t *outlen)
{
	uLongf n = compressBound(len);
	unsigned char *out = xmalloc(n);
	if (compress2(out, &n, data, len, 9) != Z_OK)
		die("compress2");
	*outlen = n;
	return out;
}

/* Catalog, page tree and one page with font /F1; `contents` is the page's /Contents
 * value ("5 0 R", "[5 0 R 6 0 R]"), `xobjects` the entries of its /XObject resources.
 * Returns the catalog's number. */
static int raw_skeleton_font(mk_raw *raw, const char *contents, const char *xobjects,
                             const char *page_extra, const char *catalog_extra, int font);

static int raw_skeleton(mk_raw *raw, const char *contents, const char *xobjects,
                        const char *page_extra, const char *catalog_extra)
{
	return raw_skeleton_font(raw, contents, xobjects, page_extra, catalog_extra, 0);
}

/* The same with font /F1 the object `font` (0: a plain Helvetica written here). */
static int raw_skeleton_font(mk_raw *raw, const char *contents, const char *xobjects,
                             const char *page_extra, const char *catalog_extra, int font)
{
	int catalog = mk_raw_reserve(raw), pages = mk_raw_reserve(raw), page = mk_raw_reserve(raw);
	bool plain = font == 0;
	if (plain)
		font = mk_raw_reserve(raw);
	mk_raw_obj(raw, catalog, "<< /Type /Catalog /Pages %d 0 R %s >>", pages,
	           catalog_extra ? catalog_extra : "");
	mk_raw_obj(raw, pages, "<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page);
	mk_raw_obj(raw, page,
	           "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %s "
	           "/Resources << /Font << /F1 %d 0 R >> /XObject << %s >> >> %s >>",
	           pages, contents, font, xobjects ? xobjects : "", page_extra ? page_extra : "");
	if (plain)
		mk_raw_obj(raw, font, "%s", font_dict);
	return catalog;
}

/* A one-page file showing `content` (with /Filter `filter` unless NULL). */
static int raw_one_page(mk_raw *raw, const char *content, size_t len, const char *filter,
                        const char *page_extra, const char *catalog_extra)
{
	int contents = mk_raw_reserve(raw);
	char ref[32], dict[64];
	snprintf(ref, sizeof ref, "%d 0 R", contents);
	snprintf(dict, sizeof dict, "<< %s%s >>", filter ? "/Filter " : "", filter ? filter : "");
	mk_raw_stream(raw, contents, dict, content, len);
	return raw_skeleton(raw, ref, NULL, page_extra, catalog_extra);
}

static const char text_line[] = "BT /F1 12 Tf 72 700 Td (The " MKH_WORD " keeper wrote page 1.) Tj ET\n";

void mkh_valid(const char *path, int pages, const char *password)
{
	static const char *const tails[] = {
		"Storms came from the west in the night.",
		"The lamp was cleaned and the lens polished.",
		"A supply boat brought oil, bread and letters.",
		"Fog kept the fishing fleet in the harbour.",
		"Gulls nested on the gallery rail again.",
	};
	static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
	                                   "Friday", "Saturday", "Sunday"};
	mk_pdf *pdf = mk_new();
	char line[128];
	for (int i = 1; i <= pages; i++) {
		/* Each page laid out a little differently: repeated lines at one place on every
		 * page are running headers to the parser, and would be dropped as such. */
		float y = 150 + (float)(i % 11) * 25;
		mk_page(pdf, 612, 792);
		snprintf(line, sizeof line, "Section %d", i);
		mk_text(pdf, "Times-Bold", 14, 72, y, line);
		snprintf(line, sizeof line, "The %s keeper wrote page %d of the log on %s.", MKH_WORD, i,
		         days[i % 7]);
		mk_text(pdf, "Times-Roman", 11, 72, y + 30, line);
		mk_text(pdf, "Times-Roman", 11, 72, y + 44, tails[i % 5]);
	}
	mk_save(pdf, path, password);
}

void mkh_truncated(const char *src, const char *path, size_t len)
{
	size_t n;
	unsigned char *data = mk_read(src, &n);
	mk_write(path, data, len < n ? len : n);
	free(data);
}

void mkh_empty(const char *path)
{
	mk_write(path, "", 0);
}

void mkh_random(const char *path, size_t size, unsigned seed, int header)
{
	static const char head[] = "%PDF-1.7\n";
	unsigned char *data = xmalloc(size + sizeof head);
	size_t n = 0;
	if (header) {
		memcpy(data, head, sizeof head - 1);
		n = sizeof head - 1;
	}
	for (size_t i = 0; i < size; i++) {
		seed = seed * 1103515245u + 12345u;
		data[n++] = (unsigned char)(seed >> 16);
	}
	mk_write(path, data, n);
	free(data);
}

void mkh_broken_xref(const char *path)
{
	mk_raw *raw = mk_raw_new();
	int root = raw_one_page(raw, text_line, strlen(text_line), NULL, NULL, NULL);
	mk_raw_save(raw, path, root, NULL);
	size_t n;
	char *data = (char *)mk_read(path, &n);
	data[n] = 0;
	/* Every offset of the table shifted, and startxref pointing into an object. */
	char *xref = strstr(data, "\nxref\n");
	for (char *p = xref ? strstr(xref, " n \n") : NULL; p; p = strstr(p + 1, " n \n"))
		memcpy(p - 16, "0000000077", 10);
	char *start = strstr(data, "startxref\n");
	if (!xref || !start)
		die("no xref written");
	memcpy(start + 10, "30", 2);
	mk_write(path, data, n);
	free(data);
}

void mkh_page_loop(const char *path)
{
	mk_raw *raw = mk_raw_new();
	int catalog = mk_raw_reserve(raw), pages = mk_raw_reserve(raw), mid = mk_raw_reserve(raw);
	int page = mk_raw_reserve(raw), font = mk_raw_reserve(raw), contents = mk_raw_reserve(raw);
	mk_raw_obj(raw, catalog, "<< /Type /Catalog /Pages %d 0 R >>", pages);
	/* The root lists itself, an intermediate node that lists the root, and one page. */
	mk_raw_obj(raw, pages, "<< /Type /Pages /Kids [%d 0 R %d 0 R %d 0 R] /Count 3 >>", pages,
	           mid, page);
	mk_raw_obj(raw, mid, "<< /Type /Pages /Parent %d 0 R /Kids [%d 0 R %d 0 R] /Count 2 >>",
	           pages, pages, mid);
	mk_raw_obj(raw, page,
	           "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
	           "/Resources << /Font << /F1 %d 0 R >> >> >>",
	           pages, contents, font);
	mk_raw_obj(raw, font, "%s", font_dict);
	mk_raw_stream(raw, contents, "<< >>", text_line, strlen(text_line));
	mk_raw_save(raw, path, catalog, NULL);
}

void mkh_many_text_objects(const char *path, int count)
{
	size_t cap = (size_t)count * 64 + 256, n = 0;
	char *content = xmalloc(cap);
	for (int i = 0; i < count; i++) {
		/* A grid of tiny words, 400 across, so that lines hold many objects. */
		float x = 10 + (i % 400) * 1.4f, y = 780 - (i / 400 % 520) * 1.45f;
		n += (size_t)snprintf(content + n, cap - n, "BT /F1 1.2 Tf %.1f %.1f Td (w%d) Tj ET\n",
		                      x, y, i % 100);
	}
	size_t zlen;
	unsigned char *z = deflate_bytes(content, n, &zlen);
	mk_raw *raw = mk_raw_new();
	mk_raw_save(raw, path, raw_one_page(raw, (char *)z, zlen, "/FlateDecode", NULL, NULL), NULL);
	free(z);
	free(content);
}

void mkh_huge_image(const char *path, int side, int with_text)
{
	size_t zlen;
	unsigned char *z = deflate_fill(0x80, (size_t)side * (size_t)side, &zlen);
	char content[256];
	snprintf(content, sizeof content, "q 612 0 0 792 0 0 cm /Im1 Do Q\n%s",
	         with_text ? text_line : "");
	mk_raw *raw = mk_raw_new();
	int contents = mk_raw_reserve(raw), image = mk_raw_reserve(raw);
	mk_raw_stream(raw, contents, "<< >>", content, strlen(content));
	char dict[160], ref[32], xobj[32];
	snprintf(dict, sizeof dict,
	         "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
	         "/BitsPerComponent 8 /Filter /FlateDecode >>",
	         side, side);
	mk_raw_stream(raw, image, dict, z, zlen);
	snprintf(ref, sizeof ref, "%d 0 R", contents);
	snprintf(xobj, sizeof xobj, "/Im1 %d 0 R", image);
	int catalog = raw_skeleton(raw, ref, xobj, NULL, NULL);
	mk_raw_save(raw, path, catalog, NULL);
	free(z);
}

void mkh_deep_nesting(const char *path, int depth)
{
	size_t n = (size_t)depth * 2;
	char *arrays = xmalloc(n + 1), *content = xmalloc(n + sizeof text_line + 1);
	memset(arrays, '[', (size_t)depth);
	memset(arrays + depth, ']', (size_t)depth);
	arrays[n] = 0;
	size_t c = 0;
	for (int i = 0; i < depth; i++, c += 2)
		memcpy(content + c, "q\n", 2);
	memcpy(content + c, text_line, sizeof text_line - 1);
	c += sizeof text_line - 1;
	char *extra = xmalloc(n + 16);
	snprintf(extra, n + 16, "/Deep %s", arrays);
	mk_raw *raw = mk_raw_new();
	mk_raw_save(raw, path, raw_one_page(raw, content, c, NULL, extra, NULL), NULL);
	free(extra);
	free(content);
	free(arrays);
}

void mkh_content_bomb(const char *path, int megabytes)
{
	/* The spaces compress about 1000:1; the text comes after them, in a second stream. */
	size_t zlen;
	unsigned char *z = deflate_fill(' ', (size_t)megabytes << 20, &zlen);
	mk_raw *raw = mk_raw_new();
	int bomb = mk_raw_reserve(raw), text = mk_raw_reserve(raw);
	mk_raw_stream(raw, bomb, "<< /Filter /FlateDecode >>", z, zlen);
	mk_raw_stream(raw, text, "<< >>", text_line, strlen(text_line));
	char refs[48];
	snprintf(refs, sizeof refs, "[%d 0 R %d 0 R]", bomb, text);
	int catalog = raw_skeleton(raw, refs, NULL, NULL, NULL);
	mk_raw_save(raw, path, catalog, NULL);
	free(z);
}

void mkh_recursive_form(const char *path)
{
	mk_raw *raw = mk_raw_new();
	int contents = mk_raw_reserve(raw), form = mk_raw_reserve(raw);
	char content[256], dict[160], ref[32], xobj[32];
	snprintf(content, sizeof content, "/Fm1 Do\n%s", text_line);
	mk_raw_stream(raw, contents, "<< >>", content, strlen(content));
	snprintf(dict, sizeof dict,
	         "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
	         "/Resources << /XObject << /Fm1 %d 0 R >> >> >>",
	         form);
	static const char draw_self[] = "q 0.9 0 0 0.9 10 10 cm /Fm1 Do Q\n";
	mk_raw_stream(raw, form, dict, draw_self, strlen(draw_self));
	snprintf(ref, sizeof ref, "%d 0 R", contents);
	snprintf(xobj, sizeof xobj, "/Fm1 %d 0 R", form);
	mk_raw_save(raw, path, raw_skeleton(raw, ref, xobj, NULL, NULL), NULL);
}

void mkh_javascript(const char *path)
{
	static const char js[] = "<< /S /JavaScript /JS (while (true) { app.alert('pwned'); }) >>";
	char catalog_extra[256], page_extra[256];
	snprintf(catalog_extra, sizeof catalog_extra,
	         "/OpenAction %s /Names << /JavaScript << /Names [(loop) %s] >> >>", js, js);
	snprintf(page_extra, sizeof page_extra, "/AA << /O %s >>", js);
	mk_raw *raw = mk_raw_new();
	int root = raw_one_page(raw, text_line, strlen(text_line), NULL, page_extra, catalog_extra);
	mk_raw_save(raw, path, root, NULL);
}

/* ---- budget bombs: each small on disk, each costly to anyone who decodes it all ---- */

static unsigned char *deflate_again(unsigned char *z, size_t *len, int times)
{
	for (int i = 0; i < times; i++) {
		size_t n;
		unsigned char *next = deflate_bytes(z, *len, &n);
		free(z);
		z = next;
		*len = n;
	}
	return z;
}

void mkh_nested_flate(const char *path, int megabytes, int layers)
{
	size_t zlen;
	unsigned char *z = deflate_fill(' ', (size_t)megabytes << 20, &zlen);
	z = deflate_again(z, &zlen, layers - 1);
	char filter[160] = "<< /Filter [";
	for (int i = 0; i < layers && i < 8; i++)
		strcat(filter, "/FlateDecode ");
	strcat(filter, "] >>");
	mk_raw *raw = mk_raw_new();
	int text = mk_raw_reserve(raw), bomb = mk_raw_reserve(raw);
	mk_raw_stream(raw, text, "<< >>", text_line, strlen(text_line));
	mk_raw_stream(raw, bomb, filter, z, zlen);
	char refs[48];
	snprintf(refs, sizeof refs, "[%d 0 R %d 0 R]", text, bomb);
	mk_raw_save(raw, path, raw_skeleton(raw, refs, NULL, NULL, NULL), NULL);
	free(z);
}

void mkh_form_laughs(const char *path, int fanout, int depth, const char *comment)
{
	mk_raw *raw = mk_raw_new();
	int contents = mk_raw_reserve(raw), forms[8];
	depth = depth < 1 ? 1 : depth > 8 ? 8 : depth;
	for (int i = 0; i < depth; i++)
		forms[i] = mk_raw_reserve(raw);
	size_t cap = (size_t)fanout * 8 + 256;
	char *draws = xmalloc(cap), dict[256];
	for (int i = 0; i <= depth; i++) {
		/* Level i draws form i (X<i+1>) fanout times; the last level shows text. */
		size_t n = 0;
		if (i == 0)
			n = (size_t)snprintf(draws, cap, "%s", text_line);
		if (i < depth)
			for (int k = 0; k < fanout; k++)
				n += (size_t)snprintf(draws + n, cap - n, "/X%d Do ", i + 1);
		else
			n = (size_t)snprintf(draws, cap, "BT /F1 8 Tf 72 100 Td (laugh) Tj ET\n");
		if (i == 0) {
			mk_raw_stream(raw, contents, "<< >>", draws, n);
			continue;
		}
		if (i < depth)
			snprintf(dict, sizeof dict, "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
			         "/Resources << /XObject << /X%d %d 0 R >> >> >>", i + 1, forms[i]);
		else
			snprintf(dict, sizeof dict, "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
			         "/Resources << /Font << /F1 %s >> >> >>", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
		mk_raw_stream(raw, forms[i - 1], dict, draws, n);
	}
	char ref[32], xobj[32];
	snprintf(ref, sizeof ref, "%d 0 R", contents);
	snprintf(xobj, sizeof xobj, "/X1 %d 0 R", forms[0]);
	mk_raw_save(raw, path, raw_skeleton(raw, ref, xobj, NULL, NULL), NULL);
	free(draws);
	if (comment) { /* copies that differ in their hash, as distinct uploads */
		FILE *f = fopen(path, "ab");
		if (!f)
			die("cannot append");
		fprintf(f, "%% %s\n", comment);
		fclose(f);
	}
}

void mkh_font_bomb(const char *path, int megabytes, int tounicode)
{
	size_t zlen;
	unsigned char *z = deflate_fill(tounicode ? ' ' : 0, (size_t)megabytes << 20, &zlen);
	mk_raw *raw = mk_raw_new();
	int contents = mk_raw_reserve(raw), font = mk_raw_reserve(raw), data = mk_raw_reserve(raw);
	mk_raw_stream(raw, contents, "<< >>", text_line, strlen(text_line));
	mk_raw_stream(raw, data, "<< /Filter /FlateDecode >>", z, zlen);
	if (tounicode) {
		mk_raw_obj(raw, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", data);
	} else {
		int desc = mk_raw_reserve(raw);
		mk_raw_obj(raw, desc, "<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] "
		           "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", data);
		mk_raw_obj(raw, font, "<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 32 "
		           "/Widths [500] /FontDescriptor %d 0 R >>", desc);
	}
	char ref[32];
	snprintf(ref, sizeof ref, "%d 0 R", contents);
	mk_raw_save(raw, path, raw_skeleton_font(raw, ref, NULL, NULL, NULL, font), NULL);
	free(z);
}

/* Written by hand: mk_raw writes classic xref tables, and objects inside an object
 * stream need an xref stream. Objects: 1 catalog, 2 pages, 3 font, 4 text, 5 page whose
 * /Contents is object 10, which sits in object stream 9 after `megabytes` of blanks;
 * 6 the xref stream. */
void mkh_objstm_bomb(const char *path, int megabytes)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "10 0 ");
	size_t zlen;
	unsigned char *z = deflate_framed(prefix, ' ', (size_t)megabytes << 20, "[4 0 R]", &zlen);
	FILE *f = fopen(path, "wb");
	if (!f)
		die("cannot write the object stream bomb");
	long off[12] = {0};
	fprintf(f, "%%PDF-1.7\n");
	off[1] = ftell(f), fprintf(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = ftell(f), fprintf(f, "2 0 obj\n<< /Type /Pages /Kids [5 0 R] /Count 1 >>\nendobj\n");
	off[3] = ftell(f), fprintf(f, "3 0 obj\n%s\nendobj\n", font_dict);
	off[4] = ftell(f), fprintf(f, "4 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
	                           strlen(text_line), text_line);
	off[5] = ftell(f), fprintf(f, "5 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	                           "/Contents 10 0 R /Resources << /Font << /F1 3 0 R >> >> >>\nendobj\n");
	off[9] = ftell(f), fprintf(f, "9 0 obj\n<< /Type /ObjStm /N 1 /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n",
	                           strlen(prefix), zlen);
	fwrite(z, 1, zlen, f), fprintf(f, "\nendstream\nendobj\n");
	off[11] = ftell(f);
	unsigned char xref[12 * 7] = {0};
	for (int i = 0; i < 12; i++) {
		unsigned char *e = xref + i * 7;
		unsigned long v = (unsigned long)off[i];
		e[0] = off[i] ? 1 : 0;
		if (i == 10)
			e[0] = 2, v = 9; /* in object stream 9, index 0 */
		for (int b = 0; b < 4; b++)
			e[1 + b] = (unsigned char)(v >> (24 - 8 * b));
		if (i == 0)
			e[5] = e[6] = 0xff;
	}
	fprintf(f, "11 0 obj\n<< /Type /XRef /Size 12 /W [1 4 2] /Root 1 0 R /Length %zu >>\nstream\n", sizeof xref);
	fwrite(xref, 1, sizeof xref, f);
	fprintf(f, "\nendstream\nendobj\nstartxref\n%ld\n%%%%EOF\n", off[11]);
	if (fclose(f))
		die("cannot write the object stream bomb");
	free(z);
}

void mkh_damaged_pages(const char *path, int pages, int bad)
{
	mk_raw *raw = mk_raw_new();
	int catalog = mk_raw_reserve(raw), tree = mk_raw_reserve(raw), font = mk_raw_reserve(raw);
	mk_raw_obj(raw, font, "%s", font_dict);
	size_t cap = (size_t)pages * 16 + 64, n = 0;
	char *kids = xmalloc(cap), line[160];
	for (int i = 1; i <= pages; i++) {
		if (i == bad) {
			/* A reference to an object the file does not have. */
			n += (size_t)snprintf(kids + n, cap - n, "%d 0 R ", 90000 + i);
			continue;
		}
		int page = mk_raw_reserve(raw), contents = mk_raw_reserve(raw);
		snprintf(line, sizeof line, "BT /F1 12 Tf 72 700 Td (The %s keeper wrote page %d.) Tj ET\n",
		         MKH_WORD, i);
		mk_raw_stream(raw, contents, "<< >>", line, strlen(line));
		mk_raw_obj(raw, page, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
		           "/Resources << /Font << /F1 %d 0 R >> >> >>", tree, contents, font);
		n += (size_t)snprintf(kids + n, cap - n, "%d 0 R ", page);
	}
	mk_raw_obj(raw, tree, "<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages);
	mk_raw_obj(raw, catalog, "<< /Type /Catalog /Pages %d 0 R >>", tree);
	mk_raw_save(raw, path, catalog, NULL);
	free(kids);
}
