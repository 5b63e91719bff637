/*
 * errors.c: lookups over the registry in errors.def. The tables are built
 * by the same X-macro as the enum, so a code cannot lack a status or a
 * message.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "i18n.h"
#include "banned.h"

static const struct {
	const char *name;
	int status;
	const char *message;
} registry[] = {
	[PX_OK] = { "ok", 200, "ok" },
#define X(n, s, m) [PX_E_##n] = { #n, s, m },
#include "errors.def"
#undef X
};

static int valid(int code)
{
	return code >= 0 && code < PX_E__COUNT;
}

/* The registry spells names as C identifiers (upper case); clients see
 * them in lower case. The lower-case copies are made once. */
static char lower_names[PX_E__COUNT][32];
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static void make_lower(void)
{
	for (int i = 0; i < PX_E__COUNT; i++) {
		size_t j;
		for (j = 0; registry[i].name[j] && j + 1 < sizeof(lower_names[i]); j++)
			lower_names[i][j] = (char)tolower((unsigned char)registry[i].name[j]);
		lower_names[i][j] = '\0';
	}
}

const char *px_code_name(int code)
{
	pthread_once(&lower_once, make_lower);
	return valid(code) ? lower_names[code] : "internal";
}

int px_code_status(int code)
{
	return valid(code) ? registry[code].status : 500;
}

const char *px_code_message(int code)
{
	return valid(code) ? registry[code].message : "internal error";
}

int px_code_by_name(const char *name)
{
	for (int i = 0; i < PX_E__COUNT; i++)
		if (!strcasecmp(registry[i].name, name))
			return i;
	return -1;
}

int px_fail(struct px_error *err, int code, const char *field,
	    const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->field = field;
	err->detail[0] = '\0';
	err->fmt = fmt;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *px_error_message(const struct px_error *err)
{
	if (err->detail[0])
		return err->detail;
	return px_code_message(err->code);
}

const char *px_error_message_in(const struct px_error *err, const char *lang)
{
	if (!err->detail[0])
		return tr(lang, px_code_message(err->code));
	if (err->fmt && !strcmp(err->fmt, err->detail))
		return tr(lang, err->fmt);
	return err->detail;
}

void px_error_clear(struct px_error *err)
{
	err->code = PX_OK;
	err->field = NULL;
	err->detail[0] = '\0';
}
