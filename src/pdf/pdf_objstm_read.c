/* pdf_objstm_read: the packer's reading of the PDF libharu wrote
 * (pdf_objstm.c says why by hand): the cross-reference table, the trailer
 * and where each object's value lies, every offset checked against the
 * object it should point at; anything unexpected fails with the byte
 * offset. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_objstm_int.h"

bool rc_objstm_fail(ctx *c, size_t at, const char *fmt, ...)
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

bool rc_objstm_oom(ctx *c)
{
    if (c->st == RC_OK) {
        c->st = RC_ERR_NOMEM;
        snprintf(c->err, c->errlen, "out of memory");
    }
    return false;
}

/* ---- lexical helpers (PDF 1.7 section 7.2) ---- */

void rc_objstm_skip_ws(const ctx *c, size_t *i)
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
bool rc_objstm_read_uint(const ctx *c, size_t *i, size_t max, size_t *v)
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
bool rc_objstm_read_ref(const ctx *c, size_t *i, size_t *num, size_t *gen)
{
    size_t j = *i;
    if (!rc_objstm_read_uint(c, &j, MAX_OBJECTS, num)) return false;
    rc_objstm_skip_ws(c, &j);
    if (!rc_objstm_read_uint(c, &j, 65535, gen)) return false;
    rc_objstm_skip_ws(c, &j);
    if (!at_keyword(c, j, "R")) return false;
    *i = j + 1;
    return true;
}

/* Skips one direct object at i (a reference counts as one), in the
 * trailer dictionary. */
static bool skip_value(ctx *c, size_t *i, int depth)
{
    size_t at = *i, num, gen;
    if (depth > 32) return rc_objstm_fail(c, at, "objects nested too deeply");
    if (at >= c->n) return rc_objstm_fail(c, at, "unexpected end of file");
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
        return rc_objstm_fail(c, at, "unterminated string");
    }
    if (ch == '<' && at + 1 < c->n && c->in[at + 1] == '<') {
        size_t j = at + 2;
        for (;;) {
            rc_objstm_skip_ws(c, &j);
            if (j + 1 < c->n && c->in[j] == '>' && c->in[j + 1] == '>') break;
            if (j >= c->n || c->in[j] != '/')
                return rc_objstm_fail(c, j, "a dictionary key expected");
            if (!skip_value(c, &j, depth + 1)) return false;
            rc_objstm_skip_ws(c, &j);
            if (!skip_value(c, &j, depth + 1)) return false;
        }
        *i = j + 2;
        return true;
    }
    if (ch == '<') {
        const unsigned char *e = memchr(c->in + at, '>', c->n - at);
        if (!e) return rc_objstm_fail(c, at, "unterminated hexadecimal string");
        *i = (size_t)(e - c->in) + 1;
        return true;
    }
    if (ch == '[') {
        size_t j = at + 1;
        for (;;) {
            rc_objstm_skip_ws(c, &j);
            if (j < c->n && c->in[j] == ']') break;
            if (!skip_value(c, &j, depth + 1)) return false;
        }
        *i = j + 1;
        return true;
    }
    if (rc_objstm_read_ref(c, i, &num, &gen)) return true;
    size_t j = at + (ch == '/'); /* a name, a number, true, false, null */
    while (j < c->n && !is_ws(c->in[j]) && !is_delim(c->in[j]))
        j++;
    if (j == at || (ch != '/' && is_delim(ch))) return rc_objstm_fail(c, at, "unexpected '%c'", ch);
    *i = j;
    return true;
}

/* ---- reading the classic file ---- */

/* The cross-reference table at off (section 7.5.4) into *tab (malloc'd,
 * *size entries); *trailer is the offset of the "trailer" keyword. */
bool rc_objstm_read_xref(ctx *c, size_t off, entry **tab, size_t *size, size_t *trailer)
{
    size_t i = off, cap = 0;
    if (!at_keyword(c, i, "xref")) return rc_objstm_fail(c, i, "no 'xref' where startxref points");
    i += 4;
    for (;;) {
        rc_objstm_skip_ws(c, &i);
        if (at_keyword(c, i, "trailer")) break;
        size_t first, count, at = i;
        if (!rc_objstm_read_uint(c, &i, MAX_OBJECTS, &first))
            return rc_objstm_fail(c, at, "a cross-reference subsection expected");
        while (i < c->n && (c->in[i] == ' ' || c->in[i] == '\t'))
            i++;
        if (!rc_objstm_read_uint(c, &i, MAX_OBJECTS, &count) || first + count > MAX_OBJECTS + 1)
            return rc_objstm_fail(c, at, "bad cross-reference subsection header");
        while (i < c->n && (c->in[i] == ' ' || c->in[i] == '\r'))
            i++;
        if (i >= c->n || c->in[i] != '\n') return rc_objstm_fail(c, i, "end of line expected");
        i++;
        if (count > (c->n - i) / 20)
            return rc_objstm_fail(c, i, "cross-reference table runs past the end");
        if (first + count > *size) {
            if (first + count > cap) {
                size_t ncap = cap ? cap : 1024;
                while (ncap < first + count)
                    ncap *= 2;
                entry *t = realloc(*tab, ncap * sizeof *t);
                if (!t) return rc_objstm_oom(c);
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
            if (!rc_objstm_read_uint(c, &o, UINT32_MAX, &v) || o != i + 10 || e[10] != ' ' ||
                !rc_objstm_read_uint(c, &g, 65535, &gen) || g != i + 16 || e[16] != ' ' ||
                (e[17] != 'n' && e[17] != 'f') || !is_ws(e[18]) || !is_ws(e[19]))
                return rc_objstm_fail(c, i, "bad cross-reference entry for object %zu", first + k);
            (*tab)[first + k] = (entry){(uint32_t)v, (uint16_t)gen, (char)e[17]};
        }
    }
    *trailer = i;
    return true;
}

/* The trailer dictionary at i: /Root (required) and /Info as their object
 * numbers (info 0: none). /Size must match the table; /ID is dropped. */
bool rc_objstm_read_trailer(ctx *c, size_t i, size_t size, size_t *root, size_t *info)
{
    i += strlen("trailer");
    rc_objstm_skip_ws(c, &i);
    if (i + 1 >= c->n || c->in[i] != '<' || c->in[i + 1] != '<')
        return rc_objstm_fail(c, i, "trailer dictionary expected");
    i += 2;
    *root = *info = 0;
    for (;;) {
        rc_objstm_skip_ws(c, &i);
        if (i + 1 < c->n && c->in[i] == '>' && c->in[i + 1] == '>') break;
        size_t key = i, v, g;
        if (i >= c->n || c->in[i] != '/') return rc_objstm_fail(c, i, "a trailer key expected");
        if (!skip_value(c, &i, 0)) return false;
        size_t klen = i - key;
        rc_objstm_skip_ws(c, &i);
        size_t at = i;
#define KEY(s) (klen == sizeof s - 1 && memcmp(c->in + key, s, klen) == 0)
        if (KEY("/Root") || KEY("/Info")) {
            /* the cross-reference stream writes them as "N 0 R" */
            if (!rc_objstm_read_ref(c, &i, &v, &g) || v == 0 || v >= size || g != 0)
                return rc_objstm_fail(
                    c, at, "%.*s is not a reference to a generation-0 object of the table",
                    (int)klen, (const char *)c->in + key);
            *(KEY("/Root") ? root : info) = v;
        } else if (KEY("/Size")) {
            if (!rc_objstm_read_uint(c, &i, MAX_OBJECTS + 1, &v) || v != size)
                return rc_objstm_fail(
                    c, at, "/Size does not match the cross-reference table (%zu entries)", size);
        } else if (KEY("/ID")) {
            if (!skip_value(c, &i, 0)) return false;
        } else {
            return rc_objstm_fail(c, key, "trailer entry %.*s is not supported", (int)klen,
                                  (const char *)c->in + key);
        }
#undef KEY
    }
    if (!*root) return rc_objstm_fail(c, i, "the trailer has no /Root");
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
bool rc_objstm_read_objects(ctx *c, const entry *tab, size_t size, size_t xref, obj *objs,
                            size_t nobj, size_t *header)
{
    size_t k = 0;
    bool sorted = true;
    for (size_t num = 0; num < size; num++) {
        if (tab[num].type != 'n') continue;
        size_t i = tab[num].off, v, g;
        if (i >= xref) return rc_objstm_fail(c, i, "object %zu lies outside the file's body", num);
        if (!rc_objstm_read_uint(c, &i, MAX_OBJECTS, &v) || v != num || i >= xref ||
            !is_ws(c->in[i]))
            return rc_objstm_fail(c, tab[num].off,
                                  "the table's entry for object %zu does not point at it", num);
        rc_objstm_skip_ws(c, &i);
        if (!rc_objstm_read_uint(c, &i, 65535, &g) || g != tab[num].gen || i >= xref ||
            !is_ws(c->in[i]))
            return rc_objstm_fail(c, tab[num].off, "object %zu has not the generation of its entry",
                                  num);
        rc_objstm_skip_ws(c, &i);
        if (!at_keyword(c, i, "obj"))
            return rc_objstm_fail(c, i, "'obj' expected after '%zu %zu'", num, g);
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
            return rc_objstm_fail(c, objs[k + 1].off, "objects %u and %u overlap", o->num,
                                  objs[k + 1].num);
        size_t e = limit;
        while (e > o->body && is_ws(c->in[e - 1]))
            e--;
        if (e - o->body < 6 || memcmp(c->in + e - 6, "endobj", 6) != 0)
            return rc_objstm_fail(c, e, "object %u does not end with 'endobj'", o->num);
        o->end = (uint32_t)e;
        size_t b = o->body;
        e -= 6;
        rc_objstm_skip_ws(c, &b); /* a comment may not stand between obj and its value */
        while (e > b && is_ws(c->in[e - 1]))
            e--;
        if (e == b) return rc_objstm_fail(c, o->body, "object %u is empty", o->num);
        o->body = (uint32_t)b;
        o->body_end = (uint32_t)e;
        o->stream = e - b > 9 && memcmp(c->in + e - 9, "endstream", 9) == 0 &&
                    (c->in[e - 10] == '\n' || c->in[e - 10] == '\r');
    }
    return true;
}
