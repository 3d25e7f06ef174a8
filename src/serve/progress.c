/* progress.c: how far the parse of each upload has come, for GET /v1/uploads/ID. The
 * page names its upload with a random id (the X-Upload-Id header), sends it, and polls
 * while the server parses and OCRs: pages done of total. A fixed table, no allocation:
 * an upload that finds it full simply has no progress to show, and finished uploads stay
 * readable ("done") until their slot is needed again. */
#include "serve.h"

#include <jansson.h>
#include <string.h>

enum { SLOTS = 64 };

typedef struct wk_progress_slot {
	char id[WK_ID_MAX + 1]; /* "" = free */
	int running;            /* 1 while the upload is parsed */
	atomic_int done, total; /* pages */
	unsigned long seq;      /* when it was taken: the oldest finished slot goes first */
} slot;

struct wk_progress {
	pthread_mutex_t lock;
	slot slots[SLOTS];
	unsigned long seq;
};

wk_progress *wk_progress_new(void)
{
	wk_progress *p = wk_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void wk_progress_free(wk_progress *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* A free slot, else the oldest finished one; NULL when every slot is running. */
static slot *take(wk_progress *p)
{
	slot *best = NULL;
	for (int i = 0; i < SLOTS; i++) {
		slot *s = &p->slots[i];
		if (!s->id[0])
			return s;
		if (!s->running && (!best || s->seq < best->seq))
			best = s;
	}
	return best;
}

struct wk_progress_slot *wk_progress_begin(wk_progress *p, const char *id)
{
	if (!p || !id || !wk_route_valid_id(id))
		return NULL;
	pthread_mutex_lock(&p->lock);
	slot *s = take(p);
	if (s) {
		snprintf(s->id, sizeof s->id, "%s", id);
		s->running = 1;
		atomic_store(&s->done, 0);
		atomic_store(&s->total, 0);
		s->seq = ++p->seq;
	}
	pthread_mutex_unlock(&p->lock);
	return s;
}

/* wk_parse_opts.on_page of an upload. */
void wk_progress_on_page(void *user, int done, int total)
{
	slot *s = user;
	atomic_store(&s->total, total);
	atomic_store(&s->done, done);
}

void wk_progress_end(wk_progress *p, struct wk_progress_slot *ps)
{
	slot *s = ps;
	if (!p || !s)
		return;
	pthread_mutex_lock(&p->lock);
	s->running = 0;
	pthread_mutex_unlock(&p->lock);
}

void wk_api_upload_progress(wk_progress *p, const char *id, wk_http_reply *reply)
{
	json_t *status = NULL;
	pthread_mutex_lock(&p->lock);
	const slot *found = NULL;
	for (int i = 0; i < SLOTS; i++) /* the newest, when an id was used twice */
		if (!strcmp(p->slots[i].id, id) && (!found || p->slots[i].seq > found->seq))
			found = &p->slots[i];
	if (found)
		status = json_pack("{s:s, s:s, s:i, s:i}", "id", found->id, "stage",
		                   found->running ? "reading" : "done", "pages_done",
		                   atomic_load(&found->done), "pages_total", atomic_load(&found->total));
	pthread_mutex_unlock(&p->lock);
	if (status)
		wk_reply_json(reply, 200, status);
	else
		wk_reply_error(reply, 404, "no upload %s (or it finished long ago)", id);
}
