/* mkscan.h: image-only PDFs ("scans") made from PDFs with known text, for the OCR tests.
 *
 * Each page of the source is rendered grey at `dpi` and becomes the only content of a page
 * of the same size in the output: the output has no text layer, only what a scanner would
 * give. Any failure aborts the test program with a message: these are test fixtures. */
#ifndef WK_MKSCAN_H
#define WK_MKSCAN_H

/* Writes the scan of `src_path` to `dst_path`. */
void mk_scan(const char *src_path, const char *dst_path, int dpi);

#endif
