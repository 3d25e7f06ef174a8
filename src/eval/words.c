/* words.c: text -> lowercased words, for bigram coverage and the BM25 stand-ins. */
#include "eval.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_WORDS 10000000 /* a ceiling on hostile input: more words are ignored */

static bool word_char(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) ||
	       c == UTF8PROC_CATEGORY_MN;
}

static void push(wk_eval_words *out, const char *s, size_t len)
{
	if (len == 0 || out->n >= MAX_WORDS)
		return;
	out->w = wk_grow(out->w, &out->cap, out->n + 1, sizeof *out->w);
	out->w[out->n++] = wk_xstrndup(s, len);
}

void wk_eval_words_split(const char *text, wk_eval_words *out)
{
	char *folded = text ? wk_utf8_fold(text) : NULL;
	if (!folded)
		return;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)folded;
	const char *start = NULL;
	for (;;) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t n = *p ? utf8proc_iterate(p, -1, &cp) : 0;
		bool in = n > 0 && word_char(cp);
		if (in && !start)
			start = (const char *)p;
		if (!in && start) {
			push(out, start, (size_t)((const char *)p - start));
			start = NULL;
		}
		if (n <= 0)
			break;
		p += n;
	}
	free(folded);
}

void wk_eval_words_free(wk_eval_words *words)
{
	if (!words)
		return;
	for (int i = 0; i < words->n; i++)
		free(words->w[i]);
	free(words->w);
	words->w = NULL;
	words->n = words->cap = 0;
}

void wk_eval_trim(char *s)
{
	char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	size_t len = strlen(p);
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	memmove(s, p, len);
	s[len] = '\0';
}
