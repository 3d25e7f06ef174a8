/* reply.c: JSON replies and the HTTP status that fits each WK_E* code. */
#include "serve.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wk_reply_json(wk_http_reply *reply, int status, json_t *value)
{
	reply->status = status;
	reply->content_type = "application/json";
	reply->body = value ? wk_json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	reply->len = reply->body ? strlen(reply->body) : 0;
	json_decref(value);
	if (!reply->body) {
		reply->status = 500;
		reply->body_static = "{\"error\":\"could not write the reply\"}";
		reply->len = strlen(reply->body_static);
	}
}

void wk_reply_error(wk_http_reply *reply, int status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message may quote bytes from the request; keep only what JSON can carry. */
	if (!wk_utf8_valid(msg, strlen(msg)))
		snprintf(msg, sizeof msg, "%s", "invalid request");
	wk_reply_json(reply, status, json_pack("{s:s}", "error", msg));
}

int wk_http_status_for(int code)
{
	switch (code) {
	case WK_OK:
		return 200;
	case WK_EINVAL:
		return 400;
	case WK_ENOTFOUND:
		return 404;
	case WK_ENOTPDF:
	case WK_EPASSWORD:
	case WK_EDAMAGED:
	case WK_ENOTEXT:
	case WK_EPROTO:
		return 422;
	case WK_ELIMIT:
		return 413;
	case WK_ETIMEOUT:
	case WK_EDB: /* the library is unreachable or busy: retry (it recovers by itself) */
		return 503;
	case WK_ENET:
	case WK_EHTTP:
		return 502;
	default:
		return 500;
	}
}

void wk_reply_wk_error(wk_http_reply *reply, const wk_error *err)
{
	int code = err && err->code ? err->code : WK_EINTERNAL;
	const char *msg = err && err->message[0] ? err->message : wk_strerror(code);
	wk_reply_error(reply, wk_http_status_for(code), "%s", msg);
}

void wk_reply_free(wk_http_reply *reply)
{
	if (!reply)
		return;
	free(reply->body);
	reply->body = NULL;
}
