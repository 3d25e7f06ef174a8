/* passage.c: sentences, and the best passage of whole sentences of a long unit. */
#include "sample.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SENTENCES 4096

static const char *const abbrevs[] = {"al", "approx", "co", "corp", "dr", "e.g", "eq",
                                      "fig", "figs", "i.e", "inc", "jr", "ltd", "mr", "mrs",
                                      "ms", "no", "nos", "p", "pp", "sec", "st", "vol", "vs"};

/* Is the '.' at p the end of an abbreviation or an initial ("Fig.", "J.")? */
static int is_abbrev(const char *text, const char *p)
{
	const char *w = p;
	while (w > text && !isspace((unsigned char)w[-1]) && w[-1] != '(')
		w--;
	size_t n = (size_t)(p - w);
	if (n == 1 && isalpha((unsigned char)*w))
		return 1;
	for (size_t k = 0; k < WK_ARRAY_LEN(abbrevs); k++)
		if (strlen(abbrevs[k]) == n && strncasecmp(w, abbrevs[k], n) == 0)
			return 1;
	return 0;
}

/* Does a sentence end at p (which holds . ! or ?)? */
static int ends_sentence(const char *text, const char *p)
{
	const char *q = p + 1;
	while (*q == '"' || *q == ')' || (unsigned char)*q == 0xe2) {
		if ((unsigned char)*q == 0xe2) /* closing curly quote: 3 bytes */
			q += (q[1] && q[2]) ? 3 : 1;
		else
			q++;
	}
	if (*q && !isspace((unsigned char)*q))
		return 0;
	if (*p == '.' && is_abbrev(text, p))
		return 0;
	return 1;
}

void wk_sentences(const char *text, int lines_too, wk_span_fn fn, void *user)
{
	const char *p = text, *start = NULL;
	int count = 0;
	for (; *p; p++) {
		if (!start) {
			if (isspace((unsigned char)*p))
				continue;
			start = p;
		}
		int end = 0;
		if (*p == '\n' && (lines_too || p[1] == '\n'))
			end = 1;
		else if ((*p == '.' || *p == '!' || *p == '?') && ends_sentence(text, p))
			end = 2;
		if (!end)
			continue;
		const char *stop = end == 2 ? p + 1 : p;
		if (stop > start && count < MAX_SENTENCES) {
			fn(user, start, stop);
			count++;
		}
		start = NULL;
	}
	if (start && count < MAX_SENTENCES) {
		const char *stop = p;
		while (stop > start && isspace((unsigned char)stop[-1]))
			stop--;
		if (stop > start)
			fn(user, start, stop);
	}
}

typedef struct span {
	const char *s, *e;
	int tokens;
	double score;
} span;

typedef struct span_list {
	span *v;
	int n, cap;
	const wk_index *ix;
	wk_tokenizer *tk;
	const wk_query *q;
	double got;           /* scratch: score of the sentence being tokenized */
	int *seen, nseen;     /* query terms already counted in this sentence */
} span_list;

static void on_sentence_term(void *user, const char *term, size_t len)
{
	span_list *l = user;
	int id = wk_index_term(l->ix, term, len);
	if (id < 0)
		return;
	for (int k = 0; k < l->q->nterms; k++) {
		if (l->q->terms[k].id != id || l->seen[k])
			continue;
		l->seen[k] = 1;
		l->got += wk_idf(&l->ix->units, id) * l->q->terms[k].weight;
	}
}

double wk_text_match(const wk_index *ix, wk_tokenizer *tk, const wk_query *q, const char *s,
                     size_t n)
{
	span_list l = {.ix = ix, .tk = tk, .q = q};
	l.seen = wk_xcalloc((size_t)WK_MAX(q->nterms, 1), sizeof(int));
	char *tmp = wk_xstrndup(s, n);
	wk_tokenize(tk, tmp, on_sentence_term, &l);
	free(tmp);
	free(l.seen);
	return l.got;
}

static void on_span(void *user, const char *s, const char *e)
{
	span_list *l = user;
	l->v = wk_grow(l->v, &l->cap, l->n + 1, sizeof(span));
	char *tmp = wk_xstrndup(s, (size_t)(e - s));
	int tokens = wk_tokens_count(tmp);
	free(tmp);
	double score = wk_text_match(l->ix, l->tk, l->q, s, (size_t)(e - s));
	l->v[l->n++] = (span){s, e, tokens, score};
}

/* The first words of [s, e) that fit in max_tokens: the last resort for one huge
 * "sentence" (a table row run together). */
static char *cut_words(const char *s, const char *e, int max_tokens)
{
	int words = (max_tokens * 10) / 13;
	const char *p = s;
	int w = 0;
	while (p < e) {
		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p >= e || w >= words)
			break;
		while (p < e && !isspace((unsigned char)*p))
			p++;
		w++;
	}
	return wk_xstrndup(s, (size_t)(p - s));
}

/* The window of consecutive sentences with the highest score within max_tokens. */
static void best_window(const span_list *l, int max_tokens, int *from, int *to)
{
	double best = -1, sum = 0;
	int tokens = 0, lo = 0;
	*from = 0;
	*to = -1;
	for (int hi = 0; hi < l->n; hi++) {
		sum += l->v[hi].score;
		tokens += l->v[hi].tokens;
		while (tokens > max_tokens && lo <= hi) {
			sum -= l->v[lo].score;
			tokens -= l->v[lo].tokens;
			lo++;
		}
		if (lo <= hi && sum > best + 1e-9) {
			best = sum;
			*from = lo;
			*to = hi;
		}
	}
}

char *wk_best_passage(const wk_index *ix, wk_tokenizer *tk, const wk_query *q,
                      const char *text, int max_tokens, int lines_too)
{
	span_list l = {.ix = ix, .tk = tk, .q = q};
	wk_sentences(text, lines_too, on_span, &l);
	char *out = NULL;
	int from, to;
	best_window(&l, max_tokens, &from, &to);
	if (to >= from) {
		out = wk_xstrndup(l.v[from].s, (size_t)(l.v[to].e - l.v[from].s));
		while (wk_tokens_count(out) > max_tokens && to > from) {
			to--;
			free(out);
			out = wk_xstrndup(l.v[from].s, (size_t)(l.v[to].e - l.v[from].s));
		}
	}
	if (!out || wk_tokens_count(out) > max_tokens) {
		free(out);
		int best = 0;
		for (int i = 1; i < l.n; i++)
			if (l.v[i].score > l.v[best].score)
				best = i;
		out = l.n ? cut_words(l.v[best].s, l.v[best].e, max_tokens)
		          : cut_words(text, text + strlen(text), max_tokens);
	}
	free(l.v);
	return out;
}
