/* mkhostile.h: broken, encrypted, enormous and crafted PDFs for the robustness tests and
 * the fuzzing seed corpus. Every file is generated; nothing comes from the wild.
 *
 * Each mkh_* function writes one file at `path`. Text pages carry the words
 * MKH_WORD and "page N" so that a test can check what a partial parse kept.
 * Fixture code: failures abort. */
#ifndef WK_MKHOSTILE_H
#define WK_MKHOSTILE_H

#include <stddef.h>

#define MKH_WORD "lighthouse"

/* A valid PDF of `pages` pages, each with a heading and a paragraph naming MKH_WORD and
 * its page number; encrypted (RC4-128) with `password` unless NULL. */
void mkh_valid(const char *path, int pages, const char *password);
/* The first `len` bytes of `src`. */
void mkh_truncated(const char *src, const char *path, size_t len);
void mkh_empty(const char *path);
/* `size` pseudo-random bytes from `seed`; with `header`, they follow "%PDF-1.7\n". */
void mkh_random(const char *path, size_t size, unsigned seed, int header);
/* A valid one-page PDF whose xref offsets and startxref point to the wrong places. */
void mkh_broken_xref(const char *path);
/* A page tree whose /Kids lead back to itself. */
void mkh_page_loop(const char *path);
/* One page with `count` text objects (BT ... ET), Flate-compressed. */
void mkh_many_text_objects(const char *path, int count);
/* One page drawing a `side` x `side` grey image (a Flate bomb of zeros); with_text adds a
 * line of text so that the page has a text layer. */
void mkh_huge_image(const char *path, int side, int with_text);
/* A page whose dictionary holds `depth` nested arrays, and whose content nests `depth`
 * q operators. */
void mkh_deep_nesting(const char *path, int depth);
/* A page whose content stream inflates to `megabytes` MB of spaces before its text. */
void mkh_content_bomb(const char *path, int megabytes);
/* A form XObject that draws itself. */
void mkh_recursive_form(const char *path);
/* A one-page PDF with document-open, page-open and name-tree JavaScript that would
 * loop forever if run. */
void mkh_javascript(const char *path);
/* Budget bombs (issue 17). A page whose second content stream is `megabytes` MB of
 * spaces compressed with Flate `layers` times (a few hundred bytes for 2 GB at 3). */
void mkh_nested_flate(const char *path, int megabytes, int layers);
/* A page that draws form X1 `fanout` times, X1 draws X2 `fanout` times, ... `depth`
 * levels, the last one showing a word: fanout^depth draws from a few KB. `comment`
 * (may be NULL) is appended as a PDF comment, to make copies with other hashes. */
void mkh_form_laughs(const char *path, int fanout, int depth, const char *comment);
/* A page whose font has a /ToUnicode CMap (tounicode) or an embedded TrueType font file
 * (else) that inflates to `megabytes` MB. */
void mkh_font_bomb(const char *path, int megabytes, int tounicode);
/* A page whose contents sit in an object stream after `megabytes` MB of blanks. */
void mkh_objstm_bomb(const char *path, int megabytes);
/* `pages` text pages of which page `bad` (1-based) is a reference to a missing object. */
void mkh_damaged_pages(const char *path, int pages, int bad);

#endif
