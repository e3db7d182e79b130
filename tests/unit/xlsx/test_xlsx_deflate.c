/* The workbooks' members deflated by libdeflate (src/xlsx/xlsx_deflate.c):
 * both workbooks written that way and with minizip's own deflate hold the
 * same members with the same XML, their CRCs and sizes right in both zip
 * directories, though the deflated bytes differ (so both ways did run); a
 * member past the gathering cap is deflated as it comes by zlib, as minizip
 * would (then the whole file is the same as minizip's: the zip kept in
 * memory until it is closed writes the same bytes); a member deflated before is reused (the same
 * file again); the setting is the calling thread's. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "xlsx_fixture.h"
#include "../../../src/xlsx/xlsx_int.h"

static uint16_t r16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t r32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Every member of the central directory of the zip at path: its name, its
 * XML (inflated from its local header), and whether the directory's CRC and
 * uncompressed size are those of that XML. Returns the number of members;
 * their names into names[], texts into texts[], deflated sizes into
 * csize[]. */
static size_t members(rc_arena *a, const char *path, const char **names, const char **texts,
                      size_t *csize, size_t max)
{
    char *z;
    size_t n;
    assert_int_equal(rc_read_file(a, path, &z, &n), RC_OK);
    const unsigned char *u = (const unsigned char *)z, *eocd = NULL;
    for (size_t i = n - 22 + 1; i-- > 0 && !eocd;)
        if (memcmp(u + i, "PK\x05\x06", 4) == 0) eocd = u + i;
    assert_non_null(eocd);
    size_t count = r16(eocd + 10), off = r32(eocd + 16);
    assert_true(count <= max);
    for (size_t k = 0; k < count; k++) {
        const unsigned char *e = u + off;
        assert_memory_equal(e, "PK\x01\x02", 4);
        size_t nl = r16(e + 28);
        names[k] = rc_arena_strndup(a, (const char *)e + 46, nl);
        size_t len = 0;
        texts[k] = zip_member(a, z, n, names[k], &len);
        assert_non_null(texts[k]);
        assert_int_equal(r32(e + 24), len); /* uncompressed size */
        assert_int_equal(r32(e + 16), crc32(0, (const Bytef *)texts[k], (uInt)len));
        assert_int_equal(r32(e + 20), last_deflated_len); /* compressed size */
        csize[k] = last_deflated_len;
        off += 46 + nl + r16(e + 30) + r16(e + 32);
    }
    return count;
}

/* The two workbooks at p1 and p2 have the same members with the same XML;
 * returns how many of them were deflated to different bytes. */
static size_t compare(rc_arena *a, const char *p1, const char *p2)
{
    enum { MAX = 256 };
    const char *n1[MAX], *t1[MAX], *n2[MAX], *t2[MAX];
    size_t c1[MAX], c2[MAX];
    size_t k1 = members(a, p1, n1, t1, c1, MAX), k2 = members(a, p2, n2, t2, c2, MAX);
    assert_int_equal(k1, k2);
    assert_true(k1 >= 10);
    size_t differ = 0;
    for (size_t k = 0; k < k1; k++) {
        assert_string_equal(n1[k], n2[k]);
        assert_string_equal(t1[k], t2[k]);
        differ += c1[k] != c2[k];
    }
    return differ;
}

static void test_same_members_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.constant_memory_rows = cm ? 1 : 0};
        size_t before = rc_xlsx_libdeflate_members_made();
        write_both(&f, "l.xlsx", "lf.xlsx", &o);
        assert_true(rc_xlsx_libdeflate_members_made() - before >= 20);
        /* written again: its members deflated before are reused, and the
         * file is the same */
        size_t reused = rc_xlsx_libdeflate_members_reused();
        assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, path_in("lf2.xlsx"), 9, f.d), RC_OK);
        assert_true(rc_xlsx_libdeflate_members_reused() - reused >= 10);
        assert_true(same_file(f.a, path_in("lf.xlsx"), path_in("lf2.xlsx")));

        assert_true(rc_xlsx_libdeflate_members(false));
        before = rc_xlsx_libdeflate_members_made();
        write_both(&f, "z.xlsx", "zf.xlsx", &o);
        assert_int_equal(rc_xlsx_libdeflate_members_made(), before);
        assert_true(on_in_new_thread(rc_xlsx_libdeflate_members));
        assert_false(rc_xlsx_libdeflate_members(true));

        /* past the cap: every member (all longer than a byte) is deflated by
         * zlib as it comes (in pieces of libxlsxwriter's 16 KiB and less) */
        rc_xw_deflate_cap(1);
        write_both(&f, "s.xlsx", "sf.xlsx", &o);
        rc_xw_deflate_cap(0);

        assert_true(compare(f.a, path_in("l.xlsx"), path_in("z.xlsx")) > 0);
        assert_true(compare(f.a, path_in("lf.xlsx"), path_in("zf.xlsx")) > 0);
        /* zlib at the default level, as minizip: the same members as
         * minizip's, and the same files (the zip held in memory until
         * zipClose, members opened raw: the same headers) */
        assert_int_equal(compare(f.a, path_in("s.xlsx"), path_in("z.xlsx")), 0);
        assert_int_equal(compare(f.a, path_in("sf.xlsx"), path_in("zf.xlsx")), 0);
        assert_true(same_file(f.a, path_in("s.xlsx"), path_in("z.xlsx")));
        assert_true(same_file(f.a, path_in("sf.xlsx"), path_in("zf.xlsx")));
        assert_true(rc_xlsx_verify_zip(path_in("l.xlsx")));
        assert_true(rc_xlsx_verify_zip(path_in("lf.xlsx")));
        clean_outputs();
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    teardown_doc(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_members_both_ways),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
