/* extract.c: MuPDF structured text -> wk_line: one line per run of characters on a
 * baseline, split where a wide gap betrays a column gutter or a table cell boundary. */
#include "pdf.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	LINE_MAX_BYTES = 16 * 1024, /* hostile input: a "line" of a million glyphs */
	PAGE_MAX_LINES = 200000,
	PAGE_MAX_FONTS = 4096,
	STYLE_SLOTS = 8,
	GAP_SLOTS = 64 /* word spaces judged per line; longer lines keep the rest */
};

/* A space narrower than this share of the line's typical word space, between two
 * letters of one size, is a stray space inside a word ("Balance Shee t"): some
 * producers place each glyph run absolutely and leave a space glyph in the word. */
#define NARROW_SPACE 0.85f

/* A gap wider than this many font sizes ends a line: justified word spaces stay well
 * below, column gutters and table cell gaps above. */
#define SPLIT_GAP 1.5f

typedef struct style_count {
	int font;
	float size;
	int n;
	float base_sum; /* sum of the baselines of its characters */
} style_count;

/* A space of the line: byte offset in the line's text, the gap between the glyphs
 * around it, and whether it sits between two letters of one size (may be dropped). */
typedef struct space_mark {
	size_t off;
	float gap;
	bool inword;
} space_mark;

/* The line being built. */
typedef struct line_acc {
	wk_buf text;
	fz_rect box;
	style_count styles[STYLE_SLOTS];
	int nstyles;
	int nchars;
	float last_x1; /* right edge of the last non-space character */
	float last_size;
	int last_rune;
	float last_base;
	bool t3_open; /* the last character is of an implausibly sized Type3 font */
	bool pending_space;
	space_mark spaces[GAP_SLOTS];
	int nspaces;
	/* A footnote mark being read: digits or note symbols set small and raised at the
	 * start of a word ("2Slow-start", "siege/3The"). */
	bool mark_open;
	size_t mark_off;  /* where it starts in text */
	float mark_size;  /* its largest character */
	float mark_base;  /* its lowest baseline (y grows downwards) */
	/* The run of note symbols (and commas between them) the line ends with so far, and
	 * the character before it: an affiliation mark after a name ("Salem 1", "Lo1,2"). */
	bool tail_open;
	float tail_size, tail_base;
	float before_size, before_base;
} line_acc;

static bool has_any(const char *name, const char *const *words, size_t n)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

static bool ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcmp(name + n - k, suffix) == 0;
}

bool wk_font_name_bold(const char *name)
{
	static const char *const words[] = {"bold", "black", "heavy", "semibold", "demi",
	                                    "medi", "cmbx", "cmb10", "cmssbx", "sfbx", "-bd",
	                                    "extrabold", "ultra"};
	return name && (has_any(name, words, WK_ARRAY_LEN(words)) || ends_with(name, "Bd") ||
	                ends_with(name, "-B"));
}

bool wk_font_name_italic(const char *name)
{
	static const char *const words[] = {"italic", "oblique", "cmti", "cmsl", "sfti",
	                                    "sfsl", "-it", "ital"};
	return name && (has_any(name, words, WK_ARRAY_LEN(words)) || ends_with(name, "It"));
}

bool wk_font_name_mono(const char *name)
{
	static const char *const words[] = {"mono", "courier", "cmtt", "sftt", "consol",
	                                    "typewriter", "code"};
	return has_any(name, words, WK_ARRAY_LEN(words));
}

/* Index of `font` in the page's font table, added when new. */
static int font_index(fz_context *ctx, wk_page *page, fz_font *font, int *cap)
{
	const char *name = font ? fz_font_name(ctx, font) : "";
	const char *plus = strchr(name, '+');
	if (plus && plus - name == 6)
		name = plus + 1;
	for (int i = page->nfonts - 1; i >= 0; i--)
		if (strcmp(page->fonts[i].name, name) == 0)
			return i;
	if (page->nfonts >= PAGE_MAX_FONTS)
		return 0;
	page->fonts = wk_grow(page->fonts, cap, page->nfonts + 1, sizeof(wk_font_info));
	wk_font_info *f = &page->fonts[page->nfonts];
	f->name = wk_arena_strdup(page->arena, name);
	f->bold = (font && fz_font_is_bold(ctx, font)) || wk_font_name_bold(name);
	f->italic = (font && fz_font_is_italic(ctx, font)) || wk_font_name_italic(name);
	f->mono = (font && fz_font_is_monospaced(ctx, font)) || wk_font_name_mono(name);
	return page->nfonts++;
}

static void count_style(line_acc *acc, int font, float size, float base)
{
	for (int i = 0; i < acc->nstyles; i++)
		if (acc->styles[i].font == font && fabsf(acc->styles[i].size - size) < 0.1f) {
			acc->styles[i].n++;
			acc->styles[i].base_sum += base;
			return;
		}
	if (acc->nstyles < STYLE_SLOTS)
		acc->styles[acc->nstyles++] = (style_count){font, size, 1, base};
}

/* Appends a code point, expanding the Latin ligatures MuPDF may leave in place. */
static void put_rune(wk_buf *b, int c)
{
	static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
	if (c >= 0xFB00 && c <= 0xFB06) {
		wk_buf_puts(b, lig[c - 0xFB00]);
		return;
	}
	char utf[FZ_UTFMAX];
	int n = fz_runetochar(utf, c);
	wk_buf_append(b, utf, (size_t)n);
}

enum { T3_SLOTS = 16, T3_SAMPLES = 2048 };

/* Type3 fonts whose size MuPDF reports as implausible (the scale sits in the font
 * matrix: size 0.1 with 120 pt boxes) get a factor from their letters' advances. */
typedef struct t3_scale {
	const fz_font *font;
	float factor;
} t3_scale;

typedef struct extract_state {
	fz_context *ctx;
	wk_page *page;
	int line_cap, font_cap;
	fz_font *last_font; /* the font of the last character and its index: runs of */
	int last_font_index; /* characters share one, and the name lookup was 2% of a parse */
	int block;
	bool rotated;
	t3_scale t3[T3_SLOTS];
	int nt3;
} extract_state;

static int cmp_gap(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The piece of a word a stray space cuts off is no word itself: a capital tail of
 * two to four letters after a capital ("LIQUIDI TY", "SEG MENT"), or one small letter
 * ending the word ("Shee t", "Flow s."). Anything else may be a word, a variable
 * ("Map k,") or kerning, and keeps its space. */
static bool tail_of_word(const char *s, char prev)
{
	static const char *const words[] = {"AN", "AS", "AT", "BE", "BY", "DO", "IF", "IN", "IS",
	                                    "IT", "NO", "OF", "ON", "OR", "SO", "TO", "UP", "US",
	                                    "WE", "ALL", "AND", "ANY", "ARE", "BUT", "FOR", "NOT",
	                                    "OUR", "PER", "THE", "ITEM", "PART", "II", "III", "IV",
	                                    "VI", "VII", "VIII", "IX", "XI", "XII", "FROM", "WITH", "YOUR"};
	size_t n = 0;
	while (n < 5 && isalpha((unsigned char)s[n]))
		n++;
	if ((unsigned char)s[n] >= 0x80)
		return false;
	if (n == 1 && islower((unsigned char)s[0]) && islower((unsigned char)prev))
		return s[0] != 'a' && s[0] != 'i' && (s[1] == '\0' || strchr(".,;:)", s[1]));
	if (n < 2 || n > 4 || !isupper((unsigned char)prev))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]))
			return false;
	for (size_t i = 0; i < WK_ARRAY_LEN(words); i++)
		if (strlen(words[i]) == n && strncmp(s, words[i], n) == 0)
			return false;
	return true;
}

/* Removes the spaces that are much narrower than the line's own word spaces. Needs
 * three spaces at least: the typical gap must be visible on the line itself. */
static void drop_narrow_spaces(line_acc *acc)
{
	if (acc->nspaces < 3)
		return;
	float gaps[GAP_SLOTS];
	for (int i = 0; i < acc->nspaces; i++)
		gaps[i] = acc->spaces[i].gap;
	int n = acc->nspaces;
	qsort(gaps, (size_t)n, sizeof(float), cmp_gap);
	float median = gaps[n / 2];
	float limit = NARROW_SPACE * median;
	/* Only on a line set with one fixed word space (its other spaces within 3 % of
	 * the median): where spaces vary (justified by hand, math) a narrow one means
	 * nothing. */
	int k = 0;
	while (k < n && gaps[k] < limit)
		k++;
	int m = n - k;
	if (m < 2 || gaps[k + m / 4] < 0.97f * median || gaps[n - 1 - m / 4] > 1.03f * median)
		return;
	size_t w = 0, from = 0;
	wk_buf *b = &acc->text;
	for (int i = 0; i < acc->nspaces; i++) {
		size_t off = acc->spaces[i].off;
		if (!acc->spaces[i].inword || acc->spaces[i].gap >= limit || off >= b->len ||
		    off == 0 || !tail_of_word(b->data + off + 1, b->data[off - 1]))
			continue;
		memmove(b->data + w, b->data + from, off - from);
		w += off - from;
		from = off + 1;
	}
	memmove(b->data + w, b->data + from, b->len - from);
	b->len = w + b->len - from;
	b->data[b->len] = '\0';
}

/* Latin letters: the scripts whose words are separated by spaces and get split. */
static bool is_letter(int c)
{
	return c < 0x80 ? isalpha(c) != 0 : c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7;
}

/* A split inside a word does not turn lower case into upper case: a narrow space
 * before a capital is kerning ("the Act", "Exhibit A"), as are spaces next to the
 * letters fonts kern against a space ("OXLEY ACT"). */
static bool joins_word(int prev, int next)
{
	if (!is_letter(prev) || !is_letter(next) || next == 'A' || strchr("AFLPVWY", prev))
		return false;
	bool prev_lower = prev < 0x80 ? islower(prev) != 0 : prev >= 0xDF;
	bool next_upper = next < 0x80 ? isupper(next) != 0 : next < 0xDF;
	return !(prev_lower && next_upper);
}

/* A one-letter word at s: an ASCII letter followed by a space or the end. */
static bool single_letter(const char *s)
{
	return isalpha((unsigned char)s[0]) && (s[1] == ' ' || s[1] == '\0');
}

/* The gap before the glyph after the space at byte `off`, -1 when not recorded. */
static float gap_at(const line_acc *acc, size_t off)
{
	for (int i = 0; i < acc->nspaces; i++)
		if (acc->spaces[i].off == off)
			return acc->spaces[i].gap;
	return -1;
}

/* The end of the run of one-letter words starting at r (the byte after its last letter);
 * *letters counts them, *narrowest is the narrowest recorded gap between two of them. */
static size_t letter_run(const line_acc *acc, size_t r, int *letters, float *narrowest)
{
	const char *t = acc->text.data;
	size_t end = r;
	*letters = 0;
	*narrowest = 1e9f;
	while (end < acc->text.len && single_letter(t + end)) {
		size_t next = end + 1;
		while (t[next] == ' ')
			next++;
		(*letters)++;
		if (next == end + 2 && single_letter(t + next) && gap_at(acc, end + 1) >= 0)
			*narrowest = fminf(*narrowest, gap_at(acc, end + 1));
		end += 1;
		if (!single_letter(t + next))
			break;
		end = next;
	}
	return end;
}

/* Letter-spaced words ("a r t i c l e", "S U M M A R Y"): a run of four one-letter words
 * or more (or a whole line of them with wide gaps) is read as words. A word ends where two spaces or a space much wider than the
 * narrowest in the run (when the gaps are known) separate two letters. Returns whether
 * the text changed. */
static bool join_spaced_letters(line_acc *acc)
{
	wk_buf *b = &acc->text;
	char *t = b->data;
	bool changed = false;
	size_t w = 0;
	for (size_t r = 0; r < b->len;) {
		int letters = 0;
		float narrowest = 0;
		bool word_start = r == 0 || t[r - 1] == ' ';
		size_t end = word_start ? letter_run(acc, r, &letters, &narrowest) : r;
		/* A line of its own may hold a short spaced word ("O F" between two others
		 * that the producer placed apart): then the tracking must show in the gaps. */
		bool whole = r == 0 && end == b->len && narrowest < 1e9f &&
		             narrowest >= 0.2f * acc->last_size;
		if (letters < 4 && !(whole && letters >= 2)) {
			size_t next = letters ? end : r + 1;
			memmove(t + w, t + r, next - r);
			w += next - r;
			r = next;
			continue;
		}
		for (size_t k = r; k < end;) {
			t[w++] = t[k];
			size_t next = k + 1;
			while (next < end && t[next] == ' ')
				next++;
			float g = gap_at(acc, k + 1);
			if (next < end && (next > k + 2 || g > 2 * narrowest + 0.5f))
				t[w++] = ' ';
			k = next;
		}
		changed = true;
		r = end;
	}
	b->len = w;
	t[w] = '\0';
	return changed;
}

/* Text of the accumulated line, NFC when it is not plain ASCII. */
static char *finish_text(wk_page *page, wk_buf *b)
{
	size_t n = b->len;
	while (n > 0 && b->data[n - 1] == ' ')
		n--;
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)b->data[i] < 0x80;
	if (ascii)
		return wk_arena_strndup(page->arena, b->data, n);
	b->data[n] = '\0';
	char *nfc = wk_utf8_nfc(b->data);
	char *s = wk_arena_strdup(page->arena, nfc ? nfc : b->data);
	free(nfc);
	return s;
}

/* The line ends with a raised mark: note symbols set at most 0.85 of the size of the
 * character before them, their baseline 0.15 of that size higher (note_mark's measure). */
static bool ends_with_raised_mark(const line_acc *acc)
{
	return acc->tail_open && acc->tail_size <= 0.85f * acc->before_size &&
	       acc->before_base - acc->tail_base >= 0.15f * acc->before_size;
}

static void flush_line(extract_state *st, line_acc *acc)
{
	wk_page *page = st->page;
	if (acc->nchars == 0 || page->nlines >= PAGE_MAX_LINES)
		goto reset;
	if (join_spaced_letters(acc))
		acc->nspaces = 0; /* the recorded offsets no longer hold */
	drop_narrow_spaces(acc);
	int best = 0;
	for (int i = 1; i < acc->nstyles; i++)
		if (acc->styles[i].n > acc->styles[best].n)
			best = i;
	page->lines = wk_grow(page->lines, &st->line_cap, page->nlines + 1, sizeof(wk_line));
	wk_line *l = &page->lines[page->nlines++];
	memset(l, 0, sizeof *l);
	l->box = (wk_rect){acc->box.x0, acc->box.y0, acc->box.x1, acc->box.y1};
	l->text = finish_text(page, &acc->text);
	l->font = acc->styles[best].font;
	l->size = acc->styles[best].size;
	const wk_font_info *f = &page->fonts[l->font];
	l->bold = f->bold;
	l->italic = f->italic;
	l->mono = f->mono;
	l->block = st->block;
	l->flags = (st->rotated ? WK_LINE_FURNITURE : 0) | (ends_with_raised_mark(acc) ? WK_LINE_MARK_END : 0);
	l->baseline = acc->styles[best].base_sum / (float)acc->styles[best].n;
reset:
	acc->text.len = 0;
	acc->text.full = false;
	acc->box = fz_empty_rect;
	acc->nstyles = 0;
	acc->nchars = 0;
	acc->nspaces = 0;
	acc->pending_space = false;
	acc->t3_open = false;
	acc->mark_open = false;
	acc->tail_open = false;
}

static bool implausible_t3(const fz_stext_char *ch)
{
	return ch->font && ch->font->t3procs && ch->size < 1;
}

/* A lower-case letter advances about half an em: twice the median advance of the
 * font's lower-case letters, per unit of MuPDF's size, is the factor to a real size. */
static float t3_factor(const fz_stext_page *stext, const fz_font *font)
{
	float *w = malloc(sizeof(float) * T3_SAMPLES);
	int n = 0;
	for (fz_stext_block *b = stext->first_block; b && w; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *ln = b->u.t.first_line; ln; ln = ln->next)
			for (fz_stext_char *ch = ln->first_char; ch && n < T3_SAMPLES; ch = ch->next)
				if (ch->font == font && ch->c >= 'a' && ch->c <= 'z' && ch->size > 0)
					w[n++] = (ch->quad.lr.x - ch->quad.ll.x) / ch->size;
	}
	float factor = 0;
	if (n >= 5) {
		qsort(w, (size_t)n, sizeof(float), cmp_gap);
		factor = 2 * w[n / 2];
	}
	free(w);
	return factor;
}

/* The size a reader sees, and for implausible Type3 sizes a box rebuilt around the
 * baseline (MuPDF's comes from a broken font box). */
static float char_size(extract_state *st, const fz_stext_page *stext, const fz_stext_char *ch,
                       fz_rect *r)
{
	float size = ch->size > 0 ? ch->size : 1;
	if (!implausible_t3(ch))
		return size;
	int i = 0;
	while (i < st->nt3 && st->t3[i].font != ch->font)
		i++;
	if (i == st->nt3) {
		if (st->nt3 == T3_SLOTS)
			return size;
		st->t3[st->nt3++] = (t3_scale){ch->font, t3_factor(stext, ch->font)};
	}
	float scaled = size * st->t3[i].factor;
	if (scaled < 2 || scaled > 200)
		return size;
	scaled = roundf(scaled * 2) / 2; /* one size per face, not one per word */
	if (!st->rotated) {
		r->y0 = ch->origin.y - 0.8f * scaled;
		r->y1 = ch->origin.y + 0.2f * scaled;
	}
	return scaled;
}

static bool note_symbol(int c)
{
	return (c >= '0' && c <= '9') || c == '*' || c == 0x2217 || c == 0x2020 || c == 0x2021 ||
	       c == 0xA7 || c == 0xB6;
}

/* Keeps track of the note symbols the line ends with (see line_acc). */
static void note_tail(line_acc *acc, int c, float size, float base)
{
	if (!note_symbol(c) && !(c == ',' && acc->tail_open)) {
		acc->tail_open = false;
		return;
	}
	if (acc->tail_open) {
		acc->tail_size = fmaxf(acc->tail_size, size);
		acc->tail_base = fmaxf(acc->tail_base, base);
		return;
	}
	acc->tail_open = acc->nchars > 0;
	acc->tail_size = size;
	acc->tail_base = base;
	acc->before_size = acc->last_size;
	acc->before_base = acc->last_base;
}

/* Footnote marks: a superscript note number glued to the word it precedes is no part of
 * it ("2Slow-start" is the note "Slow-start"). A mark starts a word (the line's start,
 * after a space or after punctuation: "n2log" is an exponent) and is followed by a
 * letter at least 1/0.85 its size whose baseline lies 0.15 of that size lower. The mark
 * is dropped and the word kept whole; a space stands where none separated it from the
 * text before. */
static void note_mark(line_acc *acc, int c, float size, float base, bool spaced)
{
	if (note_symbol(c)) {
		if (!acc->mark_open || spaced) {
			const char *t = acc->text.data;
			size_t n = acc->text.len;
			acc->mark_open = n == 0 || t[n - 1] == ' ' ||
			                 (!isalnum((unsigned char)t[n - 1]) && (unsigned char)t[n - 1] < 0x80);
			acc->mark_off = n;
			acc->mark_size = size;
			acc->mark_base = base;
		} else {
			acc->mark_size = fmaxf(acc->mark_size, size);
			acc->mark_base = fmaxf(acc->mark_base, base);
		}
		return;
	}
	bool drop = acc->mark_open && !spaced && is_letter(c) && acc->mark_size <= 0.85f * size &&
	            base - acc->mark_base >= 0.15f * size && acc->mark_off <= acc->text.len;
	acc->mark_open = false;
	if (!drop)
		return;
	acc->text.len = acc->mark_off;
	acc->text.data[acc->text.len] = '\0';
	if (acc->text.len > 0 && acc->text.data[acc->text.len - 1] != ' ')
		wk_buf_putc(&acc->text, ' ');
}

static void add_char(extract_state *st, line_acc *acc, const fz_stext_page *stext,
                     const fz_stext_char *ch)
{
	if (ch->c == ' ' || ch->c == '\t' || ch->c == 0xA0) {
		acc->pending_space = acc->nchars > 0;
		return;
	}
	if (ch->c < 32 || (ch->c >= 0x7F && ch->c < 0xA0))
		return;
	fz_rect r = fz_rect_from_quad(ch->quad);
	float size = char_size(st, stext, ch, &r);
	/* A wide gap, or a jump back to the left (a bullet drawn after its line). */
	if (acc->nchars > 0 && !st->rotated &&
	    (r.x0 - acc->last_x1 > SPLIT_GAP * size || r.x1 < acc->box.x0 + 0.5f * size))
		flush_line(st, acc);
	if (acc->text.len >= LINE_MAX_BYTES)
		return;
	if (!st->last_font || ch->font != st->last_font) {
		st->last_font_index = font_index(st->ctx, st->page, ch->font, &st->font_cap);
		st->last_font = ch->font;
	}
	int font = st->last_font_index;
	if (acc->pending_space && acc->nchars > 0 && acc->nspaces < GAP_SLOTS) {
		const wk_font_info *f = &st->page->fonts[font];
		bool inword = joins_word(acc->last_rune, ch->c) && fabsf(acc->last_size - size) < 0.1f &&
		              !f->italic && !f->mono;
		acc->spaces[acc->nspaces++] = (space_mark){acc->text.len, r.x0 - acc->last_x1, inword};
	}
	bool spaced = acc->pending_space && acc->nchars > 0;
	if (spaced)
		wk_buf_putc(&acc->text, ' ');
	acc->pending_space = false;
	note_mark(acc, ch->c, size, ch->origin.y, spaced);
	note_tail(acc, ch->c, size, ch->origin.y);
	acc->last_rune = ch->c;
	acc->last_size = size;
	acc->last_base = ch->origin.y;
	acc->t3_open = implausible_t3(ch) && size >= 2;
	put_rune(&acc->text, ch->c);
	acc->box = acc->nchars ? fz_union_rect(acc->box, r) : r;
	acc->last_x1 = r.x1;
	acc->nchars++;
	count_style(acc, font, size, ch->origin.y);
}

/* MuPDF cuts text in implausibly sized Type3 fonts into a line per word or less
 * ("Recursiv" "e"): a line that goes on along the same baseline continues ours,
 * with a space where the gap is a word space. */
static bool continues_t3(line_acc *acc, const fz_stext_line *ln, bool rotated)
{
	const fz_stext_char *ch = ln->first_char;
	if (!acc->t3_open || rotated || !ch || !implausible_t3(ch))
		return false;
	float size = acc->last_size;
	float gap = fz_rect_from_quad(ch->quad).x0 - acc->last_x1;
	if (fabsf(ch->origin.y - acc->last_base) > 0.3f * size || gap < -0.2f * size ||
	    gap > SPLIT_GAP * size)
		return false;
	acc->pending_space |= gap > 0.15f * size;
	return true;
}

void wk_extract_lines(fz_context *ctx, fz_stext_page *stext, wk_page *page)
{
	extract_state st = {.ctx = ctx, .page = page};
	line_acc acc;
	memset(&acc, 0, sizeof acc);
	wk_buf_init(&acc.text, LINE_MAX_BYTES + 64);
	acc.box = fz_empty_rect;
	/* The font table needs one entry before the first line can refer to it. */
	font_index(ctx, page, NULL, &st.font_cap);
	for (fz_stext_block *b = stext->first_block; b; b = b->next, st.block++) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *ln = b->u.t.first_line; ln; ln = ln->next) {
			bool rotated = ln->wmode != 0 || fabsf(ln->dir.y) > 0.2f || ln->dir.x < 0;
			if (!continues_t3(&acc, ln, rotated))
				flush_line(&st, &acc);
			st.rotated = rotated;
			for (fz_stext_char *ch = ln->first_char; ch; ch = ch->next)
				add_char(&st, &acc, stext, ch);
		}
	}
	flush_line(&st, &acc);
	wk_buf_free(&acc.text);
	/* page->lines and page->fonts were grown with malloc: move them into the arena so
	 * that wk_page's "everything in the arena" holds. */
	wk_line *lines = wk_arena_alloc(page->arena, sizeof(wk_line) * (size_t)WK_MAX(page->nlines, 1));
	if (page->nlines)
		memcpy(lines, page->lines, sizeof(wk_line) * (size_t)page->nlines);
	free(page->lines);
	page->lines = lines;
	wk_font_info *fonts = wk_arena_alloc(page->arena, sizeof(wk_font_info) * (size_t)page->nfonts);
	memcpy(fonts, page->fonts, sizeof(wk_font_info) * (size_t)page->nfonts);
	free(page->fonts);
	page->fonts = fonts;
}
