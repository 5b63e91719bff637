/*
 * tzdb.h: time zones by IANA name ("Europe/Berlin") from the system's tz
 * database (/usr/share/zoneinfo, Debian package tzdata).
 *
 * Names are checked before any file is opened: only [A-Za-z0-9/_+-], no
 * leading '/', no empty component, no "..", at most TZDB_NAME_MAX bytes,
 * so a name can never reach outside the database directory.
 *
 * Ownership and threads: tzdb_get() returns a zone owned by a process-wide
 * cache, parsed once on first use and never changed or freed until
 * tzdb_clear(); any number of threads may call tzdb_get() and read the
 * zones at once. tzdb_clear() is for orderly shutdown (and tests): no
 * thread may hold a zone from the cache when it is called.
 */
#ifndef PNYX_TZDB_H
#define PNYX_TZDB_H

struct px_error;
struct tz_zone;

#define TZDB_NAME_MAX 64
#define TZDB_DIR "/usr/share/zoneinfo"

/* 1 when name has the allowed shape (it may still not exist). */
int tzdb_name_ok(const char *name);

/* The zone called name. Errors: PX_E_UNKNOWN_ZONE (bad shape, no such
 * zone, or a file that is no usable zone; field "time_zone"), PX_E_IO,
 * PX_E_NOMEM. */
int tzdb_get(const char *name, const struct tz_zone **out,
	     struct px_error *err);

/* Uncached: parse the zone `name` under directory `dir` (for tests and
 * tools that use another copy of the database). Free with tz_free(). */
int tzdb_load(const char *dir, const char *name, struct tz_zone **out,
	      struct px_error *err);

/* The canonical zone names of the database (those in zone1970.tab, plus
 * "UTC"), sorted, one per line, each ending in '\n': the choices to
 * offer a person picking a zone. Errors: PX_E_IO, PX_E_NOMEM,
 * PX_E_TOO_LARGE (from out). */
struct strbuf;
int tzdb_names(struct strbuf *out, struct px_error *err);

/* Free every cached zone. */
void tzdb_clear(void);

#endif
