/* pdf_objstm: a classic PDF, as libharu 2.3.0 writes it (every object at the
 * top level, a cross-reference table, a trailer), rewritten with object
 * streams and a cross-reference stream (PDF 1.7 sections 7.5.7 and 7.5.8).
 * Bytes in, bytes out: no libharu call, so the unit tests can feed it
 * anything. Internal to the PDF stage (pdf_pack.c and its tests). */
#ifndef RC_PDF_OBJSTM_H
#define RC_PDF_OBJSTM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rc/status.h"

/* At most this many objects go into one object stream, and a stream is
 * closed once its objects hold RC_PDF_OBJSTM_BYTES bytes of text: a reader
 * inflates and parses a whole object stream to reach one of its objects,
 * and more objects per stream compress only a little better (the sample's
 * file: 253,677 bytes with 100 a stream, 253,078 with 200, 252,801 with
 * 400). */
#define RC_PDF_OBJSTM_MAX 200
#define RC_PDF_OBJSTM_BYTES ((size_t)64 << 10)

/* Rewrites the PDF in[0..n): the header (version, at least 1.5, and the
 * binary comment) and every stream object and every object of a generation
 * other than 0 stay byte for byte at the top level with their object
 * numbers; every other object goes, in object-number order, into deflated
 * object streams (numbered after the input's last object); a deflated
 * cross-reference stream (PNG Up predictor) ends the file, with the
 * trailer's /Root and /Info and an /ID made of rc_pdf_objstm_id of
 * everything before it (twice), so equal inputs give equal bytes. The input's /ID is dropped; other
 * trailer entries (/Encrypt, /Prev: an encrypted or updated file) are refused. Object numbers do
 * not change, so no reference is rewritten. Returns RC_OK with *out (malloc'd: the caller frees it)
 * and *out_len; RC_ERR_LIBRARY when the input is not a PDF this can read (every offset of the table
 * is checked against the object it points at), with a message naming the byte offset in
 * err[0..errlen); RC_ERR_NOMEM when memory runs out. On failure *out is NULL. */
rc_status rc_pdf_objstm_pack(const unsigned char *in, size_t n, unsigned char **out,
                             size_t *out_len, char *err, size_t errlen);

/* The data of a stream that the input holds empty: object num (generation
 * 0) is "<< ... /Length L 0 R ... >>\nstream\r\n\nendstream" (libharu's
 * form with no data), and is written with data[0..n) between the two
 * keywords, and object L, the stream's length, as n. */
typedef struct rc_pdf_blob {
    uint32_t num;
    const unsigned char *data;
    size_t n;
    /* data NULL: the n bytes are in file at off (a spool, pdf_zip.c) */
    FILE *file;
    uint64_t off;
} rc_pdf_blob;

/* rc_pdf_objstm_pack where the streams of blobs[0..nblobs) get their data
 * (each object at most once). A blob whose object is not such an empty
 * stream, or whose /Length is not an indirect number object, is refused
 * (RC_ERR_LIBRARY, with the offset). */
rc_status rc_pdf_objstm_pack_blobs(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                   size_t nblobs, unsigned char **out, size_t *out_len, char *err,
                                   size_t errlen);

/* The text of an object the input holds as a placeholder: object num
 * (generation 0) is "null" in the input and packed with text[0..n) as its
 * value. The structure tree is written this way (pdf_struct.c): one
 * placeholder per element in libharu reserves the number, and the text is
 * written here, not built as libharu dictionaries (at 1,006 pages: 16,600
 * elements, 20 MB of libharu objects and 170 M instructions to build, 150 M
 * more to save and re-read). */
typedef struct rc_pdf_raw {
    uint32_t num;
    const char *text;
    size_t n;
} rc_pdf_raw;

/* rc_pdf_objstm_pack_blobs with raw objects raws[0..nraws) (each object at
 * most once; one that is not a "null" placeholder is refused with the
 * offset), written to f as it goes (64 KiB at a time), not held in memory:
 * the bytes the in-memory packer gives. RC_ERR_IO with *eno (errno) when
 * writing fails. */
rc_status rc_pdf_objstm_pack_file(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                  size_t nblobs, const rc_pdf_raw *raws, size_t nraws, FILE *f,
                                  int *eno, char *err, size_t errlen);

/* The packing itself, into o (pdf_obuf.h: memory, or a file as it goes);
 * the entry points above are made of it (pdf_objstm_out.c). */
struct rc_obuf;
rc_status rc_pdf_objstm_pack_to(const unsigned char *in, size_t n, const rc_pdf_blob *blobs,
                                size_t nblobs, const rc_pdf_raw *raws, size_t nraws,
                                struct rc_obuf *o, char *err, size_t errlen);

/* A 128-bit hash of data[0..n) as 32 uppercase hex digits (NUL-terminated):
 * the same on every machine, not cryptographic (PDF asks only that an ID
 * tell files apart, ISO 32000-1 14.4). rc_hash128 (rc/hash.h) of the
 * rc_hash128 of each 64 KiB block (pdf_obuf.h), so that a file written as
 * it goes gets the same /ID as one held whole. */
void rc_pdf_objstm_id(const void *data, size_t n, char hex[33]);

#endif
