/*
 * committee.h: committees of an assembly. A committee is created and
 * revoked only by the assembly's decisions (motion_kinds.c); it decides
 * only the kinds of motion it was given, only until its end date, and
 * only while not revoked. Its members are fixed by the decision that
 * created it.
 */
#ifndef PNYX_COMMITTEE_H
#define PNYX_COMMITTEE_H

#include <jansson.h>
#include <stdint.h>

struct store;
struct px_error;

/*
 * 0 when committee id exists in body, is in force at now, account is one
 * of its members, and kind (unless NULL) is among the kinds it decides.
 * Otherwise PX_E_NOT_FOUND (field "committee"), PX_E_COMMITTEE_CLOSED,
 * PX_E_FORBIDDEN (not a member) or PX_E_OUT_OF_SCOPE.
 */
int committee_check(struct store *s, int64_t body_id, int64_t id,
		    int64_t account_id, const char *kind, int64_t now,
		    struct px_error *err);
int64_t committee_size(struct store *s, int64_t id);
/* [{"id","name","scope","decision_kinds","members","ends_at","state"}] */
json_t *committee_list_json(struct store *s, int64_t body_id, int64_t now);

#endif
