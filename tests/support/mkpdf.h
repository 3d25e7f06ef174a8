/* mkpdf.h: writes small PDFs with known content for the tests (ground truth we build).
 *
 * Coordinates are PDF points with the origin at the top-left corner of the page and y
 * growing downwards, the convention wukong's boxes use, so a test can compare a parsed
 * box with the place it drew the text. For text, (x, y) is the left end of the baseline.
 * Fonts are the standard 14 ("Times-Roman", "Times-Bold", "Times-Italic", "Helvetica",
 * "Helvetica-Bold", "Courier"); text is Latin-1 (ASCII in practice).
 * Any failure aborts the test program with a message: these are test fixtures. */
#ifndef WK_MKPDF_H
#define WK_MKPDF_H

typedef struct mk_pdf mk_pdf;

mk_pdf *mk_new(void);
/* Starts a new page; the previous one is finished. */
void mk_page(mk_pdf *pdf, float width, float height);
void mk_text(mk_pdf *pdf, const char *font, float size, float x, float y, const char *text);
/* Width of `text` in points, to lay out lines and justify. */
float mk_text_width(mk_pdf *pdf, const char *font, float size, const char *text);
/* A rectangle, filled (grey) or stroked. */
void mk_rect(mk_pdf *pdf, float x, float y, float w, float h, int fill);
void mk_line(mk_pdf *pdf, float x0, float y0, float x1, float y1);
/* A raster image (an RGB gradient, px by py pixels) drawn into the box. */
void mk_image(mk_pdf *pdf, float x, float y, float w, float h, int px, int py);
/* The same gradient, encoded as JPEG 2000 (/JPXDecode, written with OpenJPEG). */
void mk_image_jpx(mk_pdf *pdf, float x, float y, float w, float h, int px, int py);
/* An outline entry pointing at a page (1-based). */
void mk_outline(mk_pdf *pdf, const char *title, int page);
/* A /PageLabels range: from page `first` (1-based) on, labels in `style` ('D' decimal,
 * 'r' lower roman, 'R', 'a', 'A') counting from 1. Call in page order. */
void mk_page_label(mk_pdf *pdf, int first, char style);
/* Finishes and writes the file; with a non-NULL password the file is encrypted (RC4-128)
 * with that user password. Frees pdf. */
void mk_save(mk_pdf *pdf, const char *path, const char *password);

/* A temporary file name under $WK_TMP (or /tmp) ending in `suffix`; static buffer. */
const char *mk_tmp_path(const char *suffix);

#endif
