/* Tests for the object-stream packer (pdf_objstm.c). Documents are made by
 * libharu, packed, and read back by a reader written here that shares no
 * code with the packer: from startxref to the cross-reference stream
 * (inflated with zlib, PNG Up undone), through every entry to the object
 * or the object stream it names. Every object of the input must be found
 * there with the same bytes: streams at the top level as they were, the
 * other objects' values inside object streams. qpdf, pdfinfo and mutool
 * must find nothing to warn about, and input the packer cannot trust must fail with a
 * located message and no output. */
#define _GNU_SOURCE /* sched_setaffinity, CPU_COUNT */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <errno.h>
#include <hpdf.h>
#include <zlib.h>

#include "rc/pdf.h"
#include "rc/util.h"
#include "../../../src/pdf/pdf_objstm.h" /* the packer is internal to the PDF stage */
#include "../base/cpu_check.h"

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

/* A libharu document of npages pages (PDF 1.7, as pdf_xmp.c sets it). The
 * first page's content is not deflated and shows "endobj endstream", and
 * the title holds "endobj": the packer may not be fooled by either. tag
 * varies the last page's text. */
static bytes make_doc(int npages, char tag)
{
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    doc->pdf_version = HPDF_VER_17;
    HPDF_Font font = HPDF_GetFont(doc, "Helvetica", NULL);
    assert_non_null(font);
    for (int i = 0; i < npages; i++) {
        HPDF_SetCompressionMode(doc, i == 0 ? HPDF_COMP_NONE : HPDF_COMP_ALL);
        HPDF_Page pg = HPDF_AddPage(doc);
        assert_non_null(pg);
        char text[64];
        snprintf(text, sizeof text, i == 0 ? "endobj endstream" : "page %d %c", i + 1,
                 i == npages - 1 ? tag : '.');
        assert_int_equal(HPDF_Page_BeginText(pg), HPDF_OK);
        assert_int_equal(HPDF_Page_SetFontAndSize(pg, font, 12), HPDF_OK);
        assert_int_equal(HPDF_Page_TextOut(pg, 72, 700, text), HPDF_OK);
        assert_int_equal(HPDF_Page_EndText(pg), HPDF_OK);
    }
    assert_int_equal(HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, "A title (endobj) with\nendobj"),
                     HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(doc), HPDF_OK);
    bytes b = {NULL, HPDF_GetStreamSize(doc)};
    b.p = malloc(b.n);
    assert_non_null(b.p);
    HPDF_UINT32 k = (HPDF_UINT32)b.n;
    HPDF_STATUS st = HPDF_ReadFromStream(doc, b.p, &k);
    assert_true(st == HPDF_OK || st == HPDF_STREAM_EOF);
    assert_int_equal(k, b.n);
    HPDF_Free(doc);
    return b;
}

static const unsigned char *find(const unsigned char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

static const unsigned char *find_last(const unsigned char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

static bool ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* The number after key inside s[0..n) (e.g. "/Size "). */
static long num_after(const unsigned char *s, size_t n, const char *key)
{
    const unsigned char *k = find(s, n, key);
    assert_non_null(k);
    return strtol((const char *)k + strlen(key), NULL, 10);
}

/* ---- the input, read the classic way ---- */

typedef struct in_obj {
    bool used, stream;
    size_t off, end;     /* "N 0 obj" .. just past "endobj" */
    size_t val, val_end; /* the value, whitespace trimmed */
} in_obj;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Objects of a libharu file by number (one xref subsection "0 N"). */
static in_obj *read_input(const bytes *in, size_t *count)
{
    const unsigned char *sx = find_last(in->p, in->n, "startxref");
    assert_non_null(sx);
    size_t xref = strtoul((const char *)sx + 10, NULL, 10);
    assert_memory_equal(in->p + xref, "xref\n0 ", 7);
    char *e;
    size_t size = strtoul((const char *)in->p + xref + 7, &e, 10);
    const unsigned char *ent = (const unsigned char *)e + 1;
    in_obj *o = calloc(size, sizeof *o);
    size_t *offs = calloc(size + 1, sizeof *offs), noff = 0;
    for (size_t i = 0; i < size; i++, ent += 20) {
        if (ent[17] != 'n') continue;
        o[i].used = true;
        o[i].off = strtoul((const char *)ent, NULL, 10);
        offs[noff++] = o[i].off;
    }
    offs[noff++] = xref;
    qsort(offs, noff, sizeof *offs, cmp_size);
    for (size_t i = 0; i < size; i++) {
        if (!o[i].used) continue;
        size_t next = xref;
        for (size_t k = 0; k + 1 < noff; k++)
            if (offs[k] == o[i].off) next = offs[k + 1];
        const unsigned char *end = find_last(in->p + o[i].off, next - o[i].off, "endobj");
        assert_non_null(end);
        o[i].end = (size_t)(end - in->p) + 6;
        const unsigned char *v = find(in->p + o[i].off, 24, " obj");
        assert_non_null(v);
        o[i].val = (size_t)(v - in->p) + 4;
        o[i].val_end = (size_t)(end - in->p);
        while (ws(in->p[o[i].val]))
            o[i].val++;
        while (ws(in->p[o[i].val_end - 1]))
            o[i].val_end--;
        o[i].stream =
            o[i].val_end - o[i].val > 9 && memcmp(in->p + o[i].val_end - 9, "endstream", 9) == 0;
    }
    free(offs);
    *count = size;
    return o;
}

/* ---- the output, read through its cross-reference stream ---- */

typedef struct xent {
    int type;
    size_t f2, f3;
} xent;

/* The stream data of the object at off, inflated (malloc'd, *len bytes);
 * *dict and *dlen: its dictionary. */
static unsigned char *inflate_at(const bytes *out, size_t off, const unsigned char **dict,
                                 size_t *dlen, size_t *len)
{
    const unsigned char *s = out->p + off;
    const unsigned char *st = find(s, out->n - off, ">>\nstream\n");
    assert_non_null(st);
    *dict = s;
    *dlen = (size_t)(st - s) + 2;
    size_t zlen = (size_t)num_after(s, *dlen, "/Length ");
    const unsigned char *data = st + 10;
    assert_true(data + zlen <= out->p + out->n);
    assert_memory_equal(data + zlen, "\nendstream\nendobj\n", 18);
    uLongf cap = 1 << 20;
    unsigned char *raw = malloc(cap);
    assert_int_equal(uncompress(raw, &cap, data, zlen), Z_OK);
    *len = cap;
    return raw;
}

/* Reads the packed file, checks it against the input object by object;
 * returns the number of object streams. */
static size_t check_packed(const bytes *in, const bytes *out)
{
    size_t nin;
    in_obj *io = read_input(in, &nin);
    /* the header (version, binary comment) is the input's */
    size_t header = io[1].off;
    assert_memory_equal(out->p, in->p, header);
    assert_memory_equal(out->p + out->n - 6, "%%EOF\n", 6);

    const unsigned char *sx = find_last(out->p, out->n, "startxref\n");
    assert_non_null(sx);
    size_t xoff = strtoul((const char *)sx + 10, NULL, 10);
    assert_true(xoff < out->n);
    const unsigned char *dict;
    size_t dlen, rawlen;
    unsigned char *raw = inflate_at(out, xoff, &dict, &dlen, &rawlen);
    assert_non_null(find(dict, dlen, "/Type /XRef"));
    assert_null(find(dict, dlen, "/Index")); /* one section from 0 */
    size_t size = (size_t)num_after(dict, dlen, "/Size ");
    const unsigned char *w = find(dict, dlen, "/W [");
    assert_non_null(w);
    char *e;
    size_t w1 = strtoul((const char *)w + 4, &e, 10), w2 = strtoul(e, &e, 10),
           w3 = strtoul(e, &e, 10);
    size_t cols = w1 + w2 + w3;
    assert_int_equal(w1, 1);
    assert_int_equal(num_after(dict, dlen, "/Columns "), cols);
    assert_int_equal(num_after(dict, dlen, "/Predictor "), 12);
    assert_int_equal(rawlen, size * (cols + 1));
    /* the trailer's catalog: the input's /Root */
    const unsigned char *inroot = find(in->p, in->n, "/Root ");
    assert_int_equal(num_after(dict, dlen, "/Root "), strtol((const char *)inroot + 6, NULL, 10));
    /* the ID: the hash of all before the cross-reference stream, twice */
    char hex[33];
    rc_pdf_objstm_id(out->p, xoff, hex);
    char id[80];
    snprintf(id, sizeof id, "/ID [<%s><%s>]", hex, hex);
    assert_non_null(find(dict, dlen, id));

    /* undo PNG Up, decode the entries */
    xent *x = calloc(size, sizeof *x);
    unsigned char prev[16] = {0};
    for (size_t r = 0; r < size; r++) {
        unsigned char *row = raw + r * (cols + 1);
        assert_int_equal(row[0], 2);
        size_t f[3] = {0, 0, 0}, wd[3] = {w1, w2, w3}, b = 0;
        for (int k = 0; k < 3; k++)
            for (size_t j = 0; j < wd[k]; j++, b++) {
                prev[b] = (unsigned char)(prev[b] + row[1 + b]);
                f[k] = f[k] << 8 | prev[b];
            }
        x[r] = (xent){(int)f[0], f[1], f[2]};
    }
    free(raw);
    assert_int_equal(x[0].type, 0);

    /* every top-level entry points at its own "N 0 obj" */
    size_t top = 0, packed = 0, objstms = 0;
    for (size_t k = 0; k < size; k++) {
        if (x[k].type != 1) continue;
        char hdr[32];
        int hn = snprintf(hdr, sizeof hdr, "%zu 0 obj\n", k);
        assert_true(x[k].f2 >= header && x[k].f2 + (size_t)hn < out->n);
        assert_memory_equal(out->p + x[k].f2, hdr, (size_t)hn);
        top++;
    }
    /* every object of the input, found with the same bytes */
    for (size_t k = 1; k < nin; k++) {
        if (!io[k].used) {
            assert_int_equal(x[k].type, 0);
            continue;
        }
        if (io[k].stream) {
            assert_int_equal(x[k].type, 1);
            assert_memory_equal(out->p + x[k].f2, in->p + io[k].off, io[k].end - io[k].off);
            continue;
        }
        assert_int_equal(x[k].type, 2);
        size_t sn = x[k].f2;
        assert_true(sn >= nin && sn < size); /* numbered after the input's objects */
        assert_int_equal(x[sn].type, 1);
        const unsigned char *sd;
        size_t sdlen, slen;
        unsigned char *s = inflate_at(out, x[sn].f2, &sd, &sdlen, &slen);
        assert_non_null(find(sd, sdlen, "/Type /ObjStm"));
        size_t nobj = (size_t)num_after(sd, sdlen, "/N "),
               first = (size_t)num_after(sd, sdlen, "/First ");
        assert_true(nobj <= RC_PDF_OBJSTM_MAX && x[k].f3 < nobj && first < slen);
        /* the pairs "num offset", then the objects */
        size_t pnum = 0, poff = 0, nextoff = slen - first;
        char *q = (char *)s;
        for (size_t j = 0; j <= x[k].f3 + 1 && j < nobj; j++) {
            size_t a = strtoul(q, &q, 10), b = strtoul(q, &q, 10);
            if (j == x[k].f3) pnum = a, poff = b;
            if (j == x[k].f3 + 1) nextoff = b;
        }
        assert_int_equal(pnum, k);
        const unsigned char *v = s + first + poff, *ve = s + first + nextoff;
        while (ve > v && ws(ve[-1]))
            ve--;
        assert_int_equal((size_t)(ve - v), io[k].val_end - io[k].val);
        assert_memory_equal(v, in->p + io[k].val, io[k].val_end - io[k].val);
        free(s);
        packed++;
    }
    for (size_t k = nin; k < size; k++) { /* what was added: object streams and this one */
        assert_int_equal(x[k].type, 1);
        if (k + 1 < size) {
            assert_non_null(find(out->p + x[k].f2, 64, "/Type /ObjStm"));
            objstms++;
        }
    }
    assert_int_equal(size, nin + objstms + 1);
    size_t used = 0;
    for (size_t k = 0; k < nin; k++)
        used += io[k].used;
    assert_int_equal(top + packed, used + objstms + 1);
    free(x);
    free(io);
    return objstms;
}

/* Runs the shell command line and returns its exit status, its output in
 * buf. */
static int run(const char *line, char *buf, size_t cap)
{
    FILE *f = popen(line, "r");
    assert_non_null(f);
    size_t got = fread(buf, 1, cap - 1, f);
    buf[got] = 0;
    return pclose(f);
}

/* Three other readers of the file (test dependencies: qpdf, poppler-utils,
 * mupdf-tools) find nothing to warn about. */
static void readers_check(const bytes *out)
{
    char path[] = "/tmp/rc-test-pack-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, out->p, out->n), (ssize_t)out->n);
    close(fd);
    char buf[4096], cmd[256];
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", path);
    int st = run(cmd, buf, sizeof buf);
    if (st != 0 || strstr(buf, "WARNING")) fprintf(stderr, "%s", buf);
    assert_int_equal(st, 0);
    assert_null(strstr(buf, "WARNING"));
    assert_non_null(strstr(buf, "No syntax or stream encoding errors"));
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    st = run(cmd, buf, sizeof buf);
    assert_int_equal(st, 0);
    assert_null(strstr(buf, "rror")); /* "Syntax Error", "Internal Error" */
    assert_non_null(strstr(buf, "Title:           A title (endobj) with"));
    /* mutool writes its warnings ("repairing PDF document", ...) to stderr
     * (and mutool 1.21 spins when the output name does not end in .pdf) */
    snprintf(cmd, sizeof cmd, "mutool clean '%s' '%s.clean.pdf' 2>&1", path, path);
    st = run(cmd, buf, sizeof buf);
    assert_int_equal(st, 0);
    if (buf[0]) fprintf(stderr, "mutool: %s", buf);
    assert_string_equal(buf, "");
    char clean[64];
    snprintf(clean, sizeof clean, "%s.clean.pdf", path);
    unlink(clean);
    unlink(path);
}

static bytes pack(const bytes *in)
{
    bytes out = {0};
    char err[256];
    rc_status st = rc_pdf_objstm_pack(in->p, in->n, &out.p, &out.n, err, sizeof err);
    if (st != RC_OK) fprintf(stderr, "%s\n", err);
    assert_int_equal(st, RC_OK);
    assert_non_null(out.p);
    return out;
}

static void test_small_document(void **state)
{
    (void)state;
    bytes in = make_doc(3, 'a');
    bytes out = pack(&in);
    assert_int_equal(check_packed(&in, &out), 1);
    assert_true(out.n < in.n);
    readers_check(&out);
    /* equal inputs, equal bytes; another input, another ID */
    bytes again = pack(&in);
    assert_int_equal(again.n, out.n);
    assert_memory_equal(again.p, out.p, out.n);
    bytes in2 = make_doc(3, 'b');
    bytes out2 = pack(&in2);
    const unsigned char *id1 = find(out.p, out.n, "/ID [<"), *id2 = find(out2.p, out2.n, "/ID [<");
    assert_non_null(id1);
    assert_non_null(id2);
    assert_memory_not_equal(id1, id2, 6 + 32);
    free(in.p), free(out.p), free(again.p), free(in2.p), free(out2.p);
}

/* 260 pages: 520 page dictionaries and stream lengths to pack, more than
 * one object stream holds. */
static void test_many_objects(void **state)
{
    (void)state;
    bytes in = make_doc(260, 'a');
    bytes out = pack(&in);
    size_t nstm = check_packed(&in, &out);
    assert_true(nstm >= 3);
    readers_check(&out);
    free(in.p), free(out.p);
}

/* The object streams deflated on the helper thread (pdf_zpipe.c, when a
 * second CPU may run it) give the bytes of deflating them here (one CPU):
 * same streams, same order. */
static void test_helper_same_bytes(void **state)
{
    (void)state;
    cpu_set_t all;
    assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
    if (CPU_COUNT(&all) < 2) skip(); /* (both runs would be the one-CPU kind) */
    bytes in = make_doc(900, 'h');
    bytes two = pack(&in);
    assert_true(check_packed(&in, &two) >= 5);
    rc_test_one_cpu(&all);
    bytes here = pack(&in);
    rc_test_all_cpus(&all);
    assert_int_equal(here.n, two.n);
    assert_memory_equal(here.p, two.p, two.n);
    free(in.p), free(two.p), free(here.p);
}

/* 40 pages, each dictionary holding a 40 KB string: an object stream
 * closes after one or two of them (RC_PDF_OBJSTM_BYTES), so there are more
 * streams than the packer first makes room for (one per 200 objects, and
 * 16) and its table of places grows. */
static void test_big_objects(void **state)
{
    (void)state;
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    doc->pdf_version = HPDF_VER_17;
    char *big = malloc(40001);
    assert_non_null(big);
    for (int i = 0; i < 40000; i++)
        big[i] = (char)('a' + i % 26);
    big[40000] = '\0';
    for (int i = 0; i < 40; i++) {
        HPDF_Page pg = HPDF_AddPage(doc);
        assert_non_null(pg);
        big[0] = (char)('A' + i % 26);
        assert_int_equal(HPDF_Dict_Add(pg, "Big", HPDF_String_New(doc->mmgr, big, NULL)), HPDF_OK);
    }
    free(big);
    assert_int_equal(HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, "A title (endobj) with"), HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(doc), HPDF_OK);
    bytes in = {NULL, HPDF_GetStreamSize(doc)};
    in.p = malloc(in.n);
    assert_non_null(in.p);
    HPDF_UINT32 k = (HPDF_UINT32)in.n;
    HPDF_STATUS st = HPDF_ReadFromStream(doc, in.p, &k);
    assert_true(st == HPDF_OK || st == HPDF_STREAM_EOF);
    HPDF_Free(doc);
    bytes out = pack(&in);
    assert_true(check_packed(&in, &out) >= 20);
    readers_check(&out);
    free(in.p), free(out.p);
}

/* Damaged input fails with RC_ERR_LIBRARY, a message naming the byte
 * offset, and no output. */
static void expect_failure(const unsigned char *p, size_t n, const char *what)
{
    unsigned char *out = (unsigned char *)"not touched";
    size_t len = 123;
    char err[256];
    assert_int_equal(rc_pdf_objstm_pack(p, n, &out, &len, err, sizeof err), RC_ERR_LIBRARY);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err, "malformed PDF at byte "));
    if (!strstr(err, what)) fprintf(stderr, "message: %s\n", err);
    assert_non_null(strstr(err, what));
}

static void test_corrupt_input(void **state)
{
    (void)state;
    bytes in = make_doc(2, 'a');
    unsigned char *c = malloc(in.n);
    /* an xref entry one byte off */
    memcpy(c, in.p, in.n);
    unsigned char *xref = (unsigned char *)find_last(c, in.n, "xref\n0 ");
    unsigned char *e2 = xref + (size_t)(find(xref, 40, "\n0000000000 65535 f") - xref) + 1 + 2 * 20;
    e2[9] = e2[9] == '9' ? '8' : (unsigned char)(e2[9] + 1);
    expect_failure(c, in.n, "entry for object 2 does not point at it");
    /* an object that does not end with endobj */
    memcpy(c, in.p, in.n);
    unsigned char *eo = (unsigned char *)find(c, in.n, "endobj");
    eo[5] = 'X';
    expect_failure(c, in.n, "object 1 does not end with 'endobj'");
    /* cut short: no startxref */
    expect_failure(in.p, in.n / 2, "no 'startxref'");
    expect_failure(in.p, 0, "no 'startxref'");
    /* startxref past the table */
    memcpy(c, in.p, in.n);
    unsigned char *sx = (unsigned char *)find_last(c, in.n, "startxref\n");
    for (unsigned char *d = sx + 10; *d >= '0' && *d <= '9'; d++)
        *d = '9';
    expect_failure(c, in.n, "startxref");
    /* a trailer entry the packer does not know (an encrypted or updated file) */
    memcpy(c, in.p, in.n);
    memcpy((unsigned char *)find_last(c, in.n, "/Info"), "/Prev", 5);
    expect_failure(c, in.n, "trailer entry /Prev is not supported");
    /* a catalog of another generation (the cross-reference stream names
     * generation-0 objects only) */
    memcpy(c, in.p, in.n);
    unsigned char *root = (unsigned char *)find_last(c, in.n, "/Root 1 0 R");
    assert_non_null(root);
    root[8] = '1';
    expect_failure(c, in.n, "/Root is not a reference to a generation-0 object");
    /* a version without object streams */
    memcpy(c, in.p, in.n);
    memcpy(c, "%PDF-1.4", 8);
    expect_failure(c, in.n, "PDF 1.4 has no object streams");
    /* /Size that disagrees with the table */
    memcpy(c, in.p, in.n);
    unsigned char *sz = (unsigned char *)find_last(c, in.n, "/Size ");
    sz[6] = sz[6] == '9' ? '8' : (unsigned char)(sz[6] + 1);
    expect_failure(c, in.n, "/Size does not match");
    free(c);
    free(in.p);
}

/* Stream data as blobs (what the PDF writer does): libharu writes the
 * first page's content stream empty, the packer puts the given bytes in
 * and writes the stream's /Length object with their count; readers see
 * the page's text. Blobs for an object that is not an empty stream, or
 * twice for one object, are refused. */
static void test_blobs(void **state)
{
    (void)state;
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    doc->pdf_version = HPDF_VER_17;
    HPDF_SetCompressionMode(doc, HPDF_COMP_NONE);
    HPDF_Page pg[2] = {HPDF_AddPage(doc), HPDF_AddPage(doc)};
    assert_non_null(pg[0]);
    assert_non_null(pg[1]);
    assert_int_equal(HPDF_Page_Rectangle(pg[1], 10, 10, 20, 20), HPDF_OK);
    HPDF_Dict contents[2] = {((HPDF_PageAttr)pg[0]->attr)->contents,
                             ((HPDF_PageAttr)pg[1]->attr)->contents};
    HPDF_MemStream_FreeData(contents[0]->stream);
    /* the title readers_check looks for */
    assert_int_equal(HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, "A title (endobj) with\nendobj"),
                     HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(doc), HPDF_OK);
    bytes in = {NULL, HPDF_GetStreamSize(doc)};
    in.p = malloc(in.n);
    HPDF_UINT32 k = (HPDF_UINT32)in.n;
    HPDF_ReadFromStream(doc, in.p, &k);
    uint32_t num[2] = {contents[0]->header.obj_id & 0xFFFFFF,
                       contents[1]->header.obj_id & 0xFFFFFF};
    uint32_t catalog = doc->catalog->header.obj_id & 0xFFFFFF;
    HPDF_Free(doc);

    static const char text[] = "0 0 1 rg 100 100 300 200 re f\n";
    rc_pdf_blob b = {.num = num[0], .data = (const unsigned char *)text, .n = sizeof text - 1};
    bytes out = {0};
    char err[256];
    assert_int_equal(rc_pdf_objstm_pack_blobs(in.p, in.n, &b, 1, &out.p, &out.n, err, sizeof err),
                     RC_OK);
    const char *path = "/tmp/rc-test-pack-blob.pdf";
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out.p, 1, out.n, f), out.n);
    fclose(f);
    char cmd[256], got[512];
    snprintf(cmd, sizeof cmd,
             "qpdf --check '%s' >/dev/null 2>&1 && qpdf --show-object=%u "
             "--filtered-stream-data '%s'",
             path, num[0], path);
    assert_int_equal(run(cmd, got, sizeof got), 0);
    assert_string_equal(got, text);
    readers_check(&out);
    free(out.p);

    /* the same data from a spool file (pdf_zip.c), at an offset: the same bytes */
    FILE *sp = tmpfile();
    assert_non_null(sp);
    assert_int_equal(fwrite("junk", 1, 4, sp), 4);
    assert_int_equal(fwrite(text, 1, sizeof text - 1, sp), sizeof text - 1);
    assert_int_equal(fflush(sp), 0);
    rc_pdf_blob sb = {.num = num[0], .n = sizeof text - 1, .file = sp, .off = 4};
    bytes out2 = {0};
    assert_int_equal(
        rc_pdf_objstm_pack_blobs(in.p, in.n, &sb, 1, &out2.p, &out2.n, err, sizeof err), RC_OK);
    bytes again = {0};
    assert_int_equal(
        rc_pdf_objstm_pack_blobs(in.p, in.n, &b, 1, &again.p, &again.n, err, sizeof err), RC_OK);
    assert_int_equal(out2.n, again.n);
    assert_memory_equal(out2.p, again.p, again.n);
    sb.off = 1000; /* past the end: refused, with the object named */
    free(out2.p);
    out2.p = NULL;
    assert_int_equal(
        rc_pdf_objstm_pack_blobs(in.p, in.n, &sb, 1, &out2.p, &out2.n, err, sizeof err),
        RC_ERR_LIBRARY);
    assert_null(out2.p);
    assert_non_null(strstr(err, "cannot be read back"));
    fclose(sp);
    free(again.p);

    rc_pdf_blob twice[2] = {b, b};
    rc_pdf_blob full = {.num = num[1], .data = b.data, .n = b.n},
                cat = {.num = catalog, .data = b.data, .n = b.n},
                none = {.num = 4000000, .data = b.data, .n = b.n};
    const struct {
        const rc_pdf_blob *b;
        size_t n;
        const char *why;
    } bad[] = {{twice, 2, "not one object of the table"},
               {&full, 1, "is not an empty stream"},
               {&cat, 1, "not a stream"},
               {&none, 1, "not one object of the table"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out.p = (unsigned char *)"untouched";
        assert_int_equal(rc_pdf_objstm_pack_blobs(in.p, in.n, bad[i].b, bad[i].n, &out.p, &out.n,
                                                  err, sizeof err),
                         RC_ERR_LIBRARY);
        assert_null(out.p);
        if (!strstr(err, bad[i].why)) fprintf(stderr, "message: %s\n", err);
        assert_non_null(strstr(err, bad[i].why));
    }
    free(in.p);
}

/* The ID hash: every byte and the length count (zeros appended give
 * another ID), and the digits are fixed: a file's ID does not depend on
 * the machine that wrote it. */
static void test_id_hash(void **state)
{
    (void)state;
    unsigned char buf[100] = {0};
    char seen[101][33];
    for (size_t n = 0; n <= 100; n++) {
        rc_pdf_objstm_id(buf, n, seen[n]);
        assert_int_equal(strlen(seen[n]), 32);
        for (size_t k = 0; k < n; k++)
            assert_string_not_equal(seen[k], seen[n]);
    }
    char a[33], b[33];
    for (size_t i = 0; i < sizeof buf; i++) { /* one bit anywhere changes it */
        buf[i] = 1;
        rc_pdf_objstm_id(buf, sizeof buf, a);
        buf[i] = 0;
        assert_string_not_equal(a, seen[100]);
    }
    rc_pdf_objstm_id("abc", 3, b);
    assert_string_equal(b, "18DCF9798465913190D120C39D58A157");
}

/* Packed into a file as it goes (64 KiB at a time, the /ID hashed block by
 * block): the very bytes packed in memory, for a document of several
 * blocks; a file that cannot be written is an I/O error with its errno. */
static void test_file_mode(void **state)
{
    (void)state;
    bytes in = make_doc(1500, 'f');
    bytes mem = pack(&in);
    assert_true(mem.n > 3 * (64 << 10));
    FILE *f = tmpfile();
    assert_non_null(f);
    char err[256];
    int eno = -1;
    assert_int_equal(
        rc_pdf_objstm_pack_file(in.p, in.n, NULL, 0, NULL, 0, f, &eno, err, sizeof err), RC_OK);
    assert_int_equal(eno, 0);
    assert_int_equal((size_t)ftell(f), mem.n);
    rewind(f);
    unsigned char *got = malloc(mem.n);
    assert_non_null(got);
    assert_int_equal(fread(got, 1, mem.n, f), mem.n);
    assert_memory_equal(got, mem.p, mem.n);
    fclose(f);
    free(got);
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        assert_int_equal(
            rc_pdf_objstm_pack_file(in.p, in.n, NULL, 0, NULL, 0, full, &eno, err, sizeof err),
            RC_ERR_IO);
        assert_int_equal(eno, ENOSPC);
        fclose(full);
    }
    free(in.p), free(mem.p);
}

int main(void)
{
    /* libharu's calls from the PDF stage go through src/pdf/hpdf_lib.h's
     * table, which rc_pdf_write_cached loads; these tests make and use
     * documents without it */
    if (!rc_hpdf_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_document),    cmocka_unit_test(test_many_objects),
        cmocka_unit_test(test_helper_same_bytes), cmocka_unit_test(test_big_objects),
        cmocka_unit_test(test_corrupt_input),     cmocka_unit_test(test_id_hash),
        cmocka_unit_test(test_file_mode),         cmocka_unit_test(test_blobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
