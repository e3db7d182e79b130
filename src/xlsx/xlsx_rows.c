/* xlsx_rows: the data rows of a streamed (constant-memory) sheet, written as
 * sheet XML by reportc and deflated as they come, then spliced into the
 * workbook that libxlsxwriter wrote without them (xlsx_zip.c).
 *
 * Why: libxlsxwriter 1.1.4 writes a constant-memory sheet through two
 * temporary files (rows to one while they come, then the whole sheet copied
 * to a second, then that read back into the zip), one fprintf and a
 * calloc/free per cell. For a 1,000,000-row survey that is about 1.9 GB of
 * XML written to disk twice and read twice: most of the system time of the
 * build (copying into fresh page-cache pages costs 1-5 s per GB on the
 * shared VM) and a third of its user time. Its options (constant_memory,
 * tmpdir, use_zip64, output_buffer) do not change that. So for those sheets
 * libxlsxwriter writes everything but the data rows (header row, widths,
 * frozen pane, autofilter, print setup), and the rows go here: formatted
 * without printf, deflated at zlib level 1 into one unlinked temporary file
 * (only the compressed bytes, some 15 % of the XML, ever reach the disk).
 *
 * The XML is exactly what libxlsxwriter writes for the same cells in
 * constant-memory mode (its worksheet.c: _write_number_cell with "%.16G",
 * _write_inline_string_cell after lxw_escape_control_characters and
 * lxw_escape_data, rows without "spans", a row without cells left out);
 * test_xlsx's test_spliced_rows_as_library compares the two byte for byte.
 *
 * Each sheet's rows are one segment of the temporary file: a run of deflate
 * blocks ended by a sync flush (byte-aligned, not final), so that the
 * deflated XML before and after the rows can be put around it as one
 * deflate stream. */
#define _GNU_SOURCE /* mkostemp */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <unistd.h>
#include <zlib.h>

#include "rc/numfmt.h"
#include "rc/util.h"
#include "xlsx_int.h"

#define XML_CAP ((size_t)1 << 18) /* XML gathered before deflating it */
#define OUT_CAP ((size_t)1 << 18) /* deflated bytes gathered before write(2) */

struct rc_xw_spool {
    int fd;
    int err; /* errno of the first failure; nothing more is written then */
    uint64_t size;
    z_stream zs;
    bool zs_open;
    unsigned char *xml, *out;
    size_t nxml;
    RC_VEC(rc_xw_segment) segs;
    /* the sheet being written */
    char (*colname)[4]; /* "A" .. "XFD" */
    unsigned char *collen;
    uint32_t ncols;
    bool row_open;
    uint32_t row;
    char rowname[12]; /* row + 1 in decimal */
    size_t rowlen;
};

static void fail(rc_xw_spool *s, int e)
{
    if (!s->err) s->err = e ? e : EIO;
}

static void write_out(rc_xw_spool *s, const unsigned char *p, size_t n)
{
    while (n && !s->err) {
        ssize_t k = write(s->fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            fail(s, errno);
            return;
        }
        p += k, n -= (size_t)k;
        s->size += (uint64_t)k;
    }
}

/* Deflates what is gathered (flush: Z_NO_FLUSH or Z_SYNC_FLUSH). */
static void deflate_xml(rc_xw_spool *s, int flush)
{
    rc_xw_segment *g = &s->segs.v[s->segs.n - 1];
    g->crc = libdeflate_crc32(g->crc, s->xml, s->nxml); /* faster than zlib 1.2.13 (PCLMUL) */
    g->ulen += s->nxml;
    s->zs.next_in = s->xml;
    s->zs.avail_in = (uInt)s->nxml;
    do {
        s->zs.next_out = s->out;
        s->zs.avail_out = (uInt)OUT_CAP;
        if (deflate(&s->zs, flush) == Z_STREAM_ERROR) {
            fail(s, ENOMEM);
            break;
        }
        write_out(s, s->out, OUT_CAP - s->zs.avail_out);
    } while (s->zs.avail_out == 0 && !s->err);
    s->nxml = 0;
}

static inline void room(rc_xw_spool *s, size_t n)
{
    if (XML_CAP - s->nxml < n) deflate_xml(s, Z_NO_FLUSH);
}

static inline void put(rc_xw_spool *s, const char *p, size_t n)
{
    room(s, n);
    memcpy(s->xml + s->nxml, p, n);
    s->nxml += n;
}

#define PUT_LIT(s, lit) put(s, lit, sizeof lit - 1)

void rc_xw_col_name(uint32_t c, char out[4])
{
    char t[4];
    size_t n = 0;
    for (uint32_t v = c + 1; v; v = (v - 1) / 26)
        t[n++] = (char)('A' + (v - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = 0;
}

size_t rc_xw_num_text(double v, char out[40])
{
    if (v == floor(v) && fabs(v) < 1e15) { /* what %.16G prints for it */
        size_t n = 0;
        if (v < 0 || (v == 0 && signbit(v))) out[n++] = '-';
        n += rc_utoa((uint64_t)fabs(v), out + n);
        out[n] = 0;
        return n;
    }
    char num[RC_FMT_CAP]; /* a %.16G is at most 23 bytes */
    size_t n = rc_fmt_g(v, 16, true, num);
    if (n >= 40) n = 39;
    memcpy(out, num, n);
    out[n] = 0;
    return n;
}

rc_status rc_xw_rows_open(rc_xw *x, const char *dir)
{
    rc_xw_spool *s = calloc(1, sizeof *s);
    if (!s) return RC_ERR_NOMEM;
    s->fd = -1;
    s->xml = malloc(XML_CAP);
    s->out = malloc(OUT_CAP);
    char *tmpl = rc_arena_printf(x->a, "%s/.reportc-rows.XXXXXX", dir);
    if (s->xml && s->out) s->fd = mkostemp(tmpl, O_CLOEXEC);
    if (s->fd < 0) {
        int e = s->xml && s->out ? errno : ENOMEM;
        free(s->xml);
        free(s->out);
        free(s);
        errno = e;
        return e == ENOMEM ? RC_ERR_NOMEM : RC_ERR_IO;
    }
    unlink(tmpl); /* nothing to clean up after a kill */
    x->spool = s;
    return RC_OK;
}

void rc_xw_rows_begin(rc_xw *x, unsigned sheet, uint32_t ncols)
{
    rc_xw_spool *s = x->spool;
    assert(s && !s->zs_open);
    RC_PUSH(x->a, s->segs, ((rc_xw_segment){.sheet = sheet, .off = s->size}));
    s->colname = rc_arena_array(x->a, ncols ? ncols : 1, sizeof *s->colname);
    s->collen = rc_arena_array(x->a, ncols ? ncols : 1, sizeof *s->collen);
    for (uint32_t c = 0; c < ncols; c++) {
        rc_xw_col_name(c, s->colname[c]);
        s->collen[c] = (unsigned char)strlen(s->colname[c]);
    }
    s->ncols = ncols;
    s->row_open = false;
    memset(&s->zs, 0, sizeof s->zs);
    if (deflateInit2(&s->zs, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fail(s, ENOMEM);
    else
        s->zs_open = true;
}

/* Opens row r (0-based) if it is not the open one: libxlsxwriter writes a
 * row only once it has a cell. */
static void cell_start(rc_xw_spool *s, uint32_t r, uint32_t c)
{
    if (!s->row_open || s->row != r) {
        if (s->row_open) PUT_LIT(s, "</row>");
        s->row_open = true;
        s->row = r;
        s->rowlen = rc_utoa((uint64_t)r + 1, s->rowname);
        PUT_LIT(s, "<row r=\"");
        put(s, s->rowname, s->rowlen);
        PUT_LIT(s, "\">");
    }
    PUT_LIT(s, "<c r=\"");
    put(s, s->colname[c], s->collen[c]);
    put(s, s->rowname, s->rowlen);
}

void rc_xw_rows_num(rc_xw *x, uint32_t r, uint32_t c, double v)
{
    rc_xw_spool *s = x->spool;
    if (s->err || !isfinite(v) || c >= s->ncols) return;
    cell_start(s, r, c);
    PUT_LIT(s, "\"><v>");
    char b[40];
    put(s, b, rc_xw_num_text(v, b));
    PUT_LIT(s, "</v></c>");
}

static bool xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n'; /* isspace, less what is escaped */
}

void rc_xw_rows_str(rc_xw *x, uint32_t r, uint32_t c, const char *t)
{
    rc_xw_spool *s = x->spool;
    if (s->err || !t || !*t || c >= s->ncols) return;
    size_t len = strlen(t);
    if (len > RC_XLSX_MAX_STRING) { /* bytes: may still fit in characters */
        t = rc_xw_fit_string(x, t);
        len = strlen(t);
    }
    cell_start(s, r, c);
    if (xml_space(t[0]) || xml_space(t[len - 1]))
        PUT_LIT(s, "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    else
        PUT_LIT(s, "\" t=\"inlineStr\"><is><t>");
    static const char hex[] = "0123456789ABCDEF";
    for (const char *p = t; *p;) {
        /* plain bytes go in runs */
        const char *q = p;
        while (*q && (unsigned char)*q >= 0x20 && *q != '&' && *q != '<' && *q != '>')
            q++;
        if (q > p) {
            for (size_t left = (size_t)(q - p); left;) {
                size_t k = left < XML_CAP / 2 ? left : XML_CAP / 2;
                put(s, p, k);
                p += k, left -= k;
            }
            continue;
        }
        unsigned char ch = (unsigned char)*p++;
        if (ch == '&') {
            PUT_LIT(s, "&amp;");
        } else if (ch == '<') {
            PUT_LIT(s, "&lt;");
        } else if (ch == '>') {
            PUT_LIT(s, "&gt;");
        } else if (ch == '\t' || ch == '\n') {
            put(s, (const char *)&ch, 1);
        } else { /* other control characters: Excel's _xHHHH_ */
            char e[7] = {'_', 'x', '0', '0', hex[ch >> 4], hex[ch & 15], '_'};
            put(s, e, sizeof e);
        }
    }
    PUT_LIT(s, "</t></is></c>");
}

void rc_xw_rows_end(rc_xw *x)
{
    rc_xw_spool *s = x->spool;
    if (!s || !s->zs_open) return;
    if (s->row_open) PUT_LIT(s, "</row>");
    s->row_open = false;
    if (!s->err) deflate_xml(s, Z_SYNC_FLUSH);
    deflateEnd(&s->zs);
    s->zs_open = false;
    rc_xw_segment *g = &s->segs.v[s->segs.n - 1];
    g->clen = s->size - g->off;
}

rc_status rc_xw_rows_splice(rc_xw *x)
{
    rc_xw_spool *s = x->spool;
    if (!s) return RC_OK;
    rc_xw_rows_end(x);
    if (s->err) {
        errno = s->err;
        return RC_ERR_IO;
    }
    return rc_xw_zip_splice(x, s->segs.v, s->segs.n, s->fd);
}

void rc_xw_rows_free(rc_xw *x)
{
    rc_xw_spool *s = x->spool;
    if (!s) return;
    if (s->zs_open) deflateEnd(&s->zs);
    close(s->fd);
    free(s->xml);
    free(s->out);
    free(s);
    x->spool = NULL;
}
