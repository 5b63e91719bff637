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

/* The steps that rebuild a table others refer to, ended by 0: each runs
 * with foreign keys off and commits only if PRAGMA foreign_key_check
 * finds nothing (the procedure of sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes"). */
extern const int migrations_rebuilding[];

#endif
