/*
 * member.h: membership of a body. A person joins by affirming the
 * statement of values and stating the basis of membership ("lives": lives
 * in the community; "works": works in an enterprise there). Leaving is
 * always free. Statuses: active, left, excluded. Exclusion is a decision
 * of the assembly (motions); no route or command changes another person's
 * membership directly.
 */
#ifndef PNYX_MEMBER_H
#define PNYX_MEMBER_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

/* The caller joins (or rejoins after leaving). PX_E_NOT_AFFIRMED unless
 * affirm; PX_E_EXCLUDED when excluded; PX_E_ALREADY_MEMBER when active. */
int gov_member_join(const struct gov_ctx *ctx, const char *body_slug,
		    int affirm, const char *basis, json_t **out,
		    struct px_error *err);
/* The caller leaves. PX_E_NOT_MEMBER unless active; PX_E_EXCLUDED when
 * excluded (the record of exclusion stays). */
int gov_member_leave(const struct gov_ctx *ctx, const char *body_slug,
		     struct px_error *err);
/* [{"handle","display_name","status","basis","since"}, ...] */
int gov_member_list(const struct gov_ctx *ctx, const char *body_slug,
		    json_t **out, struct px_error *err);

/*
 * The check every action in a body starts with: PX_E_UNAUTHENTICATED,
 * PX_E_EXCLUDED or PX_E_NOT_MEMBER unless the caller is an active member.
 * Must run inside the operation's transaction. *body_id receives the id.
 */
int gov_require_active_member(const struct gov_ctx *ctx, const char *body_slug,
			      int64_t *body_id, struct px_error *err);

/* Internal to gov/: someone who leaves or is excluded gives up the
 * offices they hold and their committee seats. Inside a tx. */
struct store;
int member_release_duties(struct store *s, int64_t body_id, int64_t account_id);

#endif
