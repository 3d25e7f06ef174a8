/* labels.c: page labels. A PDF may name its pages itself (/PageLabels in the catalog: a
 * number tree of ranges, each with a style, a prefix and a first number: "i, ii, iii,
 * 1, 2, ..."); MuPDF 1.21 has no call for them, so the tree is read here. Pages of a PDF
 * without one get the number printed on them, when the document's printed numbers
 * agree (wk_label_printed_pages, called by the assembler). */
#include "pdf.h"

#include <mupdf/pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	LABEL_RANGES_MAX = 4096, /* hostile input: a tree of a million ranges */
	LABEL_DEPTH_MAX = 16,    /* ... or a loop of /Kids */
	LABEL_MAX = 64           /* bytes of one label */
};

typedef struct label_range {
	int start;       /* first page index (0-based) */
	int style;       /* 'D', 'R', 'r', 'A', 'a', or 0 for a prefix only */
	int first;       /* the number of its first page (/St, default 1) */
	char prefix[32];
} label_range;

typedef struct label_tree {
	label_range *r;
	int n, cap;
} label_tree;

static void add_range(fz_context *ctx, label_tree *t, int start, pdf_obj *dict)
{
	if (t->n >= LABEL_RANGES_MAX || start < 0 || !pdf_is_dict(ctx, dict))
		return;
	t->r = wk_grow(t->r, &t->cap, t->n + 1, sizeof(label_range));
	label_range *r = &t->r[t->n++];
	memset(r, 0, sizeof *r);
	r->start = start;
	const char *style = pdf_to_name(ctx, pdf_dict_get(ctx, dict, PDF_NAME(S)));
	r->style = strlen(style) == 1 && strchr("DRrAa", style[0]) ? style[0] : 0;
	pdf_obj *st = pdf_dict_gets(ctx, dict, "St");
	r->first = st ? pdf_to_int(ctx, st) : 1;
	if (r->first < 1 || r->first > 1000000)
		r->first = 1;
	snprintf(r->prefix, sizeof r->prefix, "%s",
	         pdf_to_text_string(ctx, pdf_dict_get(ctx, dict, PDF_NAME(P))));
}

static void walk(fz_context *ctx, label_tree *t, pdf_obj *node, int depth)
{
	if (depth > LABEL_DEPTH_MAX || !pdf_is_dict(ctx, node) || pdf_mark_obj(ctx, node))
		return;
	fz_try(ctx)
	{
		pdf_obj *nums = pdf_dict_get(ctx, node, PDF_NAME(Nums));
		int n = pdf_array_len(ctx, nums);
		for (int i = 0; i + 1 < n; i += 2)
			add_range(ctx, t, pdf_to_int(ctx, pdf_array_get(ctx, nums, i)),
			          pdf_array_get(ctx, nums, i + 1));
		pdf_obj *kids = pdf_dict_get(ctx, node, PDF_NAME(Kids));
		for (int i = 0; i < pdf_array_len(ctx, kids); i++)
			walk(ctx, t, pdf_array_get(ctx, kids, i), depth + 1);
	}
	fz_always(ctx) pdf_unmark_obj(ctx, node);
	fz_catch(ctx) fz_rethrow(ctx);
}

static int by_start(const void *a, const void *b)
{
	const label_range *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Roman numerals up to 3999; bigger numbers fall back to digits. */
static void roman(int v, bool upper, char *out, size_t size)
{
	static const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
	static const char *const lower[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
	if (v >= 4000) {
		snprintf(out, size, "%d", v);
		return;
	}
	size_t k = 0;
	for (int i = 0; i < 13; i++)
		for (; v >= values[i] && k + 3 < size; v -= values[i])
			for (const char *s = lower[i]; *s; s++)
				out[k++] = upper ? (char)(*s - 'a' + 'A') : *s;
	out[k] = '\0';
}

/* "A".."Z", then "AA".."ZZ", "AAA"...: the letter repeated, as the PDF standard says. */
static void letters(int v, bool upper, char *out, size_t size)
{
	int times = (v - 1) / 26 + 1;
	char c = (char)((upper ? 'A' : 'a') + (v - 1) % 26);
	size_t k = 0;
	for (; k < (size_t)times && k + 1 < size; k++)
		out[k] = c;
	out[k] = '\0';
}

static void format_label(const label_range *r, int page, char *out, size_t size)
{
	char num[LABEL_MAX] = "";
	int v = r->first + (page - r->start);
	if (r->style == 'D')
		snprintf(num, sizeof num, "%d", v);
	else if (r->style == 'R' || r->style == 'r')
		roman(v, r->style == 'R', num, sizeof num);
	else if (r->style == 'A' || r->style == 'a')
		letters(WK_MIN(v, 26 * 8), r->style == 'A', num, sizeof num);
	/* A prefix near LABEL_MAX leaves no room for the number: the label is cut there (a
	 * label names a page; nobody types 64 bytes of it). */
	int w = snprintf(out, size, "%s%s", r->prefix, num);
	if (w < 0)
		out[0] = '\0';
}

void wk_read_page_labels(fz_context *ctx, fz_document *fzdoc, wk_doc *doc)
{
	pdf_document *pdf = pdf_specifics(ctx, fzdoc);
	if (!pdf)
		return;
	label_tree t = {0};
	fz_try(ctx)
		walk(ctx, &t, pdf_dict_getp(ctx, pdf_trailer(ctx, pdf), "Root/PageLabels"), 0);
	fz_catch(ctx)
		t.n = 0; /* a damaged tree: no labels rather than wrong ones */
	if (t.n > 0) {
		qsort(t.r, (size_t)t.n, sizeof *t.r, by_start);
		for (int p = 0, k = -1; p < doc->npages; p++) {
			while (k + 1 < t.n && t.r[k + 1].start <= p)
				k++;
			if (k < 0)
				continue;
			char label[LABEL_MAX];
			format_label(&t.r[k], p, label, sizeof label);
			doc->pages[p].label = wk_doc_str(doc, label);
		}
	}
	free(t.r);
}
