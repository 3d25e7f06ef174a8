/* decrypt.c: wk_pdf_decrypt: an encrypted PDF written again without its encryption, so
 * that a server can keep an upload it was given the password for and render its pages
 * later without ever keeping the password. */
#include "context.h"
#include "pdf.h"

#include <mupdf/pdf.h>

#include <stdlib.h>
#include <string.h>

/* A rewrite holds the document's objects and the output: bounded like a render. */
enum { DECRYPT_MEMORY = 512 << 20, DECRYPT_STORE = 16 << 20 };
#define DECRYPT_SECONDS 30.0

/* Authenticates and writes the document unencrypted into buf; a wrong or missing
 * password is WK_EPASSWORD, a document without encryption WK_EINVAL. May throw. */
static int rewrite(fz_context *ctx, pdf_document *doc, const char *name, const char *password,
                   fz_buffer *buf, wk_error *err)
{
	if (!doc->crypt)
		return wk_set_error(err, WK_EINVAL, "%s: not encrypted", name);
	if (pdf_needs_password(ctx, doc) &&
	    !pdf_authenticate_password(ctx, doc, password ? password : ""))
		return wk_set_error(err, WK_EPASSWORD, "%s: %s", name,
		                    password && *password ? "wrong password"
		                                          : "encrypted: a password is needed");
	pdf_write_options opts = pdf_default_write_options;
	opts.do_encrypt = PDF_ENCRYPT_NONE;
	/* MuPDF renews the second half of /ID from the clock at each save: the same upload
	 * would get another content hash (another id, not "unchanged") a second later. */
	opts.dont_regenerate_id = 1;
	fz_output *out = fz_new_output_with_buffer(ctx, buf);
	fz_try(ctx)
	{
		pdf_write_document(ctx, doc, out, &opts);
		fz_close_output(ctx, out);
	}
	fz_always(ctx) fz_drop_output(ctx, out);
	fz_catch(ctx) fz_rethrow(ctx);
	return WK_OK;
}

int wk_pdf_decrypt(const void *data, size_t len, const char *name, const char *password,
                   char **out, size_t *out_len, wk_error *err)
{
	*out = NULL;
	*out_len = 0;
	wk_mupdf m;
	if (wk_mupdf_init(&m, DECRYPT_MEMORY, DECRYPT_STORE) != WK_OK)
		return wk_set_error(err, WK_ENOMEM, "%s: cannot start MuPDF", name);
	wk_mupdf_limit(&m, wk_now_ms() + DECRYPT_SECONDS * 1000, NULL, NULL);
	fz_context *ctx = m.ctx;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	fz_buffer *buf = NULL;
	int code = WK_OK;
	fz_var(stm);
	fz_var(doc);
	fz_var(buf);
	fz_var(code);
	fz_try(ctx)
	{
		stm = fz_open_memory(ctx, data, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		buf = fz_new_buffer(ctx, len + 1024);
		code = rewrite(ctx, doc, name, password, buf, err);
	}
	fz_always(ctx)
	{
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
	{
		code = wk_mupdf_budget_error(&m, name, DECRYPT_SECONDS, err);
		if (code == WK_OK)
			code = wk_set_error(err, WK_EDAMAGED, "%s: damaged PDF (%s)", name,
			                    fz_caught_message(ctx));
	}
	if (code == WK_OK && !(*out = wk_mupdf_take_buffer(ctx, buf, out_len)))
		code = wk_set_error(err, WK_ENOMEM, "%s: out of memory", name);
	fz_drop_buffer(ctx, buf);
	wk_mupdf_drop(&m);
	return code;
}
