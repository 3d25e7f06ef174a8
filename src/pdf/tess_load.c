/* tess_load.c: Tesseract, opened the first time a page needs OCR.
 *
 * Linked statically, Tesseract brought libstdc++, libgomp, Leptonica and the image and
 * archive libraries behind them (libarchive, libxml2, ICU, libtiff, libwebp, ...) into
 * every process: some 60 pages of relocated pointers, and Tesseract's static constructors
 * (its thousands of parameters) ran before main, paid by every `wukong parse` of a PDF
 * with a text layer, which is most of them. The functions of Tesseract's C API that ocr.c
 * calls, and the two of Leptonica and libgomp that it sets (found through Tesseract's
 * handle, so that they are the instances Tesseract uses), are defined here, each passing
 * the call on to libtesseract.so.5 (Debian's libtesseract5) opened on first use;
 * WK_LIBTESSERACT names another file. When it cannot be loaded, wk_tess_load fails with a
 * one-line message and TessBaseAPICreate returns NULL. */
#include "ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

void omp_set_dynamic(int dynamic);
void omp_set_num_threads(int threads);

#define TESS_FUNCTIONS(X) \
	X(TessBaseAPICreate) X(TessBaseAPIInit3) X(TessBaseAPIClear) X(TessBaseAPIEnd) \
	X(TessBaseAPIDelete) X(TessBaseAPISetVariable) X(TessBaseAPISetPageSegMode) \
	X(TessBaseAPISetImage) X(TessBaseAPISetSourceResolution) X(TessBaseAPIRecognize) \
	X(TessBaseAPIGetIterator) X(TessMonitorCreate) X(TessMonitorDelete) \
	X(TessMonitorSetDeadlineMSecs) X(TessDeleteText) X(TessPageIteratorBaseline) \
	X(TessPageIteratorBlockType) X(TessPageIteratorBoundingBox) \
	X(TessPageIteratorIsAtBeginningOf) X(TessPageIteratorNext) X(TessResultIteratorConfidence) \
	X(TessResultIteratorDelete) X(TessResultIteratorGetPageIterator) \
	X(TessResultIteratorGetPageIteratorConst) X(TessResultIteratorGetUTF8Text) \
	X(TessResultIteratorNext) X(setMsgSeverity) X(omp_set_dynamic) X(omp_set_num_threads)

enum { TESS_FUNCTIONS(WK_DL_INDEX) TESS_NFUNCTIONS };
static const char *const names[] = {TESS_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libtesseract.so.5", NULL};
static void *slots[TESS_NFUNCTIONS];
static wk_dl_lib tess = {.what = "Tesseract", .package = "libtesseract5", .env = "WK_LIBTESSERACT",
                         .files = files, .names = names, .slots = slots};

int wk_tess_load(int code, wk_error *err)
{
	return wk_dl_load(&tess, code, "OCR", err);
}

#define REAL(name) WK_DL_REAL(slots, name)

/* The entry points: NULL when the library is absent. */
TessBaseAPI *TessBaseAPICreate(void)
{
	return wk_dl_loaded(&tess) ? REAL(TessBaseAPICreate)() : NULL;
}

ETEXT_DESC *TessMonitorCreate(void)
{
	return wk_dl_loaded(&tess) ? REAL(TessMonitorCreate)() : NULL;
}

/* The rest are called once Tesseract runs, or take a handle only a loaded library hands out. */
l_int32 setMsgSeverity(l_int32 newsev)
{
	return REAL(setMsgSeverity)(newsev);
}

void omp_set_dynamic(int dynamic)
{
	REAL(omp_set_dynamic)(dynamic);
}

void omp_set_num_threads(int threads)
{
	REAL(omp_set_num_threads)(threads);
}

int TessBaseAPIInit3(TessBaseAPI *handle, const char *datapath, const char *language)
{
	return REAL(TessBaseAPIInit3)(handle, datapath, language);
}

void TessBaseAPIClear(TessBaseAPI *handle)
{
	REAL(TessBaseAPIClear)(handle);
}

void TessBaseAPIEnd(TessBaseAPI *handle)
{
	REAL(TessBaseAPIEnd)(handle);
}

void TessBaseAPIDelete(TessBaseAPI *handle)
{
	REAL(TessBaseAPIDelete)(handle);
}

BOOL TessBaseAPISetVariable(TessBaseAPI *handle, const char *name, const char *value)
{
	return REAL(TessBaseAPISetVariable)(handle, name, value);
}

void TessBaseAPISetPageSegMode(TessBaseAPI *handle, TessPageSegMode mode)
{
	REAL(TessBaseAPISetPageSegMode)(handle, mode);
}

void TessBaseAPISetImage(TessBaseAPI *handle, const unsigned char *imagedata, int width,
                         int height, int bytes_per_pixel, int bytes_per_line)
{
	REAL(TessBaseAPISetImage)(handle, imagedata, width, height, bytes_per_pixel, bytes_per_line);
}

void TessBaseAPISetSourceResolution(TessBaseAPI *handle, int ppi)
{
	REAL(TessBaseAPISetSourceResolution)(handle, ppi);
}

int TessBaseAPIRecognize(TessBaseAPI *handle, ETEXT_DESC *monitor)
{
	return REAL(TessBaseAPIRecognize)(handle, monitor);
}

TessResultIterator *TessBaseAPIGetIterator(TessBaseAPI *handle)
{
	return REAL(TessBaseAPIGetIterator)(handle);
}

void TessMonitorDelete(ETEXT_DESC *monitor)
{
	REAL(TessMonitorDelete)(monitor);
}

void TessMonitorSetDeadlineMSecs(ETEXT_DESC *monitor, int deadline)
{
	REAL(TessMonitorSetDeadlineMSecs)(monitor, deadline);
}

void TessDeleteText(const char *text)
{
	REAL(TessDeleteText)(text);
}

BOOL TessPageIteratorBaseline(const TessPageIterator *handle, TessPageIteratorLevel level,
                              int *x1, int *y1, int *x2, int *y2)
{
	return REAL(TessPageIteratorBaseline)(handle, level, x1, y1, x2, y2);
}

TessPolyBlockType TessPageIteratorBlockType(const TessPageIterator *handle)
{
	return REAL(TessPageIteratorBlockType)(handle);
}

BOOL TessPageIteratorBoundingBox(const TessPageIterator *handle, TessPageIteratorLevel level,
                                 int *left, int *top, int *right, int *bottom)
{
	return REAL(TessPageIteratorBoundingBox)(handle, level, left, top, right, bottom);
}

BOOL TessPageIteratorIsAtBeginningOf(const TessPageIterator *handle, TessPageIteratorLevel level)
{
	return REAL(TessPageIteratorIsAtBeginningOf)(handle, level);
}

BOOL TessPageIteratorNext(TessPageIterator *handle, TessPageIteratorLevel level)
{
	return REAL(TessPageIteratorNext)(handle, level);
}

float TessResultIteratorConfidence(const TessResultIterator *handle, TessPageIteratorLevel level)
{
	return REAL(TessResultIteratorConfidence)(handle, level);
}

void TessResultIteratorDelete(TessResultIterator *handle)
{
	REAL(TessResultIteratorDelete)(handle);
}

TessPageIterator *TessResultIteratorGetPageIterator(TessResultIterator *handle)
{
	return REAL(TessResultIteratorGetPageIterator)(handle);
}

const TessPageIterator *TessResultIteratorGetPageIteratorConst(const TessResultIterator *handle)
{
	return REAL(TessResultIteratorGetPageIteratorConst)(handle);
}

char *TessResultIteratorGetUTF8Text(const TessResultIterator *handle, TessPageIteratorLevel level)
{
	return REAL(TessResultIteratorGetUTF8Text)(handle, level);
}

BOOL TessResultIteratorNext(TessResultIterator *handle, TessPageIteratorLevel level)
{
	return REAL(TessResultIteratorNext)(handle, level);
}
