/* Tests for the deflated bytes kept between builds (rc/zmemo.h, issue 16):
 * - cold, warm and off give the same bytes as deflating; a warm build of
 *   the same streams hits every one and does not write the file again;
 * - a changed stream misses (one byte, or one byte more);
 * - a damaged or truncated file never gives other bytes than deflating;
 * - two processes writing the same output's memo at once leave one whole
 *   file (one writer's), and no temporary;
 * - two threads of one write looking up and putting at once;
 * - the file holds what the last write used: another document written to
 *   the same output replaces it (no growth), and its size is bounded;
 * - the key: another compressor misses, a temporary's name is its
 *   output's, a relative path is the absolute one; an empty
 *   REPORTC_CACHE_DIR and an unwritable directory mean no memo;
 * - a file of no pairs; a pair forgotten and put again. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/zmemo.h"

#define CODER "zlib test 1"
#define NS 40 /* streams of a "document" */

static char dir[64], out[128];
static int nwrite = NS; /* streams write_doc writes (a document that lost some) */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rc-test-zmemo-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    setenv("REPORTC_CACHE_DIR", dir, 1);
    snprintf(out, sizeof out, "%s/out/report.pdf", dir);
    rc_zmemo_limit(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Stream i of document doc: words made from a seed, a few KB, some alike. */
static size_t stream(int doc, int i, unsigned char *buf, size_t cap)
{
    uint32_t x = (uint32_t)(doc * 7919 + i * 104729 + 1);
    size_t n = 600 + (size_t)(i * 373 % 5000);
    if (n > cap) n = cap;
    for (size_t k = 0; k < n; k++) {
        x = x * 1664525u + 1013904223u;
        buf[k] = (k % 7 == 6) ? ' ' : (unsigned char)('a' + (x >> 24) % 26);
    }
    return n;
}

/* raw deflated: from the memo when it has it, else deflated and put. */
static size_t deflated(rc_zmemo *m, struct libdeflate_compressor *c, const unsigned char *raw,
                       size_t n, unsigned char *z, size_t cap)
{
    size_t zn = 0;
    const unsigned char *kept = rc_zmemo_get(m, raw, n, &zn);
    if (kept) {
        memcpy(z, kept, zn);
        return zn;
    }
    zn = libdeflate_zlib_compress(c, raw, n, z, cap);
    rc_zmemo_put(m, raw, n, z, zn);
    return zn;
}

/* Writes document doc through a memo of output path (open to close, ok),
 * checking every stream's bytes against deflating; *hits and *misses as
 * counted. Returns whether the memo file was written. */
static bool write_doc(const char *path, int doc, size_t *hits, size_t *misses)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    rc_zmemo *m = rc_zmemo_open(path, "pdf", CODER, NULL);
    unsigned char raw[8192], z[9000], want[9000];
    for (int i = 0; i < nwrite; i++) {
        size_t n = stream(doc, i, raw, sizeof raw);
        size_t zn = deflated(m, c, raw, n, z, sizeof z);
        size_t wn = libdeflate_zlib_compress(c, raw, n, want, sizeof want);
        assert_int_equal(zn, wn);
        assert_memory_equal(z, want, wn);
    }
    rc_zmemo_counts(m, hits, misses);
    bool wrote = rc_zmemo_close(m, true);
    libdeflate_free_compressor(c);
    return wrote;
}

/* The one file of CACHEDIR/deflate (the test's outputs have one memo at a
 * time unless said); its stat; false when there is none. Counts files. */
static int memo_files(struct stat *st, char *name, size_t cap)
{
    char d[160];
    snprintf(d, sizeof d, "%s/deflate", dir);
    DIR *dp = opendir(d);
    if (!dp) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        n++;
        if (name && (size_t)snprintf(name, cap, "%s/%.100s", d, e->d_name) >= cap) name[0] = 0;
        if (st && name) stat(name, st);
    }
    closedir(dp);
    return n;
}

static void test_cold_warm_off(void **state)
{
    (void)state;
    size_t hits, misses;
    assert_true(write_doc(out, 1, &hits, &misses)); /* cold */
    assert_int_equal(hits, 0);
    assert_int_equal(misses, NS);
    struct stat a, b;
    char name[256];
    assert_int_equal(memo_files(&a, name, sizeof name), 1);
    assert_false(write_doc(out, 1, &hits, &misses)); /* warm: all kept, nothing written */
    assert_int_equal(hits, NS);
    assert_int_equal(misses, 0);
    assert_int_equal(memo_files(&b, name, sizeof name), 1);
    assert_int_equal(a.st_ino, b.st_ino);
    assert_int_equal(a.st_mtim.tv_nsec, b.st_mtim.tv_nsec);
    setenv("REPORTC_CACHE_DIR", "", 1); /* off */
    assert_null(rc_zmemo_open(out, "pdf", CODER, NULL));
    assert_false(write_doc(out, 1, &hits, &misses));
    assert_int_equal(hits + misses, 0);
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

static void test_changed_misses(void **state)
{
    (void)state;
    size_t hits, misses;
    write_doc(out, 2, &hits, &misses);
    rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
    unsigned char raw[8193];
    size_t zn, n = stream(2, 5, raw, sizeof raw);
    assert_non_null(rc_zmemo_get(m, raw, n, &zn));
    raw[n / 2] ^= 1; /* one bit */
    assert_null(rc_zmemo_get(m, raw, n, &zn));
    raw[n / 2] ^= 1;
    raw[n] = ' '; /* one byte more */
    assert_null(rc_zmemo_get(m, raw, n + 1, &zn));
    assert_null(rc_zmemo_get(m, raw, n - 1, &zn)); /* one less */
    rc_zmemo_close(m, true);
    /* another compressor's memo of the same output: nothing of it is used */
    rc_zmemo *o = rc_zmemo_open(out, "pdf", "zlib test 2", NULL);
    assert_null(rc_zmemo_get(o, raw, n, &zn));
    rc_zmemo_close(o, false);
}

/* A write that uses none of the file's pairs and puts none leaves a file
 * of no pairs, which the next write reads as a whole file holding nothing
 * (it was hashed from no entries: UBSan once saw a NULL there). A pair
 * forgotten after its get is not kept, so a pair put for the same bytes
 * replaces it. */
static void test_empty_and_forget(void **state)
{
    (void)state;
    size_t hits, misses;
    write_doc(out, 3, &hits, &misses);
    rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
    assert_true(rc_zmemo_close(m, true)); /* nothing used: written anew, empty */
    struct stat a;
    char name[256];
    assert_int_equal(memo_files(&a, name, sizeof name), 1);
    m = rc_zmemo_open(out, "pdf", CODER, NULL);
    unsigned char raw[8193];
    size_t zn, n = stream(3, 1, raw, sizeof raw);
    assert_null(rc_zmemo_get(m, raw, n, &zn));
    rc_zmemo_put(m, raw, n, "first", 5);
    assert_true(rc_zmemo_close(m, true));
    m = rc_zmemo_open(out, "pdf", CODER, NULL);
    const unsigned char *z = rc_zmemo_get(m, raw, n, &zn);
    assert_non_null(z);
    assert_memory_equal(z, "first", 5);
    rc_zmemo_forget(m, raw, n);
    rc_zmemo_put(m, raw, n, "second", 6);
    assert_true(rc_zmemo_close(m, true));
    m = rc_zmemo_open(out, "pdf", CODER, NULL);
    z = rc_zmemo_get(m, raw, n, &zn);
    assert_non_null(z);
    assert_int_equal(zn, 6);
    assert_memory_equal(z, "second", 6);
    assert_false(rc_zmemo_close(m, true)); /* used as it is: not written */
}

/* Two streams of the same length and CRC-32 (the slot's hash): the bytes
 * are compared in full, so the one not kept misses. Found by birthday
 * search among 2^18 strings of 11 bytes (about eight pairs expected; the
 * inputs are fixed, so the pair found is always the same). */
static int by_crc(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

static void string_of(uint32_t i, unsigned char s[12])
{
    snprintf((char *)s, 12, "s%010u", (uint32_t)((uint64_t)i * 2654435761u % 4000000007u));
}

static void test_same_hash(void **state)
{
    (void)state;
    enum { N = 1 << 18 };
    uint64_t *v = malloc(N * sizeof *v); /* crc << 32 | index */
    unsigned char a[12], b[12];
    for (uint32_t i = 0; i < N; i++) {
        string_of(i, a);
        v[i] = (uint64_t)libdeflate_crc32(0, a, 11) << 32 | i;
    }
    qsort(v, N, sizeof *v, by_crc);
    size_t k = 1;
    while (k < N && v[k] >> 32 != v[k - 1] >> 32)
        k++;
    assert_true(k < N);
    string_of((uint32_t)v[k - 1], a);
    string_of((uint32_t)v[k], b);
    free(v);
    assert_memory_not_equal(a, b, 11);
    assert_int_equal(libdeflate_crc32(0, a, 11), libdeflate_crc32(0, b, 11));
    rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
    rc_zmemo_put(m, a, 11, "deflated-a", 10);
    rc_zmemo_close(m, true);
    m = rc_zmemo_open(out, "pdf", CODER, NULL);
    size_t zn;
    assert_null(rc_zmemo_get(m, b, 11, &zn));
    const unsigned char *z = rc_zmemo_get(m, a, 11, &zn);
    assert_non_null(z);
    assert_int_equal(zn, 10);
    assert_memory_equal(z, "deflated-a", 10);
    rc_zmemo_close(m, false);
}

/* Opens the memo and looks up every stream of document doc: each lookup
 * gives the deflated bytes or nothing. Returns the hits. */
static size_t check_doc(int doc)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
    unsigned char raw[8192], want[9000];
    size_t hits = 0;
    for (int i = 0; i < NS; i++) {
        size_t n = stream(doc, i, raw, sizeof raw), zn = 0;
        size_t wn = libdeflate_zlib_compress(c, raw, n, want, sizeof want);
        const unsigned char *z = rc_zmemo_get(m, raw, n, &zn);
        if (!z) continue;
        hits++;
        assert_int_equal(zn, wn);
        assert_memory_equal(z, want, wn);
    }
    rc_zmemo_close(m, false); /* (never rewritten here) */
    libdeflate_free_compressor(c);
    return hits;
}

static void test_damaged(void **state)
{
    (void)state;
    size_t hits, misses;
    write_doc(out, 3, &hits, &misses);
    char name[256];
    struct stat st;
    assert_int_equal(memo_files(&st, name, sizeof name), 1);
    size_t size = (size_t)st.st_size;
    unsigned char *good = malloc(size);
    FILE *f = fopen(name, "rb");
    assert_int_equal(fread(good, 1, size, f), size);
    fclose(f);
    assert_int_equal(check_doc(3), NS);
    /* one byte changed at every 97th offset: the pairs, the key, the
     * entries and the tail; every time other bytes are never given, and a
     * damaged pair's stream (or all, when the index is hit) misses */
    size_t fewer = 0, tries = 0;
    for (size_t off = 0; off < size; off += 97, tries++) {
        good[off] ^= 0x20;
        f = fopen(name, "wb");
        fwrite(good, 1, size, f);
        fclose(f);
        good[off] ^= 0x20;
        fewer += check_doc(3) < NS;
    }
    assert_true(fewer + 1 >= tries); /* (only the key's padding is not checked) */
    /* truncated: nothing */
    size_t cuts[] = {0, 1, 40, size / 2, size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        f = fopen(name, "wb");
        fwrite(good, 1, cuts[i], f);
        fclose(f);
        assert_int_equal(check_doc(3), 0);
    }
    /* the whole file once more, and bytes after it: not the file written */
    f = fopen(name, "wb");
    fwrite(good, 1, size, f);
    fwrite("x", 1, 1, f);
    fclose(f);
    assert_int_equal(check_doc(3), 0);
    /* a directory in its place */
    unlink(name);
    assert_int_equal(mkdir(name, 0755), 0);
    assert_int_equal(check_doc(3), 0);
    rmdir(name);
    free(good);
}

/* Two processes write documents 4 and 5 to the same output at once, many
 * times: afterwards the file is one of them whole. */
static void test_two_writers(void **state)
{
    (void)state;
    size_t hits, misses;
    for (int round = 0; round < 8; round++) {
        int go[2];
        assert_int_equal(pipe(go), 0);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) != 0) _exit(2);
            write_doc(out, 4, &hits, &misses);
            _exit(0);
        }
        close(go[0]);
        close(go[1]); /* both start now */
        write_doc(out, 5, &hits, &misses);
        int status;
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        size_t h4 = check_doc(4), h5 = check_doc(5);
        assert_true((h4 == NS && h5 == 0) || (h4 == 0 && h5 == NS));
        assert_int_equal(memo_files(NULL, NULL, 0), 1); /* no temporary left */
    }
}

/* Two threads of one write: halves of a document looked up and put at
 * once. */
typedef struct half {
    rc_zmemo *m;
    int from;
} half;

static void *write_half(void *arg)
{
    half *h = arg;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    unsigned char raw[8192], z[9000];
    for (int i = h->from; i < NS; i += 2) {
        size_t n = stream(6, i, raw, sizeof raw);
        deflated(h->m, c, raw, n, z, sizeof z);
    }
    libdeflate_free_compressor(c);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) {
        rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
        half a = {m, 0}, b = {m, 1};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, write_half, &a), 0);
        write_half(&b);
        pthread_join(t, NULL);
        size_t hits, misses;
        rc_zmemo_counts(m, &hits, &misses);
        assert_int_equal(hits, round ? NS : 0);
        assert_int_equal(rc_zmemo_close(m, true), round == 0);
    }
}

/* Another document written to the same output replaces the file; a file
 * is never larger than the limit. */
static void test_no_growth_bounded(void **state)
{
    (void)state;
    size_t hits, misses;
    struct stat st;
    char name[256];
    write_doc(out, 7, &hits, &misses);
    assert_int_equal(memo_files(&st, name, sizeof name), 1);
    off_t alone = st.st_size;
    for (int doc = 8; doc < 12; doc++) {
        write_doc(out, doc, &hits, &misses);
        assert_int_equal(misses, NS);
    }
    write_doc(out, 7, &hits, &misses);
    assert_int_equal(hits, 0); /* doc 7's streams went with the last write */
    assert_int_equal(memo_files(&st, name, sizeof name), 1);
    assert_int_equal(st.st_size, alone);
    /* a document that lost streams and gained none: written again without
     * them, then left alone */
    nwrite = NS / 2;
    assert_true(write_doc(out, 7, &hits, &misses));
    assert_int_equal(hits, NS / 2);
    assert_int_equal(memo_files(&st, name, sizeof name), 1);
    assert_true(st.st_size < alone * 3 / 4);
    assert_false(write_doc(out, 7, &hits, &misses));
    nwrite = NS;
    /* bounded: at most 40 KB of pairs, the first streams kept */
    rc_zmemo_limit(40 << 10);
    write_doc(out, 13, &hits, &misses);
    assert_int_equal(memo_files(&st, name, sizeof name), 1);
    assert_true(st.st_size <= (40 << 10) + 2048); /* + key, entries, tail */
    assert_true(st.st_size > (20 << 10));
    write_doc(out, 13, &hits, &misses);
    assert_true(hits > 0 && misses > 0);
    rc_zmemo_limit(0);
}

static void test_names(void **state)
{
    (void)state;
    size_t hits, misses;
    char tmp[200], rel[200], cwd[4096];
    /* a temporary of a temporary (a workbook's) stands for the output */
    snprintf(tmp, sizeof tmp, "%s/out/..report.pdf.123.4.tmp.123.9.tmp", dir);
    write_doc(tmp, 14, &hits, &misses);
    write_doc(out, 14, &hits, &misses);
    assert_int_equal(hits, NS);
    /* a relative path is the absolute one */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    snprintf(rel, sizeof rel, "out/report.pdf");
    write_doc(rel, 14, &hits, &misses);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(hits, NS);
    /* another kind is another file */
    rc_zmemo *m = rc_zmemo_open(out, "xlsx", CODER, NULL);
    unsigned char raw[8192];
    size_t zn, n = stream(14, 0, raw, sizeof raw);
    assert_null(rc_zmemo_get(m, raw, n, &zn));
    rc_zmemo_close(m, false);
}

static void test_unwritable(void **state)
{
    (void)state;
    size_t hits, misses;
    /* CACHEDIR/deflate a file: nothing can be kept, nothing fails */
    char d[160];
    snprintf(d, sizeof d, "%s/deflate", dir);
    FILE *f = fopen(d, "w");
    fclose(f);
    assert_false(write_doc(out, 15, &hits, &misses));
    assert_false(write_doc(out, 15, &hits, &misses));
    assert_int_equal(hits, 0);
    unlink(d);
    /* a cache directory that cannot be made: no memo */
    char bad[200];
    snprintf(bad, sizeof bad, "%s/file/sub", dir);
    snprintf(d, sizeof d, "%s/file", dir);
    f = fopen(d, "w");
    fclose(f);
    setenv("REPORTC_CACHE_DIR", bad, 1);
    assert_false(write_doc(out, 15, &hits, &misses));
    assert_false(write_doc(out, 15, &hits, &misses));
    assert_int_equal(hits, 0);
    setenv("REPORTC_CACHE_DIR", dir, 1);
    /* a failed write keeps nothing */
    rc_zmemo *m = rc_zmemo_open(out, "pdf", CODER, NULL);
    rc_zmemo_put(m, "abc", 3, "xyz", 3);
    assert_false(rc_zmemo_close(m, false));
    assert_int_equal(memo_files(NULL, NULL, 0), 0);
}

/* Puts the modification time of every memo file two hours back. */
static void age_memos(void)
{
    char d[160], f[512];
    snprintf(d, sizeof d, "%s/deflate", dir);
    DIR *dp = opendir(d);
    assert_non_null(dp);
    struct timespec t[2] = {{time(NULL) - 7200, 0}, {time(NULL) - 7200, 0}};
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        snprintf(f, sizeof f, "%s/%.100s", d, e->d_name);
        assert_int_equal(utimensat(AT_FDCWD, f, t, 0), 0);
    }
    closedir(dp);
}

/* An output's first memo removes the memos of outputs that do not exist,
 * written more than an hour before, and temporaries whose process has
 * ended; the others stay. */
static void test_prune(void **state)
{
    (void)state;
    size_t hits, misses;
    char a[160], b[160], c[160], d[160], tmp[256], live[256];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    snprintf(c, sizeof c, "%s/c.pdf", dir);
    snprintf(d, sizeof d, "%s/d.pdf", dir);
    fclose(fopen(a, "w")); /* a and c exist, b and d do not */
    fclose(fopen(c, "w"));
    write_doc(a, 16, &hits, &misses);
    write_doc(b, 17, &hits, &misses);
    assert_int_equal(memo_files(NULL, NULL, 0), 2);
    /* a temporary of a process that has ended (no pid is that large), and
     * one of this process */
    snprintf(tmp, sizeof tmp, "%s/deflate/0123456789abcdef0123456789abcdef.999999999.1.tmp", dir);
    snprintf(live, sizeof live, "%s/deflate/0123456789abcdef0123456789abcdef.%ld.1.tmp", dir,
             (long)getpid());
    fclose(fopen(tmp, "w"));
    fclose(fopen(live, "w"));
    write_doc(b, 17, &hits, &misses); /* (not a first memo: nothing removed) */
    assert_int_equal(hits, NS);
    assert_int_equal(access(tmp, F_OK), 0);
    write_doc(c, 18, &hits, &misses);               /* c's first memo; b's is too young to go */
    assert_int_equal(memo_files(NULL, NULL, 0), 4); /* a, b, c, the live temporary */
    assert_int_not_equal(access(tmp, F_OK), 0);
    assert_int_equal(access(live, F_OK), 0);
    age_memos();
    write_doc(d, 19, &hits, &misses);               /* d's first memo: b's goes */
    assert_int_equal(memo_files(NULL, NULL, 0), 4); /* a, c, d, the live temporary */
    write_doc(a, 16, &hits, &misses);
    assert_int_equal(hits, NS);
    write_doc(c, 18, &hits, &misses);
    assert_int_equal(hits, NS);
    write_doc(b, 17, &hits, &misses);
    assert_int_equal(hits, 0);
    unlink(live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cold_warm_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_growth_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_forget, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
