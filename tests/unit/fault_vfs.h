/*
 * fault_vfs.h: a test VFS that wraps SQLite's default one and fails the
 * Nth read, write or sync (docs/storage.md, "Fault injection").
 *
 * Test code only: it is included by the unit tests that need it and is
 * never compiled into pnyx. fault_vfs_install() registers it as the
 * default VFS, so every connection opened afterwards (store_open passes
 * no VFS name) goes through it. Every method forwards to the real VFS;
 * while armed, each operation of the kinds in fault.mask counts down, and
 * the one that reaches zero fails once with the matching SQLITE_IOERR_*
 * code. fault.fired says whether it happened; fault.ops counts the
 * operations seen while armed.
 *
 * Everything is static: each test binary has its own copy.
 */
#ifndef PNYX_TEST_FAULT_VFS_H
#define PNYX_TEST_FAULT_VFS_H

#include <sqlite3.h>
#include <string.h>

enum { FAULT_READ = 1, FAULT_WRITE = 2, FAULT_SYNC = 4 };

static struct {
	sqlite3_vfs vfs;   /* ours: a copy of the real one with xOpen replaced */
	sqlite3_vfs *real; /* SQLite's default before we were installed */
	unsigned mask;     /* the kinds of operation that count */
	long countdown;    /* armed while > 0: the op that makes it 0 fails */
	long ops;          /* operations counted while armed */
	int fired;         /* the fault happened */
} fault;

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct in the same allocation */
};

static void fault_arm(unsigned mask, long n)
{
	fault.mask = mask;
	fault.countdown = n;
	fault.ops = 0;
	fault.fired = 0;
}

static void fault_disarm(void)
{
	fault.countdown = 0;
}

/* Whether this operation of kind fails now. */
static int fault_now(unsigned kind)
{
	if (fault.countdown <= 0 || !(fault.mask & kind))
		return 0;
	fault.ops++;
	if (--fault.countdown == 0) {
		fault.fired = 1;
		return 1;
	}
	return 0;
}

#define REAL(f) (((struct fault_file *)(f))->real)

static int fault_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int fault_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (fault_now(FAULT_READ))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault_now(FAULT_WRITE))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault_now(FAULT_WRITE))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int fault_sync(sqlite3_file *f, int flags)
{
	if (fault_now(FAULT_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int fault_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int fault_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int fault_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int fault_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int fault_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int fault_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int fault_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int fault_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}

static int fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void fault_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int fault_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

/* Memory-mapped reads would bypass xRead: refuse them, so SQLite reads
 * through xRead (pnyx does not enable mmap; this keeps the count honest). */
static int fault_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	(void)f, (void)off, (void)n;
	*p = NULL;
	return SQLITE_OK;
}

static int fault_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f, (void)off, (void)p;
	return SQLITE_OK;
}

#undef REAL

static const sqlite3_io_methods fault_methods = {
	3, fault_close, fault_read, fault_write, fault_truncate, fault_sync,
	fault_size, fault_lock, fault_unlock, fault_check_lock, fault_control,
	fault_sector, fault_caps, fault_shm_map, fault_shm_lock, fault_shm_barrier,
	fault_shm_unmap, fault_fetch, fault_unfetch,
};

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
		      int *out_flags)
{
	struct fault_file *f = (struct fault_file *)file;
	(void)vfs;
	f->real = (sqlite3_file *)(f + 1);
	memset(f->real, 0, (size_t)fault.real->szOsFile);
	f->base.pMethods = NULL;
	int rc = fault.real->xOpen(fault.real, name, f->real, flags, out_flags);
	if (f->real->pMethods)
		f->base.pMethods = &fault_methods;
	return rc;
}

/* Install as the default VFS (once per process). */
static int fault_vfs_install(void)
{
	if (fault.real)
		return SQLITE_OK;
	fault.real = sqlite3_vfs_find(NULL);
	if (!fault.real)
		return SQLITE_ERROR;
	fault.vfs = *fault.real;
	fault.vfs.zName = "pnyx-fault";
	fault.vfs.szOsFile = (int)sizeof(struct fault_file) + fault.real->szOsFile;
	fault.vfs.xOpen = fault_open;
	fault.vfs.pNext = NULL;
	return sqlite3_vfs_register(&fault.vfs, 1);
}

#endif
