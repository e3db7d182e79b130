/* unicode.c: rc/unicode.h over utf8proc. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "rc/unicode.h"

bool rc_unicode_simple(const char *s, size_t len)
{
    /* Lead bytes 0xCC and above start U+0300 or later; continuation bytes
     * are 0x80..0xBF, so one comparison per byte decides. */
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++)
        if (u[i] >= 0xCC) return false;
    return true;
}

const char *rc_unicode_nfc(rc_arena *a, const char *s, size_t len, size_t *out_len)
{
    *out_len = len;
    if (rc_unicode_simple(s, len)) return s;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) return s; /* invalid UTF-8 is reported at the edge before this */
    if ((size_t)n == len && memcmp(m, s, len) == 0) {
        free(m);
        return s;
    }
    *out_len = (size_t)n;
    if (!a) return (const char *)m;
    char *r = rc_arena_strndup(a, (const char *)m, (size_t)n);
    free(m);
    return r;
}

bool rc_unicode_is_letter(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

bool rc_unicode_is_upper(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool rc_unicode_is_mark(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

uint32_t rc_unicode_lower(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

uint32_t rc_unicode_base(uint32_t cp)
{
    if (cp < 0x80) return cp;
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char((utf8proc_int32_t)cp, d, 8, UTF8PROC_DECOMPOSE, &last);
    return n > 0 ? (uint32_t)d[0] : cp;
}

int rc_unicode_width(uint32_t cp)
{
    if (rc_unicode_is_mark(cp)) return 0;
    int w = utf8proc_charwidth((utf8proc_int32_t)cp);
    return w < 0 ? 1 : w;
}
