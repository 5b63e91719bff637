/*
 * banned.h: libc calls pnyx never uses, made into compile errors.
 *
 * Every file includes this last. The replacements: strbuf (src/core/strbuf.h)
 * for building strings, snprintf for bounded formatting, the checked parsers
 * in src/core/num.h for numbers, gmtime_r/localtime_r for broken-down time.
 */
#ifndef PNYX_BANNED_H
#define PNYX_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_pnyx

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef atof
#define atof(x) BANNED(atof)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef rand
#define rand() BANNED(rand)
#undef srand
#define srand(s) BANNED(srand)

#endif
