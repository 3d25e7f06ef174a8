/* json.c: the one JSON number format of every output (util.h). */
#include "util.h"

#include <jansson.h>

/* Six significant digits: page coordinates in points keep a hundredth, scores keep more
 * than their ranking needs, and the same value prints the same in the CLI and the API
 * (jansson's default, 17 digits, prints 51.5997 as 51.599699999999999). */
#define WK_JSON_DIGITS 6

char *wk_json_dumps(const json_t *value, size_t flags)
{
	return json_dumps(value, flags | JSON_REAL_PRECISION(WK_JSON_DIGITS));
}
