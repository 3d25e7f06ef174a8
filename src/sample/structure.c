/* structure.c: the document's structure as relevance: a unit inherits part of the score
 * of its page and of the best section around it (so "the conclusion" lands in the
 * conclusion), explicit references in the question are honoured, and figures and tables
 * share the score of the paragraphs that mention them. */
#include "sample.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weights of the signals; unit, page and section scores are each scaled to [0, 1]. */
#define W_PAGE 0.35
#define W_SECTION 0.30
#define W_SUPPORT 0.5
#define W_CONTEXT 0.5
#define W_STATEMENT 1.0 /* page bonus of a financial statement for a financial question */
#define W_FIRST_PAGE 0.1 /* title, authors, abstract: what a document says of itself */
#define W_REF_FOLLOW 1.0  /* a figure mentioned by a relevant paragraph (docs/sampling.md) */
#define BONUS_EXPLICIT 2.0
#define BONUS_PAGE 2.5
#define BONUS_PAGE_REST 0.5 /* the other units of a named page */
#define PAGE_LEADERS 4
#define BONUS_SECTION 0.8
#define BONUS_COUNT 1.5
#define BONUS_QUOTATION 2.0 /* as BONUS_EXPLICIT (docs/sampling.md) */
#define BONUS_STATEMENT 1.0 /* a statement a financial question's figures come from */
#define BONUS_PATTERN 2.0 /* an e-mail address or a link the question asks for: as
                             BONUS_EXPLICIT (docs/sampling.md) */

static void normalise(double *v, int n)
{
	double max = 0;
	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	if (max <= 0)
		return;
	for (int i = 0; i < n; i++)
		v[i] /= max;
}

/* For every unit, the score of the best range (section or outline entry) holding it. */
static void best_range(const wk_index *ix, const double *sec, double *out)
{
	int n = ix->doc->nunits;
	memset(out, 0, sizeof(double) * (size_t)n);
	for (int r = 0; r < ix->nranges; r++) {
		const wk_range *g = &ix->ranges[r];
		if (sec[r] <= 0)
			continue;
		for (int i = WK_MAX(g->first, 0); i <= g->last && i < n; i++)
			if (sec[r] > out[i])
				out[i] = sec[r];
	}
}

/* "4.2" matches a title "4.2 Results" or "4.2. Results", not "4.21 ...". */
static int title_numbered(const char *title, const char *num)
{
	if (!title)
		return 0;
	while (*title == ' ')
		title++;
	if (!strncasecmp(title, "section ", 8))
		title += 8;
	else if (!strncasecmp(title, "chapter ", 8))
		title += 8;
	size_t n = strlen(num);
	return strncmp(title, num, n) == 0 && !isdigit((unsigned char)title[n]) &&
	       !(title[n] == '.' && isdigit((unsigned char)title[n + 1]));
}

static void range_bonus(const wk_index *ix, int r, double bonus, double *scores)
{
	const wk_range *g = &ix->ranges[r];
	for (int i = WK_MAX(g->first, 0); i <= g->last && i < ix->doc->nunits; i++)
		scores[i] += bonus * (i == g->first ? 1.0 : 0.8);
}

static void explicit_sections(const wk_index *ix, const wk_query *q, double *scores)
{
	for (int r = 0; r < ix->nranges; r++) {
		const char *t = ix->ranges[r].title;
		for (int k = 0; k < q->nsec_ref; k++)
			if (title_numbered(t, q->sec_ref[k]))
				range_bonus(ix, r, BONUS_SECTION, scores);
		if (q->appendix && t && (strcasestr(t, "appendix") || strcasestr(t, "appendices")))
			range_bonus(ix, r, BONUS_SECTION * 0.5, scores);
	}
}

static int has_ref(const int *arr, int n, int v)
{
	for (int i = 0; i < n; i++)
		if (arr[i] == v)
			return 1;
	return 0;
}

#define ATTRIBUTION_WORDS 4 /* an attribution without a comma: a name, "—Jane Doe" */

static int count_words(const char *s, size_t n)
{
	int words = 0;
	for (size_t i = 0; i < n; i++)
		words += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
	return words;
}

/* "—Jane Doe, Managing Director": a dash, a capitalised name without digits ("—July
 * 2001" is a date), then a comma and a role, or a short name alone; no full stop (a
 * bullet set with a dash is a sentence: "— Everyone who needs access, has access."). */
static bool line_attributes(const char *name, size_t n)
{
	size_t until = strcspn(name, ",");
	bool comma = until < n;
	until = WK_MIN(until, n);
	for (size_t i = 0; i < until; i++)
		if (isdigit((unsigned char)name[i]))
			return false;
	return n >= 2 && isupper((unsigned char)name[0]) && islower((unsigned char)name[1]) &&
	       name[n - 1] != '.' && (comma || count_words(name, n) <= ATTRIBUTION_WORDS);
}

/* A quotation: a line that opens with a quotation mark and says something (four words
 * or more), or an attribution line. Slides and reports set quotes so. */
static bool line_quotes(const char *s, size_t n)
{
	static const char *const opens[] = {"\"", "\u201c", "\u2018", "\u201e"};
	static const char *const dashes[] = {"\u2014", "\u2013", "-"};
	for (size_t k = 0; k < WK_ARRAY_LEN(opens); k++)
		if (!strncmp(s, opens[k], strlen(opens[k])))
			return count_words(s, n) >= 4;
	for (size_t k = 0; k < WK_ARRAY_LEN(dashes); k++) {
		size_t d = strlen(dashes[k]);
		if (n > d + 2 && !strncmp(s, dashes[k], d)) {
			size_t skip = d + (s[d] == ' ');
			return line_attributes(s + skip, n - skip);
		}
	}
	return false;
}

static bool is_quotation(const char *t)
{
	while (*t) {
		size_t n = strcspn(t, "\n");
		if (line_quotes(t, n))
			return true;
		t += n + (t[n] == '\n');
	}
	return false;
}

static void explicit_units(const wk_index *ix, const wk_query *q, double *scores)
{
	const wk_doc *doc = ix->doc;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit_info *info = &ix->info[i];
		const wk_unit *u = &doc->units[i];
		int hit = (info->label_kind == 'F' && has_ref(q->fig_ref, q->nfig_ref, info->label_num)) ||
		          (info->label_kind == 'T' && has_ref(q->tab_ref, q->ntab_ref, info->label_num));
		if (hit) {
			scores[i] += BONUS_EXPLICIT;
			for (int k = 0; k < u->nrefs; k++)
				if (u->refs[k] >= 0 && u->refs[k] < doc->nunits)
					scores[u->refs[k]] += BONUS_EXPLICIT * 0.2;
		}
		const char *t = ix->info[i].text;
		if ((q->wants_email && strchr(t, '@')) ||
		    (q->wants_url && (strstr(t, "http") || strstr(t, "www."))))
			scores[i] += BONUS_PATTERN;
		/* A question about quotations names the kind of unit it wants, as "Figure 3"
		 * names one: quotations are recognised by their form, whatever their words. */
		if (q->wants_quote && u->type == WK_UNIT_TEXT && is_quotation(t))
			scores[i] += BONUS_QUOTATION;
		if ((q->kind == WK_Q_COUNT_FIGURES && u->type == WK_UNIT_FIGURE) ||
		    (q->kind == WK_Q_COUNT_TABLES && u->type == WK_UNIT_TABLE))
			scores[i] += BONUS_COUNT;
	}
}

/* The best units of a page the question names lead; the rest of that page gains a
 * little, so that a page named by its label while the question meant its position (or
 * the other way round) does not swallow the whole budget. */
static void page_bonus(const wk_index *ix, int page, double *scores)
{
	const wk_doc *doc = ix->doc;
	int top[PAGE_LEADERS], n = 0;
	for (int i = 0; i < doc->nunits; i++) {
		if (doc->units[i].page != page || doc->units[i].type == WK_UNIT_HEADING)
			continue;
		scores[i] += BONUS_PAGE_REST;
		int k = n < PAGE_LEADERS ? n++ : PAGE_LEADERS;
		if (k == PAGE_LEADERS && scores[i] <= scores[top[PAGE_LEADERS - 1]])
			continue;
		if (k == PAGE_LEADERS)
			k--;
		while (k > 0 && scores[top[k - 1]] < scores[i]) {
			top[k] = top[k - 1];
			k--;
		}
		top[k] = i;
	}
	for (int k = 0; k < n; k++)
		scores[top[k]] += BONUS_PAGE - BONUS_PAGE_REST;
}

/* Whether a page labelled `label` shows printed page `number`: "17", or a two-page
 * spread "16-17". */
static bool label_shows(const char *label, int number)
{
	if (!label || !isdigit((unsigned char)label[0]))
		return false;
	char *end;
	long first = strtol(label, &end, 10), last = first;
	if (*end == '-' && isdigit((unsigned char)end[1]))
		last = strtol(end + 1, &end, 10);
	return *end == '\0' && first <= number && number <= last;
}

/* The pages labelled `number` ("17" printed on PDF page 19, or the spread "16-17"), else
 * the page the printed numbers the index saw point to; 0 when none. At most `cap`. */
static int labelled_pages(const wk_index *ix, int number, int *out, int cap)
{
	const wk_doc *doc = ix->doc;
	int n = 0;
	for (int p = 1; p <= doc->npages && n < cap; p++)
		if (label_shows(doc->pages[p - 1].label, number))
			out[n++] = p;
	int printed = ix->page_offset ? number + ix->page_offset : 0;
	if (n == 0 && printed >= 1 && printed <= doc->npages)
		out[n++] = printed;
	return n;
}

/* The N-th page that holds anything (N < 0: counted from the end), 0 when there are
 * fewer: a reader leafing through skips the blank back of a cover. */
static int nth_page_with_content(const wk_doc *doc, int nth)
{
	bool *filled = wk_xcalloc((size_t)doc->npages + 1, sizeof(bool));
	for (int i = 0; i < doc->nunits; i++)
		for (int b = 0; b < doc->units[i].nboxes; b++) {
			int p = doc->units[i].boxes[b].page;
			if (p >= 1 && p <= doc->npages)
				filled[p] = true;
		}
	int step = nth < 0 ? -1 : 1, left = nth < 0 ? -nth : nth, found = 0;
	for (int p = step > 0 ? 1 : doc->npages; p >= 1 && p <= doc->npages && !found; p += step)
		if (filled[p] && --left == 0)
			found = p;
	free(filled);
	return found;
}

/* "page N" may mean the page labelled N, the N-th page or the N-th page with content
 * (blank pages not counted): each is kept when they differ. */
static void explicit_pages(const wk_index *ix, const wk_query *q, double *scores)
{
	const wk_doc *doc = ix->doc;
	for (int k = 0; k < q->npage_ref; k++) {
		int p = q->page_ref[k] < 0 ? doc->npages + 1 + q->page_ref[k] : q->page_ref[k];
		if (p >= 1 && p <= doc->npages)
			page_bonus(ix, p, scores);
		int also[3], n = q->page_ref[k] > 0 ? labelled_pages(ix, p, also, 2) : 0;
		int filled = nth_page_with_content(doc, q->page_ref[k]);
		if (filled > 0)
			also[n++] = filled;
		for (int i = 0; i < n; i++) {
			bool done = also[i] == p;
			for (int j = 0; j < i && !done; j++)
				done = also[j] == also[i];
			if (!done)
				page_bonus(ix, also[i], scores);
		}
	}
}

/* A figure or table is as relevant as the best paragraph that mentions it. */
static void follow_refs(const wk_index *ix, double *scores)
{
	const wk_doc *doc = ix->doc;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		for (int k = 0; k < u->nrefs; k++) {
			int r = u->refs[k];
			if (r >= 0 && r < doc->nunits && W_REF_FOLLOW * scores[r] > scores[i])
				scores[i] = W_REF_FOLLOW * scores[r];
		}
	}
}

/* Pages whose several units match are likelier to hold the answer than a page with one
 * stray match: each unit gains a share of its page's best three unit scores. */
static void page_support(const wk_index *ix, double *scores)
{
	const wk_doc *doc = ix->doc;
	double(*top)[3] = wk_xcalloc((size_t)doc->npages + 1, sizeof *top);
	for (int i = 0; i < doc->nunits; i++) {
		int p = doc->units[i].page;
		if (p < 1 || p > doc->npages)
			continue;
		double v = scores[i];
		for (int k = 0; k < 3; k++)
			if (v > top[p][k]) {
				double t = top[p][k];
				top[p][k] = v;
				v = t;
			}
	}
	double *agg = wk_xcalloc((size_t)doc->npages + 1, sizeof(double));
	for (int p = 1; p <= doc->npages; p++)
		agg[p] = top[p][0] + 0.5 * top[p][1] + 0.25 * top[p][2];
	normalise(agg + 1, doc->npages);
	for (int i = 0; i < doc->nunits; i++) {
		int p = doc->units[i].page;
		if (p >= 1 && p <= doc->npages && scores[i] > 0)
			scores[i] += W_SUPPORT * agg[p];
	}
	free(top);
	free(agg);
}

/* Fragments (chart labels, table rows cut apart) borrow from their neighbours on the
 * same page: a unit's lexical score gains a share of the two beside it. */
static void neighbour_context(const wk_index *ix, double *scores)
{
	const wk_doc *doc = ix->doc;
	int n = doc->nunits;
	double *orig = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(n, 1));
	memcpy(orig, scores, sizeof(double) * (size_t)n);
	for (int i = 0; i < n; i++) {
		double add = 0;
		if (i > 0 && doc->units[i - 1].page == doc->units[i].page)
			add += orig[i - 1];
		if (i + 1 < n && doc->units[i + 1].page == doc->units[i].page)
			add += orig[i + 1];
		scores[i] += W_CONTEXT * add;
	}
	free(orig);
}

/* The statements a financial question's figures are computed from lead ("sales to
 * working capital": the income statement and the balance sheet): they hold the line
 * items themselves, whatever words the question used for them. */
static void statement_units(const wk_index *ix, const wk_query *q, double *scores)
{
	const wk_doc *doc = ix->doc;
	if (!q->statements)
		return;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->page >= 1 && u->page <= doc->npages && u->type != WK_UNIT_HEADING &&
		    (ix->statement_page[u->page] & q->statements))
			scores[i] += BONUS_STATEMENT;
	}
}

void wk_structure_apply(const wk_index *ix, const wk_query *q, double *scores,
                        const double *page_scores, const double *section_scores)
{
	const wk_doc *doc = ix->doc;
	int n = doc->nunits;
	double *pages = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(doc->npages, 1));
	double *secs = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(ix->nranges, 1));
	double *in_sec = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(n, 1));
	memcpy(pages, page_scores, sizeof(double) * (size_t)doc->npages);
	memcpy(secs, section_scores, sizeof(double) * (size_t)ix->nranges);
	neighbour_context(ix, scores);
	normalise(scores, n);
	normalise(pages, doc->npages);
	normalise(secs, ix->nranges);
	best_range(ix, secs, in_sec);
	for (int i = 0; i < n; i++) {
		const wk_unit *u = &doc->units[i];
		double p = u->page >= 1 && u->page <= doc->npages ? pages[u->page - 1] : 0;
		if (u->page == 1)
			p += W_FIRST_PAGE;
		if (q->financial && u->page >= 1 && u->page <= doc->npages &&
		    ix->statement_page[u->page])
			p += W_STATEMENT;
		/* A heading is never evidence on its own (select.c), but its full score counts
		 * in its page's support: a page titled with the question's words is about it. */
		double s = scores[i] + W_PAGE * p + W_SECTION * in_sec[i];
		scores[i] = scores[i] > 0 ? s : 0.5 * s;
	}
	page_support(ix, scores);
	follow_refs(ix, scores);
	statement_units(ix, q, scores);
	explicit_units(ix, q, scores);
	explicit_pages(ix, q, scores);
	explicit_sections(ix, q, scores);
	free(pages);
	free(secs);
	free(in_sec);
}
