/* mklib.h: varied multi-page PDFs for the library tests and benchmarks: each seed gives
 * different words (so a different content hash) and a word of its own, "topic<seed>",
 * on every page, so a test knows which document a question should find. */
#ifndef WK_MKLIB_H
#define WK_MKLIB_H

/* Writes a PDF of `pages` pages (a heading, then paragraphs) for `seed` to `path`. */
void mk_library_pdf(const char *path, unsigned seed, int pages);

/* The word only document `seed` contains, e.g. "topic17x"; static buffer. */
const char *mk_library_word(unsigned seed);

#endif
