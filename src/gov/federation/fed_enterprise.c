/*
 * fed_enterprise.c: federations of enterprises (issue 15, item 4;
 * docs/economy.md). Enterprises federate as assemblies do, in delegate
 * assemblies with a purpose ("regional transport", "the textile trade"),
 * with the same seats, recalls and proposals. What differs is kept here:
 *
 * - a delegate assembly federates either assemblies or enterprises
 *   (bodies.federates), fixed at its founding by the kind of body that
 *   founded it; a federation of enterprises has enterprises and
 *   federations of enterprises for members, and nothing else
 *   (PX_E_FED_MEMBERS), within and beyond any one community;
 * - its members' voices are one each: enterprises have no population;
 * - its proposals carry no condition: a proposal takes effect in an
 *   enterprise only by that enterprise's own decision to accept it (the
 *   answer_proposal it adopts), and nowhere else; no law register is
 *   ever written, since no local assembly is ever beneath it, and the
 *   local assembly may still declare that decision void under its law
 *   (economy's void_enterprise_decision).
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/federation/federation.h"
#include "banned.h"

int fed_of_enterprises(struct store *s, int64_t body_id, int *yes)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'enterprise' OR (kind = 'delegate'"
				      " AND federates = 'enterprises') FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_int64(st, &v, NULL);
	*yes = v != 0;
	return rc;
}

int fed_member_fits(struct store *s, int64_t federation, int64_t member,
		    struct px_error *err)
{
	int fed_ent = 0, member_ent = 0;
	int rc = fed_of_enterprises(s, federation, &fed_ent);
	if (!rc)
		rc = fed_of_enterprises(s, member, &member_ent);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (fed_ent != member_ent)
		return px_fail(err, PX_E_FED_MEMBERS, "params.federation", fed_ent
			       ? "this delegate assembly federates enterprises: an assembly"
				 " joins a federation of assemblies"
			       : "this delegate assembly federates assemblies: an enterprise"
				 " joins a federation of enterprises");
	return 0;
}
