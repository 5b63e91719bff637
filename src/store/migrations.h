/*
 * migrations.h: the numbered schema migrations, applied in order by
 * store_open(). A migration, once released, never changes: a new schema is
 * a new row.
 */
#ifndef PNYX_MIGRATIONS_H
#define PNYX_MIGRATIONS_H

struct migration {
	int version;
	const char *sql;
};

/* Ended by a row with sql NULL. */
extern const struct migration migrations[];

#endif
