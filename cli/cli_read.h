/* cli_read.h: how pages are read, the same on every command that parses (parse, ask, add,
 * eval, serve): --ocr auto|always|never (default auto everywhere, so that two commands
 * never disagree about one file) and --lang; and the progress line a person watching a
 * terminal sees while a long document (an image-only one above all) is read. */
#ifndef WK_CLI_READ_H
#define WK_CLI_READ_H

#include <stdbool.h>

#include "cli_opts.h"
#include "wukong.h"

typedef struct cli_read {
	int ocr;          /* WK_OCR_* */
	const char *lang; /* NULL: the library's default */
} cli_read;

#define CLI_READ_INIT {WK_OCR_AUTO, NULL}

/* The lines of a command's option table. */
#define CLI_READ_OPTIONS(r)                                                                    \
	{"ocr", 0, CLI_CALL, &(r)->ocr, 0, 0, cli_set_ocr},                                      \
	{"lang", 0, CLI_STRING, &(r)->lang}

/* Their lines of a command's usage text. */
#define CLI_READ_HELP                                                                          \
	"  --ocr MODE         pages without a text layer: auto (OCR them), always (OCR every\n" \
	"                     page), never (leave them unread, with a notice); default auto\n"  \
	"  --lang L           OCR language (Tesseract code, default eng)\n"

/* Stores WK_OCR_AUTO, _ALWAYS or _NEVER from "auto", "always", "never" (a cli_setter). */
const char *cli_set_ocr(void *target, const char *value);
/* Puts the options given into parse options made by wk_parse_opts_init. */
void cli_read_apply(const cli_read *r, wk_parse_opts *opts);

/* A progress line on stderr while one document is parsed: "wukong: NAME: page 12 of 63,
 * 40 s left". Only on a terminal, only once the parse has taken a second (a quick parse
 * shows nothing), redrawn at most five times a second, erased when done. */
typedef struct cli_progress {
	const char *name; /* the file, as given */
	bool tty;         /* stderr is a terminal */
	bool shown;       /* a line is on the screen */
	double start, drawn; /* ms */
	/* The on_warning and user opts had: warnings still reach them, after the line. */
	void (*warning)(void *user, const char *message);
	void *warning_user;
} cli_progress;

/* "45s", "3m05s", "2h10m": a time left, as the progress lines show it. */
void cli_duration(char *out, size_t size, double seconds);

/* Starts watching; hooks itself into opts (on_page, on_warning, user): set on_warning
 * and user before. */
void cli_progress_start(cli_progress *p, const char *name, wk_parse_opts *opts);
/* Erases the line, if one was drawn. */
void cli_progress_end(cli_progress *p);

#endif
