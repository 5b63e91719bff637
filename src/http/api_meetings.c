/*
 * api_meetings.c: meetings, check-in, the speakers' queue, closing,
 * minutes and the calendar feed. Who may do what is decided in
 * src/gov/procedure/meeting.c, speaker.c and office.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/procedure/procedure.h"
#include "store/journal.h"
#include "api.h"
#include "events_diff.h"
#include "events.h"
#include "ratelimit.h"
#include "request.h"
#include "server.h"
#include "banned.h"

static const struct spec_field checkin_fields[] = {
	SPEC_STR(struct in_checkin, code, 0, 1, 12),
	SPEC_STR(struct in_checkin, member, 0, 1, 32),
	SPEC_END,
};
const struct body_spec spec_checkin = { checkin_fields, sizeof(struct in_checkin) };

static const struct spec_field agenda_fields[] = {
	SPEC_ARR(struct in_agenda, order, 1, 0, 1000),
	SPEC_END,
};
const struct body_spec spec_agenda = { agenda_fields, sizeof(struct in_agenda) };

/* Call a gov function of (ctx, id, out, err) on the {id} of the path. */
static int by_id(struct http_req *req, int status,
		 int (*fn)(const struct gov_ctx *, int64_t, json_t **, struct px_error *))
{
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = fn(&req->ctx, id, &out, &req->err);
	return rc ? rc : http_reply(req, status, out);
}

int api_meeting_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_meeting_list(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

/* The meeting, with "as_of": the journal's last entry in this read's view.
 * A page that also follows the live stream applies an event only when its
 * id says it was read as far (docs/api.md), so an event read before this
 * reply never takes the page back. */
int api_meeting_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id, as_of = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_meeting_get(&req->ctx, id, &out, &req->err);
	if (!rc && (rc = journal_last_seq(req->ctx.db, &as_of)))
		rc = px_fail(&req->err, rc, NULL, NULL);
	if (rc) {
		json_decref(out);
		return rc;
	}
	ev_unname(out);
	if (json_object_set_new(out, "as_of", json_integer(as_of))) {
		json_decref(out);
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	}
	return http_reply(req, 200, out);
}

int api_meeting_code(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 200, gov_meeting_code);
}

int api_meeting_checkin(struct http_req *req, void *in)
{
	const struct in_checkin *c = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (rc)
		return rc;
	if ((c->code != NULL) == (c->member != NULL))
		return px_fail(&req->err, PX_E_BAD_INPUT, c->code ? "member" : "code",
			       "give either code (checking yourself in) or member"
			       " (the clerk checking someone in)");
	if (c->member) {
		rc = gov_meeting_checkin_member(&req->ctx, id, c->member, &out, &req->err);
		return rc ? rc : http_reply(req, 201, out);
	}
	/* Wrong room codes are counted per member and meeting, per address
	 * and per meeting, before the code is checked, so that parallel
	 * guesses cannot slip through; a right code gives them back. */
	struct {
		struct ratelimit *rl;
		char key[80];
		const char *what;
	} limits[] = {
		{ req->srv->room_codes_by_meeting, "", "too many wrong room codes "
		  "were tried at this meeting; ask the clerk to check you in" },
		{ req->srv->room_codes_by_address, "", "too many wrong room "
		  "codes from this address; ask someone in the room" },
		{ req->srv->room_codes, "", "too many wrong room codes; ask "
		  "someone in the room" },
	};
	size_t nl = sizeof(limits) / sizeof(limits[0]), taken = 0;
	snprintf(limits[0].key, sizeof(limits[0].key), "m%lld", (long long)id);
	snprintf(limits[1].key, sizeof(limits[1].key), "a:%s", req->client);
	snprintf(limits[2].key, sizeof(limits[2].key), "m%lld:a%lld",
		 (long long)id, (long long)req->ctx.account_id);
	for (; taken < nl; taken++) {
		int64_t wait = ratelimit_take(limits[taken].rl, limits[taken].key,
					      req->ctx.now);
		if (wait) {
			rc = http_too_many(req, wait, "code", limits[taken].what);
			break;
		}
	}
	if (taken == nl)
		rc = gov_meeting_checkin(&req->ctx, id, c->code, &out, &req->err);
	if (rc != PX_E_BAD_CODE)
		for (size_t i = 0; i < taken; i++)
			ratelimit_give_back(limits[i].rl, limits[i].key);
	return rc ? rc : http_reply(req, 201, out);
}

int api_meeting_close(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 200, gov_meeting_close);
}

int api_meeting_minutes(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	char *text = NULL;
	const char *format = http_query(req, "format");
	if (format && strcmp(format, "md") && strcmp(format, "html"))
		return px_fail(&req->err, PX_E_BAD_INPUT, "format", "format is md or html");
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_meeting_minutes(&req->ctx, id, format, &text, &req->err);
	if (rc)
		return rc;
	rc = http_reply_text(req, 200, format && !strcmp(format, "html")
			     ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8",
			     text);
	free(text);
	return rc;
}

int api_meeting_calendar(struct http_req *req, void *in)
{
	(void)in;
	char *text = NULL, base[300];
	/* each event links back to its meeting page on this site */
	int rc = gov_meeting_calendar(&req->ctx, http_param(req, "slug"),
				      http_base_url(req, base, sizeof(base)) ? NULL : base,
				      &text, &req->err);
	if (rc)
		return rc;
	rc = http_reply_text(req, 200, "text/calendar; charset=utf-8", text);
	free(text);
	return rc;
}

int api_agenda_reorder(struct http_req *req, void *in)
{
	const struct in_agenda *a = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_agenda_reorder(&req->ctx, id, a->order, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_speaker_list(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 200, gov_speaker_list);
}

int api_speaker_join(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 201, gov_speaker_join);
}

int api_speaker_leave(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 200, gov_speaker_leave);
}

int api_speaker_next(struct http_req *req, void *in)
{
	(void)in;
	return by_id(req, 200, gov_speaker_next);
}

int api_meeting_events(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	/* 5,000 phones may open their streams at once: check only that the
	 * meeting exists; its state comes from the hub's one reading */
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_meeting_exists(&req->ctx, id, &req->err);
	if (rc)
		return rc;
	req->stream_topic = EVENTS_MEETING;
	req->stream_id = id;
	return 0;
}
