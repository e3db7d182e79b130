/* pdf_objstm: object streams and a cross-reference stream for the PDF that
 * libharu wrote (pdf_objstm.h says what is kept and what is packed).
 *
 * Why by hand: qpdf did this before, and re-reading and re-serialising the
 * whole document cost a third of a PDF-only build of the sample (17 ms of
 * 55), while linking libqpdf loaded libstdc++, gnutls, libcrypto and more
 * at every start of reportc. The producer is known, so no general PDF
 * parser is needed: the cross-reference table gives every object's offset,
 * objects follow one another, and an object ends with the last "endobj"
 * before the next one begins (stream data may contain anything, so nothing
 * is searched for inside an object). Stream objects are copied as they are,
 * their data neither decoded nor recompressed (the XMP metadata stays
 * unfiltered, as PDF/A wants); the other objects' text (between "obj" and
 * "endobj") is moved into object streams unchanged. Every offset is checked
 * against the object it should point at, and anything unexpected fails
 * with the byte offset rather than writing a damaged file. */
#include "pdf_objstm.h"
#include "pdf_zpipe.h"
#include "pdf_obuf.h"

#include <libdeflate.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/hash.h"
#include "rc/util.h"

/* libdeflate level of the object streams and the cross-reference stream,
 * as for the page content (RC_PDF_ZLEVEL, pdf_int.h): the packer's time is
 * mostly deflate. On the sample (5 object streams, 99.5 KB of object text;
 * whole packer, best of 60 on the loaded 2-core machine): level 1 0.54 ms
 * for a 253,078-byte file, level 3 0.99 ms for 251,952, level 6 1.26 ms
 * for 249,554, level 9 3.4 ms for 249,039. */
#define ZLEVEL 1

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

/* where each object ends up: type 1 (offset) or 2 (object stream, index) */
typedef struct slot {
    uint8_t type;
    uint32_t f3;
    size_t f2;
} slot;

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

static bool fail(ctx *c, size_t at, const char *fmt, ...)
{
    if (c->st != RC_OK) return false;
    c->st = RC_ERR_LIBRARY;
    int k = snprintf(c->err, c->errlen, "malformed PDF at byte %zu: ", at);
    if (k >= 0 && (size_t)k < c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool oom(ctx *c)
{
    if (c->st == RC_OK) {
        c->st = RC_ERR_NOMEM;
        snprintf(c->err, c->errlen, "out of memory");
    }
    return false;
}

/* ---- output buffer ---- */

static void puts_(rc_obuf *b, const char *s)
{
    rc_obuf_put(b, s, strlen(s));
}

static void putf(rc_obuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k > 0) rc_obuf_put(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* v in decimal, then the byte sep (printf costs more than the packing:
 * there are two numbers per packed object). */
static void put_uint(rc_obuf *b, size_t v, char sep)
{
    char tmp[24];
    size_t k = rc_utoa(v, tmp);
    tmp[k++] = sep;
    rc_obuf_put(b, tmp, k);
}

/* ---- lexical helpers (PDF 1.7 section 7.2) ---- */

static bool is_ws(unsigned char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f' || ch == 0;
}

static bool is_delim(unsigned char ch)
{
    return ch && strchr("()<>[]{}/%", ch);
}

static bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static void skip_ws(const ctx *c, size_t *i)
{
    while (*i < c->n) {
        if (is_ws(c->in[*i])) {
            (*i)++;
        } else if (c->in[*i] == '%') { /* a comment runs to the end of the line */
            while (*i < c->n && c->in[*i] != '\n' && c->in[*i] != '\r')
                (*i)++;
        } else {
            break;
        }
    }
}

/* An unsigned decimal at i (no sign), at most max; false if none. */
static bool read_uint(const ctx *c, size_t *i, size_t max, size_t *v)
{
    size_t j = *i, x = 0;
    while (j < c->n && is_digit(c->in[j])) {
        size_t d = (size_t)(c->in[j] - '0');
        if (x > (max - d) / 10) return false;
        x = x * 10 + d;
        j++;
    }
    if (j == *i) return false;
    *i = j;
    *v = x;
    return true;
}

/* The keyword kw at i, ending there (followed by whitespace, a delimiter
 * or the end). */
static bool at_keyword(const ctx *c, size_t i, const char *kw)
{
    size_t k = strlen(kw);
    return i <= c->n && k <= c->n - i && memcmp(c->in + i, kw, k) == 0 &&
           (i + k == c->n || is_ws(c->in[i + k]) || is_delim(c->in[i + k]));
}

/* "N G R" at i: the reference, its object number in *num and generation
 * in *gen. */
static bool read_ref(const ctx *c, size_t *i, size_t *num, size_t *gen)
{
    size_t j = *i;
    if (!read_uint(c, &j, MAX_OBJECTS, num)) return false;
    skip_ws(c, &j);
    if (!read_uint(c, &j, 65535, gen)) return false;
    skip_ws(c, &j);
    if (!at_keyword(c, j, "R")) return false;
    *i = j + 1;
    return true;
}

/* Skips one direct object at i (a reference counts as one), in the
 * trailer dictionary. */
static bool skip_value(ctx *c, size_t *i, int depth)
{
    size_t at = *i, num, gen;
    if (depth > 32) return fail(c, at, "objects nested too deeply");
    if (at >= c->n) return fail(c, at, "unexpected end of file");
    unsigned char ch = c->in[at];
    if (ch == '(') { /* literal string: balanced parentheses, backslash escapes */
        int open = 0;
        for (size_t j = at; j < c->n; j++) {
            if (c->in[j] == '\\') {
                j++;
            } else if (c->in[j] == '(') {
                open++;
            } else if (c->in[j] == ')' && --open == 0) {
                *i = j + 1;
                return true;
            }
        }
        return fail(c, at, "unterminated string");
    }
    if (ch == '<' && at + 1 < c->n && c->in[at + 1] == '<') {
        size_t j = at + 2;
        for (;;) {
            skip_ws(c, &j);
            if (j + 1 < c->n && c->in[j] == '>' && c->in[j + 1] == '>') break;
            if (j >= c->n || c->in[j] != '/') return fail(c, j, "a dictionary key expected");
            if (!skip_value(c, &j, depth + 1)) return false;
            skip_ws(c, &j);
            if (!skip_value(c, &j, depth + 1)) return false;
        }
        *i = j + 2;
        return true;
    }
    if (ch == '<') {
        const unsigned char *e = memchr(c->in + at, '>', c->n - at);
        if (!e) return fail(c, at, "unterminated hexadecimal string");
        *i = (size_t)(e - c->in) + 1;
        return true;
    }
    if (ch == '[') {
        size_t j = at + 1;
        for (;;) {
            skip_ws(c, &j);
            if (j < c->n && c->in[j] == ']') break;
            if (!skip_value(c, &j, depth + 1)) return false;
        }
        *i = j + 1;
        return true;
    }
    if (read_ref(c, i, &num, &gen)) return true;
    size_t j = at + (ch == '/'); /* a name, a number, true, false, null */
    while (j < c->n && !is_ws(c->in[j]) && !is_delim(c->in[j]))
        j++;
    if (j == at || (ch != '/' && is_delim(ch))) return fail(c, at, "unexpected '%c'", ch);
    *i = j;
    return true;
}

/* ---- reading the classic file ---- */

/* The cross-reference table at off (section 7.5.4) into *tab (malloc'd,
 * *size entries); *trailer is the offset of the "trailer" keyword. */
static bool read_xref(ctx *c, size_t off, entry **tab, size_t *size, size_t *trailer)
{
    size_t i = off, cap = 0;
    if (!at_keyword(c, i, "xref")) return fail(c, i, "no 'xref' where startxref points");
    i += 4;
    for (;;) {
        skip_ws(c, &i);
        if (at_keyword(c, i, "trailer")) break;
        size_t first, count, at = i;
        if (!read_uint(c, &i, MAX_OBJECTS, &first))
            return fail(c, at, "a cross-reference subsection expected");
        while (i < c->n && (c->in[i] == ' ' || c->in[i] == '\t'))
            i++;
        if (!read_uint(c, &i, MAX_OBJECTS, &count) || first + count > MAX_OBJECTS + 1)
            return fail(c, at, "bad cross-reference subsection header");
        while (i < c->n && (c->in[i] == ' ' || c->in[i] == '\r'))
            i++;
        if (i >= c->n || c->in[i] != '\n') return fail(c, i, "end of line expected");
        i++;
        if (count > (c->n - i) / 20) return fail(c, i, "cross-reference table runs past the end");
        if (first + count > *size) {
            if (first + count > cap) {
                size_t ncap = cap ? cap : 1024;
                while (ncap < first + count)
                    ncap *= 2;
                entry *t = realloc(*tab, ncap * sizeof *t);
                if (!t) return oom(c);
                memset(t + cap, 0, (ncap - cap) * sizeof *t);
                *tab = t;
                cap = ncap;
            }
            *size = first + count;
        }
        for (size_t k = 0; k < count; k++, i += 20) {
            /* "oooooooooo ggggg n" and a two-byte end of line */
            const unsigned char *e = c->in + i;
            size_t o = i, g = i + 11, v, gen;
            if (!read_uint(c, &o, UINT32_MAX, &v) || o != i + 10 || e[10] != ' ' ||
                !read_uint(c, &g, 65535, &gen) || g != i + 16 || e[16] != ' ' ||
                (e[17] != 'n' && e[17] != 'f') || !is_ws(e[18]) || !is_ws(e[19]))
                return fail(c, i, "bad cross-reference entry for object %zu", first + k);
            (*tab)[first + k] = (entry){(uint32_t)v, (uint16_t)gen, (char)e[17]};
        }
    }
    *trailer = i;
    return true;
}

/* The trailer dictionary at i: /Root (required) and /Info as their object
 * numbers (info 0: none). /Size must match the table; /ID is dropped. */
static bool read_trailer(ctx *c, size_t i, size_t size, size_t *root, size_t *info)
{
    i += strlen("trailer");
    skip_ws(c, &i);
    if (i + 1 >= c->n || c->in[i] != '<' || c->in[i + 1] != '<')
        return fail(c, i, "trailer dictionary expected");
    i += 2;
    *root = *info = 0;
    for (;;) {
        skip_ws(c, &i);
        if (i + 1 < c->n && c->in[i] == '>' && c->in[i + 1] == '>') break;
        size_t key = i, v, g;
        if (i >= c->n || c->in[i] != '/') return fail(c, i, "a trailer key expected");
        if (!skip_value(c, &i, 0)) return false;
        size_t klen = i - key;
        skip_ws(c, &i);
        size_t at = i;
#define KEY(s) (klen == sizeof s - 1 && memcmp(c->in + key, s, klen) == 0)
        if (KEY("/Root") || KEY("/Info")) {
            /* the cross-reference stream writes them as "N 0 R" */
            if (!read_ref(c, &i, &v, &g) || v == 0 || v >= size || g != 0)
                return fail(c, at, "%.*s is not a reference to a generation-0 object of the table",
                            (int)klen, (const char *)c->in + key);
            *(KEY("/Root") ? root : info) = v;
        } else if (KEY("/Size")) {
            if (!read_uint(c, &i, MAX_OBJECTS + 1, &v) || v != size)
                return fail(c, at, "/Size does not match the cross-reference table (%zu entries)",
                            size);
        } else if (KEY("/ID")) {
            if (!skip_value(c, &i, 0)) return false;
        } else {
            return fail(c, key, "trailer entry %.*s is not supported", (int)klen,
                        (const char *)c->in + key);
        }
#undef KEY
    }
    if (!*root) return fail(c, i, "the trailer has no /Root");
    return true;
}

static int by_offset(const void *a, const void *b)
{
    const obj *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

/* Checks that each in-use entry points at "N G obj", and finds where each
 * object's value and the object end: before the next object (or the
 * table) begins, the last "endobj". objs is in file order. */
static bool read_objects(ctx *c, const entry *tab, size_t size, size_t xref, obj *objs, size_t nobj,
                         size_t *header)
{
    size_t k = 0;
    bool sorted = true;
    for (size_t num = 0; num < size; num++) {
        if (tab[num].type != 'n') continue;
        size_t i = tab[num].off, v, g;
        if (i >= xref) return fail(c, i, "object %zu lies outside the file's body", num);
        if (!read_uint(c, &i, MAX_OBJECTS, &v) || v != num || i >= xref || !is_ws(c->in[i]))
            return fail(c, tab[num].off, "the table's entry for object %zu does not point at it",
                        num);
        skip_ws(c, &i);
        if (!read_uint(c, &i, 65535, &g) || g != tab[num].gen || i >= xref || !is_ws(c->in[i]))
            return fail(c, tab[num].off, "object %zu has not the generation of its entry", num);
        skip_ws(c, &i);
        if (!at_keyword(c, i, "obj")) return fail(c, i, "'obj' expected after '%zu %zu'", num, g);
        if (k && tab[num].off <= objs[k - 1].off) sorted = false;
        objs[k++] = (obj){.num = (uint32_t)num,
                          .gen = (uint16_t)g,
                          .off = tab[num].off,
                          .body = (uint32_t)(i + 3)};
    }
    if (!sorted) qsort(objs, nobj, sizeof *objs, by_offset);
    *header = nobj ? objs[0].off : xref;
    for (k = 0; k < nobj; k++) {
        obj *o = &objs[k];
        size_t limit = k + 1 < nobj ? objs[k + 1].off : xref;
        if (limit < o->body)
            return fail(c, objs[k + 1].off, "objects %u and %u overlap", o->num, objs[k + 1].num);
        size_t e = limit;
        while (e > o->body && is_ws(c->in[e - 1]))
            e--;
        if (e - o->body < 6 || memcmp(c->in + e - 6, "endobj", 6) != 0)
            return fail(c, e, "object %u does not end with 'endobj'", o->num);
        o->end = (uint32_t)e;
        size_t b = o->body;
        e -= 6;
        skip_ws(c, &b); /* a comment may not stand between obj and its value */
        while (e > b && is_ws(c->in[e - 1]))
            e--;
        if (e == b) return fail(c, o->body, "object %u is empty", o->num);
        o->body = (uint32_t)b;
        o->body_end = (uint32_t)e;
        o->stream = e - b > 9 && memcmp(c->in + e - 9, "endstream", 9) == 0 &&
                    (c->in[e - 10] == '\n' || c->in[e - 10] == '\r');
    }
    return true;
}

/* ---- writing ---- */

static unsigned width(size_t v)
{
    unsigned w = 1;
    while (w < sizeof v && (v >> (8 * w)) != 0)
        w++;
    return w;
}

static bool deflate_to(ctx *c, struct libdeflate_compressor *z, const unsigned char *s, size_t n,
                       rc_obuf *out)
{
    size_t bound = libdeflate_zlib_compress_bound(z, n);
    if (!rc_obuf_reserve(out, bound)) return oom(c);
    size_t k = libdeflate_zlib_compress(z, s, n, out->p + out->n, bound);
    if (!k) return oom(c); /* cannot happen with the bound */
    out->n += k;
    return true;
}

/* The text of packed object o: its body, or the new length of a stream
 * whose data came as a blob (tmp holds the digits). */
static const unsigned char *body_of(const ctx *c, const obj *o, char tmp[24], size_t *len)
{
    if (c->ridx && c->ridx[o->num]) {
        const rc_pdf_raw *r = &c->raws[c->ridx[o->num] - 1];
        *len = r->n;
        return (const unsigned char *)r->text;
    }
    if (c->lenv && c->lenv[o->num]) {
        *len = (size_t)snprintf(tmp, 24, "%zu", c->lenv[o->num] - 1);
        return (const unsigned char *)tmp;
    }
    *len = o->body_end - o->body;
    return c->in + o->body;
}

/* The text of the object stream of objs[from..to) (all packed) as object
 * number num into text, and the offset of its first object into *first;
 * zbuf made room for it deflated. */
static bool objstm_text(ctx *c, const obj *objs, const uint32_t *pick, size_t from, size_t to,
                        size_t num, slot *slots, rc_obuf *text, rc_obuf *zbuf, size_t *firstp)
{
    text->n = 0;
    size_t rel = 0;
    char tmp[24];
    size_t len;
    for (size_t k = from; k < to; k++) {
        const obj *o = &objs[pick[k]];
        put_uint(text, o->num, ' ');
        put_uint(text, rel, k + 1 < to ? ' ' : '\n');
        body_of(c, o, tmp, &len);
        rel += len + 1;
        slots[o->num] = (slot){2, (uint32_t)(k - from), num};
    }
    size_t first = text->n;
    for (size_t k = from; k < to; k++) {
        const unsigned char *b = body_of(c, &objs[pick[k]], tmp, &len);
        rc_obuf_put(text, b, len);
        rc_obuf_put(text, "\n", 1);
    }
    if (text->oom) return oom(c);
    *firstp = first;
    zbuf->n = 0;
    /* (NULL: any compressor's bound; the helper may be using z) */
    return rc_obuf_reserve(zbuf, libdeflate_zlib_compress_bound(NULL, text->n)) ? true : oom(c);
}

/* An object stream deflated (zbuf) written as object number num: m
 * objects, the first at offset first of its text. */
static bool objstm_put(ctx *c, size_t num, size_t m, size_t first, const rc_obuf *zbuf, slot *slots,
                       rc_obuf *out)
{
    if (!zbuf->n) return oom(c); /* cannot happen with the bound */
    slots[num] = (slot){1, 0, rc_obuf_pos(out)};
    putf(out,
         "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu "
         ">>\nstream\n",
         num, m, first, zbuf->n);
    rc_obuf_put(out, zbuf->p, zbuf->n);
    puts_(out, "\nendstream\nendobj\n");
    return out->oom ? oom(c) : true;
}

/* The object stream in flight (deflated on the helper, pdf_zpipe.c). */
typedef struct pending {
    bool on;
    size_t num, m, first, at; /* at: its buffers, texts[at] and zbufs[at] */
} pending;

static bool pending_put(ctx *c, rc_zpipe *zp, pending *pd, rc_obuf zbufs[2], slot *slots,
                        rc_obuf *out)
{
    if (!pd->on) return true;
    pd->on = false;
    zbufs[pd->at].n = rc_zpipe_wait(zp);
    return objstm_put(c, pd->num, pd->m, pd->first, &zbufs[pd->at], slots, out);
}

/* The cross-reference stream (section 7.5.8) as object number num = size - 1,
 * with the PNG Up predictor: rows of equal types and near offsets become
 * runs of zeros. */
static bool write_xref_stream(ctx *c, struct libdeflate_compressor *z, slot *slots, size_t size,
                              size_t root, size_t info, rc_obuf *text, rc_obuf *zbuf, rc_obuf *out)
{
    size_t num = size - 1, xoff = rc_obuf_pos(out);
    slots[num] = (slot){1, 0, xoff};
    size_t max2 = 0;
    uint32_t max3 = 0;
    for (size_t k = 0; k < size; k++) {
        if (slots[k].f2 > max2) max2 = slots[k].f2;
        if (slots[k].f3 > max3) max3 = slots[k].f3;
    }
    unsigned w2 = width(max2), w3 = width(max3), cols = 1 + w2 + w3;
    text->n = 0;
    if (!rc_obuf_reserve(text, size * (cols + 1) + cols)) return oom(c);
    unsigned char *prev = text->p + size * (cols + 1), *row = text->p;
    memset(prev, 0, cols);
    for (size_t k = 0; k < size; k++, row += cols + 1) {
        unsigned char cur[1 + 8 + 4];
        cur[0] = slots[k].type;
        for (unsigned b = 0; b < w2; b++)
            cur[1 + b] = (unsigned char)(slots[k].f2 >> (8 * (w2 - 1 - b)));
        for (unsigned b = 0; b < w3; b++)
            cur[1 + w2 + b] = (unsigned char)(slots[k].f3 >> (8 * (w3 - 1 - b)));
        row[0] = 2; /* PNG filter type Up */
        for (unsigned b = 0; b < cols; b++)
            row[1 + b] = (unsigned char)(cur[b] - prev[b]);
        memcpy(prev, cur, cols);
    }
    text->n = size * (cols + 1);
    /* the ID: the content up to here */
    char hex[33];
    rc_obuf_id(out, hex);
    zbuf->n = 0;
    if (!deflate_to(c, z, text->p, text->n, zbuf)) return false;
    putf(out, "%zu 0 obj\n<< /Type /XRef /Size %zu /W [ 1 %u %u ] /Root %zu 0 R", num, size, w2, w3,
         root);
    if (info) putf(out, " /Info %zu 0 R", info);
    putf(out, " /ID [<%s><%s>]", hex, hex);
    putf(out,
         " /Filter /FlateDecode /DecodeParms << /Columns %u /Predictor 12 >> /Length %zu "
         ">>\nstream\n",
         cols, zbuf->n);
    rc_obuf_put(out, zbuf->p, zbuf->n);
    putf(out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xoff);
    return out->oom ? oom(c) : true;
}

/* The header's "%PDF-M.m": object streams need 1.5 or later. */
static bool check_header(ctx *c, size_t header)
{
    const unsigned char *s = c->in;
    if (header < 8 || memcmp(s, "%PDF-", 5) != 0 || !is_digit(s[5]) || s[6] != '.' ||
        !is_digit(s[7]))
        return fail(c, 0, "no '%%PDF-' header");
    if (s[5] == '1' && s[7] < '5' && !is_digit(s[8]))
        return fail(c, 5, "PDF %c.%c has no object streams (1.5 or later needed)", s[5], s[7]);
    return true;
}

/* Copies stream object ob with blob b as its data; records its /Length
 * object's new value in c->lenv. */
static bool put_blob_stream(ctx *c, const entry *tab, size_t size, const obj *ob,
                            const rc_pdf_blob *b, rc_obuf *o)
{
    static const char empty[] = "stream\r\n\nendstream";
    size_t e = ob->body_end, k = sizeof empty - 1;
    if (!ob->stream || ob->gen != 0 || e - ob->body < k || memcmp(c->in + e - k, empty, k) != 0)
        return fail(c, ob->off, "object %u, given stream data, is not an empty stream", ob->num);
    /* "/Length L 0 R" in the dictionary (a key, so followed by a space;
     * /Length1 is another key) */
    size_t i = ob->body, num, gen;
    while (i + 8 <= e - k && memcmp(c->in + i, "/Length ", 8) != 0)
        i++;
    if (i + 8 > e - k) return fail(c, ob->off, "stream object %u has no /Length", ob->num);
    i += 8;
    if (!read_ref(c, &i, &num, &gen) || gen != 0 || num == 0 || num >= size ||
        tab[num].type != 'n' || c->lenv[num])
        return fail(c, i, "the /Length of stream object %u is not a reference of its own", ob->num);
    c->lenv[num] = b->n + 1;
    rc_obuf_put(o, c->in + ob->off, e - 10 - ob->off); /* up to "stream\r\n" */
    if (b->data || !b->file) {
        rc_obuf_put(o, b->data, b->n);
    } else { /* from the spool, a block at a time */
        unsigned char chunk[16384];
        for (size_t at = 0; at < b->n;) {
            size_t want = b->n - at < sizeof chunk ? b->n - at : sizeof chunk;
            ssize_t got = pread(fileno(b->file), chunk, want, (off_t)(b->off + at));
            if (got <= 0)
                return fail(c, ob->off, "the data of stream object %u cannot be read back",
                            ob->num);
            rc_obuf_put(o, chunk, (size_t)got);
            at += (size_t)got;
        }
    }
    rc_obuf_put(o, c->in + e - 10, ob->end - (e - 10)); /* "\nendstream ... endobj" */
    rc_obuf_put(o, "\n", 1);
    return true;
}

/* Files raws[0..nraws) by object number in c->ridx; each must name a
 * generation-0 "null" object of the table. */
static bool index_raws(ctx *c, const entry *tab, size_t size, const obj *objs, size_t nobj,
                       const rc_pdf_raw *raws, size_t nraws)
{
    c->raws = raws;
    c->ridx = calloc(size ? size : 1, sizeof *c->ridx);
    if (!c->ridx) return oom(c);
    for (size_t k = 0; k < nraws; k++) {
        uint32_t num = raws[k].num;
        if (num >= size || tab[num].type != 'n' || tab[num].gen != 0 || c->ridx[num])
            return fail(c, c->n, "object text given for object %u, not one object of the table",
                        num);
        c->ridx[num] = (uint32_t)k + 1;
    }
    for (size_t k = 0; k < nobj; k++) {
        const obj *o = &objs[k];
        if (c->ridx[o->num] &&
            (o->stream || o->body_end - o->body != 4 || memcmp(c->in + o->body, "null", 4) != 0))
            return fail(c, o->off, "object %u, given its text, is not a null placeholder", o->num);
    }
    return true;
}

/* The packing, into o (memory or a file). */
rc_status rc_pdf_objstm_pack_to(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                size_t nblobs, const rc_pdf_raw *raws, size_t nraws, rc_obuf *o,
                                char *err, size_t errlen)
{
    ctx c = {in, n, err, errlen, RC_OK, NULL, NULL, NULL};
    uint32_t *bidx = NULL; /* per object number: 0, or its blob's index + 1 */
    if (errlen) err[0] = 0;
    entry *tab = NULL;
    obj *objs = NULL;
    uint32_t *pick = NULL;
    slot *slots = NULL;
    struct libdeflate_compressor *z = NULL;
    rc_obuf text = {0}, zbuf = {0}, texts[2] = {{0}}, zbufs[2] = {{0}};
    rc_zpipe *zp = NULL;
    pending pd = {0};
    size_t cur = 0;
    size_t size = 0, trailer = 0, root = 0, info = 0, nobj = 0, header = 0, xref = 0;

    if (n > UINT32_MAX) {
        fail(&c, 0, "larger than 4 GiB");
        goto done;
    }
    /* startxref, near the end */
    size_t tail = n > 1024 ? n - 1024 : 0, sx = SIZE_MAX;
    for (size_t k = n >= 9 ? n - 8 : 0; k-- > tail;)
        if (memcmp(in + k, "startxref", 9) == 0) {
            sx = k;
            break;
        }
    if (sx == SIZE_MAX) {
        fail(&c, n, "no 'startxref' in the last 1,024 bytes");
        goto done;
    }
    size_t i = sx + 9;
    skip_ws(&c, &i);
    if (!read_uint(&c, &i, sx, &xref) || xref >= sx) {
        fail(&c, i, "startxref is not followed by an offset inside the file");
        goto done;
    }
    if (!read_xref(&c, xref, &tab, &size, &trailer) ||
        !read_trailer(&c, trailer, size, &root, &info))
        goto done;
    if (tab[root].type != 'n' || (info && tab[info].type != 'n')) {
        fail(&c, trailer, "/Root or /Info names a free object");
        goto done;
    }
    for (size_t k = 0; k < size; k++)
        nobj += tab[k].type == 'n';
    objs = malloc((nobj ? nobj : 1) * sizeof *objs);
    pick = malloc((nobj ? nobj : 1) * sizeof *pick);
    if (!objs || !pick) {
        oom(&c);
        goto done;
    }
    if (!read_objects(&c, tab, size, xref, objs, nobj, &header) || !check_header(&c, header))
        goto done;
    if (nraws && !index_raws(&c, tab, size, objs, nobj, raws, nraws)) goto done;
    if (nblobs) {
        bidx = calloc(size, sizeof *bidx);
        c.lenv = calloc(size, sizeof *c.lenv);
        if (!bidx || !c.lenv) {
            oom(&c);
            goto done;
        }
        for (size_t k = 0; k < nblobs; k++) {
            uint32_t num = blobs[k].num;
            if (num >= size || tab[num].type != 'n' || bidx[num]) {
                fail(&c, n, "stream data given for object %u, not one object of the table", num);
                goto done;
            }
            bidx[num] = (uint32_t)k + 1;
        }
    }

    /* object streams get the numbers after the table's; the
     * cross-reference stream the last */
    size_t npack = 0, bytes = 0;
    for (size_t k = 0; k < nobj; k++)
        if (!objs[k].stream && objs[k].gen == 0) pick[npack++] = (uint32_t)k;
    /* room for the streams of full ones (more as needed, below) and the
     * cross-reference stream */
    size_t nslots = size + npack / RC_PDF_OBJSTM_MAX + 16;
    slots = calloc(nslots, sizeof *slots);
    z = libdeflate_alloc_compressor(ZLEVEL);
    if (!slots || !z || (!o->f && !rc_obuf_reserve(o, n + 256))) {
        oom(&c);
        goto done;
    }
    for (size_t k = 0; k < size; k++) /* free entries: next free 0, their generation */
        if (tab[k].type != 'n') slots[k] = (slot){0, k ? tab[k].gen : 0, 0};

    rc_obuf_put(o, in, header);
    size_t used = 0;
    for (size_t k = 0; k < nobj; k++) { /* streams, and any object of another generation */
        const obj *ob = &objs[k];
        if (!ob->stream && ob->gen == 0) continue;
        slots[ob->num] = (slot){1, ob->gen, rc_obuf_pos(o)};
        if (bidx && bidx[ob->num]) {
            if (!put_blob_stream(&c, tab, size, ob, &blobs[bidx[ob->num] - 1], o)) goto done;
            used++;
            continue;
        }
        rc_obuf_put(o, in + ob->off, ob->end - ob->off);
        rc_obuf_put(o, "\n", 1);
    }
    if (used != nblobs) {
        fail(&c, n, "stream data given for an object that is not a stream");
        goto done;
    }
    for (size_t k = 0; c.lenv && k < nobj; k++) /* a new length is written where it is packed */
        if (c.lenv[objs[k].num] && (objs[k].stream || objs[k].gen != 0)) {
            fail(&c, objs[k].off, "the length of a stream, object %u, is not a number object",
                 objs[k].num);
            goto done;
        }
    size_t num = size, from = 0;
    bytes = 0;
    for (size_t k = 0; k <= npack; k++) {
        char tmp[24];
        size_t len = 0;
        if (k < npack) body_of(&c, &objs[pick[k]], tmp, &len);
        len += k < npack;
        if (k > from &&
            (k == npack || k - from == RC_PDF_OBJSTM_MAX || bytes + len > RC_PDF_OBJSTM_BYTES)) {
            if (num + 2 > nslots) { /* this stream and the cross-reference stream */
                slot *ns = realloc(slots, 2 * nslots * sizeof *slots);
                if (!ns) {
                    oom(&c);
                    goto done;
                }
                memset(ns + nslots, 0, nslots * sizeof *ns);
                slots = ns;
                nslots *= 2;
            }
            size_t first;
            if (!objstm_text(&c, objs, pick, from, k, num, slots, &texts[cur], &zbufs[cur], &first))
                goto done;
            if (!zp && k < npack) zp = rc_zpipe_start(z, ZLEVEL); /* two streams or more */
            if (zp) { /* deflated there while the next one's text is made here */
                rc_zpipe_put(zp, texts[cur].p, texts[cur].n, zbufs[cur].p, zbufs[cur].cap);
                if (!pending_put(&c, zp, &pd, zbufs, slots, o)) goto done;
                pd = (pending){true, num++, k - from, first, cur};
                cur ^= 1;
            } else {
                zbufs[cur].n = libdeflate_zlib_compress(z, texts[cur].p, texts[cur].n, zbufs[cur].p,
                                                        zbufs[cur].cap);
                if (!objstm_put(&c, num++, k - from, first, &zbufs[cur], slots, o)) goto done;
            }
            from = k;
            bytes = 0;
        }
        bytes += len;
    }
    if (!pending_put(&c, zp, &pd, zbufs, slots, o)) goto done;
    rc_zpipe_end(zp); /* (z is lent to it until then) */
    zp = NULL;
    if (!write_xref_stream(&c, z, slots, num + 1, root, info, &text, &zbuf, o)) goto done;

done:
    if (pd.on) rc_zpipe_wait(zp); /* (a failure after queueing one) */
    rc_zpipe_end(zp);
    for (int b = 0; b < 2; b++) {
        free(texts[b].p);
        free(zbufs[b].p);
    }
    free(bidx);
    free(c.lenv);
    free(c.ridx);
    libdeflate_free_compressor(z);
    free(tab);
    free(objs);
    free(pick);
    free(slots);
    free(text.p);
    free(zbuf.p);
    return c.st;
}
