/* Tests of the lead's small modules: arena, diag, status, util. */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/status.h"
#include "rc/util.h"
#include "cpu_check.h"

static void test_arena_alloc_and_vec(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    char *s = rc_arena_strdup(a, "Bielsko-Biała");
    assert_string_equal(s, "Bielsko-Biała");
    assert_string_equal(rc_arena_printf(a, "%d-%s", 20, "pairings"), "20-pairings");
    unsigned char *z = rc_arena_alloc(a, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(z[i], 0);
    assert_int_equal(((uintptr_t)z) % 16, 0);
    RC_VEC(int) v = {0};
    for (int i = 0; i < 10000; i++)
        RC_PUSH(a, v, i * 3);
    assert_int_equal(v.n, 10000);
    assert_int_equal(v.v[9999], 29997);
    void *big = rc_arena_alloc(a, 10u << 20);
    memset(big, 1, 10u << 20);
    assert_true(rc_arena_used(a) >= (10u << 20));
    assert_null(rc_arena_strdup(a, NULL));
    rc_arena_free(a);
}

/* rc_arena_printf formats into the head block's free space; a text that
 * does not fit there leaves it zeroed for later allocations, and the head
 * blocks of a freed arena come back zeroed (they are kept for reuse). */
static void test_arena_printf_and_reuse(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) { /* the second takes freed blocks */
        rc_arena *a = rc_arena_new();
        assert_string_equal(rc_arena_printf(a, "%s %d", "pages", 35), "pages 35");
        /* fill the head block but for about 20 KB (blocks are 256 KiB) */
        for (int i = 0; i < 4; i++)
            memset(rc_arena_alloc(a, 58000), 0xAB, 58000);
        char *big = rc_arena_printf(a, "%70000d|", 7); /* past the room: a block of its own */
        assert_int_equal(strlen(big), 70001);
        assert_int_equal(big[69999], '7');
        unsigned char *z = rc_arena_alloc(a, 16000); /* from where the text was tried */
        for (int i = 0; i < 16000; i++)
            assert_int_equal(z[i], 0);
        char *s = rc_arena_printf(a, "%.3f", 2.5);
        assert_string_equal(s, "2.500");
        memset(rc_arena_alloc(a, 3000), 0xCD, 3000);
        rc_arena_free(a);
    }
}

static void test_arena_grow_in_place(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    RC_VEC(int) v = {0};
    RC_PUSH(a, v, 1);
    size_t before = rc_arena_used(a);
    for (int i = 0; i < 4095; i++)
        RC_PUSH(a, v, i);
    /* Pushing with no other allocation in between grows in place: the arena
     * holds the final capacity once, not the sum of every doubling. */
    assert_true(rc_arena_used(a) - before <= 4096 * sizeof(int));
    int *p = v.v;
    char *other = rc_arena_strdup(a, "interleaved");
    RC_PUSH(a, v, 7); /* must copy now, and keep the contents */
    assert_ptr_not_equal(p, v.v);
    assert_int_equal(v.v[0], 1);
    assert_int_equal(v.v[4095], 4094);
    assert_int_equal(v.v[4096], 7);
    assert_string_equal(other, "interleaved");
    rc_arena_free(a);
}

/* A vector past 64 KB lives in a block of its own and grows by realloc even
 * with allocations in between: the arena ends up holding its final capacity
 * plus what was allocated before it moved there, not every doubling. */
static void test_arena_big_vector_not_abandoned(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    RC_VEC(double) v = {0};
    for (int i = 0; i < 1 << 20; i++) {
        RC_PUSH(a, v, (double)i);
        if (i % 1000 == 0) (void)rc_arena_strdup(a, "interleaved");
    }
    assert_int_equal(v.n, 1u << 20);
    for (int i = 0; i < 1 << 20; i += 4099)
        assert_true(v.v[i] == (double)i);
    /* 8 MiB of doubles; doubling and abandoning would hold about 16 MiB. */
    assert_true(rc_arena_used(a) < (9u << 20));
    assert_true(rc_arena_used(a) >= (8u << 20));
    rc_arena_free(a);
}

/* Many vectors growing in turn (a page's foreground and background, a
 * figure's list...) each keep a block of their own: none is copied and
 * abandoned, so the arena holds about their final capacities; released
 * ones give their bytes back. */
static void test_arena_interleaved_vectors_and_release(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    enum { NV = 40, N = 4096 };
    RC_VEC(double) v[NV];
    memset(v, 0, sizeof v);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < NV; k++) {
            RC_PUSH(a, v[k], (double)(i * NV + k));
            if (i % 64 == 0) (void)rc_arena_strdup(a, "x");
        }
    for (int k = 0; k < NV; k++)
        for (int i = 0; i < N; i += 511)
            assert_true(v[k].v[i] == (double)(i * NV + k));
    /* 40 x 32 KiB of doubles: 1.13 times that held (each vector's first
     * 2 KiB are copied as they double in shared blocks); looking for the
     * block among the four newest only, as before, held 2.03 times */
    size_t held = rc_arena_used(a);
    assert_true(held < (size_t)NV * N * sizeof(double) * 5 / 4);
    for (int k = 0; k < NV; k++)
        rc_arena_release(a, v[k].v);
    assert_true(rc_arena_used(a) < held - (size_t)NV * N * sizeof(double) + 64 * 1024);
    /* a small allocation in a shared block is not released, and the
     * table still finds blocks made after releases */
    char *s = rc_arena_strdup(a, "kept");
    rc_arena_release(a, s);
    assert_string_equal(s, "kept");
    RC_VEC(int) w = {0};
    for (int i = 0; i < 100000; i++)
        RC_PUSH(a, w, i);
    assert_int_equal(w.v[99999], 99999);
    rc_arena_release(a, NULL);
    rc_arena_free(a);
}

/* Strings are packed: ten thousand seven-letter words take about eight
 * bytes each, not sixteen, and aligned allocations after them still are. */
static void test_arena_strings_packed(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    size_t before = rc_arena_used(a);
    char *first = rc_arena_strdup(a, "Poznań!"); /* 8 bytes with the NUL */
    for (int i = 0; i < 9999; i++)
        assert_string_equal(rc_arena_strndup(a, "letters and more", 7), "letters");
    assert_true(rc_arena_used(a) - before <= 10000 * 8 + 64);
    assert_string_equal(first, "Poznań!");
    double *d = rc_arena_alloc(a, sizeof *d);
    assert_int_equal(((uintptr_t)d) % 16, 0);
    *d = 1.5;
    char *p = rc_arena_printf(a, "%s-%d", "row", 7);
    assert_string_equal(p, "row-7");
    assert_true(*d == 1.5);
    rc_arena_free(a);
}

static void test_diag_format_and_order(void **state)
{
    (void)state;
    rc_diag *d = rc_diag_new();
    rc_diag_error(d, (rc_loc){"a.ini", 14, 9}, "unknown column '%s'", "Contnent");
    rc_diag_warning(d, (rc_loc){"b.csv", 3, 0}, "empty column");
    rc_diag_note(d, (rc_loc){"c.md", 0, 0}, "see here");
    assert_int_equal(rc_diag_errors(d), 1);
    assert_int_equal(rc_diag_warnings(d), 1);
    assert_int_equal(rc_diag_count(d), 3);
    char buf[256];
    rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
    assert_string_equal(buf, "a.ini:14:9: error: unknown column 'Contnent'");
    rc_diag_format(rc_diag_get(d, 1), buf, sizeof buf);
    assert_string_equal(buf, "b.csv:3: warning: empty column");
    rc_diag_format(rc_diag_get(d, 2), buf, sizeof buf);
    assert_string_equal(buf, "c.md: note: see here");
    assert_null(rc_diag_get(d, 3));
    rc_diag_free(d);
}

/* Strict mode promotes the warnings already reported and every later one;
 * notes and errors are left as they are. */
static void test_diag_strict(void **state)
{
    (void)state;
    rc_diag *d = rc_diag_new();
    rc_diag_warning(d, (rc_loc){"a.csv", 2, 3}, "early %d", 1);
    rc_diag_note(d, (rc_loc){0}, "a note");
    assert_false(rc_diag_strict(d));
    rc_diag_set_strict(d);
    assert_true(rc_diag_strict(d));
    rc_diag_warning(d, (rc_loc){"b.csv", 0, 0}, "late");
    rc_diag_error(d, (rc_loc){0}, "plain");
    assert_int_equal(rc_diag_warnings(d), 0);
    assert_int_equal(rc_diag_errors(d), 3);
    char buf[128];
    rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
    assert_string_equal(buf, "a.csv:2:3: error: early 1 [strict]");
    rc_diag_format(rc_diag_get(d, 1), buf, sizeof buf);
    assert_string_equal(buf, "reportc: note: a note");
    rc_diag_format(rc_diag_get(d, 2), buf, sizeof buf);
    assert_string_equal(buf, "b.csv: error: late [strict]");
    rc_diag_format(rc_diag_get(d, 3), buf, sizeof buf);
    assert_string_equal(buf, "reportc: error: plain");
    rc_diag_free(d);
}

/* metrics --json: the shortest text that reads back as the same double. */
static void test_shortest_double(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(rc_shortest_double(b, 0.1), "0.1");
    assert_string_equal(rc_shortest_double(b, 0.46875), "0.46875");
    assert_string_equal(rc_shortest_double(b, 1.0 / 3), "0.3333333333333333");
    assert_string_equal(rc_shortest_double(b, 2.0 / 3), "0.6666666666666666");
    assert_string_equal(rc_shortest_double(b, 0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(rc_shortest_double(b, -1e-300), "-1e-300");
    const double v[] = {1.0 / 7, 123456.789, 5e-324, 1.7976931348623157e308, 0.15625};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_true(strtod(rc_shortest_double(b, v[i]), NULL) == v[i]);
    /* ten significant digits, the old form, did not round-trip 1/7 */
    snprintf(b, sizeof b, "%.10g", 1.0 / 7);
    assert_false(strtod(b, NULL) == 1.0 / 7);
}

static void test_diag_suggest(void **state)
{
    (void)state;
    const char *c[] = {"Continent", "Country", "Region"};
    assert_string_equal(rc_diag_suggest("Contnent", c, 3), "Continent");
    assert_string_equal(rc_diag_suggest("continent", c, 3), "Continent");
    assert_string_equal(rc_diag_suggest("Regoin", c, 3), "Region");
    assert_null(rc_diag_suggest("salary", c, 3));
    rc_loc l = rc_loc_offset((rc_loc){"x", 2, 5}, 7);
    assert_int_equal(l.col, 12);
}

static void test_status_table(void **state)
{
    (void)state;
    for (int s = 0; s < RC_STATUS_COUNT; s++) {
        assert_non_null(rc_strerror((rc_status)s));
        assert_string_not_equal(rc_strerror((rc_status)s), "unknown status");
        int e = rc_status_exit_code((rc_status)s);
        assert_true(e >= 0 && e <= 3);
    }
    assert_int_equal(rc_status_exit_code(RC_OK), 0);
    assert_int_equal(rc_status_exit_code(RC_ERR_DATA), 1);
    assert_int_equal(rc_status_exit_code(RC_ERR_CONFIG), 2);
    assert_int_equal(rc_status_exit_code(RC_ERR_USAGE), 2);
    assert_int_equal(rc_status_exit_code(RC_ERR_IO), 3);
    assert_string_equal(rc_strerror(RC_STATUS_COUNT), "unknown status");
}

static void test_utf8(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(rc_utf8_decode("ł", 2, &cp), 2);
    assert_int_equal(cp, 0x142);
    assert_int_equal(rc_utf8_decode("\xe2\x80\x94", 3, &cp), 3);
    assert_int_equal(cp, 0x2014);
    assert_int_equal(rc_utf8_decode("\xc0\xaf", 2, &cp), 0);     /* overlong */
    assert_int_equal(rc_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
    assert_int_equal(rc_utf8_decode("\xe2\x80", 2, &cp), 0);     /* truncated */
    const char *ok = "Skåne, Śląskie and Bogotá — “quoted”";
    assert_int_equal(rc_utf8_validate(ok, strlen(ok)), strlen(ok));
    const char bad[] = "abcdefghij\xffxyz";
    assert_int_equal(rc_utf8_validate(bad, sizeof bad - 1), 10);
    char out[4];
    assert_int_equal(rc_utf8_encode(0x1F600, out), 4);
    assert_int_equal(rc_utf8_decode(out, 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(rc_utf8_length("Biała", 6), 5);
}

static void test_sha256(void **state)
{
    (void)state;
    char h[65];
    rc_sha256_hex("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    rc_sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    rc_sha256_hex(m, strlen(m), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Long inputs (FIPS 180-4 / 180-2 appendix B vectors, one million 'a'), a
 * file read in pieces, and the inputs of the sample against sha256sum. */
static void test_sha256_long(void **state)
{
    (void)state;
    char h[65], h2[65];
    size_t n = 1000000;
    char *m = malloc(n);
    assert_non_null(m);
    memset(m, 'a', n);
    rc_sha256_hex(m, n, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    const char *v = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    rc_sha256_hex(v, strlen(v), h);
    assert_string_equal(h, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    uint32_t x = 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        m[i] = (char)(x >> 24);
    }
    static const char *const inputs[] = {"config/iuc-lac-2019.ini",
                                         "config/iuc-lac-2019/survey.csv",
                                         "config/iuc-lac-2019/pairings.csv"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char cmd[256], want[80] = "";
        snprintf(cmd, sizeof cmd, "sha256sum '%s'", inputs[i]);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        assert_non_null(fgets(want, sizeof want, p));
        assert_int_equal(pclose(p), 0);
        want[64] = 0;
        assert_int_equal(rc_sha256_file(inputs[i], h), RC_OK);
        assert_string_equal(h, want);
    }
    char path[] = "/tmp/rc_test_sha_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, m, n), (ssize_t)n);
    close(fd);
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    rc_sha256_hex(m, n, h2);
    assert_string_equal(h, h2);
    setenv("RC_SHA256_PORTABLE", "1", 1);
    rc_sha256_hex(m, n, h2);
    unsetenv("RC_SHA256_PORTABLE");
    assert_string_equal(h, h2);
    unlink(path);
    free(m);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* The memo of rc_sha256_file: off, every call reads the file; on, a file
 * with its old signature is not read again, a same-size write that put the
 * old modification time back is read again (its change time moved), so is
 * a new size or time, and a forgotten file. */
static void test_sha256_memo(void **state)
{
    (void)state;
    char path[] = "/tmp/rc_test_memo_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char h[65], ha[65], hb[65], hc[65];
    rc_sha256_hex("aaaa", 4, ha);
    rc_sha256_hex("bbbb", 4, hb);
    rc_sha256_hex("cccccc", 6, hc);
    put_file(path, "aaaa");
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, ha);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    struct timespec keep[2] = {st.st_atim, st.st_mtim};
    put_file(path, "bbbb");
    assert_int_equal(utimensat(AT_FDCWD, path, keep, 0), 0);
    assert_int_equal(rc_sha256_file(path, h), RC_OK); /* memo off: read */
    assert_string_equal(h, hb);

    rc_sha256_memo_enable();
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, hb);
    put_file(path, "aaaa");
    assert_int_equal(utimensat(AT_FDCWD, path, keep, 0), 0);
    size_t reads = rc_sha256_files_read();
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, ha); /* the same modification time, a new change time */
    assert_int_equal(rc_sha256_files_read(), reads + 1);
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, ha); /* the same signature: remembered, not read */
    assert_int_equal(rc_sha256_files_read(), reads + 1);
    rc_sha256_memo_forget(path);
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, ha);
    assert_int_equal(rc_sha256_files_read(), reads + 2);
    put_file(path, "cccccc"); /* another size */
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    assert_string_equal(h, hc);
    struct timespec later[2] = {keep[0], {keep[1].tv_sec + 10, keep[1].tv_nsec}};
    put_file(path, "aaaaaa");
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0); /* another time */
    assert_int_equal(rc_sha256_file(path, h), RC_OK);
    rc_sha256_hex("aaaaaa", 6, hc);
    assert_string_equal(h, hc);
    unlink(path);
    assert_int_equal(rc_sha256_file(path, h), RC_ERR_IO); /* gone: not remembered */
}

static void test_paths(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    assert_string_equal(rc_path_join(a, "config", "data/s.csv"), "config/data/s.csv");
    assert_string_equal(rc_path_join(a, "config/", "s.csv"), "config/s.csv");
    assert_string_equal(rc_path_join(a, "config", "/abs/s.csv"), "/abs/s.csv");
    assert_string_equal(rc_path_join(a, ".", "s.csv"), "s.csv");
    assert_string_equal(rc_path_dir(a, "config/report.ini"), "config");
    assert_string_equal(rc_path_dir(a, "report.ini"), ".");
    assert_string_equal(rc_path_dir(a, "/report.ini"), "/");
    assert_string_equal(rc_path_base("a/b/c.pdf"), "c.pdf");
    rc_arena_free(a);
}

static void test_atomic_output(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    char dir[] = "/tmp/rc-util-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *target = rc_arena_printf(a, "%s/out.txt", dir);
    FILE *f = fopen(target, "w");
    fputs("old", f);
    fclose(f);

    /* An aborted write leaves the old file and no temporary behind. */
    rc_outfile o;
    assert_int_equal(rc_out_open(a, target, &o), RC_OK);
    assert_int_equal(write(o.fd, "new!", 4), 4);
    rc_out_abort(&o);
    char *data;
    size_t len;
    assert_int_equal(rc_read_file(a, target, &data, &len), RC_OK);
    assert_string_equal(data, "old");
    assert_int_equal(access(o.tmp, F_OK), -1);

    /* A committed one replaces it. */
    assert_int_equal(rc_out_open(a, target, &o), RC_OK);
    assert_int_equal(write(o.fd, "new!", 4), 4);
    assert_int_equal(rc_out_commit(&o), RC_OK);
    assert_int_equal(rc_read_file(a, target, &data, &len), RC_OK);
    assert_string_equal(data, "new!");
    assert_int_equal(access(o.tmp, F_OK), -1);

    /* Opening in a missing directory fails cleanly. */
    char *nowhere = rc_arena_printf(a, "%s/missing/out.txt", dir);
    assert_int_equal(rc_out_open(a, nowhere, &o), RC_ERR_IO);
    assert_int_equal(rc_read_file(a, dir, &data, &len), RC_ERR_IO); /* a directory */

    unlink(target);
    rmdir(dir);
    rc_arena_free(a);
}

/* A file over RC_MAX_INPUT_FILE is refused before it is read (a sparse file:
 * no disk space, no time). */
static void test_read_file_limit(void **state)
{
    (void)state;
    char path[] = "/tmp/rc-test-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)RC_MAX_INPUT_FILE + 1), 0);
    close(fd);
    rc_arena *a = rc_arena_new();
    char *data = NULL;
    size_t len = 0;
    errno = 0;
    assert_int_equal(rc_read_file(a, path, &data, &len), RC_ERR_LIMIT);
    assert_int_equal(errno, EFBIG);
    assert_non_null(strstr(rc_read_error(EFBIG), "256 MiB"));
    assert_string_equal(rc_read_error(ENOENT), strerror(ENOENT));
    assert_true(rc_arena_used(a) < 4096); /* nothing was allocated for it */
    unlink(path);
    rc_arena_free(a);
}

static void test_out_shown(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    const char *tmp = rc_out_tmpname(a, "out/report.pdf");
    assert_string_equal(rc_out_shown(a, tmp), "out/report.pdf");
    assert_string_equal(rc_out_shown(a, "d/.a.b.xlsx.12.3.tmp"), "d/a.b.xlsx");
    assert_string_equal(rc_out_shown(a, ".x.pdf.7.8.tmp"), "x.pdf");
    static const char *const kept[] = {"out/report.pdf", "x.tmp", "d/.x.1.tmp", ".x.a.2.tmp",
                                       "d/.x.pdf.1.2.tmpx"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_string_equal(rc_out_shown(a, kept[i]), kept[i]);
    rc_arena_free(a);
}

static void test_build_epoch(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1577836800", 1);
    assert_int_equal(rc_build_epoch(5), 1577836800);
    assert_true(rc_build_epoch_valid());
    setenv("SOURCE_DATE_EPOCH", "12abc", 1);
    assert_int_equal(rc_build_epoch(5), 5);
    assert_false(rc_build_epoch_valid());
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(rc_build_epoch(7), 7);
    assert_true(rc_build_epoch_valid());
    /* empty counts as unset; signs, blanks and out-of-range values are malformed */
    static const struct {
        const char *v;
        bool valid;
    } cases[] = {{"", true},
                 {"0", true},
                 {"253402300799", true},
                 {"-1", false},
                 {"+5", false},
                 {" 5", false},
                 {"5 ", false},
                 {"253402300800", false},
                 {"99999999999999999999", false},
                 {"2019-10-09", false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("SOURCE_DATE_EPOCH", cases[i].v, 1);
        assert_int_equal(rc_build_epoch_valid(), cases[i].valid);
    }
    unsetenv("SOURCE_DATE_EPOCH");
}

/* rc_utoa: the decimal digits of the whole uint64_t range, no NUL. */
static void test_utoa(void **state)
{
    (void)state;
    static const struct {
        uint64_t v;
        const char *s;
    } cases[] = {
        {0, "0"}, {7, "7"}, {10, "10"}, {1000000, "1000000"}, {UINT64_MAX, "18446744073709551615"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[24];
        memset(out, 'x', sizeof out);
        size_t n = rc_utoa(cases[i].v, out);
        assert_int_equal(n, strlen(cases[i].s));
        assert_memory_equal(out, cases[i].s, n);
        assert_int_equal(out[n], 'x');
    }
    /* every number to 100,000, and either side of each power of ten, as printf */
    static uint64_t vals[100001 + 3 * 20];
    size_t nv = 0;
    for (uint64_t v = 0; v <= 100000; v++)
        vals[nv++] = v;
    for (uint64_t p = 1000000;; p *= 10) {
        vals[nv++] = p - 1;
        vals[nv++] = p;
        vals[nv++] = p + 1;
        if (p > UINT64_MAX / 10) break;
    }
    for (size_t i = 0; i < nv; i++) {
        char out[24], want[24];
        size_t n = rc_utoa(vals[i], out);
        int k = snprintf(want, sizeof want, "%llu", (unsigned long long)vals[i]);
        assert_int_equal(n, (size_t)k);
        assert_memory_equal(out, want, n);
    }
}

/* rc_cpus follows the affinity mask (what taskset or a cpuset allows),
 * which decides whether the PDF writer starts its threads at all. */
static void test_cpus(void **state)
{
    (void)state;
    cpu_set_t all;
    rc_test_one_cpu(&all);
    size_t n = rc_cpus();
    rc_test_all_cpus(&all);
    assert_int_equal(rc_cpus(), (size_t)CPU_COUNT(&all));
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alloc_and_vec),
        cmocka_unit_test(test_arena_printf_and_reuse),
        cmocka_unit_test(test_arena_grow_in_place),
        cmocka_unit_test(test_arena_big_vector_not_abandoned),
        cmocka_unit_test(test_arena_interleaved_vectors_and_release),
        cmocka_unit_test(test_arena_strings_packed),
        cmocka_unit_test(test_diag_format_and_order),
        cmocka_unit_test(test_diag_suggest),
        cmocka_unit_test(test_diag_strict),
        cmocka_unit_test(test_shortest_double),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_sha256_long),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_atomic_output),
        cmocka_unit_test(test_build_epoch),
        cmocka_unit_test(test_read_file_limit),
        cmocka_unit_test(test_out_shown),
        cmocka_unit_test(test_utoa),
        cmocka_unit_test(test_cpus),
        cmocka_unit_test(test_sha256_memo), /* last: it turns the memo on */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
