/*
 * gov.c: what all domain operations share: the journal actor name and the
 * sign-in check.
 */
#include "core/errors.h"
#include "gov/gov.h"
#include "banned.h"

const char *gov_actor(const struct gov_ctx *ctx)
{
	if (ctx->operator)
		return "operator";
	return ctx->handle[0] ? ctx->handle : "anonymous";
}

int gov_require_account(const struct gov_ctx *ctx, struct px_error *err)
{
	if (ctx->account_id <= 0)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	return 0;
}
