/* xlsx_zip: puts the rows written by xlsx_rows.c into the workbook that
 * libxlsxwriter closed without them.
 *
 * The workbook libxlsxwriter wrote (every member small: the streamed sheets
 * hold only their header row) is read into memory and written again beside
 * it, member by member in the same order: members untouched are copied
 * byte for byte (local header and data); a streamed sheet's member becomes
 * its own XML up to "</sheetData>", the rows' deflated segment from the
 * temporary file, then the rest of its XML — three pieces of one deflate
 * stream (the first two end with a sync flush), its CRC joined with
 * crc32_combine. The central directory is written anew with the new
 * offsets, in ZIP64 form where a size or offset needs it (APPNOTE 4.5.3),
 * as minizip does. The result is written over the file libxlsxwriter
 * wrote (read into memory first); rc_xw_close then verifies it as any
 * workbook. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "rc/util.h"
#include "xlsx_int.h"

#define U32_MAX 0xFFFFFFFFu

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

typedef struct zout {
    FILE *f;
    uint64_t off;
    bool bad;
} zout;

static void out(zout *z, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, z->f) != n) z->bad = true;
    z->off += n;
}

static void out16(zout *z, unsigned v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    out(z, b, 2);
}

static void out32(zout *z, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    out(z, b, 4);
}

static void out64(zout *z, uint64_t v)
{
    out32(z, (uint32_t)v);
    out32(z, (uint32_t)(v >> 32));
}

/* One member as the central directory will describe it. */
typedef struct member {
    const unsigned char *cen; /* its entry in the old directory */
    const char *name;
    size_t nlen;
    uint32_t crc;
    uint64_t csize, usize, loc_old, loc_new;
    bool spliced;             /* written anew, sizes in its local header */
    const rc_xw_segment *seg; /* the rows that go into it, or NULL */
} member;

/* Sizes and offset of a central entry, from its ZIP64 extra field when the
 * 32-bit fields say so. */
static bool entry_values(const unsigned char *e, const unsigned char *end, member *m)
{
    m->csize = rd32(e + 20);
    m->usize = rd32(e + 24);
    m->loc_old = rd32(e + 42);
    size_t nl = rd16(e + 28), xl = rd16(e + 30);
    const unsigned char *x = e + 46 + nl, *xe = x + xl;
    if (xe > end) return false;
    while (x + 4 <= xe) {
        size_t id = rd16(x), sz = rd16(x + 2);
        const unsigned char *p = x + 4;
        if (p + sz > xe) return false;
        if (id == 1) {
            const unsigned char *q = p;
            if (m->usize == U32_MAX && q + 8 <= p + sz) m->usize = rd64(q), q += 8;
            if (m->csize == U32_MAX && q + 8 <= p + sz) m->csize = rd64(q), q += 8;
            if (m->loc_old == U32_MAX && q + 8 <= p + sz) m->loc_old = rd64(q);
        }
        x = p + sz;
    }
    return true;
}

static bool big(uint64_t v)
{
    return v >= U32_MAX;
}

/* Deflates n bytes in one piece at level 1 (Z_SYNC_FLUSH or Z_FINISH). */
static unsigned char *deflate_piece(const char *p, size_t n, int flush, size_t *zn)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&zs, (uLong)n) + 16;
    unsigned char *b = malloc(cap);
    if (b) {
        zs.next_in = (Bytef *)(uintptr_t)p;
        zs.avail_in = (uInt)n;
        zs.next_out = b;
        zs.avail_out = (uInt)cap;
        int rc = deflate(&zs, flush);
        if ((flush == Z_FINISH && rc != Z_STREAM_END) || (flush != Z_FINISH && rc != Z_OK) ||
            zs.avail_in) {
            free(b);
            b = NULL;
        }
        *zn = cap - zs.avail_out;
    }
    deflateEnd(&zs);
    return b;
}

/* The member's XML (small: a streamed sheet without its rows). */
static char *inflate_member(const unsigned char *data, size_t clen, size_t ulen)
{
    char *xml = malloc(ulen + 1);
    if (!xml) return NULL;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
        free(xml);
        return NULL;
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)clen;
    zs.next_out = (Bytef *)xml;
    zs.avail_out = (uInt)ulen;
    int rc = inflate(&zs, Z_FINISH);
    bool ok = rc == Z_STREAM_END && zs.total_out == ulen;
    inflateEnd(&zs);
    if (!ok) {
        free(xml);
        return NULL;
    }
    xml[ulen] = 0;
    return xml;
}

/* The streamed sheet's XML split around its rows: head, tail. Its
 * <dimension> is already right: libxlsxwriter counts the autofilter, which
 * covers every data row of the sheet (xlsx_data.c's begin_sheet). */
static bool split_sheet(rc_arena *a, const char *xml, const char **head, const char **tail)
{
    const char *end = strstr(xml, "</sheetData>");
    if (end) {
        *head = rc_arena_strndup(a, xml, (size_t)(end - xml));
        *tail = end;
        return true;
    }
    const char *empty = strstr(xml, "<sheetData/>"); /* no header row either */
    if (!empty) return false;
    *head = rc_arena_printf(a, "%.*s<sheetData>", (int)(empty - xml), xml);
    *tail = rc_arena_printf(a, "</sheetData>%s", empty + 12);
    return true;
}

static const rc_xw_segment *segment_for(const member *m, const rc_xw_segment *segs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char want[40];
        int k = snprintf(want, sizeof want, "xl/worksheets/sheet%u.xml", segs[i].sheet);
        if ((size_t)k == m->nlen && memcmp(m->name, want, m->nlen) == 0) return &segs[i];
    }
    return NULL;
}

/* Copies n bytes at off of the rows file to the new zip. */
static bool copy_rows(zout *z, int fd, uint64_t off, uint64_t n, unsigned char *buf, size_t cap)
{
    while (n) {
        size_t want = n < cap ? (size_t)n : cap;
        ssize_t k = pread(fd, buf, want, (off_t)off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        out(z, buf, (size_t)k);
        off += (uint64_t)k, n -= (uint64_t)k;
    }
    return !z->bad;
}

/* Writes the streamed sheet m (its old local header at lh) with its rows. */
static bool write_spliced(rc_arena *a, zout *z, member *m, const unsigned char *lh,
                          const unsigned char *data, const rc_xw_segment *g, int fd,
                          unsigned char *buf, size_t cap)
{
    char *xml = inflate_member(data, (size_t)m->csize, (size_t)m->usize);
    const char *head, *tail;
    if (!xml || !split_sheet(a, xml, &head, &tail)) {
        free(xml);
        errno = EINVAL;
        return false;
    }
    size_t hl = strlen(head), tl = strlen(tail), hz = 0, tz = 0;
    unsigned char *hd = deflate_piece(head, hl, Z_SYNC_FLUSH, &hz);
    unsigned char *td = deflate_piece(tail, tl, Z_FINISH, &tz);
    bool ok = hd && td;
    if (ok) {
        uint32_t crc = (uint32_t)crc32(0, (const Bytef *)head, (uInt)hl);
        crc = (uint32_t)crc32_combine(crc, g->crc, (z_off_t)g->ulen);
        crc = (uint32_t)crc32_combine(crc, (uint32_t)crc32(0, (const Bytef *)tail, (uInt)tl),
                                      (z_off_t)tl);
        m->crc = crc;
        m->csize = hz + g->clen + tz;
        m->usize = hl + g->ulen + tl;
        bool z64 = big(m->csize) || big(m->usize);
        m->loc_new = z->off;
        m->spliced = true;
        out32(z, 0x04034b50);
        out16(z, z64 ? 45 : rd16(lh + 4));
        out16(z, rd16(lh + 6) & ~8u); /* sizes are in the header: no data descriptor */
        out16(z, 8);
        out(z, lh + 10, 4); /* time, date */
        out32(z, m->crc);
        out32(z, z64 ? U32_MAX : (uint32_t)m->csize);
        out32(z, z64 ? U32_MAX : (uint32_t)m->usize);
        out16(z, (unsigned)m->nlen);
        out16(z, z64 ? 20 : 0);
        out(z, m->name, m->nlen);
        if (z64) {
            out16(z, 1);
            out16(z, 16);
            out64(z, m->usize);
            out64(z, m->csize);
        }
        out(z, hd, hz);
        ok = copy_rows(z, fd, g->off, g->clen, buf, cap);
        out(z, td, tz);
    }
    free(hd);
    free(td);
    free(xml); /* tail points into it */
    if (!ok && !errno) errno = EIO;
    return ok && !z->bad;
}

static void write_central(zout *z, const member *m)
{
    const unsigned char *e = m->cen;
    bool zu = big(m->usize), zc = big(m->csize), zo = big(m->loc_new);
    unsigned xlen = (zu || zc || zo) ? 4u + 8u * (zu + zc + zo) : 0;
    size_t clen = rd16(e + 32);
    out32(z, 0x02014b50);
    out16(z, rd16(e + 4));                                  /* made by */
    out16(z, xlen ? 45 : rd16(e + 6));                      /* needed */
    out16(z, m->spliced ? rd16(e + 8) & ~8u : rd16(e + 8)); /* flags */
    out(z, e + 10, 6);                                      /* method, time, date */
    out32(z, m->crc);
    out32(z, zc ? U32_MAX : (uint32_t)m->csize);
    out32(z, zu ? U32_MAX : (uint32_t)m->usize);
    out16(z, (unsigned)m->nlen);
    out16(z, xlen);
    out16(z, (unsigned)clen);
    out(z, e + 34, 8); /* disk, internal and external attributes */
    out32(z, zo ? U32_MAX : (uint32_t)m->loc_new);
    out(z, m->name, m->nlen);
    if (xlen) {
        out16(z, 1);
        out16(z, xlen - 4);
        if (zu) out64(z, m->usize);
        if (zc) out64(z, m->csize);
        if (zo) out64(z, m->loc_new);
    }
    out(z, e + 46 + m->nlen + rd16(e + 30), clen);
}

rc_status rc_xw_zip_splice(rc_xw *x, const rc_xw_segment *segs, size_t nsegs, int fd)
{
    char *zip;
    size_t n;
    if (rc_read_file(x->a, x->tmp, &zip, &n) != RC_OK) return RC_ERR_IO;
    const unsigned char *u = (const unsigned char *)zip, *eocd = NULL;
    for (size_t i = n >= 22 ? n - 22 + 1 : 0; i-- > 0 && !eocd;)
        if (memcmp(u + i, "PK\x05\x06", 4) == 0) eocd = u + i;
    errno = EINVAL; /* not a zip libxlsxwriter could have written */
    if (!eocd) return RC_ERR_IO;
    uint64_t count = rd16(eocd + 10), cd_off = rd32(eocd + 16);
    if ((cd_off == U32_MAX || count == 0xFFFF) && eocd - u >= 20 + 56 &&
        memcmp(eocd - 20, "PK\x06\x07", 4) == 0) {
        uint64_t rec = rd64(eocd - 20 + 8);
        if (rec + 56 > n || memcmp(u + rec, "PK\x06\x06", 4) != 0) return RC_ERR_IO;
        count = rd64(u + rec + 32);
        cd_off = rd64(u + rec + 48);
    }
    if (cd_off > n || count > n / 46) return RC_ERR_IO;
    member *ms = rc_arena_array(x->a, count ? count : 1, sizeof *ms);
    const unsigned char *e = u + cd_off, *end = u + n;
    for (uint64_t i = 0; i < count; i++) {
        if (e + 46 > end || memcmp(e, "PK\x01\x02", 4) != 0) return RC_ERR_IO;
        member *m = &ms[i];
        m->cen = e;
        m->crc = rd32(e + 16);
        m->nlen = rd16(e + 28);
        m->name = (const char *)e + 46;
        if (!entry_values(e, end, m)) return RC_ERR_IO;
        e += 46 + m->nlen + rd16(e + 30) + rd16(e + 32);
        if (e > end || m->loc_old + 30 > cd_off) return RC_ERR_IO;
    }
    /* Every member's local header, and a sheet for every segment, are
     * checked before x->tmp is touched: rows without their sheet are an
     * error (never dropped), and the workbook is then left as it was. */
    size_t spliced = 0;
    for (uint64_t i = 0; i < count; i++) {
        const unsigned char *lh = u + ms[i].loc_old;
        if (memcmp(lh, "PK\x03\x04", 4) != 0) return RC_ERR_IO;
        const unsigned char *data = lh + 30 + rd16(lh + 26) + rd16(lh + 28);
        ms[i].seg = segment_for(&ms[i], segs, nsegs);
        if (ms[i].seg && !(rd16(lh + 8) == 8 && data + ms[i].csize <= u + cd_off))
            ms[i].seg = NULL; /* (copied as it is) */
        if (ms[i].seg) spliced++;
    }
    if (spliced != nsegs) return RC_ERR_IO;
    errno = 0;

    /* Written over x->tmp itself: its bytes are all in memory (zip), and
     * it is a temporary no one else reads (rc_xw_open's, or the build's),
     * so a third file and a rename would buy nothing; a failure here
     * makes rc_xw_close remove it. */
    int fd_out = open(x->tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    zout z = {fd_out >= 0 ? fdopen(fd_out, "wb") : NULL, 0, false};
    if (!z.f) {
        if (fd_out >= 0) close(fd_out);
        return RC_ERR_IO;
    }
    size_t cap = (size_t)1 << 20;
    unsigned char *buf = malloc(cap);
    setvbuf(z.f, NULL, _IOFBF, (size_t)1 << 20);
    bool ok = buf != NULL;
    for (uint64_t i = 0; i < count && ok; i++) {
        member *m = &ms[i];
        const unsigned char *lh = u + m->loc_old;
        const unsigned char *data = lh + 30 + rd16(lh + 26) + rd16(lh + 28);
        if (m->seg) {
            ok = write_spliced(x->a, &z, m, lh, data, m->seg, fd, buf, cap);
        } else {
            /* as it was, up to the next member (a data descriptor included) */
            uint64_t stop = cd_off;
            for (uint64_t k = 0; k < count; k++)
                if (ms[k].loc_old > m->loc_old && ms[k].loc_old < stop) stop = ms[k].loc_old;
            m->loc_new = z.off;
            out(&z, lh, (size_t)(stop - m->loc_old));
        }
    }
    uint64_t cd_new = z.off;
    for (uint64_t i = 0; i < count && ok; i++)
        write_central(&z, &ms[i]);
    uint64_t cd_size = z.off - cd_new;
    bool z64 = big(cd_new) || big(cd_size) || count >= 0xFFFF;
    if (ok && z64) {
        uint64_t rec = z.off;
        out32(&z, 0x06064b50);
        out64(&z, 44);
        out16(&z, 45);
        out16(&z, 45);
        out32(&z, 0);
        out32(&z, 0);
        out64(&z, count);
        out64(&z, count);
        out64(&z, cd_size);
        out64(&z, cd_new);
        out32(&z, 0x07064b50);
        out32(&z, 0);
        out64(&z, rec);
        out32(&z, 1);
    }
    if (ok) {
        out32(&z, 0x06054b50);
        out32(&z, 0);
        out16(&z, z64 ? 0xFFFF : (unsigned)count);
        out16(&z, z64 ? 0xFFFF : (unsigned)count);
        out32(&z, big(cd_size) ? U32_MAX : (uint32_t)cd_size);
        out32(&z, z64 ? U32_MAX : (uint32_t)cd_new);
        out16(&z, 0);
    }
    free(buf);
    int e1 = errno;
    if (fclose(z.f) != 0 || z.bad) {
        ok = false;
        e1 = errno ? errno : EIO;
    }
    if (!ok) {
        errno = e1 ? e1 : EIO;
        return RC_ERR_IO;
    }
    return RC_OK;
}
