/*
 * errors.h: error codes from the registry in errors.def, and the error
 * record that carries a code, the input field it concerns and a detail.
 *
 * Library functions return an int: 0 (PX_OK) or a PX_E_* code. When the
 * caller passes a struct px_error, the function may fill it with the field
 * and a specific detail. Nothing here prints or exits.
 */
#ifndef PNYX_ERRORS_H
#define PNYX_ERRORS_H

#include <stddef.h>

enum px_code {
	PX_OK = 0,
#define X(name, status, msg) PX_E_##name,
#include "errors.def"
#undef X
	PX_E__COUNT
};

/*
 * PX_MUST_CHECK marks a function whose int result is an error code: the
 * compiler then refuses (with -Werror) a caller that drops it. Put it on
 * every function that returns 0 or a PX_E_* code (STYLE.md, habit 12).
 */
#define PX_MUST_CHECK __attribute__((warn_unused_result))

struct px_error {
	int code;          /* PX_OK or a PX_E_* code */
	const char *field; /* a static string naming the input field, or NULL */
	char detail[200];  /* specific message; empty means use the registry's */
	const char *fmt;   /* the English format detail was made from, or NULL */
};

/* The lower-case name ("bad_input"), its HTTP status, its message. */
const char *px_code_name(int code);
int px_code_status(int code);
const char *px_code_message(int code);

/* Look a code up by its lower-case name; returns -1 when unknown. */
int px_code_by_name(const char *name);

/*
 * Fill err (if not NULL) and return code, so a failure reads
 *     return px_fail(err, PX_E_MISSING_FIELD, "handle", "handle is required");
 * fmt may be NULL to use the registry message.
 */
int px_fail(struct px_error *err, int code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same with a message that takes no values and is chosen at run time
 * (one of a table's, marked N_() there for the catalogue): translated as
 * px_fail's are. text may be NULL to use the registry message. */
int px_fail_text(struct px_error *err, int code, const char *field, const char *text);

/* The message to show: the detail when set, otherwise the registry's. */
const char *px_error_message(const struct px_error *err);
/* The same in lang (core/i18n.h), written into buf (size bytes; the
 * result is buf, or a string that lives as long as err or the program):
 * the registry's message, or the detail, translated. A detail's values
 * are read back from it by its English format (err->fmt) and written into
 * the translation of that format; a detail they cannot be read from
 * stays as it was written. */
const char *px_error_message_in(const struct px_error *err, const char *lang,
				char *buf, size_t size);

void px_error_clear(struct px_error *err);

#endif
