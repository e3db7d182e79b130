/* csv: RFC 4180 reader (https://www.rfc-editor.org/rfc/rfc4180).
 *
 * One record parser works on a window of bytes and either completes a record
 * or says it needs more input; rc_csv_parse gives it the whole buffer,
 * rc_csv_read slides a block-sized window over the file and keeps only the
 * unfinished record between blocks, so memory is bounded by the longest
 * record. Field values point into the window unless a field holds doubled
 * quotes, which are unescaped into a per-record scratch buffer. */
#include "rc/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define BLOCK ((size_t)1 << 20)
#define MAX_RAGGED 20

enum { CL_PLAIN = 0, CL_SPECIAL = 1 };
enum rec_result { REC_DONE, REC_BLANK, REC_MORE, REC_ERROR };

/* Scanning for the next special byte: eight bytes at a time where the
 * platform is little-endian (a zero-byte test per special character, as in
 * "Bit Twiddling Hacks", haszero), then one at a time through the table.
 * Lower bytes are earlier in memory, so the lowest flagged byte is the first
 * special one; the test's false positives only ever sit above a true hit. */
#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull
#define HASZERO(v) (((v)-ONES) & ~(v)&HIGH)

/* The bytes one scan stops at, broadcast once per parse. */
typedef struct scanset {
    uint64_t c[4];
#if defined(__SSE2__)
    __m128i v[4];
#endif
} scanset;

static void scanset_init(scanset *ss, char a, char b, char c, char d)
{
    const char ch[4] = {a, b, c, d};
    for (int k = 0; k < 4; k++) {
        ss->c[k] = ONES * (unsigned char)ch[k];
#if defined(__SSE2__)
        ss->v[k] = _mm_set1_epi8(ch[k]);
#endif
    }
}

typedef struct parser {
    const rc_csv_opts *o;
    const char *file;
    char delim;
    rc_csv_record_fn fn;
    void *user;
    rc_diag *d;
    unsigned char unq[256]; /* specials outside quotes: delim " CR LF >=0x80 */
    unsigned char inq[256]; /* specials inside quotes: " LF >=0x80 */
    scanset su, sq;         /* the same for the word-at-a-time scans */
    unsigned line;          /* line where the next record starts */
    size_t nrec;            /* complete non-blank records */
    size_t header_rec;      /* 1-based record whose width rows must match */
    size_t nhdr;            /* its field count */
    unsigned header_line;
    size_t ragged;
    bool stopped; /* callback asked to stop */
    rc_status st;
    /* per record */
    rc_csv_field *f;
    size_t *esc; /* scratch offset of an unescaped field, or SIZE_MAX */
    size_t fcap;
    char *scratch;
    size_t slen, scap;
} parser;

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
    size_t *e = realloc(p->esc, nc * sizeof *e);
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
        char *ns = realloc(p->scratch, nc);
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

static inline size_t scan(const char *b, size_t i, size_t len, const unsigned char *tab,
                          const scanset *ss)
{
#if defined(__SSE2__)
    /* x86-64: sixteen bytes per step; movemask takes the top bit of each byte,
     * so bytes >= 0x80 are flagged without a compare. */
    while (i + 16 <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i m =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, ss->v[0]), _mm_cmpeq_epi8(x, ss->v[1])),
                         _mm_or_si128(_mm_cmpeq_epi8(x, ss->v[2]), _mm_cmpeq_epi8(x, ss->v[3])));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(m, x));
        if (bits) return i + (size_t)__builtin_ctz(bits);
        i += 16;
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, b + i, 8);
        uint64_t m = (x & HIGH) | HASZERO(x ^ ss->c[0]) | HASZERO(x ^ ss->c[1]) |
                     HASZERO(x ^ ss->c[2]) | HASZERO(x ^ ss->c[3]);
        if (m) return i + ((size_t)__builtin_ctzll(m) >> 3);
        i += 8;
    }
#endif
    while (i < len && !tab[(unsigned char)b[i]])
        i++;
    return i;
}

/* Checks the non-ASCII sequence at b[i]. Returns its length, 0 on error
 * (reported), or SIZE_MAX when the window ends inside it and more may come. */
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
    if (cp == 0xFEFF) {
        rc_diag_error(p->d, at(p, line, i - ls + 1),
                      "byte order mark (U+FEFF) is only allowed at the start of the file");
        return 0;
    }
    return n;
}

/* Parses one record starting at b[start]. On REC_DONE/REC_BLANK *next is the
 * start of the following record. */
static enum rec_result record(parser *p, const char *b, size_t len, size_t start, bool eof,
                              size_t *next, size_t *nf_out, size_t *endcol, unsigned *endline)
{
    unsigned line = p->line;
    size_t ls = start; /* offset of the current line's first byte */
    size_t i = start;
    size_t nf = 0;
    p->slen = 0;

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
        size_t col = i - ls + 1;
        unsigned fline = line;
        if (nf == p->fcap) {
            if (nf == RC_CSV_MAX_COLUMNS) {
                rc_diag_error(p->d, at(p, line, col), "more than %d columns", RC_CSV_MAX_COLUMNS);
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
                i = scan(b, i, len, p->inq, &p->sq);
                if (i - vstart > RC_CSV_MAX_CELL) {
                    rc_diag_error(p->d, at(p, fline, col), "cell is longer than %u bytes",
                                  (unsigned)RC_CSV_MAX_CELL);
                    return REC_ERROR;
                }
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
                i = scan(b, i, len, p->unq, &p->su);
                if (i == len || (unsigned char)b[i] < 0x80)
                    break; /* the usual case: a delimiter or a line end */
                size_t n = check_utf8(p, b, len, i, eof, line, ls);
                if (n == SIZE_MAX) return REC_MORE;
                if (n == 0) return REC_ERROR;
                i += n;
            }
            if (i - vstart > RC_CSV_MAX_CELL) {
                rc_diag_error(p->d, at(p, line, col), "cell is longer than %u bytes",
                              (unsigned)RC_CSV_MAX_CELL);
                return REC_ERROR;
            }
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
        p->esc[nf] = esc;
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
    if (p->slen)                /* some field had doubled quotes: point it into scratch */
        for (size_t k = 0; k < nf; k++)
            if (p->esc[k] != SIZE_MAX) p->f[k].s = p->scratch + p->esc[k];
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
    while (pos < len) {
        size_t next = pos, nf = 0, endcol = 0;
        unsigned line = p->line, endline = line;
        enum rec_result r = record(p, b, len, pos, eof, &next, &nf, &endcol, &endline);
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
        p->unq[c] = p->inq[c] = CL_SPECIAL;
    p->unq[(unsigned char)p->delim] = p->unq['"'] = p->unq['\r'] = p->unq['\n'] = CL_SPECIAL;
    p->inq['"'] = p->inq['\n'] = CL_SPECIAL;
    scanset_init(&p->su, p->delim, '"', '\r', '\n');
    scanset_init(&p->sq, '"', '\n', '"', '"');
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
    return st;
}

static size_t skip_bom(const char *b, size_t len)
{
    return len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

rc_status rc_csv_parse(const char *data, size_t len, const rc_csv_opts *o, rc_csv_record_fn fn,
                       void *user, rc_diag *d)
{
    parser p;
    init(&p, o, fn, user, d);
    if (len > RC_CSV_MAX_FILE) {
        rc_diag_error(d, at(&p, 0, 0), "file is larger than %zu GiB", RC_CSV_MAX_FILE >> 30);
        return finish(&p, true);
    }
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
        close(fd);
        return finish(&p, true);
    }
    size_t cap = BLOCK;
    char *buf = malloc(cap);
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
            char *nb = realloc(buf, cap * 2);
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
