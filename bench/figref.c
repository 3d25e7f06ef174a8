/* figref.c: figure and table boxes against a pdffigures2 reference (issue 13).
 *
 * usage: figref [--quiet] REFDIR [PDFDIR]
 *
 * REFDIR holds pdffigures2's "figure data" output (FigureExtractorBatchCli -d PREFIX), one
 * JSON file per PDF named after it (paper.json for paper.pdf): an array of figures with
 * "name" ("3", "II"), "figType" ("Figure" or "Table"), "page" (0-based), and the boxes
 * "regionBoundary" and "captionBoundary" ({x1, y1, x2, y2} in points at 72 DPI, top-left
 * origin of the crop box: the same frame as wk_box). PDFDIR defaults to
 * ../shared/data/papers. Each PDF is parsed with wk_parse_file and each reference figure
 * is looked up among our figure and table units by kind, label number and page.
 *
 * Reported: the share of reference figures found with the same label on the same page, and
 * the share whose boxes overlap with IoU >= 0.5. Our unit's box covers the region and its
 * caption (docs/units.md), so it is compared with the bounding box of pdffigures2's region
 * and caption together: both sides measure the same thing. Our captioned units that the
 * reference lacks are counted too. Misses are printed so they can be looked at.
 *
 * The reference is not in ../shared and pdffigures2 (Scala, sbt, Maven) cannot be built
 * from Debian's or npm's packages: when REFDIR is absent this says so and exits 0. */
#include "../src/util/util.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct ref_fig {
	char kind;      /* 'F' figure, 'T' table */
	char name[32];  /* "3", "II" */
	int page;       /* 1-based */
	float x0, y0, x1, y1; /* region and caption together */
} ref_fig;

typedef struct totals {
	int docs, missing_pdfs, errors;
	int refs, same_label_page, iou_half;
	double iou_sum;
	int ours_captioned, ours_unmatched;
} totals;

/* Reads one box {x1, y1, x2, y2} into b, widening it (b starts empty: x0 > x1). */
static void widen(json_t *box, float b[4])
{
	if (!json_is_object(box))
		return;
	float v[4] = {
	    (float)json_number_value(json_object_get(box, "x1")),
	    (float)json_number_value(json_object_get(box, "y1")),
	    (float)json_number_value(json_object_get(box, "x2")),
	    (float)json_number_value(json_object_get(box, "y2")),
	};
	if (v[2] <= v[0] || v[3] <= v[1])
		return;
	b[0] = fminf(b[0], v[0]);
	b[1] = fminf(b[1], v[1]);
	b[2] = fmaxf(b[2], v[2]);
	b[3] = fmaxf(b[3], v[3]);
}

/* The reference figures of one JSON file; -1 when it cannot be read. */
static int read_refs(const char *path, ref_fig **out)
{
	*out = NULL;
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!json_is_array(root)) {
		fprintf(stderr, "figref: %s: not a pdffigures2 figure array (%s)\n", path, je.text);
		json_decref(root);
		return -1;
	}
	int n = 0;
	ref_fig *r = wk_xcalloc(json_array_size(root) + 1, sizeof *r);
	size_t i;
	json_t *f;
	json_array_foreach(root, i, f) {
		const char *type = json_string_value(json_object_get(f, "figType"));
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *page = json_object_get(f, "page");
		if (!type || !name || !json_is_integer(page))
			continue;
		ref_fig *g = &r[n];
		g->kind = !strcasecmp(type, "Table") ? 'T' : 'F';
		snprintf(g->name, sizeof g->name, "%s", name);
		g->page = (int)json_integer_value(page) + 1;
		float b[4] = {1e9f, 1e9f, -1e9f, -1e9f};
		widen(json_object_get(f, "regionBoundary"), b);
		widen(json_object_get(f, "captionBoundary"), b);
		if (b[2] <= b[0])
			continue;
		g->x0 = b[0], g->y0 = b[1], g->x1 = b[2], g->y1 = b[3];
		n++;
	}
	json_decref(root);
	*out = r;
	return n;
}

/* Our unit's kind and label number ("Figure 3" -> 'F', "3"; "Tab. II" -> 'T', "II");
 * false for a unit without a label. */
static bool unit_label(const wk_unit *u, char *kind, char *num, size_t size)
{
	if (!u->label || !*u->label)
		return false;
	const char *s = u->label;
	*kind = (s[0] == 'T' || s[0] == 't') ? 'T' : 'F';
	while (*s && !isspace((unsigned char)*s))
		s++;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = 0;
	while (s[n] && !isspace((unsigned char)s[n]) && s[n] != ':' && n + 1 < size)
		n++;
	while (n > 0 && s[n - 1] == '.')
		n--;
	memcpy(num, s, n);
	num[n] = '\0';
	return n > 0;
}

static const wk_box *box_on(const wk_unit *u, int page)
{
	for (int k = 0; k < u->nboxes; k++)
		if (u->boxes[k].page == page)
			return &u->boxes[k];
	return NULL;
}

static double iou(const wk_box *a, const ref_fig *b)
{
	double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
	double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
	if (w <= 0 || h <= 0)
		return 0.0;
	double inter = w * h;
	double ua = (double)(a->x1 - a->x0) * (a->y1 - a->y0);
	double ub = (double)(b->x1 - b->x0) * (b->y1 - b->y0);
	return inter / (ua + ub - inter);
}

/* The figure or table unit with the reference's kind, label and page; NULL when none. */
static const wk_unit *find_unit(const wk_doc *doc, const ref_fig *g, bool *used)
{
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		char kind, num[32];
		if ((u->type != WK_UNIT_FIGURE && u->type != WK_UNIT_TABLE) || used[i] ||
		    !unit_label(u, &kind, num, sizeof num))
			continue;
		if (kind == g->kind && !strcasecmp(num, g->name) && box_on(u, g->page)) {
			used[i] = true;
			return u;
		}
	}
	return NULL;
}

static void compare(const char *stem, const wk_doc *doc, const ref_fig *refs, int n,
                    totals *t, bool quiet)
{
	bool *used = wk_xcalloc((size_t)doc->nunits + 1, sizeof *used);
	for (int k = 0; k < n; k++) {
		const ref_fig *g = &refs[k];
		const wk_unit *u = find_unit(doc, g, used);
		t->refs++;
		if (!u) {
			if (!quiet)
				printf("  missed %s: %s %s on page %d\n", stem,
				       g->kind == 'T' ? "Table" : "Figure", g->name, g->page);
			continue;
		}
		t->same_label_page++;
		double v = iou(box_on(u, g->page), g);
		t->iou_sum += v;
		if (v >= 0.5)
			t->iou_half++;
		else if (!quiet)
			printf("  IoU %.2f %s: %s on page %d\n", v, stem, u->label, g->page);
	}
	for (int i = 0; i < doc->nunits; i++) {
		char kind, num[32];
		const wk_unit *u = &doc->units[i];
		if ((u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE) &&
		    unit_label(u, &kind, num, sizeof num)) {
			t->ours_captioned++;
			t->ours_unmatched += !used[i];
		}
	}
	free(used);
}

static void run_ref(const char *refdir, const char *name, const char *pdfdir, totals *t,
                    bool quiet)
{
	char refpath[4096], pdf[4096], stem[1024];
	size_t len = strlen(name) - 5; /* without ".json" */
	snprintf(stem, sizeof stem, "%.*s", (int)WK_MIN(len, sizeof stem - 1), name);
	snprintf(refpath, sizeof refpath, "%s/%s", refdir, name);
	snprintf(pdf, sizeof pdf, "%s/%s.pdf", pdfdir, stem);
	if (access(pdf, R_OK) != 0) {
		t->missing_pdfs++;
		return;
	}
	ref_fig *refs;
	int n = read_refs(refpath, &refs);
	if (n < 0) {
		t->errors++;
		return;
	}
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	wk_doc *doc = NULL;
	wk_error err;
	if (wk_parse_file(pdf, &opts, &doc, &err) != WK_OK) {
		printf("  error: %s: %s\n", pdf, err.message);
		t->errors++;
	} else {
		t->docs++;
		compare(stem, doc, refs, n, t, quiet);
	}
	wk_doc_free(doc);
	free(refs);
}

static double share(int k, int n)
{
	return n ? (double)k / n : 0.0;
}

int main(int argc, char **argv)
{
	bool quiet = argc > 1 && !strcmp(argv[1], "--quiet");
	int a = quiet ? 2 : 1;
	if (argc - a < 1 || argc - a > 2) {
		fprintf(stderr, "usage: figref [--quiet] REFDIR [PDFDIR]\n");
		return 2;
	}
	const char *refdir = argv[a];
	const char *pdfdir = argc - a == 2 ? argv[a + 1] : "../shared/data/papers";
	DIR *d = opendir(refdir);
	if (!d) {
		printf("figref: no pdffigures2 reference at %s: nothing measured\n", refdir);
		return 0;
	}
	totals t = {0};
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
			run_ref(refdir, e->d_name, pdfdir, &t, quiet);
	}
	closedir(d);
	printf("figref: %d documents against %s (%d reference files without their PDF in %s, "
	       "%d errors)\n",
	       t.docs, refdir, t.missing_pdfs, pdfdir, t.errors);
	printf("  reference figures and tables  %d\n", t.refs);
	printf("  same label and page           %d  %.3f\n", t.same_label_page,
	       share(t.same_label_page, t.refs));
	printf("  IoU >= 0.5 (region+caption)   %d  %.3f\n", t.iou_half, share(t.iou_half, t.refs));
	printf("  mean IoU of those found       %.3f\n",
	       t.same_label_page ? t.iou_sum / t.same_label_page : 0.0);
	printf("  our captioned units not in the reference  %d of %d\n", t.ours_unmatched,
	       t.ours_captioned);
	return t.errors ? 1 : 0;
}
