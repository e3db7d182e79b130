/* util: small shared helpers: UTF-8 decoding and validation, whole-file
 * reading, file signatures, SHA-256 (for workbook provenance), atomic output
 * files, paths. */
#ifndef RC_UTIL_H
#define RC_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "rc/arena.h"
#include "rc/status.h"

/* Decodes one code point at s (len bytes available). Returns the number of
 * bytes consumed (1..4) and sets *cp; returns 0 for an invalid or truncated
 * sequence (overlongs, surrogates and > U+10FFFF are invalid). */
size_t rc_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the byte count. */
size_t rc_utf8_encode(uint32_t cp, char *out);
/* Byte offset of the first invalid sequence, or len if s is valid UTF-8. */
size_t rc_utf8_validate(const char *s, size_t len);
/* Number of code points (s must be valid). */
size_t rc_utf8_length(const char *s, size_t len);

/* Inputs read whole (INI, Markdown, table and box files, fonts) may hold at
 * most this many bytes; CSV files are streamed (RC_CSV_MAX_FILE). */
#define RC_MAX_INPUT_FILE ((size_t)256 << 20)

/* Reads a whole file into the arena (NUL-terminated; *len excludes the NUL).
 * Returns RC_ERR_IO with errno set when it cannot be read, RC_ERR_LIMIT with
 * errno = EFBIG when it is larger than RC_MAX_INPUT_FILE. */
rc_status rc_read_file(rc_arena *a, const char *path, char **data, size_t *len);
/* Writes all of p[0..n) to fd, again after EINTR or a short write; false
 * with errno set on failure (EIO for a write that wrote nothing). */
bool rc_write_all(int fd, const void *p, size_t n);
/* The reason an rc_read_file failed, for diagnostics: strerror(err), or the
 * limit for EFBIG. */
const char *rc_read_error(int err);

/* v in decimal at out (at most 20 bytes, no NUL); returns the length. The
 * hot writers (PDF content and cross-references, workbook rows) use it
 * instead of printf. */
size_t rc_utoa(uint64_t v, char *out);
/* The CPUs this process may run on (its affinity mask: taskset, a
 * container's cpuset), else the CPUs online; at least 1. */
size_t rc_cpus(void);
/* pthread_create(th, NULL, fn, arg), but with two or more CPUs allowed the
 * thread starts on one other than the caller's, then may run anywhere
 * (util.c says why). Returns pthread_create's result. */
int rc_thread_start(pthread_t *th, void *(*fn)(void *), void *arg);
/* Tests only: for the last thread rc_thread_start started elsewhere, the
 * caller's CPU then and the CPU the thread started on (-1: none yet). */
extern atomic_int rc_thread_test_cpu[2];

/* What identifies a file's contents cheaply: a save by any editor (in
 * place or by rename) changes the inode, the size or the modification time.
 * The watch, the SHA-256 memo, the fonts' kept bytes and the PDF cache's
 * font keys all ask "is this still the file I read?" with it. */
typedef struct rc_file_sig {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    int64_t mtime_ns;
    int64_t ctime_ns; /* a write that keeps the modification time changes this */
} rc_file_sig;

struct stat;
/* The signature of path now (exists false when it cannot be stat'ed), or
 * of what stat(2)/fstat(2) gave. */
rc_file_sig rc_file_sig_of(const char *path);
rc_file_sig rc_file_sig_stat(const struct stat *st);
bool rc_file_sig_eq(rc_file_sig a, rc_file_sig b);

/* SHA-256 of a buffer / of a file, as 64 lowercase hex digits in out[65]. */
void rc_sha256_hex(const void *data, size_t len, char out[65]);
rc_status rc_sha256_file(const char *path, char out[65]);
/* A memo of rc_sha256_file for the life of the process, off until enabled:
 * a regular file whose signature (device, inode, size, modification and
 * change times in ns) is the one it had when it was hashed is not read
 * again. The workbooks of every edition hash the same inputs, on several
 * threads at once: a thread asking for a file another is hashing waits
 * for that digest, so each file is read once per build. A watcher hashes
 * at every rebuild the inputs that did not change, and forgets each file
 * inotify reports changed. With the memo on, digests are also kept between
 * builds in the cache directory (rc_cache_sha256_get, rc/cache.h).
 * Thread-safe. */
void rc_sha256_memo_enable(void);
void rc_sha256_memo_forget(const char *path);
/* How many times rc_sha256_file has read a file since the process
 * started (the memo and the cache directory spare the others): for tests. */
size_t rc_sha256_files_read(void);

/* Joins dir and a relative path ("a/b.ini" + "c.csv" -> "a/c.csv");
 * an absolute rel is returned as is. dir_of gives the directory of a file. */
char *rc_path_join(rc_arena *a, const char *dir, const char *rel);
char *rc_path_dir(rc_arena *a, const char *file);
const char *rc_path_base(const char *path);

/* Atomic output: rc_out_open creates "<dir>/.<name>.PID.N.tmp" in the
 * target's directory (mode 0666 less the umask, as fopen(3) would); rc_out_commit closes and
 * renames it over the target; rc_out_abort removes the temporary file. The previous target is
 * untouched unless commit succeeds.
 *
 * Each output is written once: when target is itself a temporary this
 * process registered (rc_out_tmpname; the build gives every back end one,
 * and renames it into place once all outputs succeeded), it is created
 * and written directly (direct = true: tmp == target, commit only closes).
 * It is no one's real file, so nothing a reader sees changes before the
 * build's rename; a failure still removes it (abort, or a failed commit).
 * Any other target, even one named like a temporary, gets its own. */
typedef struct rc_outfile {
    char *target;
    char *tmp;
    int fd;
    bool direct;
} rc_outfile;
rc_status rc_out_open(rc_arena *a, const char *target, rc_outfile *o);
rc_status rc_out_commit(rc_outfile *o);
void rc_out_abort(rc_outfile *o);
/* A fresh temporary *path* (no file created yet) beside target, for libraries
 * that open files themselves (libharu, libxlsxwriter). */
char *rc_out_tmpname(rc_arena *a, const char *target);
/* The file a back end writes for target: target itself when
 * rc_tmp_registered(target) (*direct = true: write it, never rename it,
 * remove it on failure with rc_out_drop), else a fresh rc_out_tmpname to
 * be renamed over target. */
char *rc_out_tmpfor(rc_arena *a, const char *target, bool *direct);
/* Removes what a back end wrote at tmp after a failure: rc_out_discard
 * for its own temporary; for a direct one (the build's) only the file, as
 * the name stays the build's to discard (errno is kept). */
void rc_out_drop(const char *tmp, bool direct);
/* The name to show in diagnostics for a path that may be such a temporary:
 * "DIR/.NAME.PID.N.tmp" is shown as "DIR/NAME" (the file the user knows);
 * any other path is returned as is. */
const char *rc_out_shown(rc_arena *a, const char *path);
/* The file a temporary (of a temporary, ...) stands for, as rc_out_shown
 * names it, written into out (cap bytes, path itself when it is no
 * temporary; out may be path); false when it does not fit. */
bool rc_out_target(const char *path, char *out, size_t cap);
/* Renames tmp over target; removes tmp on failure. */
rc_status rc_out_rename(const char *tmp, const char *target);
/* Removes a temporary that will not be renamed (errno is kept). */
void rc_out_discard(const char *tmp);

/* ---- kills and concurrent builds (outdir.c) ----
 * Every temporary made by rc_out_tmpname is registered until it is renamed
 * or discarded; rc_tmp_handlers installs SIGINT, SIGTERM and SIGHUP
 * handlers that remove the registered temporaries (and the build's work
 * directory) and then die of the signal as before. What a SIGKILL leaves
 * is recognisable by its name (".NAME.PID.N.tmp", ".reportc.PID.work") and
 * removed by the next build in that directory once PID is no longer alive. */
void rc_tmp_register(const char *path);
void rc_tmp_forget(const char *path);
/* True when path is registered now (made by rc_out_tmpname in this
 * process, not yet renamed or discarded): no other process or real output
 * has that name, and a signal removes it. */
bool rc_tmp_registered(const char *path);
/* Around making a temporary's name appear (rc_out_open, rc_out_rename):
 * false once a signal handler is cleaning up, and then nothing is made. */
bool rc_tmp_begin(void);
void rc_tmp_end(void);
/* For tests: makes rc_tmp_begin answer as when a signal is stopping the
 * build (true), or as usual again (false). */
void rc_tmp_test_stopping(bool on);
void rc_tmp_handlers(void);
/* What those handlers do, for a process about to exit on an error no
 * diagnostics can carry (rc_hb_lib_need): removes the registered
 * temporaries and the work directory; none is made after it. */
void rc_tmp_abandon(void);
/* Removes the temporaries of dead builds in dir; returns how many. */
size_t rc_out_clean_stale(const char *dir);
/* A directory inside dir owned by this build (".reportc.PID.work",
 * created by rc_out_workdir_make, removed by rc_out_workdir_remove or by
 * the handlers) for libraries that make temporary files of their own
 * (libxlsxwriter). rc_out_workdir gives it when it exists for dir, else
 * NULL (then such files go to dir itself). */
const char *rc_out_workdir_make(const char *dir);
const char *rc_out_workdir(const char *dir);
void rc_out_workdir_remove(void);
/* An exclusive lock on the output directory (flock on the directory
 * itself, so no file is added to it): a second build into the same
 * directory waits for the first to finish, or with wait = false fails at
 * once. Returns the descriptor to pass to rc_out_unlock, or -1 with errno
 * (EWOULDBLOCK: another build holds it). *waited_ms says how long it
 * waited. */
int rc_out_lock(const char *dir, bool wait, double *waited_ms);
void rc_out_unlock(int fd);

/* The shortest "%.Ng" text of a finite v that reads back (strtod) as the
 * same double, into buf (at least 32 bytes); returns buf. */
char *rc_shortest_double(char buf[32], double v);

/* Build time for outputs: SOURCE_DATE_EPOCH when set and valid, else a
 * fixed epoch from the config (report year, 1 January) via fallback. */
int64_t rc_build_epoch(int64_t fallback);
/* False when SOURCE_DATE_EPOCH is set, not empty and not a whole number of
 * seconds from 0 to 253402300799 (year 9999); rc_build reports it. */
bool rc_build_epoch_valid(void);

#endif
