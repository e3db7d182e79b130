/* pdf_objstm_int.h: what the packer (pdf_objstm.c) and its reader of
 * libharu's file (pdf_objstm_read.c: the cross-reference table, the
 * trailer and where each object's value lies) share. Internal to
 * src/pdf. */
#ifndef RC_PDF_OBJSTM_INT_H
#define RC_PDF_OBJSTM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pdf_objstm.h"

/* PDF 1.7 annex C: at most 8,388,607 indirect objects. */
#define MAX_OBJECTS 8388607u

/* Offsets into the input are 32-bit (libharu saves at most 4 GiB, and
 * larger input is refused): the tables hold an entry per object (23,000 at
 * 1,006 pages), and at the build's memory peak; 8 and 24 bytes, not 24 and
 * 48. */
typedef struct entry {
    uint32_t off; /* in-use: offset of "N G obj" */
    uint16_t gen;
    char type; /* 'n', 'f', or 0: not in the table */
} entry;

typedef struct obj {
    uint32_t num;
    uint16_t gen;
    bool stream;
    uint32_t off;            /* "N G obj" */
    uint32_t end;            /* just past "endobj" */
    uint32_t body, body_end; /* the object's value, whitespace trimmed */
} obj;

typedef struct ctx {
    const unsigned char *in;
    size_t n;
    char *err;
    size_t errlen;
    rc_status st;
    size_t *lenv;   /* per object number: 0, or a stream's new length + 1 */
    uint32_t *ridx; /* per object number: 0, or its raw text's index + 1 */
    const rc_pdf_raw *raws;
} ctx;

/* ---- lexical helpers (PDF 1.7 section 7.2) ---- */

static inline bool is_ws(unsigned char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f' || ch == 0;
}

static inline bool is_delim(unsigned char ch)
{
    return ch && strchr("()<>[]{}/%", ch);
}

static inline bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

bool rc_objstm_fail(ctx *c, size_t at, const char *fmt, ...);

bool rc_objstm_oom(ctx *c);

void rc_objstm_skip_ws(const ctx *c, size_t *i);

bool rc_objstm_read_uint(const ctx *c, size_t *i, size_t max, size_t *v);

bool rc_objstm_read_ref(const ctx *c, size_t *i, size_t *num, size_t *gen);

bool rc_objstm_read_xref(ctx *c, size_t off, entry **tab, size_t *size, size_t *trailer);

bool rc_objstm_read_trailer(ctx *c, size_t i, size_t size, size_t *root, size_t *info);

bool rc_objstm_read_objects(ctx *c, const entry *tab, size_t size, size_t xref, obj *objs,
                            size_t nobj, size_t *header);

#endif
