/* zmemo: deflated bytes kept between builds, one cache file per output
 * (issue 16).
 *
 * Deflate is a fifth of a three-edition build's instructions (the
 * workbooks' members and the PDF's page streams), and a rebuild of an
 * unchanged or lightly edited document deflates the same bytes again.
 * An output (a PDF, a workbook) opens its memo at the start of its write:
 * CACHEDIR/deflate/<hash of the kind and the output's absolute path>
 * (rc/cache.h for the directory), holding exactly the (bytes, deflated
 * bytes) pairs its last write used, and is mapped, not read. Each stream
 * the output deflates is looked up first (rc_zmemo_get); what had to be
 * deflated is handed back (rc_zmemo_put); at the end (rc_zmemo_close) the
 * file is written again, to a temporary renamed over it, only when the
 * pairs used differ from those it holds; an output's first memo removes
 * the memos of outputs that no longer exist. So the file never holds more than
 * one write of that output needed (and at most RC_ZMEMO_MAX bytes), and a
 * rebuild of the same document reads one file and writes none.
 *
 * Safety: the key (the kind, the output's path, the caller's name for its
 * compressor with the library's version and level, the running
 * executable's signature and that of the file the compressor's code was
 * loaded from) is kept in the file and compared in full; a stream's bytes
 * are compared in full with the kept ones (a hash only picks the slot),
 * and the kept deflated bytes are checked against a hash written with
 * them. A missing, damaged, truncated, foreign or unwritable file is a
 * miss: the stream is deflated as without the memo, and the output is the
 * same bytes. REPORTC_CACHE_DIR set to "" turns it off (rc_zmemo_open
 * gives NULL, and every function here accepts NULL). A file is replaced
 * only by rename(2), so a process mapping it never sees it change (one
 * truncated in place by another program while a build maps it could
 * fault the build; reportc never does that).
 *
 * Thread-safe: several threads of one write (the PDF's helper and main
 * thread) may look up and put at once. Different outputs have different
 * files, so the editions' writes at once do not share one. */
#ifndef RC_ZMEMO_H
#define RC_ZMEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes (streams and deflated streams) one output's file holds at most;
 * what comes after is deflated every time. The file is mapped whole, so it
 * counts in the build's memory: at 64 MB a 1,006-page document's memo
 * (22 MB) took its peak RSS from 60 to 79 MiB, over issue 18's 64 MiB for
 * 1,000 pages, and a 5,027-page one wrote 67 MB a build. 2 MB holds all
 * of the sample's (its PDFs' 1.1-1.2 MB, its workbooks' less) and the
 * first pages of a long document. */
#define RC_ZMEMO_MAX ((size_t)2 << 20)

typedef struct rc_zmemo rc_zmemo;
typedef void (*rc_zmemo_fn)(void);

/* The memo of output (its path, relative to the working directory or
 * absolute; a temporary name ".NAME.PID.N.tmp" of rc_out_tmpname stands
 * for NAME) of kind ("pdf", "xlsx"), for the compressor named coder (its
 * library's version, level and format: anything that changes its bytes),
 * whose code is at lib_fn (any function of the library, cast: the file
 * it was loaded from is part of the key; NULL: none). NULL when there is no
 * cache directory or no memory: then every call below does nothing. */
rc_zmemo *rc_zmemo_open(const char *output, const char *kind, const char *coder,
                        rc_zmemo_fn lib_fn);
/* The same in CACHEDIR/subdir instead of CACHEDIR/deflate, for values
 * other than deflated bytes (kind "para": set paragraphs, para_memo.c);
 * what the functions below call "deflated bytes" is then any value. */
rc_zmemo *rc_zmemo_open_in(const char *subdir, const char *output, const char *kind,
                           const char *coder, rc_zmemo_fn lib_fn);
/* The signature of the file fn's code was loaded from (device, inode,
 * size, times; 0 when fn is NULL or its file is not found): what
 * rc_zmemo_open puts in the key for lib_fn. */
uint64_t rc_zmemo_lib_sig(rc_zmemo_fn fn);
/* The same signature of the file at path (0 when it cannot be read). */
uint64_t rc_zmemo_file_sig(const char *path);
/* The deflated bytes kept for raw[0..n) (*zn of them), valid until
 * rc_zmemo_close; NULL when none are. */
const unsigned char *rc_zmemo_get(rc_zmemo *m, const void *raw, size_t n, size_t *zn);
/* The pair kept for raw[0..n), which rc_zmemo_get gave, turned out stale
 * (the caller's own check of the value failed): it is not kept in the next
 * file, so that a pair put for the same raw bytes replaces it. */
void rc_zmemo_forget(rc_zmemo *m, const void *raw, size_t n);
/* The pairs of the file as it was loaded, for a caller that reads them
 * all (shape_page.c indexes the texts of the pages kept): how many (0
 * without a file), and pair i's raw bytes and value (false, and nothing
 * set, when the value is damaged). Neither marks a pair used. */
size_t rc_zmemo_loaded(const rc_zmemo *m);
bool rc_zmemo_loaded_pair(const rc_zmemo *m, size_t i, const unsigned char **raw, size_t *n,
                          const unsigned char **z, size_t *zn);
/* Keeps loaded pair i in the next file, as if rc_zmemo_get had given it
 * (a caller that knows the pair is still wanted without looking it up:
 * the shown texts of a page taken whole from the pages' memo, pdf_draw.c);
 * false when there is no such pair or it is damaged. */
bool rc_zmemo_keep_loaded(rc_zmemo *m, size_t i);
/* The bytes of pairs m's file may hold (RC_ZMEMO_MAX, or rc_zmemo_limit's
 * when m was opened); 0 for NULL. */
size_t rc_zmemo_max(const rc_zmemo *m);
/* Keeps z[0..zn) as raw[0..n) deflated (both copied). */
void rc_zmemo_put(rc_zmemo *m, const void *raw, size_t n, const void *z, size_t zn);
/* Ends the write: when ok (the output was made) and the pairs used differ
 * from the file's, writes the file anew; frees m. True when it wrote. */
bool rc_zmemo_close(rc_zmemo *m, bool ok);

/* The bytes of pairs a file holds at most for memos opened from now on
 * (0: RC_ZMEMO_MAX); for tests. */
void rc_zmemo_limit(size_t max);

/* What m has done so far: lookups that hit, and that missed. */
void rc_zmemo_counts(const rc_zmemo *m, size_t *hits, size_t *misses);

#endif
