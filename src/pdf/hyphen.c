/* hyphen.c: joining the lines of a paragraph, with hyphenated line breaks decided by
 * the document's own vocabulary: "evi-" + "dence" becomes "evidence", but "state-of-the-"
 * + "art" and "pre-" + "trained" (when the document writes "pre-trained" elsewhere) keep
 * their hyphen. */
#include "hyphen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { VOCAB_MAX = 1 << 20, WORD_MAX = 64 };

struct wk_vocab {
	char **slots;   /* open addressing; NULL = empty */
	size_t cap, n;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211ull;
	return h;
}

static bool same_word(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != (unsigned char)b[i])
			return false;
	return b[n] == '\0';
}

wk_vocab *wk_vocab_new(void)
{
	wk_vocab *v = wk_xcalloc(1, sizeof *v);
	v->cap = 1024;
	v->slots = wk_xcalloc(v->cap, sizeof(char *));
	return v;
}

void wk_vocab_free(wk_vocab *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->cap; i++)
		free(v->slots[i]);
	free(v->slots);
	free(v);
}

static char **find_slot(char **slots, size_t cap, const char *w, size_t n)
{
	size_t i = hash_str(w, n) & (cap - 1);
	while (slots[i] && !same_word(w, slots[i], n))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(wk_vocab *v)
{
	size_t cap = v->cap * 2;
	char **slots = wk_xcalloc(cap, sizeof(char *));
	for (size_t i = 0; i < v->cap; i++)
		if (v->slots[i])
			*find_slot(slots, cap, v->slots[i], strlen(v->slots[i])) = v->slots[i];
	free(v->slots);
	v->slots = slots;
	v->cap = cap;
}

static void add_word(wk_vocab *v, const char *w, size_t n)
{
	if (n < 2 || n > WORD_MAX || v->n >= VOCAB_MAX)
		return;
	char **slot = find_slot(v->slots, v->cap, w, n);
	if (*slot)
		return;
	char *copy = wk_xstrndup(w, n);
	for (size_t i = 0; i < n; i++)
		copy[i] = (char)tolower((unsigned char)copy[i]);
	*slot = copy;
	if (++v->n * 2 > v->cap)
		grow(v);
}

bool wk_vocab_has(const wk_vocab *v, const char *w, size_t n)
{
	return n <= WORD_MAX && *find_slot(v->slots, v->cap, w, n) != NULL;
}

static bool word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '-';
}

/* Adds the words of `text` that are not cut by a line break. */
void wk_vocab_add_text(wk_vocab *v, const char *text)
{
	const char *p = text;
	while (*p) {
		while (*p && !word_char((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && word_char((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - start);
		while (n > 0 && start[n - 1] == '-')
			n--;
		if (*p != '\n' && start[n] != '-')
			add_word(v, start, n);
	}
}

/* The word that ends right before `end` (letters only, hyphens stop it). */
static size_t word_before(const char *text, const char *end, bool *compound)
{
	const char *p = end;
	while (p > text && word_char((unsigned char)p[-1]) && p[-1] != '-')
		p--;
	*compound = p > text && p[-1] == '-';
	return (size_t)(end - p);
}

static size_t word_after(const char *p)
{
	size_t n = 0;
	while (p[n] && word_char((unsigned char)p[n]) && p[n] != '-')
		n++;
	return n;
}

/* Whether "a-\nb" loses its hyphen. */
static bool drop_hyphen(const wk_vocab *v, const char *text, const char *hyphen)
{
	const char *next = hyphen + 2;
	if (!islower((unsigned char)*next))
		return false;
	bool compound;
	size_t na = word_before(text, hyphen, &compound);
	size_t nb = word_after(next);
	if (na == 0 || !isalpha((unsigned char)hyphen[-1]) || compound)
		return false;
	char joined[2 * WORD_MAX + 2];
	if (!v || na + nb + 1 >= sizeof joined)
		return true;
	memcpy(joined, hyphen - na, na);
	memcpy(joined + na, next, nb);
	if (wk_vocab_has(v, joined, na + nb))
		return true;
	joined[na] = '-';
	memcpy(joined + na + 1, next, nb);
	return !wk_vocab_has(v, joined, na + nb + 1);
}

/* After a line ending in '/' (nl points at the break): whether the next line goes on
 * without a blank. Word pairs do ("November/" + "December"), and so does an address
 * ("https://" or "www.") unless the next line starts with a capitalised plain word the
 * document writes elsewhere: that starts a sentence ("/siege/" + "The results"); one with
 * address punctuation before its blank ("Files/report.pdf"), or lowercase, or unknown, is
 * more of the address. */
static bool slash_continues(const wk_vocab *v, const char *text, const char *nl)
{
	const char *t = nl - 1;
	while (t > text && t[-1] != ' ' && t[-1] != '\n')
		t--;
	size_t tn = (size_t)(nl - t);
	if (!memmem(t, tn, "://", 3) && !memmem(t, tn, "www.", 4))
		return true;
	const char *w = nl + 1;
	size_t n = 0;
	bool plain = true;
	for (; w[n] && w[n] != ' ' && w[n] != '\n' && n < WORD_MAX; n++)
		if (strchr("/.-_?=#&%:~", w[n]))
			plain = false;
	if (!plain || n == 0 || !isupper((unsigned char)w[0]))
		return true;
	return !(v && wk_vocab_has(v, w, n));
}

void wk_join_lines(const wk_vocab *v, const char *text, wk_buf *out)
{
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		if (!nl) {
			wk_buf_puts(out, p);
			return;
		}
		if (nl > p && nl[-1] == '-' && drop_hyphen(v, text, nl - 1)) {
			wk_buf_append(out, p, (size_t)(nl - 1 - p));
		} else if (nl - p >= 2 && (unsigned char)nl[-2] == 0xC2 && (unsigned char)nl[-1] == 0xAD) {
			wk_buf_append(out, p, (size_t)(nl - 2 - p)); /* soft hyphen */
		} else {
			wk_buf_append(out, p, (size_t)(nl - p));
			if (nl[-1] != '-' && (nl[-1] != '/' || !slash_continues(v, text, nl)))
				wk_buf_putc(out, ' ');
		}
		p = nl + 1;
	}
}
