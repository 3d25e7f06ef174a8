/* phrases.c: short text answers read beside the question's words, for questions that
 * ask for no number: the name that ends in the noun whose kind is asked ("what type of
 * court": "SUPERIOR COURT"), the title printed after the thing it names ("the title of
 * the case study": "Case Study- Discrimination in the Workplace Continues"), the object
 * of the verb a "what does X define?" question ends with, the clause a condition leads
 * to ("what if ...?"), the manner a preposition opens ("how do we ...?"), a telephone or
 * fax number after its cue word, what a listing prints with a code ("AR01"). Each answer is a byte range of the sentence as printed. */
#include "reader.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PHRASE_WORDS 12 /* a title or name longer than this is a sentence */
#define MAX_OBJECT_WORDS 6  /* the object of a verb: a noun phrase, not a clause */
#define MIN_PHONE_DIGITS 7  /* shorter runs are amounts, years or codes */

/* 1 when the ')' that ends [s, e) closes a '(' inside it: "City of Houston (East)". */
static int closes_own_paren(const char *s, const char *e)
{
	int depth = 0;
	for (const char *p = s; p < e; p++)
		depth += (*p == '(') - (*p == ')');
	return e > s && e[-1] == ')' && depth == 0;
}

static void emit(rd_sentence *c, rd_type type, const char *s, const char *e, double near)
{
	while (e > s && strchr(" ,.;:\"'”)", e[-1]) && !closes_own_paren(s, e))
		e--;
	if (e <= s)
		return;
	rd_cand x = {.type = type, .item = c->item, .s = s, .e = e, .qs = c->s, .qe = c->e,
	             .fit = 1.0, .near = near, .cover = c->cover};
	rd_cands_add(c->out, &x);
}

static void keep_first(void *user, const char *term, size_t len)
{
	char *dst = user;
	if (!dst[0] && len < RD_TERM_LEN)
		memcpy(dst, term, len + 1);
}

/* 1 when word i's stem is the question's anchor (q->head). */
static int is_head(const rd_sentence *c, int i)
{
	char word[RD_TERM_LEN], stem[RD_TERM_LEN] = "";
	size_t n = (size_t)(c->w.e[i] - c->w.s[i]);
	if (n >= sizeof word)
		return 0;
	memcpy(word, c->w.s[i], n);
	word[n] = '\0';
	wk_tokenize(c->m->tk, word, keep_first, stem);
	return stem[0] && !strcmp(stem, c->m->q->head);
}

static int capitalised(const char *s, const char *e)
{
	while (s < e && strchr("\"'“‘(", *s))
		s++;
	return s < e && (isupper((unsigned char)*s) || isdigit((unsigned char)*s));
}

static int stop_word(const char *s, const char *e)
{
	char low[16];
	size_t n = (size_t)(e - s);
	if (n == 0 || n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	return wk_is_stop_word(low, n);
}

/* Where a word stops a phrase: at punctuation that ends it, or a dash glued to it
 * ("Continues—submit"). */
static const char *word_end(const char *s, const char *e, int *last)
{
	static const char *const dashes[] = {"\xe2\x80\x94", "\xe2\x80\x93"};
	*last = 0;
	for (const char *p = s; p < e; p++)
		for (size_t k = 0; k < WK_ARRAY_LEN(dashes); k++)
			if (p > s && !strncmp(p, dashes[k], strlen(dashes[k]))) {
				*last = 1;
				return p;
			}
	if (e > s && strchr(",.;:!?)”\"", e[-1]))
		*last = 1;
	return e;
}

/* "what type of court": capitalised words ending in the noun asked, "SUPERIOR COURT";
 * a name that is its whole line reads best. */
static void kind_phrases(rd_sentence *c)
{
	for (int i = 1; i < c->w.n; i++) {
		if (!is_head(c, i) || !capitalised(c->w.s[i], c->w.e[i]))
			continue;
		int j = i;
		while (j > 0 && i - j < MAX_PHRASE_WORDS && capitalised(c->w.s[j - 1], c->w.e[j - 1]) &&
		       !strchr(",.;:", c->w.e[j - 1][-1]))
			j--;
		if (j == i)
			continue;
		int whole = j == 0 && i == c->w.n - 1;
		emit(c, RD_TEXT, c->w.s[j], c->w.e[i], whole ? 1.0 : 0.5);
	}
}

/* 1 when word i introduces what follows: it ends in a colon or dash, or the next word
 * is a dash, a colon, an opening quote or "titled", "entitled", "called", "named".
 * *first is the word the title starts at. */
static int introduces(const rd_sentence *c, int i, int *first)
{
	static const char *const glue[] = {":", "-", "\xe2\x80\x94", "\xe2\x80\x93"};
	static const char *const words[] = {"-", ":", "\xe2\x80\x94", "\xe2\x80\x93", "titled",
	                                    "entitled", "called", "named"};
	size_t n = (size_t)(c->w.e[i] - c->w.s[i]);
	for (size_t k = 0; k < WK_ARRAY_LEN(glue); k++) {
		size_t g = strlen(glue[k]);
		if (n > g && !strncmp(c->w.e[i] - g, glue[k], g)) {
			*first = i + 1;
			return 1;
		}
	}
	if (i + 1 >= c->w.n)
		return 0;
	size_t m = (size_t)(c->w.e[i + 1] - c->w.s[i + 1]);
	for (size_t k = 0; k < WK_ARRAY_LEN(words); k++)
		if (m == strlen(words[k]) && !strncasecmp(c->w.s[i + 1], words[k], m)) {
			*first = i + 2;
			return 1;
		}
	if (!strncmp(c->w.s[i + 1], "\xe2\x80\x9c", 3) || c->w.s[i + 1][0] == '"') {
		*first = i + 1;
		return 1;
	}
	return 0;
}

/* The capitalised run from word `first`: title words, with the small words between
 * them ("Discrimination in the Workplace Continues"). */
static void title_from(rd_sentence *c, int first)
{
	if (first >= c->w.n || !capitalised(c->w.s[first], c->w.e[first]))
		return;
	const char *end = NULL;
	for (int k = first; k < c->w.n && k - first < MAX_PHRASE_WORDS; k++) {
		int cap = capitalised(c->w.s[k], c->w.e[k]);
		if (!cap && !stop_word(c->w.s[k], c->w.e[k]))
			break;
		int last;
		const char *e = word_end(c->w.s[k], c->w.e[k], &last);
		if (cap)
			end = e;
		if (last)
			break;
	}
	if (end)
		emit(c, RD_TEXT, c->w.s[first], end, 1.0);
}

static void title_phrases(rd_sentence *c)
{
	int first;
	for (int i = 0; i < c->w.n; i++)
		if (c->w.hit[i] && introduces(c, i, &first))
			title_from(c, first);
}

/* "what does X define?": "... that defines phenylalanine may change ...". */
static void object_phrases(rd_sentence *c)
{
	for (int i = 0; i + 1 < c->w.n; i++) {
		if (!is_head(c, i) || strchr(",.;:", c->w.e[i][-1]))
			continue;
		int k = i + 1;
		while (k < c->w.n && k - i <= 2 && stop_word(c->w.s[k], c->w.e[k]) &&
		       (c->w.e[k] - c->w.s[k] <= 3))
			k++; /* "the", "a", "an" */
		const char *end = NULL;
		for (int j = k; j < c->w.n && j - k < MAX_OBJECT_WORDS; j++) {
			if (stop_word(c->w.s[j], c->w.e[j]) || c->w.s[j][0] == '(')
				break;
			int last;
			end = word_end(c->w.s[j], c->w.e[j], &last);
			if (last)
				break;
		}
		if (end)
			emit(c, RD_TEXT, c->w.s[k], end, 1.0);
	}
}

/* 1 when a question word lies in [s, e). */
static int holds_question_word(const rd_sentence *c, const char *s, const char *e)
{
	for (int i = 0; i < c->w.n; i++)
		if (c->w.hit[i] && c->w.s[i] >= s && c->w.e[i] <= e)
			return 1;
	return 0;
}

/* "what if the adaptor supplies less than 1.5 A?": in "(If the output current is less
 * than 1.5 A, the charging time will increase ...)" the clause after the condition's
 * comma; in "the time increases if ..." the clause before "if". The condition must hold
 * a question word. */
static void consequence_phrases(rd_sentence *c)
{
	for (const char *p = c->s; p + 3 < c->e; p++) {
		if ((p > c->s && isalpha((unsigned char)p[-1])) || strncasecmp(p, "if ", 3))
			continue;
		const char *b = p;
		while (b > c->s && b[-1] == ' ')
			b--;
		int opening = b == c->s || strchr("(,;:", b[-1]);
		const char *comma = opening ? strstr(p, ", ") : NULL;
		if (opening && comma && comma < c->e && holds_question_word(c, p, comma)) {
			const char *e = b > c->s && b[-1] == '(' ? memchr(comma, ')', (size_t)(c->e - comma))
			                                         : NULL;
			emit(c, RD_TEXT, comma + 2, e ? e : c->e, 1.0);
		} else if (!opening && holds_question_word(c, p, c->e)) {
			emit(c, RD_TEXT, c->s, b, 1.0);
		}
		return;
	}
}

/* "how do we recognise lease costs?": "We recognize lease costs on a straight-line basis
 * without regard to deferred payment terms, such as ...": what a preposition right after
 * the question's last word opens, up to the clause's end. */
static void manner_phrases(rd_sentence *c)
{
	static const char *const preps[] = {"by", "on", "using", "through", "via", "with",
	                                    "under", "at"};
	int last = -1;
	for (int i = 0; i < c->w.n; i++)
		if (c->w.hit[i])
			last = i;
	int k = last + 1;
	if (last < 0 || k >= c->w.n || strchr(",.;:", c->w.e[last][-1]))
		return;
	size_t n = (size_t)(c->w.e[k] - c->w.s[k]);
	int prep = 0;
	for (size_t j = 0; j < WK_ARRAY_LEN(preps) && !prep; j++)
		prep = n == strlen(preps[j]) && !strncasecmp(c->w.s[k], preps[j], n);
	if (!prep || k + 1 >= c->w.n)
		return;
	const char *end = NULL;
	for (int j = k + 1; j < c->w.n && j - k <= MAX_PHRASE_WORDS; j++) {
		int stop;
		end = word_end(c->w.s[j], c->w.e[j], &stop);
		if (stop)
			break;
	}
	emit(c, RD_TEXT, c->w.s[k + 1], end, 1.0);
}

/* The cue words of a number: "Fax", "Fax:", "Tel.", "Telephone", "Phone". */
static int phone_word(const char *s, const char *e, const char *head)
{
	static const char *const fax[] = {"fax"};
	static const char *const phone[] = {"tel", "telephone", "phone", "t"};
	size_t n = (size_t)(e - s);
	while (n > 0 && strchr(":.", s[n - 1]))
		n--;
	int is_fax = !strcmp(head, "fax");
	const char *const *cues = is_fax ? fax : phone;
	size_t ncues = is_fax ? WK_ARRAY_LEN(fax) : WK_ARRAY_LEN(phone);
	for (size_t k = 0; k < ncues; k++)
		if (n == strlen(cues[k]) && !strncasecmp(s, cues[k], n))
			return 1;
	return 0;
}

/* The number after a cue word: digits with the dashes, dots, spaces and parentheses
 * they are grouped with ("514-312-0292", "(514) 312 0292", "+1 514 312 0292"). */
static void phone_phrases(rd_sentence *c)
{
	for (int i = 0; i + 1 < c->w.n; i++) {
		if (!phone_word(c->w.s[i], c->w.e[i], c->m->q->head))
			continue;
		const char *p = c->w.e[i];
		while (p < c->e && (*p == ' ' || *p == ':' || *p == '#'))
			p++;
		if (c->e - p > 3 && !strncasecmp(p, "no.", 3))
			p += 3;
		while (p < c->e && (*p == ' ' || *p == ':'))
			p++;
		const char *b = p, *last_digit = NULL;
		int digits = 0;
		for (; p < c->e && strchr("0123456789-. ()+", *p); p++)
			if (isdigit((unsigned char)*p)) {
				digits++;
				last_digit = p;
			}
		if (digits >= MIN_PHONE_DIGITS && last_digit)
			emit(c, RD_PHONE, b, last_digit + 1, 1.0);
	}
}

/* ---- what a listing prints with a code ---- */

/* A word that bounds a listing's entry: another code ("AR02"), an item number ("2."), a
 * cell bar. */
static int entry_bound(const char *s, const char *e)
{
	int digits = 0, alpha = 0;
	for (const char *p = s; p < e; p++) {
		digits += isdigit((unsigned char)*p) != 0;
		alpha += isalpha((unsigned char)*p) != 0;
	}
	if (e - s == 1 && *s == '|')
		return 1;
	if (!alpha && digits && digits <= 3 && e[-1] == '.')
		return 1; /* "2." */
	return digits >= 2 && alpha && isupper((unsigned char)*s);
}

/* "1. Little Rock AR01 2. Northern Arkansas AR02": the words before the code back to the
 * previous entry's bound, or, when the code starts its entry ("AR01 Little Rock"), the
 * words after it up to the next bound. */
static void code_phrases(rd_sentence *c)
{
	const char *code = c->m->q->code;
	size_t n = strlen(code);
	for (int i = 0; i < c->w.n; i++) {
		const char *ws = c->w.s[i], *we = c->w.e[i];
		while (we > ws && strchr(",.;:)", we[-1]))
			we--;
		while (ws < we && *ws == '(')
			ws++;
		if ((size_t)(we - ws) != n || strncasecmp(ws, code, n))
			continue;
		int a = i;
		while (a > 0 && i - a < MAX_PHRASE_WORDS && !entry_bound(c->w.s[a - 1], c->w.e[a - 1]))
			a--;
		if (a < i) {
			emit(c, RD_TEXT, c->w.s[a], c->w.e[i - 1], 1.0);
			continue;
		}
		int b = i + 1;
		while (b < c->w.n && b - i <= MAX_PHRASE_WORDS && !entry_bound(c->w.s[b], c->w.e[b]))
			b++;
		if (b > i + 1)
			emit(c, RD_TEXT, c->w.s[i + 1], c->w.e[b - 1], 1.0);
	}
}

void rd_phrases(const rd_match *m, int item, const char *s, const char *e, double cover,
                rd_cands *out)
{
	rd_sentence *c = rd_sentence_new(m, item, s, e, cover, out);
	switch (m->q->phrase) {
	case RD_PHRASE_KIND:
		kind_phrases(c);
		break;
	case RD_PHRASE_TITLE:
		title_phrases(c);
		break;
	case RD_PHRASE_OBJECT:
		object_phrases(c);
		break;
	case RD_PHRASE_PHONE:
		phone_phrases(c);
		break;
	case RD_PHRASE_CONSEQUENCE:
		consequence_phrases(c);
		break;
	case RD_PHRASE_MANNER:
		manner_phrases(c);
		break;
	case RD_PHRASE_CODE:
		code_phrases(c);
		break;
	default:
		break;
	}
	free(c);
}
