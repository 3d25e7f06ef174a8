/* hyphen.h: joining a paragraph's lines; hyphenated breaks decided by the document's
 * vocabulary. Internal to src/pdf/. */
#ifndef WK_PDF_HYPHEN_H
#define WK_PDF_HYPHEN_H

#include "../util/util.h"

/* The set of words (lowercased) a document writes whole, on one line. */
typedef struct wk_vocab wk_vocab;

wk_vocab *wk_vocab_new(void);
void wk_vocab_free(wk_vocab *v);
/* Adds the words of a block's text (lines separated by '\n'); words cut by a line
 * break are left out. */
void wk_vocab_add_text(wk_vocab *v, const char *text);
bool wk_vocab_has(const wk_vocab *v, const char *word, size_t n);

/* Appends `text` (lines separated by '\n') to `out` as one line: a break after a
 * hyphen between letters is joined ("evi-" "dence" -> "evidence") unless the word is
 * a compound ("state-of-the-art") or the document spells it with a hyphen elsewhere;
 * a line ending in '/' goes on without a blank (an address cut at its slash) unless the
 * next starts with a capitalised word the document knows; other breaks become one
 * space. `v` may be NULL (then every such hyphen goes). */
void wk_join_lines(const wk_vocab *v, const char *text, wk_buf *out);

#endif
