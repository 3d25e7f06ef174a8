/* cli_read.c: --ocr and --lang on every command that parses, and the progress line
 * (cli_read.h). */
#include "cli_read.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	PROGRESS_AFTER_MS = 1000, /* a parse shorter than this shows no line */
	PROGRESS_EVERY_MS = 200,
};

const char *cli_set_ocr(void *target, const char *value)
{
	static const char *const modes[] = {"auto", "always", "never"};
	static const int codes[] = {WK_OCR_AUTO, WK_OCR_ALWAYS, WK_OCR_NEVER};
	for (int i = 0; i < 3; i++)
		if (!strcmp(value, modes[i])) {
			*(int *)target = codes[i];
			return NULL;
		}
	return "must be auto, always or never";
}

void cli_read_apply(const cli_read *r, wk_parse_opts *opts)
{
	opts->ocr = r->ocr;
	if (r->lang)
		opts->ocr_lang = r->lang;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void cli_duration(char *out, size_t size, double s)
{
	if (s < 60)
		snprintf(out, size, "%.0fs", s);
	else if (s < 3600)
		snprintf(out, size, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(out, size, "%dh%02dm", (int)s / 3600, (int)s % 3600 / 60);
}

/* wk_parse_opts.on_page: called from the parsing thread, in page order. */
static void on_page(void *user, int done, int total)
{
	cli_progress *p = user;
	double now = now_ms();
	if (!p->tty || now - p->start < PROGRESS_AFTER_MS || done >= total ||
	    (p->shown && now - p->drawn < PROGRESS_EVERY_MS))
		return;
	char left[32];
	/* Pages so far predict the rest: OCR pages cost about the same each. */
	cli_duration(left, sizeof left, (now - p->start) / 1000.0 / done * (total - done));
	fprintf(stderr, "\r\033[Kwukong: %s: page %d of %d, %s left", p->name, done, total, left);
	fflush(stderr);
	p->shown = true;
	p->drawn = now;
}

static void on_warning(void *user, const char *message)
{
	cli_progress *p = user;
	p->warning(p->warning_user, message);
}

void cli_progress_start(cli_progress *p, const char *name, wk_parse_opts *opts)
{
	const char *base = strrchr(name, '/');
	*p = (cli_progress){.name = base ? base + 1 : name, .tty = isatty(STDERR_FILENO) == 1,
	                    .start = now_ms(), .warning = opts->on_warning,
	                    .warning_user = opts->user};
	opts->on_page = on_page;
	opts->on_warning = p->warning ? on_warning : NULL;
	opts->user = p;
}

void cli_progress_end(cli_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}
