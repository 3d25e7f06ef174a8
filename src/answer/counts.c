/* counts.c: answers the whole document gives rather than one sentence: how many
 * figures, tables, pages or sections it has (counted from the parse, the counted labels
 * shown as the quote), and who wrote it (the names of the title block). */
#include "reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	for (size_t k = 0; k < WK_ARRAY_LEN(scope); k++)
		if (!strcmp(t, scope[k]))
			return 1;
	return 0;
}

static int whole_document_count(const rd_question *q)
{
	for (int i = 0; i < q->nterms; i++) {
		const char *t = q->terms[i];
		if (!strcmp(t, q->counted) || scope_term(t) || isdigit((unsigned char)t[0]) ||
		    (q->page_first && !strcmp(t, "page")))
			continue; /* "in pages 51-53" only says where to count */
		return 0;
	}
	return 1;
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
static void count_units(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                        wk_unit_type type, rd_cands *out)
{
	wk_buf quote;
	wk_buf_init(&quote, 4096);
	int count = 0, listed = 0, ncited = 0, cap = 0, *cited = NULL;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type != type || !in_pages(q, u->page) || (u->table && u->table->continues >= 0))
			continue;
		int dup = 0;
		for (int k = 0; k < i && u->label && u->label[0] && !dup; k++)
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
	wk_buf_printf(&b, "%d %s%s counted in the document: %s%s", count,
	              type == WK_UNIT_TABLE ? "table" : "figure", count == 1 ? "" : "s",
	              wk_buf_cstr(&quote), listed > MAX_LISTED ? ", ..." : "");
	x.quote = wk_buf_steal(&b);
	wk_buf_free(&quote);
	free(cited);
	rd_cands_add(out, &x);
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

void rd_structure(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                  rd_cands *out)
{
	if (!doc)
		return;
	if (q->type == RD_PERSON) {
		for (int i = 0; i < q->nterms; i++)
			if (!strcmp(q->terms[i], "author") || !strcmp(q->terms[i], "wrote") ||
			    !strcmp(q->terms[i], "written"))
				authors(doc, sel, out);
		return;
	}
	if (q->type != RD_COUNT || !q->structure || !whole_document_count(q))
		return;
	if (q->structure == 'F')
		count_units(q, doc, sel, WK_UNIT_FIGURE, out);
	else if (q->structure == 'T')
		count_units(q, doc, sel, WK_UNIT_TABLE, out);
	else if (q->structure == 'P' && !q->page_first)
		count_pages(doc, out);
}
