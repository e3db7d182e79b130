/* pdf_obuf: the packer's output (pdf_obuf.h). */
#include "pdf_obuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_objstm.h"
#include "rc/hash.h"

bool rc_obuf_reserve(rc_obuf *b, size_t more)
{
    if (b->oom) return false;
    if (more <= b->cap - b->n) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < more) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

/* The hash of one block, appended to the list (16 bytes, little-endian). */
static void digest(rc_obuf *b, const unsigned char *s, size_t n)
{
    if (b->ndig + 16 > b->digcap) {
        size_t nc = b->digcap ? 2 * b->digcap : 1024;
        unsigned char *d = realloc(b->dig, nc);
        if (!d) {
            b->oom = true;
            return;
        }
        b->dig = d;
        b->digcap = nc;
    }
    uint64_t h[2];
    rc_hash128(s, n, h);
    for (int i = 0; i < 16; i++)
        b->dig[b->ndig + (size_t)i] = (unsigned char)(h[i / 8] >> (8 * (i % 8)));
    b->ndig += 16;
}

/* Writes the bytes in p to the file, recording the first error. */
static void spill(rc_obuf *b)
{
    if (!b->eno && fwrite(b->p, 1, b->n, b->f) != b->n) b->eno = errno ? errno : EIO;
    b->base += b->n;
    b->n = 0;
}

/* Writes the full block in p (file). */
static void write_block(rc_obuf *b)
{
    digest(b, b->p, b->n);
    spill(b);
}

void rc_obuf_put(rc_obuf *b, const void *s, size_t len)
{
    const unsigned char *c = s;
    if (!b->f) {
        if (len && rc_obuf_reserve(b, len)) {
            memcpy(b->p + b->n, c, len);
            b->n += len;
        }
        return;
    }
    if (!b->p) {
        b->p = malloc(RC_PDF_OBUF_BLOCK);
        if (!b->p) {
            b->oom = true;
            return;
        }
        b->cap = RC_PDF_OBUF_BLOCK;
    }
    while (len) {
        size_t k = RC_PDF_OBUF_BLOCK - b->n < len ? RC_PDF_OBUF_BLOCK - b->n : len;
        memcpy(b->p + b->n, c, k);
        b->n += k;
        c += k;
        len -= k;
        if (b->n == RC_PDF_OBUF_BLOCK) write_block(b);
    }
}

size_t rc_obuf_pos(const rc_obuf *b)
{
    return b->base + b->n;
}

/* The /ID: the hash of the blocks' hashes, in hex. */
static void id_of(const rc_obuf *b, char hex[33])
{
    uint64_t h[2];
    rc_hash128(b->dig, b->ndig, h);
    snprintf(hex, 33, "%016llX%016llX", (unsigned long long)h[0], (unsigned long long)h[1]);
}

void rc_obuf_id(rc_obuf *b, char hex[33])
{
    if (!b->f) {
        rc_pdf_objstm_id(b->p, b->n, hex);
        return;
    }
    size_t keep = b->ndig;
    if (b->n) digest(b, b->p, b->n); /* the block under way, for now */
    id_of(b, hex);
    b->ndig = keep;
}

void rc_pdf_objstm_id(const void *data, size_t n, char hex[33])
{
    rc_obuf b = {0};
    const unsigned char *s = data;
    for (size_t at = 0; at < n; at += RC_PDF_OBUF_BLOCK)
        digest(&b, s + at, n - at < RC_PDF_OBUF_BLOCK ? n - at : RC_PDF_OBUF_BLOCK);
    id_of(&b, hex);
    free(b.dig);
}

bool rc_obuf_flush(rc_obuf *b)
{
    if (b->f && b->n) spill(b);
    return !b->eno && !b->oom;
}

void rc_obuf_free(rc_obuf *b)
{
    free(b->p);
    free(b->dig);
    b->p = b->dig = NULL;
}
