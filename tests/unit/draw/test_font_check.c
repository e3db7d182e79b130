/* Tests for font_check: the repository's fonts pass; each kind of damage
 * (truncation, a changed byte, a missing table, a broken loca, other font
 * formats) is an error naming the file and what is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font_check.h"
#include "rc/util.h"

static const char *font_path(rc_arena *a)
{
    const char *root = getenv("RC_SOURCE_DIR");
    return rc_path_join(a, root ? root : ".", "fonts/Lato-Regular.ttf");
}

static unsigned char *load(rc_arena *a, size_t *len)
{
    char *data;
    assert_int_equal(rc_read_file(a, font_path(a), &data, len), RC_OK);
    unsigned char *copy = rc_arena_alloc(a, *len);
    memcpy(copy, data, *len);
    return copy;
}

static int count_files(const char *dir)
{
    DIR *dh = opendir(dir);
    int n = 0;
    if (!dh) return 0;
    for (struct dirent *e; (e = readdir(dh));)
        n += e->d_name[0] != '.';
    closedir(dh);
    return n;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The directory record of table tag. */
static unsigned char *record(unsigned char *p, const char *tag)
{
    size_t n = (size_t)p[4] << 8 | p[5];
    for (size_t i = 0; i < n; i++)
        if (memcmp(p + 12 + 16 * i, tag, 4) == 0) return p + 12 + 16 * i;
    fail_msg("no table %s", tag);
    return NULL;
}

/* The message of checking data (NULL when it passes). */
static const char *check(rc_arena *a, const unsigned char *p, size_t len)
{
    rc_diag *d = rc_diag_new();
    bool ok = rc_font_check_data("x.ttf", p, len, (rc_loc){"r.ini", 3, 9}, d);
    const char *msg = NULL;
    if (!ok) {
        char buf[512];
        assert_int_equal(rc_diag_errors(d), 1);
        rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
        msg = rc_arena_strdup(a, buf);
    } else {
        assert_int_equal(rc_diag_count(d), 0);
    }
    rc_diag_free(d);
    return msg;
}

static void test_good_fonts(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    static const char *const faces[] = {"Regular", "Italic", "Bold", "BoldItalic", "Light"};
    const char *root = getenv("RC_SOURCE_DIR");
    for (size_t i = 0; i < 5; i++) {
        rc_diag *d = rc_diag_new();
        const char *p = rc_arena_printf(a, "%s/fonts/Lato-%s.ttf", root ? root : ".", faces[i]);
        assert_true(rc_font_check(a, p, (rc_loc){0}, d));
        rc_diag_free(d);
    }
    rc_arena_free(a);
}

static void test_damage(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    size_t len;
    const unsigned char *orig = load(a, &len);
    unsigned char *p = rc_arena_alloc(a, len);
#define FRESH() memcpy(p, orig, len)

    FRESH();
    assert_null(check(a, p, len));

    /* truncated: the last table runs past the end */
    FRESH();
    const char *m = check(a, p, len / 2);
    assert_non_null(m);
    assert_non_null(strstr(m, "r.ini:3:9: error: 'x.ttf' is damaged or truncated: table '"));

    /* one byte changed inside glyf */
    FRESH();
    unsigned char *g = record(p, "glyf");
    p[be32(g + 8) + be32(g + 12) / 2] ^= 0x55;
    m = check(a, p, len);
    assert_string_equal(m, "r.ini:3:9: error: 'x.ttf' is damaged: table 'glyf' does not match "
                           "its checksum");

    /* a required table renamed away */
    FRESH();
    memcpy(record(p, "cmap"), "cmaq", 4);
    m = check(a, p, len);
    assert_string_equal(m, "r.ini:3:9: error: 'x.ttf' has no 'cmap' table; it cannot be used");

    /* other formats say what they are */
    FRESH();
    memcpy(p, "OTTO", 4);
    m = check(a, p, len);
    assert_non_null(strstr(m, "is an OpenType font with CFF outlines ('OTTO')"));
    memcpy(p, "wOF2", 4);
    assert_non_null(strstr(check(a, p, len), "a WOFF2 web font"));
    memcpy(p, "ttcf", 4);
    assert_non_null(strstr(check(a, p, len), "a font collection"));
    assert_non_null(strstr(check(a, (const unsigned char *)"hello", 5), "is not a TrueType font"));

    /* loca going backwards: its checksum is fixed up so loca itself is judged */
    FRESH();
    unsigned char *l = record(p, "loca");
    unsigned char *head = p + be32(record(p, "head") + 8);
    size_t w = head[51] ? 4 : 2, off = be32(l + 8);
    unsigned char *e = p + off + 3 * w; /* glyph 3's offset := 0 */
    memset(e, 0, w);
    uint32_t s = 0;
    for (size_t i = 0; i + 4 <= be32(l + 12); i += 4)
        s += be32(p + off + i);
    if (be32(l + 12) % 4) {
        unsigned char last[4] = {0};
        memcpy(last, p + off + be32(l + 12) / 4 * 4, be32(l + 12) % 4);
        s += be32(last);
    }
    l[4] = (unsigned char)(s >> 24), l[5] = (unsigned char)(s >> 16);
    l[6] = (unsigned char)(s >> 8), l[7] = (unsigned char)s;
    m = check(a, p, len);
    assert_non_null(m);
    assert_non_null(strstr(m, "'x.ttf' is damaged: glyph 3 lies outside table 'glyf'"));
    rc_arena_free(a);
}

/* A file found good is remembered by its signature (rc/cache.h) and not
 * read again; a damaged one never is, and a new file (changed within two
 * seconds) is checked every time. */
static void test_memo(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    char dir[] = "/tmp/rc-test-fcheck-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("REPORTC_CACHE_DIR", dir, 1);
    const char *memo = rc_arena_printf(a, "%s/checked", dir);
    rc_diag *d = rc_diag_new();
    /* the repository's font was written long enough ago */
    assert_true(rc_font_check(a, font_path(a), (rc_loc){0}, d));
    assert_int_equal(count_files(memo), 1);
    assert_true(rc_font_check(a, font_path(a), (rc_loc){0}, d));
    assert_int_equal(count_files(memo), 1);
    /* a fresh good copy passes but is not remembered yet */
    size_t len;
    unsigned char *p = load(a, &len);
    const char *copy = rc_arena_printf(a, "%s/copy.ttf", dir);
    FILE *f = fopen(copy, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    assert_true(rc_font_check(a, copy, (rc_loc){0}, d));
    assert_int_equal(count_files(memo), 1);
    assert_int_equal(rc_diag_count(d), 0);
    /* damaged in place (same size): still found */
    f = fopen(copy, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(len / 2), SEEK_SET), 0);
    assert_int_equal(fputc(p[len / 2] ^ 0x55, f), p[len / 2] ^ 0x55);
    assert_int_equal(fclose(f), 0);
    assert_false(rc_font_check(a, copy, (rc_loc){"r.ini", 2, 1}, d));
    assert_int_equal(rc_diag_errors(d), 1);
    assert_int_equal(count_files(memo), 1);
    rc_diag_free(d);
    unlink(copy);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    unsetenv("REPORTC_CACHE_DIR");
    rc_arena_free(a);
}

static void test_missing_file(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    assert_false(rc_font_check(a, "/nonexistent/x.ttf", (rc_loc){"r.ini", 1, 1}, d));
    char buf[256];
    rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
    assert_non_null(strstr(buf, "cannot read font file '/nonexistent/x.ttf'"));
    rc_diag_free(d);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_fonts),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_memo),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
