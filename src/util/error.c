/* error.c: result codes and their messages (SQLite/curl style). */
#include "util.h"

#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
	[WK_OK] = "no error",
	[WK_EINVAL] = "invalid argument",
	[WK_ENOENT] = "no such file or not readable",
	[WK_ENOTPDF] = "not a PDF",
	[WK_EPASSWORD] = "encrypted PDF: a password is needed",
	[WK_EDAMAGED] = "damaged PDF",
	[WK_ENOTEXT] = "no text layer",
	[WK_ENOMEM] = "out of memory",
	[WK_ELIMIT] = "limit reached",
	[WK_ETIMEOUT] = "timed out",
	[WK_EIO] = "input/output error",
	[WK_ENET] = "network error",
	[WK_EHTTP] = "HTTP error",
	[WK_EPROTO] = "protocol or format error",
	[WK_EDB] = "database error",
	[WK_EVERSION] = "incompatible version",
	[WK_ENOTFOUND] = "not found",
	[WK_ECANCELED] = "canceled",
	[WK_EINTERNAL] = "internal error",
};

const char *wk_strerror(int code)
{
	if (code < 0 || (size_t)code >= WK_ARRAY_LEN(messages) || !messages[code])
		return "unknown error";
	return messages[code];
}

int wk_set_error(wk_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	/* One line: a message built from file content must not break the terminal layout. */
	for (char *p = err->message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return code;
}

void wk_clear_error(wk_error *err)
{
	if (err) {
		err->code = WK_OK;
		err->message[0] = '\0';
	}
}
