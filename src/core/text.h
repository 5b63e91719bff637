/*
 * text.h: checks on text from outside: valid UTF-8, length in characters
 * (code points), and whether a one-line name holds control characters.
 */
#ifndef PNYX_TEXT_H
#define PNYX_TEXT_H

#include <stddef.h>

/* Number of code points in s, or -1 when s is not valid UTF-8 (overlong
 * forms, surrogates and values past U+10FFFF are invalid). */
long text_utf8_chars(const char *s);

/* 0 when s is valid UTF-8 of min..max characters with no control
 * characters (a one-line name); PX_E_BAD_INPUT or PX_E_OUT_OF_RANGE. */
int text_check_line(const char *s, long min, long max);

/* Like text_check_line but newlines and tabs are allowed (Markdown). */
int text_check_block(const char *s, long min, long max);

#endif
