/* tee.h: a device that passes every drawing call to two devices, so that a page's
 * content stream is interpreted once for the text extractor and the graphics collector
 * (MuPDF 1.21 has no tee device of its own). Internal to src/pdf/. */
#ifndef WK_PDF_TEE_H
#define WK_PDF_TEE_H

#include <mupdf/fitz.h>

/* Borrows `a` and `b`: dropping the tee drops neither, closing it closes neither (close
 * them yourself). May throw. */
fz_device *wk_new_tee_device(fz_context *ctx, fz_device *a, fz_device *b);

#endif
