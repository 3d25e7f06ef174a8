/* curl_load.c: libcurl, opened the first time a model server is asked.
 *
 * Debian's static libcurl (the OpenSSL flavour) brought OpenSSL, libssh2, LDAP, RTMP and
 * the Kerberos and SASL shared libraries into every process: some 30,000 relocated
 * pointers, 180 pages written at start, for the commands that never reach a server
 * (parse, a search, eval without a model). The functions of libcurl that wukong calls are
 * defined here, each passing the call on to libcurl.so.4 (Debian's libcurl4, or the GnuTLS
 * flavour libcurl3-gnutls, the same API) opened on first use; WK_LIBCURL names another
 * file. When it cannot be loaded, wk_curl_load fails with a one-line message, the
 * constructors return NULL and the calls that report a CURLcode CURLE_FAILED_INIT. */
#define CURL_DISABLE_TYPECHECK /* the type-checking macros would rename the definitions */
#include "llm.h"

#include <curl/curl.h>
#include <stdarg.h>

#define CURL_FUNCTIONS(X) \
	X(curl_global_init) X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_perform) \
	X(curl_easy_getinfo) X(curl_easy_cleanup) X(curl_easy_strerror) X(curl_share_init) \
	X(curl_share_setopt) X(curl_slist_append) X(curl_slist_free_all) X(curl_getdate) \
	X(curl_url) X(curl_url_set) X(curl_url_get) X(curl_url_cleanup) X(curl_free)

enum { CURL_FUNCTIONS(WK_DL_INDEX) CURL_NFUNCTIONS };
static const char *const names[] = {CURL_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libcurl.so.4", "libcurl-gnutls.so.4", NULL};
static void *slots[CURL_NFUNCTIONS];
static wk_dl_lib curl = {.what = "libcurl", .package = "libcurl4", .env = "WK_LIBCURL",
                         .files = files, .names = names, .slots = slots};

int wk_curl_load(wk_error *err)
{
	return wk_dl_load(&curl, WK_EIO, "a model server", err);
}

#define REAL(name) WK_DL_REAL(slots, name)

/* The entry points: a failure when libcurl is absent. */
CURLcode curl_global_init(long flags)
{
	return wk_dl_loaded(&curl) ? REAL(curl_global_init)(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
	return wk_dl_loaded(&curl) ? REAL(curl_easy_init)() : NULL;
}

CURLSH *curl_share_init(void)
{
	return wk_dl_loaded(&curl) ? REAL(curl_share_init)() : NULL;
}

CURLU *curl_url(void)
{
	return wk_dl_loaded(&curl) ? REAL(curl_url)() : NULL;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text)
{
	return wk_dl_loaded(&curl) ? REAL(curl_slist_append)(list, text) : list;
}

time_t curl_getdate(const char *date, const time_t *unused)
{
	return wk_dl_loaded(&curl) ? REAL(curl_getdate)(date, unused) : -1;
}

const char *curl_easy_strerror(CURLcode code)
{
	return wk_dl_loaded(&curl) ? REAL(curl_easy_strerror)(code) : curl.problem;
}

/* Those that free: a no-op on NULL, as libcurl's own. */
void curl_slist_free_all(struct curl_slist *list)
{
	if (list)
		REAL(curl_slist_free_all)(list);
}

void curl_easy_cleanup(CURL *handle)
{
	if (handle)
		REAL(curl_easy_cleanup)(handle);
}

void curl_url_cleanup(CURLU *url)
{
	if (url)
		REAL(curl_url_cleanup)(url);
}

void curl_free(void *p)
{
	if (p)
		REAL(curl_free)(p);
}

/* The variadic ones: the one argument's type follows from the option's range, as libcurl
 * itself reads it (curl/curl.h: CURLOPTTYPE_*). */
CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...)
{
	va_list ap;
	va_start(ap, option);
	CURLcode rc;
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = REAL(curl_easy_setopt)(handle, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = REAL(curl_easy_setopt)(handle, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = REAL(curl_easy_setopt)(handle, option, va_arg(ap, void (*)(void)));
	else if (option < CURLOPTTYPE_BLOB)
		rc = REAL(curl_easy_setopt)(handle, option, va_arg(ap, curl_off_t));
	else
		rc = REAL(curl_easy_setopt)(handle, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *handle, CURLINFO info, ...)
{
	va_list ap;
	va_start(ap, info);
	CURLcode rc = REAL(curl_easy_getinfo)(handle, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLSHcode curl_share_setopt(CURLSH *share, CURLSHoption option, ...)
{
	va_list ap;
	va_start(ap, option);
	CURLSHcode rc;
	if (option == CURLSHOPT_SHARE || option == CURLSHOPT_UNSHARE)
		rc = REAL(curl_share_setopt)(share, option, va_arg(ap, int));
	else if (option == CURLSHOPT_LOCKFUNC || option == CURLSHOPT_UNLOCKFUNC)
		rc = REAL(curl_share_setopt)(share, option, va_arg(ap, void (*)(void)));
	else
		rc = REAL(curl_share_setopt)(share, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* The rest take a handle, which only a loaded library hands out. */
CURLcode curl_easy_perform(CURL *handle)
{
	return REAL(curl_easy_perform)(handle);
}

CURLUcode curl_url_set(CURLU *url, CURLUPart part, const char *content, unsigned int flags)
{
	return REAL(curl_url_set)(url, part, content, flags);
}

CURLUcode curl_url_get(CURLU *url, CURLUPart part, char **content, unsigned int flags)
{
	return REAL(curl_url_get)(url, part, content, flags);
}
