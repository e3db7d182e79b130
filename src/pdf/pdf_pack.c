/* pdf_pack: the finished document saved with object streams (PDF 1.5,
 * allowed in PDF/A-2). libharu 2.3.0 writes every object at the top level
 * with a classic cross-reference table, and a tagged report has an indirect
 * object for every structure element (the sample: 669 of them, each about
 * 80 bytes with its xref entry, so tagging alone grew the file by 38 %).
 * libharu saves into memory, and pdf_objstm.c moves the dictionaries into
 * deflated object streams, ending the file with a cross-reference stream
 * (written to the file as it goes, pdf_obuf.h):
 * the tagged sample ends smaller than the untagged file libharu wrote.
 * Streams are copied as they are (no decoding, no recompression: the XMP
 * metadata stays unfiltered, as PDF/A wants), and the /ID is a hash of the
 * content, so equal inputs still give equal bytes. (This was done by
 * qpdf's C API until it was a third of a PDF-only build and linking
 * libqpdf a tenth of every start.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "pdf_objstm.h"
#include "rc/util.h"

/* libharu's memory stream for the save takes blocks of this many bytes:
 * one block (malloc'd, so only the pages written are ever touched) holds
 * the whole file of any but a huge document, and the packer reads it
 * where it is. With 4 KiB blocks the file was copied out whole, held twice
 * at the memory peak of the build (1.3 MB each at 1,006 pages). */
#define SAVE_BLOCK ((HPDF_UINT)64 << 20)

/* The document libharu saved into its memory stream: the stream's only
 * block (*own false), or, for a file of more than SAVE_BLOCK bytes, a copy
 * (malloc'd, *own true). */
static unsigned char *saved_bytes(rc_pdf *p, size_t *n, bool *own)
{
    *own = false;
    if (!p->doc->stream) p->doc->stream = HPDF_MemStream_New(p->doc->mmgr, SAVE_BLOCK);
    if (!rc_pdf_ok(p, HPDF_SaveToStream(p->doc))) return NULL;
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    HPDF_Stream s = p->doc->stream;
    if (s && s->type == HPDF_STREAM_MEMORY && HPDF_MemStream_GetBufCount(s) == 1) {
        HPDF_UINT len = 0;
        HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, 0, &len);
        if (b && len >= size) {
            *n = size;
            return b;
        }
    }
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        HPDF_UINT32 k = size - (HPDF_UINT32)got;
        HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf + got, &k);
        got += k;
        if (st == HPDF_STREAM_EOF || k == 0) break;
        if (!rc_pdf_ok(p, st)) {
            free(buf);
            return NULL;
        }
    }
    *n = got;
    *own = true;
    return buf;
}

/* Records e as the I/O failure, unless one is recorded. */
static void io_failed(rc_pdf *p, int e)
{
    if (p->err == HPDF_OK) {
        p->err = HPDF_FILE_IO_ERROR;
        p->err_errno = e ? e : EIO;
    }
}

bool rc_pdf_save_packed(rc_pdf *p, const char *path)
{
    size_t n = 0;
    bool own = false;
    unsigned char *pdf = saved_bytes(p, &n, &own);
    if (!pdf) return false;
    /* Nothing reads libharu's objects again (the streams' data is ours,
     * pdf_draw.c): with the file copied out, they go before the packing
     * (the fonts' definitions stay for HPDF_Free) */
    if (own) HPDF_FreeDoc(p->doc);
    /* written as it is packed: the file is never held whole. It appears on
     * disk here, announced (rc_tmp_begin): a signal's sweep of the build's
     * temporaries waits for it, or it is not made (e2e/kills saw a PDF
     * temporary left by a SIGHUP that came as it was created). */
    bool go = rc_tmp_begin();
    FILE *f = go ? fopen(path, "wb") : NULL;
    int fe = f ? 0 : go ? errno : EINTR; /* (EINTR: the build is being stopped) */
    if (go) rc_tmp_end();
    if (!f) {
        io_failed(p, fe);
        if (own) free(pdf);
        return false;
    }
    char why[256];
    int eno = 0;
    rc_status st = rc_pdf_objstm_pack_file(pdf, n, p->blobs.v, p->blobs.n, p->raws.v, p->raws.n, f,
                                           &eno, why, sizeof why);
    if (own)
        free(pdf);
    else /* (the file was read where libharu wrote it) */
        HPDF_FreeDoc(p->doc);
    if (fclose(f) != 0 && st == RC_OK) {
        st = RC_ERR_IO;
        eno = errno;
    }
    if (st == RC_ERR_IO) {
        io_failed(p, eno);
        return false;
    }
    if (st != RC_OK) {
        /* libharu's own output that cannot be read back is a library failure */
        rc_diag_error(p->d, (rc_loc){p->path, 0, 0}, "cannot write PDF: %s", why);
        if (p->err == HPDF_OK)
            p->err = st == RC_ERR_NOMEM ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_INVALID_DOCUMENT;
        return false;
    }
    return true;
}
