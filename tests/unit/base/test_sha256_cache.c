/* Tests for the SHA-256 digests of input files shared within a build and
 * kept between builds (rc_sha256_file with the memo on, util.h; the cache
 * directory's digests, rc/cache.h; issue 16):
 * - threads asking for the same file at once read it once, and all get its
 *   digest;
 * - a digest kept by an earlier build is used without reading the file;
 * - a file written to (even to the same size with its modification time
 *   put back), or replaced by a rename, is read again: never a stale digest;
 * - a file changed within two seconds is not kept, a damaged or truncated
 *   entry is not used, an empty REPORTC_CACHE_DIR keeps nothing;
 * - the entry's key: any field of the signature, the path, a signature
 *   that changed while the file was read.
 * "A new build" is simulated by forgetting the file in the process's memo
 * (rc_sha256_memo_forget), which leaves only the cache directory. */
#define _GNU_SOURCE /* pthread_barrier_t */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/cache.h"
#include "rc/util.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rc-test-shacache-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    setenv("REPORTC_CACHE_DIR", dir, 1);
    rc_sha256_memo_enable();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* dir/name holding n pseudo-random bytes from seed; the path (static
 * storage per slot) and the bytes' digest in hex. */
static const char *make_file(const char *name, size_t n, uint32_t seed, char hex[65])
{
    static char paths[8][128];
    static int slot;
    char *path = paths[slot++ % 8];
    snprintf(path, 128, "%s/%s", dir, name);
    unsigned char *m = malloc(n ? n : 1);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        m[i] = (unsigned char)(seed >> 24);
    }
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(m, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, path), 0);
    rc_sha256_hex(m, n, hex);
    free(m);
    return path;
}

/* Writes n bytes from seed over path in place (same inode), then puts its
 * modification time back to what it was: only the change time moves. */
static void rewrite_keep_mtime(const char *path, size_t n, uint32_t seed, char hex[65])
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    unsigned char *m = malloc(n);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        m[i] = (unsigned char)(seed >> 24);
    }
    int fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, m, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    struct timespec keep[2] = {st.st_atim, st.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, path, keep, 0), 0);
    struct stat now;
    assert_int_equal(stat(path, &now), 0);
    assert_int_equal(now.st_ino, st.st_ino);
    assert_int_equal(now.st_size, st.st_size);
    assert_int_equal(now.st_mtim.tv_sec, st.st_mtim.tv_sec);
    assert_int_equal(now.st_mtim.tv_nsec, st.st_mtim.tv_nsec);
    rc_sha256_hex(m, n, hex);
    free(m);
}

/* Waits until every path was last changed two seconds ago or more (the
 * cache's "racy" rule), at most a few seconds. */
static void wait_old(const char *const *paths, size_t n)
{
    for (int tries = 0; tries < 100; tries++) {
        bool old = true;
        for (size_t i = 0; i < n; i++) {
            struct stat st;
            assert_int_equal(stat(paths[i], &st), 0);
            time_t last =
                st.st_mtim.tv_sec > st.st_ctim.tv_sec ? st.st_mtim.tv_sec : st.st_ctim.tv_sec;
            old &= time(NULL) - last >= 2;
        }
        if (old) return;
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    fail_msg("files did not get old");
}

/* ---- several threads, one file ---- */

enum { NTHREADS = 8 };

typedef struct asker {
    pthread_barrier_t *go;
    const char *path;
    char hex[65];
    rc_status st;
} asker;

static void *ask(void *arg)
{
    asker *a = arg;
    pthread_barrier_wait(a->go);
    a->st = rc_sha256_file(a->path, a->hex);
    return NULL;
}

/* Eight threads released together ask for the same 8 MB file (about 15 ms
 * of hashing, so they overlap): it is read once and all get its digest. The
 * cache directory is off, so only the memo can spare the reads. */
static void test_threads_read_once(void **state)
{
    (void)state;
    setenv("REPORTC_CACHE_DIR", "", 1);
    char want[65], want2[65];
    const char *big = make_file("big.bin", (size_t)8 << 20, 7, want);
    const char *other = make_file("other.bin", (size_t)2 << 20, 8, want2);
    for (int round = 0; round < 2; round++) {
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, NTHREADS);
        asker a[NTHREADS];
        pthread_t t[NTHREADS];
        size_t before = rc_sha256_files_read();
        for (int i = 0; i < NTHREADS; i++) {
            a[i] = (asker){&go, i % 2 && round ? other : big, "", RC_ERR_IO};
            assert_int_equal(pthread_create(&t[i], NULL, ask, &a[i]), 0);
        }
        for (int i = 0; i < NTHREADS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < NTHREADS; i++) {
            assert_int_equal(a[i].st, RC_OK);
            assert_string_equal(a[i].hex, a[i].path == big ? want : want2);
        }
        /* round 0: big read once; round 1: big remembered, other read once */
        assert_int_equal(rc_sha256_files_read(), before + 1);
    }
    rc_sha256_memo_forget(big);
    rc_sha256_memo_forget(other);
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

/* ---- between builds ---- */

static void test_kept_between_builds(void **state)
{
    (void)state;
    setenv("REPORTC_CACHE_DIR", dir, 1); /* (whatever a failed test left) */
    char h[65], ha[65], hb[65], hc[65], hd[65];
    const char *a = make_file("a.ttf", 300000, 1, ha);
    const char *b = make_file("b.ttf", 300000, 2, hb);
    const char *paths[] = {a, b};
    wait_old(paths, 2);

    /* the first build reads and keeps; the next reads nothing */
    size_t r0 = rc_sha256_files_read();
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    assert_string_equal(h, ha);
    assert_int_equal(rc_sha256_files_read(), r0 + 1);
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    char kept[65] = "";
    assert_true(rc_cache_sha256_get(a, &st, kept));
    assert_string_equal(kept, ha);
    rc_sha256_memo_forget(a);
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    assert_string_equal(h, ha);
    assert_int_equal(rc_sha256_files_read(), r0 + 1);

    /* written in place, same size, modification time put back: read again */
    rewrite_keep_mtime(a, 300000, 3, hc);
    assert_string_not_equal(hc, ha);
    rc_sha256_memo_forget(a);
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    assert_string_equal(h, hc);
    assert_int_equal(rc_sha256_files_read(), r0 + 2);
    /* and, changed just now, not kept: the next build reads it again */
    assert_int_equal(stat(a, &st), 0);
    assert_false(rc_cache_sha256_get(a, &st, kept));
    rc_sha256_memo_forget(a);
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    assert_string_equal(h, hc);
    assert_int_equal(rc_sha256_files_read(), r0 + 3);

    /* replaced by a rename (another inode, same size): read again */
    assert_int_equal(rc_sha256_file(b, h), RC_OK);
    assert_string_equal(h, hb);
    assert_int_equal(rc_sha256_files_read(), r0 + 4);
    make_file("b.ttf", 300000, 4, hd);
    rc_sha256_memo_forget(b);
    assert_int_equal(rc_sha256_file(b, h), RC_OK);
    assert_string_equal(h, hd);
    assert_int_equal(rc_sha256_files_read(), r0 + 5);
}

/* The single entry file in dir/sha256 (the test's own directory). */
static void entry_path(const char *cdir, char *out, size_t cap)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls '%s/sha256'", cdir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char name[128] = "", extra[128];
    assert_non_null(fgets(name, sizeof name, p));
    assert_null(fgets(extra, sizeof extra, p)); /* exactly one */
    pclose(p);
    name[strcspn(name, "\n")] = 0;
    snprintf(out, cap, "%s/sha256/%s", cdir, name);
}

/* A damaged entry (one digit changed, truncated) is not used; an empty
 * REPORTC_CACHE_DIR keeps and uses nothing. */
static void test_damaged_and_off(void **state)
{
    (void)state;
    char h[65], ha[65];
    char sub[96];
    snprintf(sub, sizeof sub, "%s/damage", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    setenv("REPORTC_CACHE_DIR", sub, 1);
    const char *a = make_file("d.csv", 5000, 5, ha);
    wait_old(&a, 1);
    size_t r0 = rc_sha256_files_read();
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    char entry[256];
    entry_path(sub, entry, sizeof entry);
    for (int how = 0; how < 2; how++) {
        FILE *f = fopen(entry, "r+b");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        long size = ftell(f);
        if (how == 0) { /* a digit of the digest: 16 check digits, then 64 */
            assert_int_equal(fseek(f, size - 16 - 64 + 10, SEEK_SET), 0);
            int c = fgetc(f);
            assert_int_equal(fseek(f, size - 16 - 64 + 10, SEEK_SET), 0);
            fputc(c == '0' ? '1' : '0', f);
            assert_int_equal(fclose(f), 0);
        } else {
            assert_int_equal(fclose(f), 0);
            assert_int_equal(truncate(entry, size - 1), 0);
        }
        rc_sha256_memo_forget(a);
        assert_int_equal(rc_sha256_file(a, h), RC_OK);
        assert_string_equal(h, ha);
        assert_int_equal(rc_sha256_files_read(), r0 + 2 + (size_t)how); /* read again */
    }
    /* (the second damage was repaired by the read before it) */
    rc_sha256_memo_forget(a);
    assert_int_equal(rc_sha256_file(a, h), RC_OK);
    assert_int_equal(rc_sha256_files_read(), r0 + 3);

    setenv("REPORTC_CACHE_DIR", "", 1);
    for (int i = 0; i < 2; i++) {
        rc_sha256_memo_forget(a);
        assert_int_equal(rc_sha256_file(a, h), RC_OK);
        assert_string_equal(h, ha);
        assert_int_equal(rc_sha256_files_read(), r0 + 4 + (size_t)i);
    }
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

/* ---- the entry's key, with made-up signatures ---- */

static struct stat old_sig(void)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_mode = S_IFREG | 0644;
    st.st_dev = 2049;
    st.st_ino = 424242;
    st.st_size = 660000;
    st.st_mtim.tv_sec = time(NULL) - 3600;
    st.st_mtim.tv_nsec = 125000000;
    st.st_ctim = st.st_mtim;
    return st;
}

static void test_key(void **state)
{
    (void)state;
    setenv("REPORTC_CACHE_DIR", dir, 1);
    const char *path = "/made/up/Lato-Regular.ttf";
    const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    struct stat st = old_sig();
    char h[65];
    assert_false(rc_cache_sha256_get(path, &st, h));
    rc_cache_sha256_put(path, &st, &st, hex);
    assert_true(rc_cache_sha256_get(path, &st, h));
    assert_string_equal(h, hex);
    assert_false(rc_cache_sha256_get("/made/up/Lato-Bold.ttf", &st, h));
    const char *other = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    for (int field = 0; field < 7; field++) {
        struct stat o = st;
        switch (field) {
        case 0:
            o.st_dev++;
            break;
        case 1:
            o.st_ino++;
            break;
        case 2:
            o.st_size++;
            break;
        case 3:
            o.st_mtim.tv_sec++;
            break;
        case 4:
            o.st_mtim.tv_nsec++;
            break;
        case 5:
            o.st_ctim.tv_sec++;
            break;
        default:
            o.st_ctim.tv_nsec++;
            break;
        }
        assert_false(rc_cache_sha256_get(path, &o, h));
        /* changed while it was read: the entry is not replaced */
        rc_cache_sha256_put(path, &o, &st, other);
        assert_false(rc_cache_sha256_get(path, &o, h));
        assert_true(rc_cache_sha256_get(path, &st, h));
        assert_string_equal(h, hex);
    }
    /* changed a second ago: not kept */
    struct stat fresh = st;
    fresh.st_ino = 777;
    fresh.st_ctim.tv_sec = time(NULL) - 1;
    rc_cache_sha256_put("/made/up/fresh.ttf", &fresh, &fresh, hex);
    assert_false(rc_cache_sha256_get("/made/up/fresh.ttf", &fresh, h));
    /* not a digest: not kept */
    char bad[65];
    memset(bad, 'x', 64);
    bad[64] = 0;
    rc_cache_sha256_put("/made/up/bad.ttf", &st, &st, bad);
    assert_false(rc_cache_sha256_get("/made/up/bad.ttf", &st, h));
    /* a newer version of the same path replaces the entry */
    struct stat newer = st;
    newer.st_ctim.tv_sec += 60;
    newer.st_mtim.tv_sec += 60;
    const char *hex2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    rc_cache_sha256_put(path, &newer, &newer, hex2);
    assert_true(rc_cache_sha256_get(path, &newer, h));
    assert_string_equal(h, hex2);
    assert_false(rc_cache_sha256_get(path, &st, h));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_read_once),
        cmocka_unit_test(test_kept_between_builds),
        cmocka_unit_test(test_damaged_and_off),
        cmocka_unit_test(test_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
