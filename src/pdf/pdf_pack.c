/* pdf_pack: the finished document rewritten with object streams (PDF 1.5,
 * allowed in PDF/A-2) through qpdf's C API. libharu 2.3.0 writes every
 * object at the top level with a classic cross-reference table, and a
 * tagged report has an indirect object for every structure element (the
 * sample: 669 of them, each about 80 bytes with its xref entry, so tagging
 * alone grew the file by 38 %). In object streams those dictionaries are
 * deflated together: the tagged sample ends smaller than the untagged file
 * libharu wrote. Streams are copied as they are (no decoding, no
 * recompression: the XMP metadata stays unfiltered, as PDF/A wants), and
 * the /ID is qpdf's deterministic one (a hash of the content), so equal
 * inputs still give equal bytes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "pdf_int.h"

/* The document libharu saved into its memory stream, copied out. */
static unsigned char *saved_bytes(rc_pdf *p, size_t *n)
{
    if (!rc_pdf_ok(p, HPDF_SaveToStream(p->doc))) return NULL;
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    unsigned char *buf = rc_arena_alloc(p->a, size ? size : 1);
    size_t got = 0;
    while (got < size) {
        HPDF_UINT32 k = size - (HPDF_UINT32)got;
        HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf + got, &k);
        got += k;
        if (st == HPDF_STREAM_EOF || k == 0) break;
        if (!rc_pdf_ok(p, st)) return NULL;
    }
    *n = got;
    return buf;
}

/* Writes data to path, recording errno as an I/O failure. */
static bool write_file(rc_pdf *p, const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, n, f) == n;
    int e = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok && p->err == HPDF_OK) {
        p->err = HPDF_FILE_IO_ERROR;
        p->err_errno = e ? e : EIO;
    }
    return ok;
}

bool rc_pdf_save_packed(rc_pdf *p, const char *path)
{
    size_t n = 0;
    unsigned char *pdf = saved_bytes(p, &n);
    if (!pdf) return false;
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    bool ok = !(qpdf_read_memory(q, p->path, (const char *)pdf, n, NULL) & QPDF_ERRORS);
    if (ok) ok = !(qpdf_init_write_memory(q) & QPDF_ERRORS);
    if (ok) { /* writer options: after qpdf_init_write, which resets them */
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
        qpdf_set_compress_streams(q, QPDF_FALSE);
        qpdf_set_decode_level(q, qpdf_dl_none);
        qpdf_set_deterministic_ID(q, QPDF_TRUE);
        ok = !(qpdf_write(q) & QPDF_ERRORS);
    }
    if (!ok) {
        qpdf_error e = qpdf_get_error(q);
        rc_diag_error(p->d, (rc_loc){p->path, 0, 0}, "cannot write PDF: qpdf: %s",
                      e ? qpdf_get_error_full_text(q, e) : "unknown error");
        if (p->err == HPDF_OK) p->err = HPDF_INVALID_DOCUMENT;
    } else {
        ok = write_file(p, path, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
    }
    qpdf_cleanup(&q);
    return ok;
}
