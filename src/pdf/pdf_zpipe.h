/* pdf_zpipe: zlib streams deflated on a helper thread, in order, while the
 * caller prepares the next one (the packer's object streams, pdf_objstm.c).
 * Internal to the PDF stage. */
#ifndef RC_PDF_ZPIPE_H
#define RC_PDF_ZPIPE_H

#include <stddef.h>

typedef struct rc_zpipe rc_zpipe;

/* A helper deflating with lc (the caller's, at level: lent until
 * rc_zpipe_end, the caller does not use it meanwhile); NULL when one
 * cannot or should not be started (one CPU, no memory): the caller
 * deflates itself. */
struct libdeflate_compressor;
rc_zpipe *rc_zpipe_start(struct libdeflate_compressor *lc, int level);
/* Queues in[0..n) to be deflated (zlib format) into out[0..cap), cap at
 * least libdeflate_zlib_compress_bound of n; both stay untouched by the
 * caller until rc_zpipe_wait has returned this one. At most two wait. */
void rc_zpipe_put(rc_zpipe *zp, const unsigned char *in, size_t n, unsigned char *out, size_t cap);
/* Waits for the oldest stream queued; its deflated length (0: failed). */
size_t rc_zpipe_wait(rc_zpipe *zp);
/* Stops the helper (after the streams queued) and frees it. */
void rc_zpipe_end(rc_zpipe *zp);
/* Pipes started on this thread from now on (until the next call) look
 * each stream up in memo (rc/zmemo.h; the deflated bytes a last build
 * made) before deflating it, and put what they deflate into it, when
 * they deflate at level; NULL: none. pdf_zip.c sets the PDF's own memo
 * for its packer, and takes it back before closing it. */
struct rc_zmemo;
void rc_zpipe_use_memo(struct rc_zmemo *memo, int level);

#endif
