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
#include "pdf_objstm_int.h"
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

/* where each object ends up: type 1 (offset) or 2 (object stream, index) */
typedef struct slot {
    uint8_t type;
    uint32_t f3;
    size_t f2;
} slot;

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
    if (!rc_obuf_reserve(out, bound)) return rc_objstm_oom(c);
    size_t k = libdeflate_zlib_compress(z, s, n, out->p + out->n, bound);
    if (!k) return rc_objstm_oom(c); /* cannot happen with the bound */
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
    if (text->oom) return rc_objstm_oom(c);
    *firstp = first;
    zbuf->n = 0;
    /* (NULL: any compressor's bound; the helper may be using z) */
    return rc_obuf_reserve(zbuf, libdeflate_zlib_compress_bound(NULL, text->n)) ? true
                                                                                : rc_objstm_oom(c);
}

/* An object stream deflated (zbuf) written as object number num: m
 * objects, the first at offset first of its text. */
static bool objstm_put(ctx *c, size_t num, size_t m, size_t first, const rc_obuf *zbuf, slot *slots,
                       rc_obuf *out)
{
    if (!zbuf->n) return rc_objstm_oom(c); /* cannot happen with the bound */
    slots[num] = (slot){1, 0, rc_obuf_pos(out)};
    putf(out,
         "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu "
         ">>\nstream\n",
         num, m, first, zbuf->n);
    rc_obuf_put(out, zbuf->p, zbuf->n);
    puts_(out, "\nendstream\nendobj\n");
    return out->oom ? rc_objstm_oom(c) : true;
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
    if (!rc_obuf_reserve(text, size * (cols + 1) + cols)) return rc_objstm_oom(c);
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
    return out->oom ? rc_objstm_oom(c) : true;
}

/* The header's "%PDF-M.m": object streams need 1.5 or later. */
static bool check_header(ctx *c, size_t header)
{
    const unsigned char *s = c->in;
    if (header < 8 || memcmp(s, "%PDF-", 5) != 0 || !is_digit(s[5]) || s[6] != '.' ||
        !is_digit(s[7]))
        return rc_objstm_fail(c, 0, "no '%%PDF-' header");
    if (s[5] == '1' && s[7] < '5' && !is_digit(s[8]))
        return rc_objstm_fail(c, 5, "PDF %c.%c has no object streams (1.5 or later needed)", s[5],
                              s[7]);
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
        return rc_objstm_fail(c, ob->off, "object %u, given stream data, is not an empty stream",
                              ob->num);
    /* "/Length L 0 R" in the dictionary (a key, so followed by a space;
     * /Length1 is another key) */
    size_t i = ob->body, num, gen;
    while (i + 8 <= e - k && memcmp(c->in + i, "/Length ", 8) != 0)
        i++;
    if (i + 8 > e - k)
        return rc_objstm_fail(c, ob->off, "stream object %u has no /Length", ob->num);
    i += 8;
    if (!rc_objstm_read_ref(c, &i, &num, &gen) || gen != 0 || num == 0 || num >= size ||
        tab[num].type != 'n' || c->lenv[num])
        return rc_objstm_fail(c, i, "the /Length of stream object %u is not a reference of its own",
                              ob->num);
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
                return rc_objstm_fail(c, ob->off,
                                      "the data of stream object %u cannot be read back", ob->num);
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
    if (!c->ridx) return rc_objstm_oom(c);
    for (size_t k = 0; k < nraws; k++) {
        uint32_t num = raws[k].num;
        if (num >= size || tab[num].type != 'n' || tab[num].gen != 0 || c->ridx[num])
            return rc_objstm_fail(
                c, c->n, "object text given for object %u, not one object of the table", num);
        c->ridx[num] = (uint32_t)k + 1;
    }
    for (size_t k = 0; k < nobj; k++) {
        const obj *o = &objs[k];
        if (c->ridx[o->num] &&
            (o->stream || o->body_end - o->body != 4 || memcmp(c->in + o->body, "null", 4) != 0))
            return rc_objstm_fail(c, o->off, "object %u, given its text, is not a null placeholder",
                                  o->num);
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
        rc_objstm_fail(&c, 0, "larger than 4 GiB");
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
        rc_objstm_fail(&c, n, "no 'startxref' in the last 1,024 bytes");
        goto done;
    }
    size_t i = sx + 9;
    rc_objstm_skip_ws(&c, &i);
    if (!rc_objstm_read_uint(&c, &i, sx, &xref) || xref >= sx) {
        rc_objstm_fail(&c, i, "startxref is not followed by an offset inside the file");
        goto done;
    }
    if (!rc_objstm_read_xref(&c, xref, &tab, &size, &trailer) ||
        !rc_objstm_read_trailer(&c, trailer, size, &root, &info))
        goto done;
    if (tab[root].type != 'n' || (info && tab[info].type != 'n')) {
        rc_objstm_fail(&c, trailer, "/Root or /Info names a free object");
        goto done;
    }
    for (size_t k = 0; k < size; k++)
        nobj += tab[k].type == 'n';
    objs = malloc((nobj ? nobj : 1) * sizeof *objs);
    pick = malloc((nobj ? nobj : 1) * sizeof *pick);
    if (!objs || !pick) {
        rc_objstm_oom(&c);
        goto done;
    }
    if (!rc_objstm_read_objects(&c, tab, size, xref, objs, nobj, &header) ||
        !check_header(&c, header))
        goto done;
    if (nraws && !index_raws(&c, tab, size, objs, nobj, raws, nraws)) goto done;
    if (nblobs) {
        bidx = calloc(size, sizeof *bidx);
        c.lenv = calloc(size, sizeof *c.lenv);
        if (!bidx || !c.lenv) {
            rc_objstm_oom(&c);
            goto done;
        }
        for (size_t k = 0; k < nblobs; k++) {
            uint32_t num = blobs[k].num;
            if (num >= size || tab[num].type != 'n' || bidx[num]) {
                rc_objstm_fail(&c, n,
                               "stream data given for object %u, not one object of the table", num);
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
        rc_objstm_oom(&c);
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
        rc_objstm_fail(&c, n, "stream data given for an object that is not a stream");
        goto done;
    }
    for (size_t k = 0; c.lenv && k < nobj; k++) /* a new length is written where it is packed */
        if (c.lenv[objs[k].num] && (objs[k].stream || objs[k].gen != 0)) {
            rc_objstm_fail(&c, objs[k].off,
                           "the length of a stream, object %u, is not a number object",
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
                    rc_objstm_oom(&c);
                    goto done;
                }
                memset(ns + nslots, 0, nslots * sizeof *ns);
                slots = ns;
                nslots *= 2;
            }
            size_t first = 0; /* (set by objstm_text when it succeeds) */
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
