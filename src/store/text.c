/* text.c: the text the library searches (per page) and the terms it searches for. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_TEXT_LIMIT (4u << 20) /* a page's search text; more is noise, not evidence */

const char *wk_base_name(const char *path)
{
	if (!path)
		return "";
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int wk_doc_tokens(const wk_doc *doc)
{
	int tokens = 0;
	for (int i = 0; i < doc->nunits; i++)
		tokens += wk_tokens_count(doc->units[i].text) + wk_tokens_count(doc->units[i].figure_text);
	return tokens;
}

static void put_text(wk_buf *b, const char *s)
{
	if (s && *s) {
		wk_buf_puts(b, s);
		wk_buf_putc(b, '\n');
	}
}

/* Section titles are added once per page: they say what the page is about. */
static void put_sections(wk_buf *b, const wk_doc *doc, int page)
{
	int last = -1;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if ((page && u->page != page) || u->section < 0 || u->section == last ||
		    u->section >= doc->nsections)
			continue;
		last = u->section;
		put_text(b, doc->sections[u->section].title);
	}
}

char *wk_page_search_text(const wk_doc *doc, int page, const char *name)
{
	wk_buf b;
	wk_buf_init(&b, PAGE_TEXT_LIMIT);
	if (page == 0) {
		put_text(&b, doc->title);
		put_text(&b, name);
		for (int i = 0; i < doc->noutline; i++)
			put_text(&b, doc->outline[i].title);
	}
	put_sections(&b, doc, page);
	for (int i = 0; page && i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->page != page || u->type == WK_UNIT_HEADING)
			continue;
		put_text(&b, u->text);
		if (u->caption && (!u->text || strcmp(u->caption, u->text)))
			put_text(&b, u->caption);
		put_text(&b, u->figure_text);
	}
	wk_buf_cstr(&b);
	return wk_buf_steal(&b);
}

/* English function words: they match every page and rank nothing. */
static const char *const stop_words[] = {
	"a", "about", "above", "after", "all", "also", "am", "an", "and", "any", "are", "as",
	"at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could",
	"did", "do", "does", "doing", "during", "each", "for", "from", "had", "has", "have",
	"having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into",
	"is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "off",
	"on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she",
	"should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
	"these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
	"was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
	"will", "with", "would", "you", "your", "according", "many", "much", "paper",
	"document", "report", "shown", "show", "shows", "given", "mentioned", "list", "answer",
};

static int is_stop(const char *w)
{
	for (size_t i = 0; i < WK_ARRAY_LEN(stop_words); i++)
		if (!strcmp(stop_words[i], w))
			return 1;
	return 0;
}

static int keep_term(char **terms, int n, const char *w, size_t len)
{
	int digit = w[0] >= '0' && w[0] <= '9';
	if (len < 2 && !digit)
		return n;
	char *t = wk_xstrndup(w, len);
	int dup = is_stop(t);
	for (int i = 0; i < n && !dup; i++)
		dup = !strcmp(terms[i], t);
	if (dup) {
		free(t);
		return n;
	}
	terms[n] = t;
	return n + 1;
}

int wk_search_terms(const char *question, char **terms, int cap)
{
	char *folded = question ? wk_utf8_fold(question) : NULL;
	if (!folded)
		return 0;
	int n = 0;
	const char *p = folded;
	while (*p && n < cap) {
		/* Words are runs of letters, digits and any non-ASCII character. */
		while (*p && !((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		               (*p >= '0' && *p <= '9')))
			p++;
		const char *start = p;
		while ((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
		if (p > start)
			n = keep_term(terms, n, start, (size_t)(p - start));
	}
	free(folded);
	return n;
}

void wk_terms_free(char **terms, int n)
{
	for (int i = 0; i < n; i++)
		free(terms[i]);
}
