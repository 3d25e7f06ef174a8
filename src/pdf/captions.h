/* captions.h: figure and table labels in text: caption starts ("Figure 3:", "TABLE II")
 * and mentions in running text ("Figs. 3 and 4", "Tables 2-3"). Pure text, no MuPDF.
 * Internal to src/pdf/ (figures.c, refs.c and the tests use it). */
#ifndef WK_PDF_CAPTIONS_H
#define WK_PDF_CAPTIONS_H

#include "page.h"

/* How sure a caption start is, from what follows the number. */
enum {
	WK_CAP_NONE = 0,
	WK_CAP_WORD = 1,   /* "Table 1 Statistics": a capitalised word follows */
	WK_CAP_ALONE = 2,  /* "TABLE II" alone on its line, or "Fig. 3." / "Figure 3 -" */
	WK_CAP_COLON = 3,  /* "Figure 3:" or "Figure 3 |" */
};

typedef struct wk_caption_label {
	wk_unit_type type;   /* WK_UNIT_FIGURE or WK_UNIT_TABLE */
	char num[16];        /* as printed: "3", "II", "A.1", "S2" */
	int strength;        /* WK_CAP_* */
	bool upper;          /* the keyword was in capitals ("FIGURE", "TABLE") */
} wk_caption_label;

/* Parses a caption label at the start of `text` (leading spaces allowed). Returns false
 * when the text does not start like a caption. */
bool wk_caption_parse(const char *text, wk_caption_label *out);

/* Writes the normalised label ("Figure 3", "Table II") into buf (NUL-terminated). */
void wk_caption_label_format(const wk_caption_label *label, char *buf, size_t size);

/* A figure or table that running text refers to. */
typedef struct wk_mention {
	wk_unit_type type;
	char num[16];        /* normalised like wk_caption_label.num, subfigure letter dropped */
	int offset;          /* byte offset of the keyword in the text */
} wk_mention;

/* Finds the mentions of figures and tables in `text` ("Fig. 3", "Figs. 3 and 4",
 * "Tables 2-3" expands to 2 and 3). Writes at most `cap` of them; returns how many. */
int wk_mentions_find(const char *text, wk_mention *out, int cap);

#endif
