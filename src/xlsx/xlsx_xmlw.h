/* xlsx_xmlw.h: the writing helpers of reportc's XML writer (xlsx_xml.c),
 * shared with the element writers of xlsx_elems.c. Not a public header;
 * include after defining _GNU_SOURCE (fwrite_unlocked). */
#ifndef RC_XLSX_XMLW_H
#define RC_XLSX_XMLW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter/xmlwriter.h>

#include "rc/util.h"

/* n bytes into the stream's buffer when they fit, as putc_unlocked does
 * with one (glibc's FILE keeps its buffer's pointers public for that
 * macro), else through fwrite_unlocked: fputs_unlocked cost 114
 * instructions a call, 47,000 calls (5.4 M instructions) for one edition's
 * two workbooks (callgrind). The bytes are the same either way. */
static inline void put(FILE *f, const char *s, size_t n)
{
#ifdef __GLIBC__
    if ((size_t)(f->_IO_write_end - f->_IO_write_ptr) >= n) {
        memcpy(f->_IO_write_ptr, s, n);
        f->_IO_write_ptr += n;
        return;
    }
#endif
    fwrite_unlocked(s, 1, n, f);
}

static inline void puts_(FILE *f, const char *s)
{
    put(f, s, strlen(s));
}

/* "%d" of v at out (at most 21 bytes with the NUL); returns out. */
static inline char *int_text(char *out, int64_t v)
{
    size_t n = 0;
    if (v < 0) out[n++] = '-';
    n += rc_utoa(v < 0 ? 0u - (uint64_t)v : (uint64_t)v, out + n);
    out[n] = 0;
    return out;
}

/* As LXW_ATTRIBUTE_COPY, without padding the rest of the field. */
static inline void copy_field(char *dst, const char *src)
{
    size_t n = strnlen(src, LXW_MAX_ATTRIBUTE_LENGTH - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* s with the characters of special escaped (an attribute's: also '"' and
 * newline). */
void rc_xw_xml_escaped(FILE *f, const char *s, bool attr);
/* "<tag", counted among the tags the own writer opened. */
void rc_xw_xml_start(FILE *f, const char *tag);
/* Whether the calling thread asked for the library's own writer
 * (rc_xlsx_own_xml(false)). */
bool rc_xw_xml_lib(void);

#endif
