/* mkflow.c: the paper-like typesetter of mkflow.h. */
#include "mkflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORDS = 256, WORD_MAX = 128 };

float mk_flow_col_w(const mk_flow *f)
{
	float text_w = f->width - f->left - f->right;
	return (text_w - (float)(f->ncols - 1) * f->gutter) / (float)f->ncols;
}

float mk_flow_col_x(const mk_flow *f)
{
	return f->left + (float)f->col * (mk_flow_col_w(f) + f->gutter);
}

void mk_flow_new_page(mk_flow *f)
{
	mk_page(f->pdf, f->width, f->height);
	f->page++;
	if (f->header)
		mk_text(f->pdf, "Times-Italic", 8, f->left, 36, f->header);
	if (f->page_numbers) {
		char num[16];
		snprintf(num, sizeof num, "%d", f->page);
		float w = mk_text_width(f->pdf, "Times-Roman", 9, num);
		mk_text(f->pdf, "Times-Roman", 9, (f->width - w) / 2, f->height - 30, num);
	}
	f->col = 0;
	f->col_top = f->top;
	f->y = f->top;
}

void mk_flow_init(mk_flow *f, mk_pdf *pdf, int ncols, const char *header)
{
	memset(f, 0, sizeof *f);
	f->pdf = pdf;
	f->width = 612;
	f->height = 792;
	f->left = f->right = 54;
	f->top = 60;
	f->bottom = 60;
	f->ncols = ncols < 1 ? 1 : ncols;
	f->gutter = 18;
	f->header = header;
	f->page_numbers = 1;
	f->font = "Times-Roman";
	f->size = 10;
	f->leading = 12;
	mk_flow_new_page(f);
}

static void next_column(mk_flow *f)
{
	if (++f->col >= f->ncols)
		mk_flow_new_page(f);
	else
		f->y = f->col_top;
}

/* The baseline of the next line `lead` below the last one, in this column or the next. */
static float next_line(mk_flow *f, float lead, float size)
{
	float b = f->y + lead;
	if (b > f->height - f->bottom) {
		next_column(f);
		b = f->y + size;
	}
	f->y = b;
	return b;
}

const char *mk_flow_plain(const char *text)
{
	static char buf[65536];
	size_t k = 0;
	for (const char *p = text; *p && k + 1 < sizeof buf; p++)
		if (*p != '|')
			buf[k++] = *p;
	buf[k] = '\0';
	return buf;
}

typedef struct line_set {
	mk_flow *f;
	const char *font;
	float size;
	float x, w;      /* where lines go; recomputed per line in columns */
	int wide;
	char words[MAX_WORDS][WORD_MAX];
	int n;
	float used;      /* width of the words without spaces */
} line_set;

static float word_w(const line_set *ls, const char *w)
{
	return mk_text_width(ls->f->pdf, ls->font, ls->size, w);
}

static void place(line_set *ls, float indent)
{
	mk_flow *f = ls->f;
	if (ls->wide) {
		f->y += f->leading;
		ls->x = f->left;
		ls->w = f->width - f->left - f->right;
	} else {
		next_line(f, f->leading, ls->size);
		ls->x = mk_flow_col_x(f);
		ls->w = mk_flow_col_w(f);
	}
	ls->x += indent;
	ls->w -= indent;
}

/* Draws the collected words on the current line, justified unless it is the last. */
static void flush(line_set *ls, int justify)
{
	if (ls->n == 0)
		return;
	float space = word_w(ls, " ");
	float gap = justify && ls->n > 1 ? (ls->w - ls->used) / (float)(ls->n - 1) : space;
	float x = ls->x;
	for (int i = 0; i < ls->n; i++) {
		mk_text(ls->f->pdf, ls->font, ls->size, x, ls->f->y, ls->words[i]);
		x += word_w(ls, ls->words[i]) + gap;
	}
	ls->n = 0;
	ls->used = 0;
}

static float line_need(const line_set *ls, const char *w)
{
	return ls->used + (float)ls->n * word_w(ls, " ") + word_w(ls, w);
}

static void add(line_set *ls, const char *w)
{
	if (ls->n < MAX_WORDS) {
		snprintf(ls->words[ls->n++], WORD_MAX, "%s", w);
		ls->used += word_w(ls, w);
	}
}

/* Breaks `token` (with '|' marks) at the last mark that fits, "evi-" on this line;
 * returns the rest after the mark, or NULL when no mark fits. */
static const char *try_hyphen(line_set *ls, const char *token)
{
	for (const char *bar = strrchr(token, '|'); bar; ) {
		char head[WORD_MAX];
		snprintf(head, sizeof head, "%.100s", mk_flow_plain(token));
		size_t cut = strlen(mk_flow_plain(token)) - strlen(mk_flow_plain(bar));
		snprintf(head + cut, sizeof head - cut, "-");
		if (line_need(ls, head) <= ls->w) {
			add(ls, head);
			ls->f->hyphens++;
			return bar + 1;
		}
		const char *prev = bar;
		bar = NULL;
		for (const char *p = token; p < prev; p++)
			if (*p == '|')
				bar = p;
	}
	return NULL;
}

static void set_text(mk_flow *f, const char *font, float size, const char *text, int indent,
                     int wide)
{
	static line_set ls;
	memset(&ls, 0, sizeof ls);
	ls.f = f, ls.font = font, ls.size = size, ls.wide = wide;
	place(&ls, indent ? size : 0);
	char copy[8192];
	snprintf(copy, sizeof copy, "%s", text);
	for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *t = tok;
		while (line_need(&ls, mk_flow_plain(t)) > ls.w && ls.n > 0) {
			const char *rest = try_hyphen(&ls, t);
			flush(&ls, 1);
			place(&ls, 0);
			if (!rest)
				break;
			t = rest;
		}
		char plain[WORD_MAX];
		snprintf(plain, sizeof plain, "%.120s", mk_flow_plain(t));
		add(&ls, plain);
	}
	flush(&ls, 0);
}

void mk_flow_para(mk_flow *f, const char *text, int indent)
{
	set_text(f, f->font, f->size, text, indent, 0);
}

void mk_flow_wide_para(mk_flow *f, const char *text)
{
	set_text(f, f->font, f->size, text, 0, 1);
}

void mk_flow_banner(mk_flow *f, const char *font, float size, const char *text)
{
	float w = mk_text_width(f->pdf, font, size, text);
	f->y += size * 1.3f;
	mk_text(f->pdf, font, size, (f->width - w) / 2, f->y, text);
}

void mk_flow_start_columns(mk_flow *f, float gap)
{
	f->col_top = f->y + gap;
	f->y = f->col_top;
	f->col = 0;
}

void mk_flow_heading(mk_flow *f, const char *font, float size, const char *text)
{
	if (f->y + 4 * f->leading > f->height - f->bottom)
		next_column(f);
	if (f->y > f->col_top + 1)
		f->y += 8;
	float b = next_line(f, size * 1.2f, size);
	mk_text(f->pdf, font, size, mk_flow_col_x(f), b, text);
	f->y += 2;
}

float mk_flow_reserve(mk_flow *f, float h)
{
	if (f->y + h + 8 > f->height - f->bottom)
		next_column(f);
	float top = f->y + 8;
	f->y = top + h;
	return top;
}

void mk_flow_skip(mk_flow *f, float h)
{
	f->y += h;
}
