/* tokenize.c: text -> search terms: Unicode case folding (utf8proc), English stop words,
 * Snowball stemming (libstemmer), numbers kept whole, hyphenated words split and joined. */
#include "sample.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_WORD 64   /* longer "words" are noise (hashes, URLs): cut, not stemmed */
#define MAX_PARTS 6   /* parts of a hyphenated compound that are also joined */

struct wk_tokenizer {
	struct sb_stemmer *stemmer;
};

/* Sorted, for bsearch. Function words only: content words, even frequent ones, are left
 * to idf. */
static const char *const stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
	"any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
	"during", "each", "etc", "few", "for", "from", "further", "had", "has", "have",
	"having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i",
	"if", "in", "into", "is", "it", "its", "itself", "just", "let", "ll", "may", "me",
	"might", "more", "most", "must", "my", "myself", "no", "nor", "not", "now", "of",
	"off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over",
	"own", "re", "s", "same", "shall", "she", "should", "so", "some", "such", "t", "than",
	"that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
	"they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us",
	"ve", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
	"whom", "whose", "why", "will", "with", "within", "would", "you", "your", "yours",
	"yourself",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int wk_is_stop_word(const char *word, size_t len)
{
	char tmp[16];
	if (len == 0 || len >= sizeof tmp)
		return 0;
	memcpy(tmp, word, len);
	tmp[len] = '\0';
	return bsearch(tmp, stop_words, WK_ARRAY_LEN(stop_words), sizeof stop_words[0],
	               cmp_word) != NULL;
}

wk_tokenizer *wk_tokenizer_new(void)
{
	wk_tokenizer *tk = calloc(1, sizeof *tk);
	if (!tk)
		return NULL;
	tk->stemmer = sb_stemmer_new("english", NULL);
	if (!tk->stemmer) {
		free(tk);
		return NULL;
	}
	return tk;
}

void wk_tokenizer_free(wk_tokenizer *tk)
{
	if (!tk)
		return;
	sb_stemmer_delete(tk->stemmer);
	free(tk);
}

/* Letters, digits and marks make words; everything else separates them. */
static int is_word_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Byte length of the word character at p, 0 when p does not start one. */
static int word_char_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, 4, &cp);
	if (n <= 0 || !is_word_cp(cp))
		return 0;
	return (int)n;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Emits one word: numbers as they are (thousands separators dropped), other words
 * stop-filtered and stemmed. */
static int emit_word(wk_tokenizer *tk, const char *w, size_t len, wk_term_fn fn, void *user)
{
	char tmp[MAX_WORD + 1];
	size_t n = 0;
	int digits = 0;
	for (size_t i = 0; i < len && n < MAX_WORD; i++) {
		if (w[i] == ',')
			continue;
		digits |= is_digit(w[i]);
		tmp[n++] = w[i];
	}
	while (n > 0 && tmp[n - 1] == '.')
		n--;
	if (n == 0)
		return 0;
	tmp[n] = '\0';
	if (digits) {
		fn(user, tmp, n);
		return 1;
	}
	if (wk_is_stop_word(tmp, n))
		return 0;
	const sb_symbol *s = sb_stemmer_stem(tk->stemmer, (const sb_symbol *)tmp, (int)n);
	if (!s) {
		fn(user, tmp, n);
		return 1;
	}
	int sl = sb_stemmer_length(tk->stemmer);
	char stem[MAX_WORD * 2 + 1];
	if (sl <= 0 || (size_t)sl >= sizeof stem)
		return 0;
	memcpy(stem, s, (size_t)sl);
	stem[sl] = '\0';
	fn(user, stem, (size_t)sl);
	return 1;
}

/* Length of the word starting at p: word characters, plus '.' or ',' between digits
 * ("3.5", "2,048"). */
static size_t scan_word(const char *p)
{
	size_t i = 0;
	for (;;) {
		int n = word_char_len(p + i);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		if ((p[i] == '.' || p[i] == ',') && i > 0 && is_digit(p[i - 1]) && is_digit(p[i + 1])) {
			i++;
			continue;
		}
		return i;
	}
}

/* A run of words joined by hyphens: each part, then (for 2..MAX_PARTS parts of letters)
 * the parts joined, so "e-mail" also matches "email". */
static int emit_compound(wk_tokenizer *tk, const char *p, size_t *used, wk_term_fn fn,
                         void *user)
{
	size_t at = 0, parts = 0, total = 0;
	char joined[MAX_WORD + 1];
	size_t jn = 0;
	int count = 0;
	for (;;) {
		size_t n = scan_word(p + at);
		count += emit_word(tk, p + at, n, fn, user);
		for (size_t i = 0; i < n && jn < MAX_WORD; i++)
			joined[jn++] = p[at + i];
		parts++;
		at += n;
		total = at;
		if (p[at] == '-' && word_char_len(p + at + 1) > 0 && !is_digit(p[at + 1]) && parts < 32)
			at++;
		else
			break;
	}
	*used = total;
	if (parts >= 2 && parts <= MAX_PARTS && jn < MAX_WORD) {
		joined[jn] = '\0';
		count += emit_word(tk, joined, jn, fn, user);
	}
	return count;
}

/* Case folding; plain ASCII (most text) needs no Unicode tables: NFKC leaves it as it
 * is and folding is lowering. */
static char *fold(const char *text)
{
	size_t n = 0;
	int ascii = 1;
	for (; text[n]; n++)
		ascii &= (unsigned char)text[n] < 0x80;
	if (!ascii)
		return wk_utf8_fold(text);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		out[i] = (text[i] >= 'A' && text[i] <= 'Z') ? (char)(text[i] + 32) : text[i];
	return out;
}

int wk_tokenize(wk_tokenizer *tk, const char *text, wk_term_fn fn, void *user)
{
	if (!tk || !text || !*text)
		return 0;
	char *folded = fold(text);
	if (!folded)
		return 0;
	int count = 0;
	const char *p = folded;
	while (*p) {
		if (word_char_len(p) == 0) {
			p++;
			continue;
		}
		size_t used = 0;
		count += emit_compound(tk, p, &used, fn, user);
		p += used ? used : 1;
	}
	free(folded);
	return count;
}
