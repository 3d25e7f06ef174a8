/* ocr.h: text for pages without a usable text layer, recognised with Tesseract.
 * Internal to src/pdf/. */
#ifndef WK_PDF_OCR_H
#define WK_PDF_OCR_H

#include <mupdf/fitz.h>

#include "page.h"

/* One Tesseract engine, kept by one thread and reused for all the pages it reads: loading
 * the language model costs about as much as reading a slide. Not shareable between
 * threads (Tesseract instances are not). */
typedef struct wk_ocr wk_ocr;

/* A new engine; the model loads on the first page. Never NULL (aborts on no memory). */
wk_ocr *wk_ocr_new(void);
/* Opens Tesseract (tess_load.c) if not yet done: WK_OK, or `code` saying what to install. */
int wk_tess_load(int code, wk_error *err);
/* Releases the engine. NULL-safe. */
void wk_ocr_drop(wk_ocr *ocr);

/* Renders `fzpage` and recognises its text with Tesseract (language `lang`, e.g. "eng"):
 * appends lines, with boxes in points and page->ocr set, to `page`. Returns WK_OK, or
 * WK_ENOTEXT when OCR is unavailable or finds nothing, with a message in err.
 * `ocr` may be NULL: an engine is then made for this call alone. */
int wk_ocr_page(wk_ocr *ocr, fz_context *ctx, fz_page *fzpage, wk_page *page, const char *lang,
                wk_error *err);

#endif
