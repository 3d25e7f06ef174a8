/* counts.c: answers the whole document gives rather than one sentence: how many
 * figures, tables, pages or sections it has (counted from the parse, the counted labels
 * shown as the quote), and who wrote it (the names of the title block). */
#include "reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STRUCTURE_FIT 0.9 /* a count read off the parse is nearly certain of its kind */
#define MAX_LISTED 40     /* labels shown in the quote of a count */

/* Stems that only say where to count ("in the entire document", "are included"): a
 * count question made of these and the counted noun asks about the whole document. */
static int scope_term(const char *t)
{
	static const char *const scope[] = {"entir", "whole", "total", "avail", "includ",
	                                    "contain", "provid", "shown", "show", "present",
	                                    "appear", "use", "list", "given", "there", "pdf",
	                                    "slide", "brochur", "guidebook", "articl", "studi"};
	return RD_LISTED(t, scope);
}

static int appendix_term(const char *t)
{
	return !strncmp(t, "appendi", 7);
}

static int whole_document_count(const rd_question *q)
{
	for (int i = 0; i < q->nterms; i++) {
		const char *t = q->terms[i];
		if (!strcmp(t, q->counted) || (q->qualifier[0] && !strcmp(t, q->counted2)) ||
		    scope_term(t) || isdigit((unsigned char)t[0]) ||
		    (q->page_first && !strcmp(t, "page")) || appendix_term(t))
			continue; /* "in pages 51-53", "in the appendix" only say where to count */
		return 0;
	}
	return 1;
}

static int asks_appendix(const rd_question *q)
{
	for (int i = 0; i < q->nterms; i++)
		if (appendix_term(q->terms[i]))
			return 1;
	return 0;
}

static int heading_starts(const char *t, const char *word)
{
	size_t n = strlen(word);
	return t && !strncasecmp(t, word, n) && !isalpha((unsigned char)t[n]);
}

/* The first unit of the appendix: a heading "Appendix ..." / "Appendices", else the first
 * heading lettered "A" ("A Claim Extraction", "A.1 Setup") after the references, as
 * papers print it; -1 when the document has none. */
static int appendix_start(const wk_doc *doc)
{
	int after_refs = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type != WK_UNIT_HEADING || !u->text)
			continue;
		const char *t = u->text;
		if (heading_starts(t, "appendix") || heading_starts(t, "appendices"))
			return i;
		if (heading_starts(t, "references") || heading_starts(t, "bibliography"))
			after_refs = 1;
		else if (after_refs && t[0] == 'A' && (t[1] == ' ' || (t[1] == '.' && isdigit((unsigned char)t[2]))))
			return i;
	}
	return -1;
}

static int in_pages(const rd_question *q, int page)
{
	return !q->page_first || (page >= q->page_first && page <= q->page_last);
}

/* The selection items that hold unit idx. */
static void cite_unit(const wk_selection *sel, int idx, int **cited, int *n, int *cap)
{
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		if (e->doc == 0 && idx >= e->idx && idx < e->idx + WK_MAX(e->span, 1)) {
			for (int k = 0; k < *n; k++)
				if ((*cited)[k] == i)
					return;
			*cited = wk_grow(*cited, cap, *n + 1, sizeof **cited);
			(*cited)[(*n)++] = i;
		}
	}
}

/* Figures or tables: units of that type, a continued table counted once, the same
 * label counted once. */
/* The caption holds the qualifier's stem as a word's start ("Connections" for
 * "connect"). */
static int qualified(const rd_question *q, const wk_unit *u)
{
	if (!q->qualifier[0])
		return 1;
	const char *c = u->caption ? u->caption : u->text;
	size_t n = strlen(q->qualifier);
	for (const char *p = c ? strcasestr(c, q->qualifier) : NULL; p; p = strcasestr(p + 1, q->qualifier))
		if ((p == c || !isalnum((unsigned char)p[-1])) && n >= 3)
			return 1;
	return 0;
}

static int counted_unit(const rd_question *q, const wk_unit *u, wk_unit_type type)
{
	return u->type == type && in_pages(q, u->page) && !(u->table && u->table->continues >= 0) &&
	       qualified(q, u);
}

/* A document that labels its figures (tables) prints every one it means as such: an
 * unlabelled unit beside them is a part of one, a logo or a layout grid. */
static int labels_in_scope(const rd_question *q, const wk_doc *doc, int first, wk_unit_type type)
{
	for (int i = first; i < doc->nunits; i++)
		if (counted_unit(q, &doc->units[i], type) && doc->units[i].label &&
		    doc->units[i].label[0])
			return 1;
	return 0;
}

/* Figures or tables from unit `first` on: units of that type, a continued table counted
 * once, the same label counted once, only the labelled ones when there are such. */
static void count_units(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                        int first, wk_unit_type type, rd_cands *out)
{
	wk_buf quote;
	wk_buf_init(&quote, 4096);
	int count = 0, listed = 0, ncited = 0, cap = 0, *cited = NULL;
	int labelled = labels_in_scope(q, doc, first, type);
	for (int i = first; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (!counted_unit(q, u, type) || (labelled && !(u->label && u->label[0])))
			continue;
		int dup = 0;
		for (int k = first; k < i && u->label && u->label[0] && !dup; k++)
			dup = doc->units[k].type == type && doc->units[k].label &&
			      !strcmp(doc->units[k].label, u->label) && in_pages(q, doc->units[k].page);
		if (dup)
			continue;
		count++;
		if (listed++ < MAX_LISTED)
			wk_buf_printf(&quote, "%s%s (page %d)", quote.len ? ", " : "",
			              u->label ? u->label : wk_unit_type_name(type), u->page);
		cite_unit(sel, i, &cited, &ncited, &cap);
	}
	if (count == 0) {
		wk_buf_free(&quote);
		free(cited);
		return;
	}
	rd_cand x = {.type = RD_COUNT, .item = ncited ? cited[0] : -1, .fit = STRUCTURE_FIT,
	             .near = 1, .cover = 1, .value = count, .has_value = 1};
	char num[32];
	snprintf(num, sizeof num, "%d", count);
	x.text = wk_xstrdup(num);
	wk_buf b;
	wk_buf_init(&b, 8192);
	wk_buf_printf(&b, "%d %s%s counted in the %s: %s%s", count,
	              type == WK_UNIT_TABLE ? "table" : "figure", count == 1 ? "" : "s",
	              first > 0 ? "appendix" : "document", wk_buf_cstr(&quote),
	              listed > MAX_LISTED ? ", ..." : "");
	x.quote = wk_buf_steal(&b);
	wk_buf_free(&quote);
	free(cited);
	rd_cands_add(out, &x);
}

/* ---- labels the text mentions: "Exhibit P-10", "Exhibits D-1 and D-2" ---- */

#define MAX_MENTIONS 512 /* distinct labels kept; a document mentioning more is cut */
#define MENTION_LEN 16

typedef struct mentions {
	char id[MAX_MENTIONS][MENTION_LEN];
	int n;
	int *cited, ncited, cap;
} mentions;

/* The identifier at p ("P-10", "3", "A.2"): letters, digits, '-' and inner '.', with at
 * least one digit; its length, 0 when none. */
static size_t mention_id(const char *p)
{
	size_t n = 0;
	int digits = 0;
	while (n < MENTION_LEN - 1 && (isalnum((unsigned char)p[n]) || p[n] == '-' ||
	                               (p[n] == '.' && isalnum((unsigned char)p[n + 1])))) {
		digits += isdigit((unsigned char)p[n]) != 0;
		n++;
	}
	return digits && !isalnum((unsigned char)p[n]) ? n : 0;
}

static void add_mention(mentions *m, const char *p, size_t n)
{
	for (int k = 0; k < m->n; k++)
		if (strlen(m->id[k]) == n && !strncmp(m->id[k], p, n))
			return;
	if (m->n < MAX_MENTIONS) {
		memcpy(m->id[m->n], p, n);
		m->id[m->n++][n] = '\0';
	}
}

/* The word at p names the counted noun as a label does: capitalised ("Exhibit", not the
 * "hours 24" of a quantity), its stem plus at most a plural ending ("Exhibits" for
 * "exhibit"). Returns the word's length, 0 when not. */
static size_t noun_at(const char *p, const char *stem)
{
	size_t n = 0, k = strlen(stem);
	while (isalpha((unsigned char)p[n]))
		n++;
	return k >= 3 && n >= k && n <= k + 3 && isupper((unsigned char)p[0]) &&
	               !strncasecmp(p, stem, k)
	           ? n
	           : 0;
}

/* Every "Noun ID" of text, and the IDs listed after it ("Exhibits P-1, P-2 and P-3"). */
static int scan_mentions(const char *text, const char *stem, mentions *m)
{
	int found = 0;
	if (!strcasestr(text, stem))
		return 0; /* most units never print the noun */
	for (const char *p = text; *p; p++) {
		size_t w;
		if ((p > text && isalnum((unsigned char)p[-1])) || !(w = noun_at(p, stem)))
			continue;
		const char *q = p + w;
		size_t n;
		while (*q == ' ' && (n = mention_id(q + 1))) {
			add_mention(m, q + 1, n);
			found = 1;
			q += 1 + n;
			if (*q == ',')
				q++;
			if (!strncmp(q, " and", 4) || !strncmp(q, " &", 2))
				q += q[1] == '&' ? 2 : 4;
		}
		p = q > p ? q - 1 : p;
	}
	return found;
}

/* "How many Exhibits are mentioned": the distinct labels printed after the counted noun
 * anywhere in the document (at least two, so that one numbered thing is no count). */
static void count_mentions(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                           int first, rd_cands *out)
{
	mentions *m = wk_xcalloc(1, sizeof *m);
	int page = 0;
	for (int i = first; i < doc->nunits; i++)
		if (doc->units[i].text && scan_mentions(doc->units[i].text, q->counted, m)) {
			cite_unit(sel, i, &m->cited, &m->ncited, &m->cap);
			page = page ? page : doc->units[i].page;
		}
	if (m->n >= 2) {
		wk_buf b;
		wk_buf_init(&b, 8192);
		wk_buf_printf(&b, "%d distinct labels mentioned after \"%s\": ", m->n, q->counted);
		for (int k = 0; k < m->n && k < MAX_LISTED; k++)
			wk_buf_printf(&b, "%s%s", k ? ", " : "", m->id[k]);
		wk_buf_printf(&b, "%s", m->n > MAX_LISTED ? ", ..." : "");
		char num[32];
		snprintf(num, sizeof num, "%d", m->n);
		rd_cand x = {.type = RD_COUNT, .item = m->ncited ? m->cited[0] : -1,
		             .fit = STRUCTURE_FIT, .near = 1, .cover = 1, .page = page, .value = m->n,
		             .has_value = 1, .text = wk_xstrdup(num), .quote = wk_buf_steal(&b)};
		rd_cands_add(out, &x);
	}
	free(m->cited);
	free(m);
}

static void count_pages(const wk_doc *doc, rd_cands *out)
{
	char num[32], quote[96];
	snprintf(num, sizeof num, "%d", doc->npages);
	snprintf(quote, sizeof quote, "The document has %d pages.", doc->npages);
	rd_cand x = {.type = RD_COUNT, .item = -1, .fit = STRUCTURE_FIT, .near = 1, .cover = 1,
	             .page = 1, .value = doc->npages, .has_value = 1, .text = wk_xstrdup(num),
	             .quote = wk_xstrdup(quote)};
	rd_cands_add(out, &x);
}

/* ---- items of a list: "To replace the grille: 1. ... 2. ... 3. ..." ---- */

#define MIN_LIST_COVER 0.5 /* share of the question's other words its lead-in holds */
#define MAX_LIST_UNITS 60  /* units read after a lead-in */
#define MAX_LIST_QUOTE 700 /* bytes of the counted items shown in the quote */

/* The bullet that starts t ("•", "●", "▪", "-"), as bytes; NULL when none. */
static const char *bullet_at(const char *t, size_t *len)
{
	static const char *const bullets[] = {"\xe2\x80\xa2", "\xe2\x97\x8f", "\xe2\x96\xaa",
	                                      "\xef\x82\xb7", "- "};
	for (size_t k = 0; k < WK_ARRAY_LEN(bullets); k++)
		if (!strncmp(t, bullets[k], strlen(bullets[k]))) {
			*len = strlen(bullets[k]);
			return bullets[k];
		}
	return NULL;
}

/* Items of one unit: the numbers `next`, `next + 1`, ... that it prints as "N." at the
 * start and after a space, or the bullets it starts with and repeats. Returns the items
 * counted, 0 when the unit is no item of the list. */
static int unit_items(const char *t, int *next, const char **bullet, size_t *blen)
{
	while (*t == ' ')
		t++;
	int items = 0;
	if (!*bullet && isdigit((unsigned char)*t)) {
		for (const char *p = t; p; p = strchr(p + 1, ' ')) {
			const char *q = p == t ? p : p + 1;
			char *end;
			long v = strtol(q, &end, 10);
			if (isdigit((unsigned char)*q) && v == *next && *end == '.' && end[1] == ' ') {
				items++;
				(*next)++;
			}
		}
		return items;
	}
	size_t n;
	const char *b = bullet_at(t, &n);
	if (!b || (*bullet && strcmp(b, *bullet)) || *next > 1)
		return 0;
	*bullet = b;
	*blen = n;
	for (const char *p = t; (p = strstr(p, b)); p += n)
		items++;
	return items;
}

/* The items after a lead-in unit: consecutive units that continue its numbered or
 * bulleted list (figures between them skipped). The units' text goes to quote. */
static int list_after(const wk_doc *doc, int lead, wk_buf *quote)
{
	int count = 0, next = 1;
	const char *bullet = NULL;
	size_t blen = 0;
	for (int i = lead + 1; i < doc->nunits && i <= lead + MAX_LIST_UNITS; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_FIGURE)
			continue;
		int items = u->type == WK_UNIT_TEXT && u->text ? unit_items(u->text, &next, &bullet, &blen) : 0;
		if (!items)
			break;
		count += items;
		if (quote->len < MAX_LIST_QUOTE)
			wk_buf_printf(quote, " %s", u->text);
	}
	return count;
}

/* What announces a list: a heading, or the last sentence of a unit when it ends with
 * ':' ("... before you touch it. To replace the filter:"), a paragraph often runs on into
 * it. Its start, or NULL when the unit announces none. */
#define MAX_LEAD_IN 200
static const char *lead_in(const wk_unit *u)
{
	if (!u->text || (u->type != WK_UNIT_HEADING && u->type != WK_UNIT_TEXT))
		return NULL;
	if (u->type == WK_UNIT_HEADING)
		return u->text;
	size_t n = strlen(u->text);
	while (n > 0 && u->text[n - 1] == ' ')
		n--;
	if (n == 0 || u->text[n - 1] != ':')
		return NULL;
	const char *s = u->text + n - 1;
	while (s > u->text && !((s[-1] == ' ' || s[-1] == '\n') && s - 1 > u->text &&
	                        strchr(".!?", s[-2])))
		s--;
	return u->text + n - s < MAX_LEAD_IN ? s : NULL;
}

/* How well a lead-in holds the question without the noun counted ("steps" are what its
 * items are, not words it prints). */
static double lead_cover(const rd_match *m, const char *s, const char *e)
{
	rd_match k = *m;
	for (int i = 0; i < m->q->nterms; i++)
		if (!strcmp(m->q->terms[i], m->q->counted) || !strcmp(m->q->terms[i], m->q->counted2))
			k.w[i] = 0;
	return rd_cover(&k, s, e);
}

/* One lead-in unit: its list's count as a candidate cited at selection item `item`. */
static void list_cand(const rd_match *m, const wk_doc *doc, int idx, int item, rd_cands *out)
{
	const wk_unit *u = &doc->units[idx];
	const char *lead = lead_in(u);
	double cover = lead ? lead_cover(m, lead, lead + strlen(lead)) : 0;
	if (cover < MIN_LIST_COVER)
		return;
	wk_buf quote;
	wk_buf_init(&quote, 4096);
	wk_buf_printf(&quote, "%s", lead);
	int count = list_after(doc, idx, &quote);
	if (count >= 2) {
		char num[32];
		snprintf(num, sizeof num, "%d", count);
		if (quote.len >= MAX_LIST_QUOTE)
			wk_buf_printf(&quote, " ...");
		rd_cand x = {.type = RD_COUNT, .item = item, .fit = STRUCTURE_FIT, .near = 1,
		             .cover = cover, .page = u->page, .value = count, .has_value = 1,
		             .text = wk_xstrdup(num), .quote = wk_buf_steal(&quote)};
		rd_cands_add(out, &x);
	}
	wk_buf_free(&quote);
}

void rd_list_count(const rd_match *m, const wk_doc *doc, const wk_selection *sel, rd_cands *out)
{
	const rd_question *q = m->q;
	if (!doc || q->type != RD_COUNT || q->structure || !q->counted[0])
		return;
	/* the lead-in must be evidence; its items may lie beyond the selection */
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		for (int k = e->idx; e->doc == 0 && k >= 0 && k < e->idx + WK_MAX(e->span, 1) &&
		                     k < doc->nunits;
		     k++)
			list_cand(m, doc, k, i, out);
	}
}

/* ---- "Greater Houston: 15 through 18": the members of an inclusive range ---- */

#define MAX_RANGE_MEMBERS 1000 /* a larger "through" is a span of values, not of items */

void rd_range_count(const rd_match *m, int item, const char *s, const char *e, rd_cands *out)
{
	if (m->q->type != RD_COUNT || m->q->structure)
		return;
	const char *label = s; /* the words since the previous number name the range */
	for (const char *p = s; p < e; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && isalnum((unsigned char)p[-1])))
			continue;
		char *end;
		long a = strtol(p, &end, 10);
		const char *q = end;
		if (strncmp(q, " through ", 9) || !isdigit((unsigned char)q[9])) {
			label = end;
			p = end - 1;
			continue;
		}
		long b = strtol(q + 9, &end, 10);
		if (b > a && b - a < MAX_RANGE_MEMBERS && !isalnum((unsigned char)*end)) {
			double cover = lead_cover(m, label, p);
			char num[32], *quote = rd_clean(label, end);
			snprintf(num, sizeof num, "%ld", b - a + 1);
			wk_buf b2;
			wk_buf_init(&b2, 1024);
			wk_buf_printf(&b2, "%s (%ld to %ld: %ld)", quote, a, b, b - a + 1);
			free(quote);
			rd_cand x = {.type = RD_COUNT, .item = item, .fit = STRUCTURE_FIT, .near = 1,
			             .cover = cover, .value = (double)(b - a + 1), .has_value = 1,
			             .text = wk_xstrdup(num), .quote = wk_buf_steal(&b2)};
			if (cover > 0)
				rd_cands_add(out, &x);
			else
				free(x.text), free(x.quote);
		}
		label = end;
		p = end - 1;
	}
}

/* ---- authors of the title block ---- */

static int org_word(const char *w, size_t n)
{
	static const char *const orgs[] = {"University", "Institute", "College", "Inc",
	                                   "Laboratory", "Laboratories", "Lab", "Labs",
	                                   "Department", "School", "Research", "Corporation",
	                                   "Google", "Microsoft", "Center", "Centre", "Academy"};
	for (size_t k = 0; k < WK_ARRAY_LEN(orgs); k++)
		if (strlen(orgs[k]) <= n && !strncmp(w, orgs[k], strlen(orgs[k])))
			return 1;
	return 0;
}

/* A word of a person's name: "Diego", "J.", "O'Neil", "Jean-Luc", with a trailing
 * affiliation mark (digit, '*', ',') allowed. Returns its length without the marks. */
static size_t name_word(const char *w, size_t n)
{
	size_t k = n;
	while (k > 0 && (isdigit((unsigned char)w[k - 1]) || strchr("*,\xe2\x80\xa0", w[k - 1])))
		k--;
	if (k == 0 || !isupper((unsigned char)w[0]) || org_word(w, k))
		return 0;
	if (k == 2 && w[1] == '.')
		return k;
	for (size_t i = 1; i < k; i++)
		if (!islower((unsigned char)w[i]) && !strchr("'-.", w[i]) && !isupper((unsigned char)w[i - 1]))
			return 0;
	return k > 1 ? k : 0;
}

/* The run of names at the start of text: "A B, C D and E F". The end of the last name
 * or NULL when the text does not start with two names' worth of words. */
static const char *author_run(const char *text)
{
	const char *p = text, *last = NULL;
	int in_name = 0, names = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " \n");
		if (n == 0)
			break;
		size_t k = name_word(p, n);
		const char *next = p + n;
		while (*next == ' ')
			next++;
		if (k && org_word(next, strcspn(next, " \n")))
			break; /* "Stanford University": the affiliation starts here */
		if (k) {
			in_name++;
			if (in_name >= 2)
				last = p + k;
			if (in_name == 2)
				names++;
			if (k < n && p[n - 1] == ',')
				in_name = 0;
		} else if ((n == 3 && !strncmp(p, "and", 3)) || (n == 1 && *p == ',')) {
			in_name = 0;
		} else {
			break;
		}
		if (in_name > 4)
			return NULL;
		p += n;
	}
	return names >= 1 ? last : NULL;
}

static void authors(const wk_doc *doc, const wk_selection *sel, rd_cands *out)
{
	for (int i = 0; i < doc->nunits && doc->units[i].page == 1; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_HEADING && i > 0)
			break; /* the title block ends with the first heading after the title */
		if (u->type != WK_UNIT_TEXT || !u->text)
			continue;
		const char *end = author_run(u->text);
		if (!end)
			continue;
		int ncited = 0, cap = 0, *cited = NULL;
		cite_unit(sel, i, &cited, &ncited, &cap);
		rd_cand x = {.type = RD_PERSON, .item = ncited ? cited[0] : -1, .s = u->text,
		             .e = end, .qs = u->text, .qe = u->text + strlen(u->text),
		             .fit = 1.0, .near = 1, .cover = 1, .page = u->page};
		free(cited);
		rd_cands_add(out, &x);
		return;
	}
}

/* ---- the document's own link ---- */

#define OWN_LINK_PAGES 2 /* a paper prints its DOI on its first page or two */

/* "What is the web link to this paper?": once the words that frame a question ("paper",
 * "document") and ask for an address ("web link") are left out, it names nothing, so no
 * word of it is printed beside the answer: the link meant is the document's own. */
static int asks_own_link(const rd_question *q)
{
	static const char *const words[] = {"doi", "onlin", "publish"};
	for (int i = 0; i < q->nterms; i++)
		if (!RD_LISTED(q->terms[i], words))
			return 0;
	return 1;
}

/* The document's DOI as printed on its first pages ("http://dx.doi.org/10.1016/..." or
 * "doi:10.1145/..."): the link that names the document itself, unlike a journal's home
 * page or a cited work's address. */
static void own_link(const wk_doc *doc, const wk_selection *sel, rd_cands *out)
{
	for (int i = 0; i < doc->nunits && doc->units[i].page <= OWN_LINK_PAGES; i++) {
		const char *t = doc->units[i].text;
		const char *p = t ? strcasestr(t, "doi") : NULL;
		for (; p; p = strcasestr(p + 3, "doi")) {
			const char *b = p, *e = p + 3;
			while (b > t && !isspace((unsigned char)b[-1]))
				b--;
			while (*e && !isspace((unsigned char)*e))
				e++;
			while (e > b && strchr(".,;:)]", e[-1]))
				e--;
			const char *slash = memchr(p, '/', (size_t)(e - p));
			if (!slash || !(strncasecmp(p, "doi.org/", 8) == 0 ||
			                (strncasecmp(p, "doi:", 4) == 0 && e - p > 8)))
				continue;
			int ncited = 0, cap = 0, *cited = NULL;
			cite_unit(sel, i, &cited, &ncited, &cap);
			rd_cand x = {.type = RD_URL, .item = ncited ? cited[0] : -1, .s = b, .e = e,
			             .qs = t, .qe = t + strlen(t), .fit = 1.0, .near = 1, .cover = 1,
			             .page = doc->units[i].page};
			free(cited);
			rd_cands_add(out, &x);
			return;
		}
	}
}

void rd_structure(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                  rd_cands *out)
{
	if (!doc)
		return;
	if (q->type == RD_URL && asks_own_link(q)) {
		own_link(doc, sel, out);
		return;
	}
	if (q->type == RD_PERSON) {
		for (int i = 0; i < q->nterms; i++)
			if (!strcmp(q->terms[i], "author") || !strcmp(q->terms[i], "wrote") ||
			    !strcmp(q->terms[i], "written"))
				authors(doc, sel, out);
		return;
	}
	if (q->type != RD_COUNT || !whole_document_count(q))
		return;
	int first = asks_appendix(q) ? appendix_start(doc) : 0;
	if (first < 0)
		return; /* "in the appendix" of a document without one */
	if (q->structure == 'F')
		count_units(q, doc, sel, first, WK_UNIT_FIGURE, out);
	else if (q->structure == 'T')
		count_units(q, doc, sel, first, WK_UNIT_TABLE, out);
	else if (q->structure == 'P' && !q->page_first && !first)
		count_pages(doc, out);
	else if (!q->structure && q->counted[0])
		count_mentions(q, doc, sel, first, out);
}
