/* unicode.c: rc/unicode.h over utf8proc. */
#include <stdint.h>
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

/* Appends s[0..n) to the malloc'd buffer *b (*bn used, *bc capacity). */
static bool put(char **b, size_t *bn, size_t *bc, const void *s, size_t n)
{
    if (*bn + n + 1 > *bc) {
        size_t c = 2 * (*bn + n + 1);
        char *nb = realloc(*b, c);
        if (!nb) return false;
        *b = nb;
        *bc = c;
    }
    memcpy(*b + *bn, s, n);
    *bn += n;
    (*b)[*bn] = '\0';
    return true;
}

/* The first byte at or after i that is 0xCC or more (len if none): eight
 * bytes at a time while they are ASCII, most of any text. */
static size_t next_high(const unsigned char *u, size_t i, size_t len)
{
    for (;;) {
        while (len - i >= 8) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (w & 0x8080808080808080u) break;
            i += 8;
        }
        if (i == len) return i;
        size_t stop = len - i >= 8 ? i + 8 : len;
        for (; i < stop; i++)
            if (u[i] >= 0xCC) return i;
        if (i == len) return i;
    }
}

/* Only the pieces that can change go through utf8proc: each run of code
 * points from U+0300 on, with the one code point before it (a starter they
 * may compose with). A code point below U+0300 has canonical class 0 and
 * NFC_Quick_Check = Yes, so NFC never joins or reorders across it, and the
 * pieces normalise independently. A chapter with a few dashes and accents
 * cost 27 M instructions as one utf8proc_map call per file (14 % of a
 * `--only pdf` build of the sample); test_unicode checks the pieces give
 * what the whole-string call gives. */
const char *rc_unicode_nfc(rc_arena *a, const char *s, size_t len, size_t *out_len)
{
    *out_len = len;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = next_high(u, 0, len);
    if (i == len) return s;
    char *out = NULL;
    size_t on = 0, oc = 0, done = 0; /* s[done..) is not in out yet */
    while (i < len) {
        size_t st = i;
        if (st > done) { /* the code point before the run */
            st--;
            while (st > done && (u[st] & 0xC0) == 0x80)
                st--;
        }
        size_t e = i;
        while (e < len && u[e] >= 0xCC) {
            e++;
            while (e < len && (u[e] & 0xC0) == 0x80)
                e++;
        }
        utf8proc_uint8_t *m = NULL;
        utf8proc_ssize_t n = utf8proc_map(u + st, (utf8proc_ssize_t)(e - st), &m,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (n < 0) { /* invalid UTF-8 is reported at the edge before this */
            free(out);
            *out_len = len;
            return s;
        }
        if ((size_t)n != e - st || memcmp(m, u + st, e - st) != 0) {
            if (!put(&out, &on, &oc, s + done, st - done) || !put(&out, &on, &oc, m, (size_t)n)) {
                free(m);
                free(out);
                return NULL;
            }
            done = e;
        }
        free(m);
        i = next_high(u, e, len);
    }
    if (!out) return s;
    if (!put(&out, &on, &oc, s + done, len - done)) {
        free(out);
        return NULL;
    }
    *out_len = on;
    if (!a) return out;
    char *r = rc_arena_strndup(a, out, on);
    free(out);
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
    /* printable ASCII, most of it (the workbooks measure every cell's text:
     * 43,000 characters for the sample, ~58 instructions each through
     * utf8proc's tables); test_unicode checks the range against them */
    if (cp >= 0x20 && cp < 0x7F) return 1;
    if (rc_unicode_is_mark(cp)) return 0;
    int w = utf8proc_charwidth((utf8proc_int32_t)cp);
    return w < 0 ? 1 : w;
}
