/* cmd_stubs.c: weak placeholders for subcommands not written yet; a real cmd_*.c
 * definition overrides its placeholder at link time. */
#include "cli.h"

#include <stdio.h>

static int not_yet(const char *name)
{
	fprintf(stderr, "wukong %s: not implemented yet\n", name);
	return EXIT_ENV;
}

__attribute__((weak)) int cmd_parse(int argc, char **argv) { (void)argc; (void)argv; return not_yet("parse"); }
__attribute__((weak)) int cmd_ask(int argc, char **argv) { (void)argc; (void)argv; return not_yet("ask"); }
__attribute__((weak)) int cmd_eval(int argc, char **argv) { (void)argc; (void)argv; return not_yet("eval"); }
__attribute__((weak)) int cmd_add(int argc, char **argv) { (void)argc; (void)argv; return not_yet("add"); }
__attribute__((weak)) int cmd_ls(int argc, char **argv) { (void)argc; (void)argv; return not_yet("ls"); }
__attribute__((weak)) int cmd_rm(int argc, char **argv) { (void)argc; (void)argv; return not_yet("rm"); }
__attribute__((weak)) int cmd_show(int argc, char **argv) { (void)argc; (void)argv; return not_yet("show"); }
__attribute__((weak)) int cmd_serve(int argc, char **argv) { (void)argc; (void)argv; return not_yet("serve"); }
