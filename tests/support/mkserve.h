/* mkserve.h: the PDF the server and browser tests upload: two pages about a zebra survey
 * with headings, a sentence with a known number ("4213"), and a captioned figure. */
#ifndef WK_MKSERVE_H
#define WK_MKSERVE_H

/* Writes the zebra survey PDF to `path`; aborts on failure (a test fixture). */
void mk_serve_zebra_pdf(const char *path);

#endif
