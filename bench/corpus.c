/* corpus.c: the figure and table corpus report of issue 2, and the layout counts of
 * issue 13.
 *
 * Parses every PDF of the corpus folders with wk_parse_file and reports documents
 * parsed, errors, units by type, text units of one printed line and of 8 words or fewer
 * (paragraphs cut apart), letter-spaced units, and caption recall: the share of the "Figure N" /
 * "Table N" captions that `pdftotext -layout` shows which came out as a figure or table
 * unit with that label on that page. A caption, as pdftotext sees it, is a segment of a
 * layout line (segments are split at runs of 3+ spaces, i.e. columns) that starts with
 * Figure / Fig. / FIGURE / Table / TABLE / Tab., a number (arabic, or roman for tables),
 * then ':', '.', '|', a dash, or the segment's end; "Figure 3 shows" is prose, not a
 * caption. Misses are printed so they can be looked at.
 *
 * usage: corpus [--threads N] [--no-ocr] [--quiet] [--headings] [DIR...]
 * (--no-ocr skips pages without a text layer instead of recognising them: faster, and
 * scanned pages have no pdftotext captions anyway; --headings prints every heading that
 * headings.h counts, with its page and kind, and every other heading too with kind "ok",
 * so that one can check that real headings stay)
 * The folders default to ../shared/data/papers and ../shared/data/mmlongbench/documents;
 * absent folders are reported and skipped (exit 0 when none is present). */
#include "../src/pdf/pdf.h" /* wk_count_words */
#include "../src/util/util.h"
#include "headings.h"
#include "pdftotext.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TEXT (256u << 20)

typedef struct caption {
	int page;
	char label[48];
	char line[96];
} caption;

typedef struct totals {
	int docs, errors, skipped, pages;
	int text_units, one_line, short_units, spaced;
	int units[4];
	int captions, found;
	int uncaptioned_figures; /* figure units without a caption label (charts, photos) */
	int label_headings;      /* headings that are table headers or chart labels (headings.h) */
	int grids;               /* table units with cells */
	double ms;
} totals;


static const struct { const char *word, *name; } keywords[] = {
	{"Figure", "Figure"}, {"FIGURE", "Figure"}, {"Fig.", "Figure"}, {"FIG.", "Figure"},
	{"Table", "Table"},   {"TABLE", "Table"},   {"Tab.", "Table"},
};

/* Length of a label number at s: digits with dotted parts, or a roman numeral. */
static size_t number_len(const char *s)
{
	size_t n = 0;
	if (isdigit((unsigned char)*s)) {
		while (isdigit((unsigned char)s[n]) || (s[n] == '.' && isdigit((unsigned char)s[n + 1])))
			n++;
	} else {
		while (strchr("IVXLC", s[n]) && s[n])
			n++;
	}
	return isalnum((unsigned char)s[n]) ? 0 : n;
}

/* Fills label when the segment [s, end) is a caption start. */
static bool segment_caption(const char *s, const char *end, char *label, size_t size)
{
	for (size_t k = 0; k < WK_ARRAY_LEN(keywords); k++) {
		size_t kl = strlen(keywords[k].word);
		if ((size_t)(end - s) <= kl || strncmp(s, keywords[k].word, kl) != 0)
			continue;
		const char *p = s + kl;
		while (p < end && *p == ' ')
			p++;
		size_t n = number_len(p);
		if (n == 0 || p == s + kl)
			continue;
		const char *q = p + n;
		while (q < end && *q == ' ')
			q++;
		bool delim = q >= end || *q == ':' || *q == '.' || *q == '|' || *q == '-' ||
		             strncmp(q, "\xe2\x80\x93", 3) == 0 || strncmp(q, "\xe2\x80\x94", 3) == 0;
		if (!delim)
			return false;
		snprintf(label, size, "%s %.*s", keywords[k].name, (int)n, p);
		return true;
	}
	return false;
}

static void scan_line(const char *line, size_t len, int page, caption **caps, int *n, int *cap)
{
	const char *end = line + len;
	for (const char *s = line; s < end;) {
		while (s < end && *s == ' ')
			s++;
		const char *e = s;
		while (e < end && !(e[0] == ' ' && e + 2 < end && e[1] == ' ' && e[2] == ' '))
			e++;
		char label[48];
		if (s < e && segment_caption(s, e, label, sizeof label)) {
			bool dup = false;
			for (int i = 0; i < *n; i++)
				dup |= (*caps)[i].page == page && strcmp((*caps)[i].label, label) == 0;
			if (!dup) {
				*caps = wk_grow(*caps, cap, *n + 1, sizeof(caption));
				caption *c = &(*caps)[(*n)++];
				c->page = page;
				snprintf(c->label, sizeof c->label, "%s", label);
				snprintf(c->line, sizeof c->line, "%.*s", (int)WK_MIN(e - s, 90), s);
			}
		}
		s = e;
	}
}

/* The captions pdftotext shows, per page. *caps is malloc'd. */
static int pdftotext_captions(const char *path, caption **caps)
{
	char *text = run_pdftotext(path, true, false, MAX_TEXT);
	int n = 0, cap = 0, page = 1;
	*caps = NULL;
	if (!text)
		return 0;
	for (const char *s = text; *s;) {
		const char *nl = s;
		while (*nl && *nl != '\n' && *nl != '\f')
			nl++;
		scan_line(s, (size_t)(nl - s), page, caps, &n, &cap);
		if (*nl == '\f')
			page++;
		s = *nl ? nl + 1 : nl;
	}
	free(text);
	return n;
}

static bool unit_has(const wk_unit *u, const caption *c)
{
	if (u->type != WK_UNIT_FIGURE && u->type != WK_UNIT_TABLE)
		return false;
	if (!u->label || strcmp(u->label, c->label) != 0)
		return false;
	for (int b = 0; b < u->nboxes; b++)
		if (u->boxes[b].page == c->page)
			return true;
	return u->page == c->page;
}

/* A text unit of one printed line: on one page, and its box no taller than its text
 * would be on one line. Glyphs advance about half the font size and a line is about 1.2
 * sizes tall, so on one line (width / characters) / height is about 0.4; two lines
 * halve the width per character and double the height (about 0.1). 0.25 splits them. */
static bool one_line(const wk_unit *u)
{
	if (u->type != WK_UNIT_TEXT || u->nboxes != 1)
		return false;
	const wk_box *b = &u->boxes[0];
	size_t chars = 0;
	for (const char *p = u->text; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	float h = b->y1 - b->y0;
	return chars > 0 && (h <= 0 || (b->x1 - b->x0) / (float)chars / h >= 0.25f);
}

/* Letter-spaced text left apart: four one-letter words in a row ("a r t i c l e"). */
static bool letter_spaced(const char *s)
{
	int run = 0;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, " ");
		run = n == 1 && isalpha((unsigned char)*p) ? run + 1 : 0;
		if (run >= 4)
			return true;
		p += n;
		p += *p == ' ';
	}
	return false;
}

static void count_layout(const wk_doc *doc, totals *t)
{
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type != WK_UNIT_TEXT && u->type != WK_UNIT_HEADING)
			continue;
		t->spaced += letter_spaced(u->text);
		if (u->type != WK_UNIT_TEXT)
			continue;
		t->text_units++;
		t->one_line += one_line(u);
		t->short_units += wk_count_words(u->text) <= 8;
	}
}

static void check_captions(const char *path, const wk_doc *doc, totals *t, bool quiet)
{
	caption *caps;
	int n = pdftotext_captions(path, &caps);
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (int k = 0; k < doc->nunits && !found; k++)
			found = unit_has(&doc->units[k], &caps[i]);
		t->captions++;
		t->found += found;
		if (!found && !quiet)
			printf("  miss: %s p%d %s | %s\n", path, caps[i].page, caps[i].label, caps[i].line);
	}
	free(caps);
}

typedef struct run_opts {
	int threads;
	bool no_ocr, quiet, headings;
} run_opts;

static void count_chart_units(const char *path, const wk_doc *doc, const run_opts *ro, totals *t)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_FIGURE && (!u->label || !u->label[0]))
			t->uncaptioned_figures++;
		const char *kind = label_heading_kind(doc, i);
		t->label_headings += kind != NULL;
		if (ro->headings && u->type == WK_UNIT_HEADING)
			printf("  heading: %s p%d %s | %s\n", name, u->page, kind ? kind : "ok", u->text);
		t->grids += u->type == WK_UNIT_TABLE && u->table != NULL;
	}
}

static void run_file(const char *path, const run_opts *ro, totals *t)
{
	bool quiet = ro->quiet;
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.threads = ro->threads;
	if (ro->no_ocr)
		opts.ocr = WK_OCR_NEVER;
	wk_doc *doc = NULL;
	wk_error err;
	double t0 = wk_now_ms();
	int rc = wk_parse_file(path, &opts, &doc, &err);
	double ms = wk_now_ms() - t0;
	t->docs++;
	if (rc == WK_ENOTEXT && ro->no_ocr) {
		t->skipped++;
		printf("  skipped (no text layer, --no-ocr): %s\n", path);
		return;
	}
	if (rc != WK_OK) {
		t->errors++;
		printf("  error: %s: %s\n", path, err.message);
		return;
	}
	t->ms += ms;
	t->pages += doc->npages;
	int per[4] = {0};
	for (int i = 0; i < doc->nunits; i++)
		per[doc->units[i].type]++;
	for (int k = 0; k < 4; k++)
		t->units[k] += per[k];
	if (!quiet)
		printf("  %s: %d pages, %.0f ms, %d figures, %d tables\n", path, doc->npages, ms,
		       per[WK_UNIT_FIGURE], per[WK_UNIT_TABLE]);
	check_captions(path, doc, t, quiet);
	count_chart_units(path, doc, ro, t);
	count_layout(doc, t);
	wk_doc_free(doc);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.pdf of dir, in name order. Returns false when dir is absent. */
static bool run_dir(const char *dir, const run_opts *ro, totals *t)
{
	DIR *d = opendir(dir);
	if (!d) {
		printf("corpus: %s absent, skipped\n", dir);
		return false;
	}
	char **names = NULL;
	int n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcasecmp(e->d_name + len - 4, ".pdf") == 0) {
			names = wk_grow(names, &cap, n + 1, sizeof(char *));
			names[n++] = wk_xstrdup(e->d_name);
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmp_str);
	printf("corpus: %s (%d PDFs)\n", dir, n);
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		run_file(path, ro, t);
		free(names[i]);
	}
	free(names);
	return true;
}

static void report(const totals *t)
{
	printf("\ndocuments %d, errors %d, skipped without text layer %d, pages %d, %.1f pages/s\n",
	       t->docs, t->errors, t->skipped, t->pages, t->ms > 0 ? t->pages / (t->ms / 1000) : 0);
	printf("units: text %d, heading %d, figure %d, table %d\n", t->units[WK_UNIT_TEXT],
	       t->units[WK_UNIT_HEADING], t->units[WK_UNIT_FIGURE], t->units[WK_UNIT_TABLE]);
	printf("tables with cells %d; figures without a caption %d; headings that are table "
	       "headers or chart labels %d (aim 0; bench/headings.h)\n",
	       t->grids, t->uncaptioned_figures, t->label_headings);
	printf("caption recall: %d of %d pdftotext captions = %.3f (target >= 0.9)\n", t->found,
	       t->captions, t->captions ? (double)t->found / t->captions : 1.0);
	double pages = t->pages > 0 ? t->pages : 1;
	printf("text units %d: one-line %d (%.2f per page), of 8 words or fewer %d (%.2f per "
	       "page); letter-spaced units %d\n", t->text_units, t->one_line, t->one_line / pages,
	       t->short_units, t->short_units / pages, t->spaced);
}

int main(int argc, char **argv)
{
	run_opts ro = {1, false, false, false};
	int ndirs = 0;
	const char *dirs[64];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			ro.threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--quiet") == 0)
			ro.quiet = true;
		else if (strcmp(argv[i], "--no-ocr") == 0)
			ro.no_ocr = true;
		else if (strcmp(argv[i], "--headings") == 0)
			ro.headings = true;
		else if (ndirs < 64)
			dirs[ndirs++] = argv[i];
	}
	if (ndirs == 0) {
		dirs[ndirs++] = "../shared/data/papers";
		dirs[ndirs++] = "../shared/data/mmlongbench/documents";
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows while long documents run */
	totals t = {0};
	bool any = false;
	for (int i = 0; i < ndirs; i++)
		any |= run_dir(dirs[i], &ro, &t);
	if (!any) {
		printf("corpus: no corpus folder present, nothing measured\n");
		return 0;
	}
	report(&t);
	return t.errors > 0 ? 1 : 0;
}
