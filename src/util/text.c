/* text.c: UTF-8 checks and normalisation (utf8proc), monotonic time and sleeping. */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

bool wk_utf8_valid(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)len;
	while (left > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
		if (n <= 0)
			return false;
		p += n;
		left -= n;
	}
	return true;
}

static char *map(const char *s, utf8proc_option_t options)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                                  UTF8PROC_NULLTERM | UTF8PROC_STABLE | options);
	if (n < 0)
		return NULL;
	return (char *)out;
}

char *wk_utf8_nfc(const char *s)
{
	return map(s, UTF8PROC_COMPOSE);
}

char *wk_utf8_fold(const char *s)
{
	return map(s, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
}

double wk_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void wk_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int wk_tokens_count(const char *text)
{
	if (!text)
		return 0;
	long words = 0;
	bool in_word = false;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		bool space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f' ||
		             *p == '\v';
		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	/* ceil(1.3 * words) in integers: (13 * words + 9) / 10. */
	return (int)((13 * words + 9) / 10);
}
