/* pdf_objstm_out: the packer's entry points (pdf_objstm.h), into memory or
 * into a file as it is packed; the packing itself is pdf_objstm.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_objstm.h"
#include "pdf_obuf.h"

rc_status rc_pdf_objstm_pack(const unsigned char *in, size_t n, unsigned char **out,
                             size_t *out_len, char *err, size_t errlen)
{
    return rc_pdf_objstm_pack_blobs(in, n, NULL, 0, out, out_len, err, errlen);
}

rc_status rc_pdf_objstm_pack_blobs(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                   size_t nblobs, unsigned char **out, size_t *out_len, char *err,
                                   size_t errlen)
{
    rc_obuf o = {0};
    *out = NULL;
    *out_len = 0;
    rc_status st = rc_pdf_objstm_pack_to(in, n, blobs, nblobs, NULL, 0, &o, err, errlen);
    if (st == RC_OK && o.oom) st = RC_ERR_NOMEM;
    if (st != RC_OK) {
        rc_obuf_free(&o);
        return st;
    }
    *out = o.p;
    *out_len = o.n;
    free(o.dig);
    return RC_OK;
}

rc_status rc_pdf_objstm_pack_file(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                  size_t nblobs, const rc_pdf_raw *raws, size_t nraws, FILE *f,
                                  int *eno, char *err, size_t errlen)
{
    rc_obuf o = {.f = f};
    *eno = 0;
    rc_status st = rc_pdf_objstm_pack_to(in, n, blobs, nblobs, raws, nraws, &o, err, errlen);
    if (st == RC_OK && !rc_obuf_flush(&o)) {
        st = o.eno ? RC_ERR_IO : RC_ERR_NOMEM;
        *eno = o.eno;
        snprintf(err, errlen, "%s", o.eno ? strerror(o.eno) : "out of memory");
    }
    rc_obuf_free(&o);
    return st;
}
