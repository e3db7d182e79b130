/* cache: reportc's per-user cache directory, and a memo of the input files
 * a check has found good.
 *
 * The directory is $REPORTC_CACHE_DIR, else $XDG_CACHE_HOME/reportc, else
 * ~/.cache/reportc; REPORTC_CACHE_DIR set to "" turns every cache off. What
 * is kept there only saves work: a missing, unwritable or damaged cache
 * makes a build do the work again, with the same outputs.
 *
 * The memo (issue 18): the fonts and the hyphenation dictionary are checked
 * as files on every build (font_check.c, hyph_check.c), which read all of
 * their bytes (3.4 MB for the five Lato faces: 6.7 M instructions, a
 * twenty-fifth of a one-edition PDF build). A file found good is remembered
 * by what stat(2) says of it (device, inode, size, modification and
 * change times to the nanosecond) together with the name and version of
 * the check, reportc's version and the signature of the running executable
 * (a rebuilt reportc checks again), as an empty file in
 * CACHEDIR/checked/; a later build that finds the same signature skips the
 * check. Any write to the file changes its change time (which no program
 * can set back), a copy or a rename over it changes the inode, so a
 * remembered signature means the bytes that were checked. A file changed
 * less than two seconds before it is checked is not remembered: a change
 * within the same tick of the file system's clock would keep its times
 * (git's "racily clean" rule). */
#ifndef RC_CACHE_H
#define RC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Writes the cache directory's path to out (cap bytes) and creates it;
 * false when there is none (turned off, no HOME, too long, cannot be made). */
bool rc_cache_dir(char *out, size_t cap);
/* The same path without making the directory (for a reader: one system
 * call less when it exists, nothing made when nothing is written). */
bool rc_cache_dir_name(char *out, size_t cap);

/* Whether the check named what (a name and a version, bumped whenever the
 * check changes) has found the file whose stat is st good before. */
bool rc_checked_before(const char *what, const struct stat *st);
/* Remembers that it has (see above for when it does not). */
void rc_checked_remember(const char *what, const struct stat *st);

/* SHA-256 digests of input files kept between builds (issue 16): the
 * workbooks' cover sheets list every input with its SHA-256 (the sample's
 * three editions: 62 files, 275 KB, 0.5 ms with their system calls; a
 * data file of hundreds of megabytes, as many milliseconds as megabytes).
 * A digest is kept as CACHEDIR/sha256/<hash of the
 * path>, holding the path, the file's signature (device, inode, size,
 * modification and change times to the nanosecond), the running
 * executable's signature and the 64 hex digits; a later lookup gives the
 * digest only when all of that is byte for byte the same, so a file that
 * was written to, replaced or renamed over since is read again (the
 * reasoning of the memo above). One entry per path: a newer version of a
 * file replaces its entry. A file changed less than two seconds before
 * (by st) is not kept, and neither is one whose signature changed while
 * it was read (the caller passes the signature from before and after).
 * Failures only mean reading the file again. */
bool rc_cache_sha256_get(const char *path, const struct stat *st, char hex[65]);
void rc_cache_sha256_put(const char *path, const struct stat *before, const struct stat *after,
                         const char hex[65]);

/* Small entries of any kind kept between builds: CACHEDIR/sub/<hash of
 * name> (of key when name is NULL) holds the key's bytes, the value and a
 * hash of both, written through a temporary renamed into place. get
 * returns the value (malloc'd, *nv bytes; the caller frees it) only when
 * the file holds exactly key and its hash checks; NULL otherwise (no
 * cache, no entry, another key, a damaged file). put replaces the entry;
 * false when it could not (which only means doing the work again). The
 * key says everything the value depends on; the name what one entry is
 * kept for (a font file's path: a newer reportc or an edited font
 * replaces its entry rather than adding one). */
void *rc_cache_entry_get(const char *sub, const char *name, const void *key, size_t nk, size_t *nv);
bool rc_cache_entry_put(const char *sub, const char *name, const void *key, size_t nk,
                        const void *val, size_t nv);

/* A hash of the running executable's signature (device, inode, size and
 * times of /proc/self/exe; the same all process long): for keys of cache
 * files whose contents a rebuilt reportc may make differently. */
uint64_t rc_cache_exe_sig(void);

#endif
