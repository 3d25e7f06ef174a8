/* mkraw.c: hand-made PDF objects and a valid xref around them (see mkraw.h). */
#include "mkraw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct raw_obj {
	char *body;
	size_t len;
} raw_obj;

struct mk_raw {
	raw_obj *objs; /* objs[num - 1] */
	int n, cap;
};

static void die(const char *what)
{
	fprintf(stderr, "mkraw: %s\n", what);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

mk_raw *mk_raw_new(void)
{
	mk_raw *raw = calloc(1, sizeof *raw);
	if (!raw)
		die("out of memory");
	return raw;
}

int mk_raw_reserve(mk_raw *raw)
{
	if (raw->n == raw->cap) {
		raw->cap = raw->cap ? raw->cap * 2 : 16;
		raw->objs = xrealloc(raw->objs, sizeof *raw->objs * (size_t)raw->cap);
	}
	raw->objs[raw->n] = (raw_obj){0};
	return ++raw->n;
}

static raw_obj *slot(mk_raw *raw, int num)
{
	if (num < 1 || num > raw->n)
		die("object number not reserved");
	free(raw->objs[num - 1].body);
	return &raw->objs[num - 1];
}

int mk_raw_obj(mk_raw *raw, int num, const char *fmt, ...)
{
	raw_obj *o = slot(raw, num);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	o->body = xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(o->body, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len = (size_t)n;
	return num;
}

int mk_raw_stream(mk_raw *raw, int num, const char *dict, const void *data, size_t len)
{
	raw_obj *o = slot(raw, num);
	size_t dlen = strlen(dict);
	char head[64];
	/* dict ends with ">>": put /Length inside it. */
	if (dlen < 2 || strcmp(dict + dlen - 2, ">>"))
		die("stream dictionary must end with >>");
	int hn = snprintf(head, sizeof head, " /Length %zu >>\nstream\n", len);
	o->len = dlen - 2 + (size_t)hn + len + strlen("\nendstream");
	o->body = xrealloc(NULL, o->len + 1);
	memcpy(o->body, dict, dlen - 2);
	memcpy(o->body + dlen - 2, head, (size_t)hn);
	memcpy(o->body + dlen - 2 + hn, data, len);
	memcpy(o->body + dlen - 2 + hn + len, "\nendstream", strlen("\nendstream") + 1);
	return num;
}

void mk_raw_save(mk_raw *raw, const char *path, int root, const char *trailer_extra)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die(path);
	long *offsets = xrealloc(NULL, sizeof *offsets * (size_t)(raw->n + 1));
	fputs("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", f);
	for (int i = 0; i < raw->n; i++) {
		offsets[i] = ftell(f);
		fprintf(f, "%d 0 obj\n", i + 1);
		if (raw->objs[i].body)
			fwrite(raw->objs[i].body, 1, raw->objs[i].len, f);
		else
			fputs("null", f);
		fputs("\nendobj\n", f);
		free(raw->objs[i].body);
	}
	long xref = ftell(f);
	fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", raw->n + 1);
	for (int i = 0; i < raw->n; i++)
		fprintf(f, "%010ld 00000 n \n", offsets[i]);
	fprintf(f, "trailer\n<< /Size %d /Root %d 0 R %s >>\nstartxref\n%ld\n%%%%EOF\n", raw->n + 1,
	        root, trailer_extra ? trailer_extra : "", xref);
	if (fclose(f) != 0)
		die(path);
	free(offsets);
	free(raw->objs);
	free(raw);
}

unsigned char *mk_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		die(path);
	long n = ftell(f);
	rewind(f);
	unsigned char *data = xrealloc(NULL, (size_t)n + 1);
	if (n < 0 || fread(data, 1, (size_t)n, f) != (size_t)n)
		die(path);
	fclose(f);
	*len = (size_t)n;
	return data;
}

void mk_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(path);
}
