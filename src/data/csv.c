/* csv: RFC 4180 reader (https://www.rfc-editor.org/rfc/rfc4180).
 *
 * One record parser works on a window of bytes and either completes a record
 * or says it needs more input; rc_csv_parse gives it the whole buffer,
 * rc_csv_read slides a block-sized window over the file and keeps only the
 * unfinished record between blocks, so memory is bounded by the longest
 * record. Field values point into the window unless a field holds doubled
 * quotes, which are unescaped into a per-record scratch buffer.
 *
 * Hand-written on purpose: Debian's CSV libraries (libcsv) report neither
 * the line:col of a problem nor invalid UTF-8, and stream no faster; this one
 * scans 64 bytes at a time for the four special bytes, validates UTF-8 on
 * the way, locates every error for the user, and passes cells on in NFC. */
#include "rc/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/unicode.h"
#include "rc/util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define BLOCK ((size_t)1 << 20)
#define MAX_RAGGED 20

enum { CL_PLAIN = 0, CL_SPECIAL = 1 };
enum rec_result { REC_DONE, REC_BLANK, REC_MORE, REC_ERROR };

typedef struct parser {
    const rc_csv_opts *o;
    const char *file;
    char delim;
    rc_csv_record_fn fn;
    void *user;
    rc_diag *d;
    unsigned char unq[256]; /* specials: delim " CR LF >=0x80 */
    uint64_t bc[4];         /* the four ASCII specials, broadcast */
#if defined(__SSE2__)
    __m128i vc[4];
#endif
    unsigned line;     /* line where the next record starts */
    size_t nrec;       /* complete non-blank records */
    size_t header_rec; /* 1-based record whose width rows must match */
    size_t nhdr;       /* its field count */
    unsigned header_line;
    size_t ragged;
    bool stopped; /* callback asked to stop */
    rc_status st;
    /* per record */
    rc_csv_field *f;
    struct escref {
        size_t field, off; /* a field with doubled quotes, unescaped at scratch + off */
    } * esc;
    size_t nesc;
    size_t fcap;
    char *scratch;
    size_t slen, scap;
    bool denorm; /* the record has a code point >= U+0300: fields may not be NFC */
    char *nfc;   /* NFC copies of this record's fields, RC_CSV_PAD-padded */
    size_t nfc_cap;
} parser;

/* The scan over a window: a bit mask of the special bytes (delimiter, quote,
 * CR, LF and every byte >= 0x80) of one 64-byte chunk at a time, in the
 * manner of simdjson's first stage (Langdale & Lemire, "Parsing gigabytes of
 * JSON per second", 2019). Survey cells are a few bytes long, so finding the
 * next special byte is a shift and a count of trailing zeros, and each byte
 * is classified once. Inside quotes the delimiter and CR bits are skipped. */
typedef struct cursor {
    const char *b;
    size_t len;
    size_t base;   /* first byte of the chunk described by mask */
    uint64_t mask; /* bit k: b[base + k] is special (0 past len) */
} cursor;

#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full

#if !defined(__SSE2__)
/* 0x80 in every byte of x that is zero, exactly (no borrow between bytes). */
static inline uint64_t zero_bytes(uint64_t x)
{
    return ~((((x & LOW7) + LOW7) | x) | LOW7);
}
#endif

/* The end of a window: fewer than 64 bytes. */
static __attribute__((noinline)) uint64_t tail_mask(const parser *p, const char *s, size_t n)
{
    uint64_t m = 0;
    for (size_t k = 0; k < n; k++)
        m |= (uint64_t)p->unq[(unsigned char)s[k]] << k;
    return m;
}

static inline __attribute__((always_inline)) uint64_t chunk_mask(const parser *p, const char *s,
                                                                 size_t n)
{
    uint64_t m = 0;
    if (n < 64) return tail_mask(p, s, n);
#if defined(__SSE2__)
    /* movemask takes the top bit of each byte: bytes >= 0x80 need no compare */
    for (int q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * q));
        __m128i e =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, p->vc[0]), _mm_cmpeq_epi8(x, p->vc[1])),
                         _mm_or_si128(_mm_cmpeq_epi8(x, p->vc[2]), _mm_cmpeq_epi8(x, p->vc[3])));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(e, x)) << (16 * q);
    }
#else
    for (int q = 0; q < 8; q++) {
        uint64_t x = 0;
        for (int k = 7; k >= 0; k--) /* byte k of x is s[8q + k], whatever the byte order */
            x = x << 8 | (unsigned char)s[8 * q + k];
        uint64_t h = (x | zero_bytes(x ^ p->bc[0]) | zero_bytes(x ^ p->bc[1]) |
                      zero_bytes(x ^ p->bc[2]) | zero_bytes(x ^ p->bc[3])) &
                     (ONES << 7);
        /* gathers the top bit of byte k into bit k */
        m |= (((h >> 7) * 0x0102040810204080ull) >> 56) << (8 * q);
    }
#endif
    return m;
}

static void cursor_init(const parser *p, cursor *c, const char *b, size_t len)
{
    c->b = b;
    c->len = len;
    c->base = 0;
    c->mask = chunk_mask(p, b, len);
}

/* The first special byte at or after i, or len. A position outside the
 * cursor's chunk (after it, or before it: off wraps around) moves the chunk
 * to i. */
static inline size_t next_special(const parser *p, cursor *c, size_t i)
{
    for (;;) {
        size_t off = i - c->base;
        if (off < 64) {
            uint64_t m = c->mask >> off;
            if (m) return i + (size_t)__builtin_ctzll(m);
            i = c->base + 64;
        }
        if (i >= c->len) return c->len;
        c->base = i;
        c->mask = chunk_mask(p, c->b + i, c->len - i);
    }
}

static rc_loc at(const parser *p, unsigned line, size_t col)
{
    rc_loc l = {p->file, line, (unsigned)col};
    return l;
}

static bool grow_fields(parser *p)
{
    size_t nc = p->fcap ? p->fcap * 2 : 64;
    if (nc > RC_CSV_MAX_COLUMNS) nc = RC_CSV_MAX_COLUMNS;
    rc_csv_field *f = realloc(p->f, nc * sizeof *f);
    if (!f) return false;
    p->f = f;
    struct escref *e = realloc(p->esc, nc * sizeof *e);
    if (!e) return false;
    p->esc = e;
    p->fcap = nc;
    return true;
}

/* Appends the unescaped content of a quoted field ("" -> ") to scratch. */
static bool unescape(parser *p, const char *s, size_t n, size_t *off)
{
    if (p->slen + n > p->scap) {
        size_t nc = p->scap ? p->scap : 4096;
        while (nc < p->slen + n)
            nc *= 2;
        char *ns = realloc(p->scratch, nc + RC_CSV_PAD);
        if (!ns) return false;
        p->scratch = ns;
        p->scap = nc;
    }
    *off = p->slen;
    char *o = p->scratch + p->slen;
    for (size_t i = 0; i < n; i++) {
        *o++ = s[i];
        if (s[i] == '"') i++; /* skip the second quote of the pair */
    }
    p->slen = (size_t)(o - p->scratch);
    return true;
}

/* Reads the usual fields of a record from *i: unquoted ASCII text up to a
 * delimiter or LF, walking the special bits one by one with every piece of
 * state in locals. Stops (returning false, *i at the field it cannot take)
 * at anything else, which the general code handles; returns true when an LF
 * ended the record (*i after it). */
static inline bool fast_fields(parser *p, cursor *cur, size_t *pi, size_t ls, unsigned line,
                               size_t *pnf)
{
    const char *b = cur->b;
    size_t len = cur->len, i = *pi, nf = *pnf, fcap = p->fcap, base = cur->base;
    rc_csv_field *fs = p->f;
    const char delim = p->delim;
    bool eol = false;
    if (i - base >= 64) return false; /* the general code moves the cursor */
    uint64_t m = cur->mask & (~(uint64_t)0 << (i - base));
    /* A quote opening the field is itself the next special byte, and so is
     * the end of the window: both leave the loop below. */
    while (nf < fcap) {
        while (!m) {
            base += 64;
            if (base >= len) goto out; /* the cursor keeps its chunk */
            m = chunk_mask(p, b + base, len - base);
            if (base - i > RC_CSV_MAX_CELL) goto out; /* reported by the general code */
        }
        size_t e = base + (size_t)__builtin_ctzll(m);
        char c = b[e];
        if ((c != delim && c != '\n') || e - i > RC_CSV_MAX_CELL) break;
        m &= m - 1;
        rc_csv_field *f = &fs[nf++];
        f->s = b + i;
        f->len = e - i;
        f->col = (unsigned)(i - ls + 1);
        f->line = line;
        f->quoted = 0;
        i = e + 1;
        if (c == '\n') {
            eol = true;
            break;
        }
    }
out:
    if (base < len) { /* m describes the chunk at base; only bits below i were cleared */
        cur->base = base;
        cur->mask = m;
    }
    *pi = i;
    *pnf = nf;
    return eol;
}

/* Checks the non-ASCII sequence at b[i]. Returns its length, 0 on error
 * (reported), or SIZE_MAX when the window ends inside it and more may come. */
/* A cell of n bytes over RC_CSV_MAX_CELL is an error (a limit) at its start. */
static bool too_long(parser *p, size_t n, unsigned line, size_t col)
{
    if (n <= RC_CSV_MAX_CELL) return false;
    rc_diag_error(p->d, at(p, line, col), "cell is longer than %u bytes",
                  (unsigned)RC_CSV_MAX_CELL);
    p->st = RC_ERR_LIMIT;
    return true;
}

static size_t check_utf8(parser *p, const char *b, size_t len, size_t i, bool eof, unsigned line,
                         size_t ls)
{
    uint32_t cp;
    size_t n = rc_utf8_decode(b + i, len - i, &cp);
    if (n == 0) {
        if (!eof && len - i < 4) return SIZE_MAX;
        rc_diag_error(p->d, at(p, line, i - ls + 1),
                      "invalid UTF-8 byte 0x%02X (save the file as UTF-8)",
                      (unsigned)(unsigned char)b[i]);
        return 0;
    }
    if (cp >= 0x300) p->denorm = true;
    if (cp == 0xFEFF) {
        rc_diag_error(p->d, at(p, line, i - ls + 1),
                      "byte order mark (U+FEFF) is only allowed at the start of the file");
        return 0;
    }
    return n;
}

/* Parses one record starting at b[start]. On REC_DONE/REC_BLANK *next is the
 * start of the following record. */
static enum rec_result record(parser *p, cursor *cur, size_t start, bool eof, size_t *next,
                              size_t *nf_out, size_t *endcol, unsigned *endline)
{
    const char *b = cur->b;
    size_t len = cur->len;
    unsigned line = p->line;
    size_t ls = start; /* offset of the current line's first byte */
    size_t i = start;
    size_t nf = 0;
    p->slen = 0;
    p->nesc = 0;
    p->denorm = false;

    if (i < len && (b[i] == '\n' || b[i] == '\r')) {
        /* A blank line is skipped, not read as a record of one empty field. */
        if (b[i] == '\r') {
            if (i + 1 == len && !eof) return REC_MORE;
            i++;
            if (i < len && b[i] == '\n') i++;
        } else {
            i++;
        }
        p->line++;
        *next = i;
        return REC_BLANK;
    }

    for (;;) {
        /* The usual field: unquoted ASCII text up to a delimiter or LF. */
        if (fast_fields(p, cur, &i, ls, line, &nf)) {
            /* the record ended at the LF before i */
            *endline = line;
            *endcol = i - ls;
            *next = i;
            *nf_out = nf;
            p->line = line + 1;
            return REC_DONE;
        }
        size_t col = i - ls + 1;
        unsigned fline = line;
        if (nf == p->fcap) {
            if (nf == RC_CSV_MAX_COLUMNS) {
                rc_diag_error(p->d, at(p, line, col), "more than %d columns", RC_CSV_MAX_COLUMNS);
                p->st = RC_ERR_LIMIT;
                return REC_ERROR;
            }
            if (!grow_fields(p)) {
                p->st = RC_ERR_NOMEM;
                return REC_ERROR;
            }
        }
        const char *vs;
        size_t vlen;
        size_t esc = SIZE_MAX;
        bool quoted = i < len && b[i] == '"';
        if (quoted) {
            size_t vstart = ++i;
            bool doubled = false;
            for (;;) {
                i = next_special(p, cur, i);
                if (too_long(p, i - vstart, fline, col)) return REC_ERROR;
                if (i == len) {
                    if (!eof) return REC_MORE;
                    rc_diag_error(p->d, at(p, fline, col),
                                  "unterminated quoted field (this quote is never closed)");
                    return REC_ERROR;
                }
                char c = b[i];
                if (c == '"') {
                    if (i + 1 == len && !eof) return REC_MORE;
                    if (i + 1 < len && b[i + 1] == '"') {
                        doubled = true;
                        i += 2;
                        continue;
                    }
                    break;
                }
                if (c == '\n') {
                    line++;
                    ls = ++i;
                    continue;
                }
                if (c == p->delim || c == '\r') { /* not special inside quotes */
                    i++;
                    continue;
                }
                size_t n = check_utf8(p, b, len, i, eof, line, ls);
                if (n == SIZE_MAX) return REC_MORE;
                if (n == 0) return REC_ERROR;
                i += n;
            }
            vs = b + vstart;
            vlen = i - vstart;
            i++; /* closing quote */
            if (i < len && b[i] != p->delim && b[i] != '\n' && b[i] != '\r') {
                rc_diag_error(p->d, at(p, line, i - ls + 1),
                              "characters after a closing quote (write a quote inside a "
                              "quoted field as \"\")");
                return REC_ERROR;
            }
            if (doubled) {
                if (!unescape(p, vs, vlen, &esc)) {
                    p->st = RC_ERR_NOMEM;
                    return REC_ERROR;
                }
                vlen = p->slen - esc;
            }
        } else {
            size_t vstart = i;
            for (;;) {
                i = next_special(p, cur, i);
                if (i == len || (unsigned char)b[i] < 0x80)
                    break; /* the usual case: a delimiter or a line end */
                size_t n = check_utf8(p, b, len, i, eof, line, ls);
                if (n == SIZE_MAX) return REC_MORE;
                if (n == 0) return REC_ERROR;
                i += n;
            }
            if (too_long(p, i - vstart, line, col)) return REC_ERROR;
            if (i == len) {
                if (!eof) return REC_MORE;
            } else if (b[i] == '"') {
                rc_diag_error(p->d, at(p, line, i - ls + 1),
                              "quote inside an unquoted field (quote the whole field and "
                              "write the quote as \"\")");
                return REC_ERROR;
            }
            vs = b + vstart;
            vlen = i - vstart;
        }
        p->f[nf].s = vs;
        p->f[nf].len = vlen;
        p->f[nf].col = (unsigned)col;
        p->f[nf].line = fline;
        p->f[nf].quoted = quoted;
        if (esc != SIZE_MAX) p->esc[p->nesc++] = (struct escref){nf, esc};
        nf++;

        if (i < len && b[i] == p->delim) {
            i++;
            continue;
        }
        *endline = line;
        *endcol = i - ls + 1;
        if (i == len) { /* eof: last line without newline */
            *next = i;
            break;
        }
        char c = b[i];
        if (c == '\r') {
            if (i + 1 == len && !eof) return REC_MORE;
            i++;
            if (i < len && b[i] == '\n') i++;
        } else {
            i++; /* '\n' */
        }
        line++;
        *next = i;
        break;
    }
    *nf_out = nf;
    p->line = line;
    return REC_DONE;
}

/* Cells are passed on in NFC (rc/unicode.h), so a decomposed "Córdoba" is
 * the same code and the same label as a composed one. Only records with a
 * code point from U+0300 on get here; the copies live until the next record. */
static bool normalise(parser *p, size_t nf)
{
    size_t need = 0, off = 0;
    for (size_t k = 0; k < nf; k++)
        if (!rc_unicode_simple(p->f[k].s, p->f[k].len)) /* NFC grows UTF-8 3x at most (UAX #15) */
            need += 3 * p->f[k].len + RC_CSV_PAD;
    if (need > p->nfc_cap) {
        char *n = realloc(p->nfc, need);
        if (!n) {
            p->st = RC_ERR_NOMEM;
            return false;
        }
        p->nfc = n;
        p->nfc_cap = need;
    }
    for (size_t k = 0; k < nf; k++) {
        rc_csv_field *f = &p->f[k];
        if (rc_unicode_simple(f->s, f->len)) continue;
        size_t n;
        const char *t = rc_unicode_nfc(NULL, f->s, f->len, &n);
        if (!t) {
            p->st = RC_ERR_NOMEM;
            return false;
        }
        if (t == f->s) continue;
        if (off + n + RC_CSV_PAD > need) { /* beyond UAX #15's 3x bound: cannot happen */
            free((void *)t);
            continue;
        }
        memcpy(p->nfc + off, t, n);
        memset(p->nfc + off + n, 0, RC_CSV_PAD);
        free((void *)t);
        f->s = p->nfc + off;
        f->len = n;
        off += n + RC_CSV_PAD;
    }
    return true;
}

/* Handles a complete record: width check, then the callback. */
static bool deliver(parser *p, unsigned line, size_t nf, size_t endcol, unsigned endline)
{
    p->nrec++;
    if (p->nrec == p->header_rec) {
        p->nhdr = nf;
        p->header_line = line;
    } else if (p->nrec > p->header_rec && nf != p->nhdr) {
        size_t col = nf > p->nhdr ? p->f[p->nhdr].col : endcol;
        unsigned l = nf > p->nhdr ? p->f[p->nhdr].line : endline;
        rc_diag_error(p->d, at(p, l, col), "row has %zu field%s, header has %zu", nf,
                      nf == 1 ? "" : "s", p->nhdr);
        if (++p->ragged == MAX_RAGGED) {
            rc_diag_note(p->d, at(p, line, 0),
                         "too many rows with the wrong number of "
                         "fields; stopped reading");
            return false;
        }
        return true;
    }
    if (p->ragged) return true; /* the data is already wrong: only look for more ragged rows */
    for (size_t k = 0; k < p->nesc; k++) /* fields with doubled quotes: into scratch */
        p->f[p->esc[k].field].s = p->scratch + p->esc[k].off;
    if (p->denorm && !normalise(p, nf)) return false;
    if (p->fn && p->fn(p->user, p->f, nf, line) != 0) {
        p->stopped = true;
        return false;
    }
    return true;
}

/* Parses complete records of b[0..len). Returns the number of bytes consumed;
 * sets *fail when parsing must stop. */
static size_t run(parser *p, const char *b, size_t len, bool eof, bool *fail)
{
    size_t pos = 0;
    *fail = false;
    cursor cur;
    cursor_init(p, &cur, b, len);
    while (pos < len) {
        size_t next = pos, nf = 0, endcol = 0;
        unsigned line = p->line, endline = line;
        enum rec_result r = record(p, &cur, pos, eof, &next, &nf, &endcol, &endline);
        if (r == REC_MORE) break;
        if (r == REC_ERROR) {
            *fail = true;
            return pos;
        }
        pos = next;
        if (r == REC_DONE && !deliver(p, line, nf, endcol, endline)) {
            *fail = true;
            return pos;
        }
    }
    return pos;
}

static void init(parser *p, const rc_csv_opts *o, rc_csv_record_fn fn, void *user, rc_diag *d)
{
    memset(p, 0, sizeof *p);
    p->o = o;
    p->file = o && o->file ? o->file : "<csv>";
    p->delim = o && o->delimiter ? o->delimiter : ',';
    p->fn = fn;
    p->user = user;
    p->d = d;
    p->line = 1;
    p->header_rec = o && o->header_row ? o->header_row : 1;
    p->st = RC_OK;
    for (int c = 0x80; c < 256; c++)
        p->unq[c] = CL_SPECIAL;
    const char sp[4] = {p->delim, '"', '\r', '\n'};
    for (int k = 0; k < 4; k++) {
        p->unq[(unsigned char)sp[k]] = CL_SPECIAL;
        p->bc[k] = ONES * (unsigned char)sp[k];
#if defined(__SSE2__)
        p->vc[k] = _mm_set1_epi8(sp[k]);
#endif
    }
}

static rc_status finish(parser *p, bool failed)
{
    rc_status st = p->st;
    if (st == RC_OK && (failed || p->ragged)) st = RC_ERR_DATA;
    if (st == RC_OK) {
        if (p->nrec == 0) {
            rc_diag_error(p->d, at(p, 1, 1), "file is empty");
            st = RC_ERR_DATA;
        } else if (p->nrec < p->header_rec) {
            rc_diag_error(p->d, at(p, p->line > 1 ? p->line - 1 : 1, 1),
                          "the header should be on row %zu but the file has only %zu row%s",
                          p->header_rec, p->nrec, p->nrec == 1 ? "" : "s");
            st = RC_ERR_DATA;
        } else if (p->nrec == p->header_rec) {
            rc_diag_warning(p->d, at(p, p->header_line, 1), "no data rows after the header");
        }
    }
    free(p->f);
    free(p->esc);
    free(p->scratch);
    free(p->nfc);
    return st;
}

static size_t skip_bom(const char *b, size_t len)
{
    return len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* A UTF-16 byte order mark: the file was saved in the wrong encoding. */
static bool utf16_bom(parser *p, const char *b, size_t len)
{
    if (len < 2 || !((b[0] == '\xFF' && b[1] == '\xFE') || (b[0] == '\xFE' && b[1] == '\xFF')))
        return false;
    rc_diag_error(p->d, at(p, 1, 1),
                  "the file is UTF-16 (it starts with a UTF-16 byte order "
                  "mark); save it as UTF-8");
    return true;
}

/* Moves a position (nl newlines seen, col the 1-based column of the next
 * byte) past the len bytes of b. */
static void advance_pos(const char *b, size_t len, unsigned *nl, size_t *col)
{
    const char *end = b + len, *last = NULL;
    for (const char *q = b; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++) {
        (*nl)++;
        last = q;
    }
    *col = last ? (size_t)(end - last) : *col + len;
}

/* NUL bytes never occur in UTF-8 text; one means a binary file or UTF-16
 * without a byte order mark. Found with memchr on each block (much faster
 * than the parser), reported at its line and column: nl_before newlines
 * precede b, and b[0] is column col0 of its line. */
static bool nul_byte(parser *p, const char *b, size_t len, unsigned nl_before, size_t col0)
{
    const char *z = memchr(b, 0, len);
    if (!z) return false;
    unsigned nl = nl_before;
    size_t col = col0;
    advance_pos(b, (size_t)(z - b), &nl, &col);
    rc_diag_error(p->d, at(p, nl + 1, col),
                  "NUL byte (0x00): this is not UTF-8 text (a UTF-16 or binary file?); save it "
                  "as UTF-8 CSV");
    return true;
}

/* Line position after the first n bytes of the file (error path only: the
 * reader does not count lines for blocks it has already parsed). */
static void prefix_pos(int fd, size_t n, unsigned *nl, size_t *col)
{
    char chunk[1 << 16];
    size_t off = 0;
    while (off < n) {
        size_t want = n - off < sizeof chunk ? n - off : sizeof chunk;
        ssize_t r = pread(fd, chunk, want, (off_t)off);
        if (r <= 0) break;
        advance_pos(chunk, (size_t)r, nl, col);
        off += (size_t)r;
    }
}

rc_status rc_csv_parse(const char *data, size_t len, const rc_csv_opts *o, rc_csv_record_fn fn,
                       void *user, rc_diag *d)
{
    parser p;
    init(&p, o, fn, user, d);
    if (len > RC_CSV_MAX_FILE) {
        rc_diag_error(d, at(&p, 0, 0), "file is larger than %zu GiB", RC_CSV_MAX_FILE >> 30);
        p.st = RC_ERR_LIMIT;
        return finish(&p, true);
    }
    if (utf16_bom(&p, data, len) || nul_byte(&p, data, len, 0, 1)) return finish(&p, true);
    size_t skip = skip_bom(data, len);
    bool fail;
    run(&p, data + skip, len - skip, true, &fail);
    return finish(&p, fail);
}

/* Reads until buf is full or the file ends; returns false on a read error. */
static bool fill(int fd, char *buf, size_t cap, size_t *have, bool *eof)
{
    while (*have < cap) {
        ssize_t n = read(fd, buf + *have, cap - *have);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (n == 0) {
            *eof = true;
            break;
        }
        *have += (size_t)n;
    }
    return true;
}

rc_status rc_csv_read(const char *path, const rc_csv_opts *o, rc_csv_record_fn fn, void *user,
                      rc_diag *d)
{
    parser p;
    init(&p, o, fn, user, d);
    if (!o || !o->file) p.file = path;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        rc_diag_error(d, at(&p, 0, 0), "cannot open '%s': %s", path, strerror(errno));
        finish(&p, true);
        return RC_ERR_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_size > (uint64_t)RC_CSV_MAX_FILE) {
        rc_diag_error(d, at(&p, 0, 0), "file is larger than %zu GiB", RC_CSV_MAX_FILE >> 30);
        p.st = RC_ERR_LIMIT;
        close(fd);
        return finish(&p, true);
    }
    size_t cap = BLOCK;
    char *buf = malloc(cap + RC_CSV_PAD);
    if (!buf) {
        close(fd);
        p.st = RC_ERR_NOMEM;
        return finish(&p, true);
    }
    size_t have = 0, total = 0, skip = 0;
    bool eof = false, first = true, fail = false;
    rc_status io = RC_OK;
    while (!fail) {
        size_t before = have;
        if (!fill(fd, buf, cap, &have, &eof)) {
            rc_diag_error(d, at(&p, 0, 0), "cannot read '%s': %s", path, strerror(errno));
            io = RC_ERR_IO;
            fail = true;
            break;
        }
        total += have - before;
        if (o && o->on_bytes && have > before)
            o->on_bytes(o->bytes_ctx, buf + before, have - before);
        if (total > RC_CSV_MAX_FILE) {
            rc_diag_error(d, at(&p, 0, 0), "file is larger than %zu GiB", RC_CSV_MAX_FILE >> 30);
            p.st = RC_ERR_LIMIT;
            fail = true;
            break;
        }
        if (first && utf16_bom(&p, buf, have)) {
            fail = true;
            break;
        }
        if (have > before && memchr(buf + before, 0, have - before)) {
            unsigned nl = 0;
            size_t col = 1;
            prefix_pos(fd, total - (have - before), &nl, &col);
            nul_byte(&p, buf + before, have - before, nl, col);
            fail = true;
            break;
        }
        if (first) {
            skip = skip_bom(buf, have);
            first = false;
        }
        size_t used = skip + run(&p, buf + skip, have - skip, eof, &fail);
        skip = 0;
        if (fail || eof) break;
        size_t rest = have - used;
        memmove(buf, buf + used, rest);
        have = rest;
        if (have == cap) { /* one record is longer than the buffer */
            char *nb = realloc(buf, cap * 2 + RC_CSV_PAD);
            if (!nb) {
                p.st = RC_ERR_NOMEM;
                fail = true;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    free(buf);
    close(fd);
    rc_status st = finish(&p, fail);
    return io != RC_OK ? io : st;
}
