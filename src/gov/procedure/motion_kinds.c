/*
 * motion_kinds.c: the registry of kinds of motion. Each domain contributes
 * its own table of rows (assembly_kinds, federation_kinds, ...); gov/kinds.c
 * lists them, so this registry depends on no domain.
 */
#include <string.h>

#include "gov/procedure/procedure.h"
#include "banned.h"

const struct motion_kind *motion_kind_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
			if (!strcmp(k->name, name))
				return k;
	return NULL;
}
