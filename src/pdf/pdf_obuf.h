/* pdf_obuf: where the packer (pdf_objstm.c) writes: a growing buffer in
 * memory, or a file written 64 KiB at a time (a long report's file is not
 * held whole: 8.9 MB at 1,006 pages). The document /ID is a hash of what
 * was written, computed block by block as it goes, the same either way.
 * Internal to the PDF stage. */
#ifndef RC_PDF_OBUF_H
#define RC_PDF_OBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The block of the /ID's hash (rc_pdf_objstm_id, pdf_objstm.h). */
#define RC_PDF_OBUF_BLOCK ((size_t)64 << 10)

typedef struct rc_obuf {
    unsigned char *p; /* the bytes not yet written (file), or all of them */
    size_t n, cap;
    bool oom;
    FILE *f;     /* NULL: memory */
    size_t base; /* bytes written to f before p */
    int eno;     /* the first write error's errno (0: none) */
    /* the hashes of the blocks written, 16 bytes each (file) */
    unsigned char *dig;
    size_t ndig, digcap;
} rc_obuf;

/* Room for more bytes at p + n (memory only); false without memory. */
bool rc_obuf_reserve(rc_obuf *b, size_t more);
void rc_obuf_put(rc_obuf *b, const void *s, size_t len);
/* Where the next byte goes in the output. */
size_t rc_obuf_pos(const rc_obuf *b);
/* The /ID of everything put so far: 32 uppercase hex digits. */
void rc_obuf_id(rc_obuf *b, char hex[33]);
/* Writes what is left to the file (file only); false on an error. */
bool rc_obuf_flush(rc_obuf *b);
void rc_obuf_free(rc_obuf *b);

#endif
