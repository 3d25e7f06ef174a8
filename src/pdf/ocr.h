/* ocr.h: text for pages without a usable text layer, recognised with Tesseract.
 * Internal to src/pdf/. */
#ifndef WK_PDF_OCR_H
#define WK_PDF_OCR_H

#include <mupdf/fitz.h>

#include "page.h"

/* Renders `fzpage` and recognises its text with Tesseract (language `lang`, e.g. "eng"):
 * appends lines, with boxes in points and page->ocr set, to `page`. Returns WK_OK, or
 * WK_ENOTEXT when OCR is unavailable or finds nothing, with a message in err.
 * Thread-safe: each call uses its own Tesseract instance. */
int wk_ocr_page(fz_context *ctx, fz_page *fzpage, wk_page *page, const char *lang,
                wk_error *err);

#endif
