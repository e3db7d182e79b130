/* Tests of the rows reportc writes itself in constant-memory mode
 * (src/xlsx/xlsx_rows.c, spliced by xlsx_zip.c): every sheet's XML is byte
 * for byte what libxlsxwriter writes for the same cells (escapes, control
 * characters, blanks kept with xml:space, a row without cells left out,
 * negative, fractional and large numbers, split sheets); the spliced member
 * is one deflate stream of three pieces at zlib level 1 and its CRC is
 * right (zlib's inflate and the zip check agree); libxlsxwriter's own
 * members keep its level 6; two writes give the same bytes; a write that
 * fails leaves nothing behind. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <libdeflate.h>

#include "../../../src/xlsx/xlsx_int.h"
#include "xlsx_fixture.h"

/* Values a sheet writer can get wrong. Column n is an integer field; x a
 * number field (added through ini_extra). */
static const char *ROWS_CSV = "id,cont,ex,n,x\n"
                              "A&B <c> d>e,EU,meetings;virtual,3,0.1\n"
                              "\"\nlead\",LA,virtual,-12,-2.5\n"
                              "\"trail\n\",NA,NA,0,1e20\n"
                              "\"tab\tin\",EU,meetings,123456789012,12345678.125\n"
                              "\"two\nlines\",LA,NA,7,-0.000001\n"
                              "ctl\x01"
                              "a\x1f"
                              "b\x0b"
                              "c,EU,NA,8,3\n"
                              "NA,NA,NA,NA,NA\n" /* no cell at all: no <row> */
                              "\"quo\"\"te\",EU,virtual,9,2\n"
                              "Bielsko-Biała,LA,meetings,10,1.5\n";

static const char *X_FIELD = "\n[field s.x]\ntype = number\n";

static char *read_all(rc_arena *a, const char *path, size_t *n)
{
    char *x;
    assert_int_equal(rc_read_file(a, path, &x, n), RC_OK);
    return x;
}

/* The CRC-32 that the local header and the central directory entry of
 * member name declare equals that of its inflated bytes (xml, len). */
static void crc_right(const char *zip, size_t n, const char *name, const char *xml, size_t len)
{
    uint32_t want = (uint32_t)crc32(0, (const Bytef *)xml, (uInt)len);
    size_t nl = strlen(name);
    int found = 0;
    for (size_t i = 0; i + 46 + nl <= n; i++) {
        const unsigned char *p = (const unsigned char *)zip + i;
        bool local = memcmp(p, "PK\x03\x04", 4) == 0, central = memcmp(p, "PK\x01\x02", 4) == 0;
        size_t at = local ? 26 : 28, crc_at = local ? 14 : 16, name_at = local ? 30 : 46;
        if ((!local && !central) || (size_t)(p[at] | p[at + 1] << 8) != nl ||
            memcmp(p + name_at, name, nl) != 0)
            continue;
        const unsigned char *c = p + crc_at;
        uint32_t got =
            (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
        if (got != want)
            fail_msg("%s: %s CRC %08x, want %08x", name, local ? "local" : "central", (unsigned)got,
                     (unsigned)want);
        found++;
    }
    assert_int_equal(found, 2);
}

/* Each sheet member of the two workbooks, inflated, is the same (and the
 * CRC reportc wrote is right). */
static void same_sheets(rc_arena *a, const char *p1, const char *p2, unsigned nsheets)
{
    size_t n1, n2;
    char *z1 = read_all(a, p1, &n1), *z2 = read_all(a, p2, &n2);
    for (unsigned k = 1; k <= nsheets; k++) {
        char name[40];
        snprintf(name, sizeof name, "xl/worksheets/sheet%u.xml", k);
        size_t l1 = 0, l2 = 0;
        const char *x1 = zip_member(a, z1, n1, name, &l1), *x2 = zip_member(a, z2, n2, name, &l2);
        assert_non_null(x1);
        assert_non_null(x2);
        crc_right(z2, n2, name, x2, l2);
        if (l1 != l2 || memcmp(x1, x2, l1) != 0) {
            size_t i = 0;
            while (i < l1 && i < l2 && x1[i] == x2[i])
                i++;
            size_t from = i > 80 ? i - 80 : 0;
            fail_msg("%s differs at byte %zu:\nlibrary: %.160s\nreportc: %.160s", name, i,
                     x1 + from, x2 + from);
        }
    }
}

static void test_rows_as_library(void **state)
{
    (void)state;
    write_file("r.csv", ROWS_CSV);
    ini_extra = X_FIELD;
    fx f;
    setup_doc_lang(&f, "r.csv", 0, "en");
    ini_extra = "";
    assert_int_equal(f.data.sources[0].nrows, 9);
    /* one sheet; split over sheets of 4 and of 1 rows */
    static const size_t per[] = {0, 4, 1};
    static const unsigned sheets[] = {4, 6, 12}; /* Cover, Contents, the source's, Fields */
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
        rc_xlsx_data_opts lib = {
            .rows_per_sheet = per[i], .constant_memory_rows = 1, .rows_by_library = true};
        rc_xlsx_data_opts own = {.rows_per_sheet = per[i], .constant_memory_rows = 1};
        const char *a = path_in("lib.xlsx"), *b = path_in("own.xlsx"), *c = path_in("again.xlsx");
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, a, 5, &lib, f.d), RC_OK);
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, b, 5, &own, f.d), RC_OK);
        same_sheets(f.a, a, b, sheets[i]);
        /* the zip is complete and deterministic */
        assert_true(rc_xlsx_verify_zip(b));
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, c, 5, &own, f.d), RC_OK);
        assert_true(same_file(f.a, b, c));
        clean_outputs();
    }
    /* what the rows hold, as Excel reads it */
    rc_xlsx_data_opts own = {.constant_memory_rows = 1};
    const char *b = path_in("own.xlsx");
    assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, b, 5, &own, f.d), RC_OK);
    const char *s = member_text(f.a, b, "xl/worksheets/sheet3.xml");
    assert_non_null(strstr(s, "<dimension ref=\"A1:H10\"/>"));
    assert_non_null(strstr(s, "<t>A&amp;B &lt;c&gt; d&gt;e</t>"));
    assert_non_null(strstr(s, "<t xml:space=\"preserve\">\nlead</t>"));
    assert_non_null(strstr(s, "<t xml:space=\"preserve\">trail\n</t>"));
    assert_non_null(strstr(s, "<t>ctl_x0001_a_x001F_b_x000B_c</t>"));
    assert_non_null(strstr(s, "<v>-12</v>"));
    assert_non_null(strstr(s, "<v>1E+20</v>"));
    assert_non_null(strstr(s, "<v>123456789012</v>"));
    assert_non_null(strstr(s, "<v>12345678.125</v>"));
    assert_non_null(strstr(s, "<v>-1E-06</v>"));
    assert_null(strstr(s, "<row r=\"8\""));
    assert_non_null(strstr(s, "<row r=\"9\">"));
    assert_int_equal(rc_diag_errors(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

/* Deflates n bytes at level at once, ending with flush. */
static unsigned char *deflated(const char *p, size_t n, int level, int flush, size_t *zn)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *b = malloc(cap);
    assert_non_null(b);
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = b;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, flush);
    assert_int_equal(rc, flush == Z_FINISH ? Z_STREAM_END : Z_OK);
    *zn = cap - zs.avail_out;
    deflateEnd(&zs);
    return b;
}

/* The streamed sheet is deflated at level 1 in three pieces: its XML up to
 * the rows (sync flush), the rows (sync flush), the rest; other members are
 * libdeflate's at RC_XLSX_DEFLATE_LEVEL (xlsx_deflate.c). */
static void test_rows_deflate_pieces(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    rc_xlsx_data_opts own = {.constant_memory_rows = 1};
    const char *b = path_in("own.xlsx");
    assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, b, 5, &own, f.d), RC_OK);
    size_t n = 0, len = 0;
    char *zip = read_all(f.a, b, &n);
    const char *xml = zip_member(f.a, zip, n, "xl/worksheets/sheet3.xml", &len);
    assert_non_null(xml);
    const char *z = last_deflated;
    size_t zlen = last_deflated_len;
    const char *rows = strstr(xml, "</row>") + 6; /* after the header row */
    const char *tail = strstr(xml, "</sheetData>");
    assert_true(rows > xml + 6 && tail > rows);
    size_t n1, n2, n3;
    unsigned char *p1 = deflated(xml, (size_t)(rows - xml), 1, Z_SYNC_FLUSH, &n1);
    unsigned char *p2 = deflated(rows, (size_t)(tail - rows), 1, Z_SYNC_FLUSH, &n2);
    unsigned char *p3 = deflated(tail, len - (size_t)(tail - xml), 1, Z_FINISH, &n3);
    assert_int_equal(zlen, n1 + n2 + n3);
    assert_memory_equal(z, p1, n1);
    assert_memory_equal(z + n1, p2, n2);
    assert_memory_equal(z + n1 + n2, p3, n3);
    free(p1);
    free(p2);
    free(p3);
    /* a member libxlsxwriter wrote: libdeflate's (xlsx_deflate.c), not
     * zlib's level 1 */
    const char *styles = zip_member(f.a, zip, n, "xl/styles.xml", &len);
    size_t k6, k1;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(RC_XLSX_DEFLATE_LEVEL);
    assert_non_null(c);
    unsigned char *d6 = malloc(libdeflate_deflate_compress_bound(c, len));
    k6 = libdeflate_deflate_compress(c, styles, len, d6, libdeflate_deflate_compress_bound(c, len));
    libdeflate_free_compressor(c);
    unsigned char *d1 = deflated(styles, len, 1, Z_FINISH, &k1);
    assert_true(k6 != k1 || memcmp(d6, d1, k1) != 0); /* the two differ on it */
    assert_int_equal(last_deflated_len, k6);
    assert_memory_equal(last_deflated, d6, k6);
    free(d6);
    free(d1);
    clean_outputs();
    teardown_doc(&f);
}

/* The rows' temporary file or the spliced workbook cannot be written (a
 * file size limit, as a full disk): one error naming the cause, no file
 * left (the rows file is unlinked from the start), the previous workbook
 * untouched. */
static void test_rows_write_fails(void **state)
{
    (void)state;
    FILE *w = begin_csv("r.csv");
    uint32_t v = 1;
    for (unsigned i = 0; i < 40000; i++) { /* ids that deflate poorly */
        v = v * 1664525u + 1013904223u;
        fprintf(w, "%08x%08x,%s,virtual,%u\n", v, v ^ 0x5bd1e995u, i % 2 ? "EU" : "LA", v % 1000);
    }
    fclose(w);
    write_file("keep.xlsx", "OLD CONTENT");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fx f;
        setup_doc_lang(&f, "r.csv", 0, "en");
        signal(SIGXFSZ, SIG_IGN);
        /* above every member libxlsxwriter writes, below the rows */
        struct rlimit rl = {.rlim_cur = 200000, .rlim_max = RLIM_INFINITY};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(99);
        rc_xlsx_data_opts own = {.constant_memory_rows = 1};
        rc_status st = rc_xlsx_write_data_opt(f.a, &f.doc, path_in("keep.xlsx"), 0, &own, f.d);
        char msg[512] = "";
        if (rc_diag_count(f.d)) rc_diag_format(rc_diag_get(f.d, 0), msg, sizeof msg);
        bool named = strstr(msg, "File too large") != NULL;
        unlink(f.cfg->path); /* the config the fixture wrote beside dir */
        _exit(st != RC_ERR_IO ? 97 : rc_diag_errors(f.d) != 1 ? 98 : named ? 0 : 96);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(file_size(path_in("keep.xlsx")), 11);
    assert_int_equal(count_outputs(dir), 1); /* only keep.xlsx */
    clean_outputs();
}

/* A streamed sheet of more than 4 GiB of XML: its member gets ZIP64 sizes
 * in its local header and central entry (the segment here claims 5 GiB of
 * XML; the CRC and the bytes do not matter for the structure), and the zip
 * check accepts the file. */
static void test_rows_zip64_sizes(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    rc_xlsx_data_opts lib = {.constant_memory_rows = 1, .rows_by_library = true};
    const char *path = path_in("big64.xlsx");
    assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, path, 5, &lib, f.d), RC_OK);
    /* rows: a sync-flushed deflate piece in an unlinked file */
    char tmpl[600];
    snprintf(tmpl, sizeof tmpl, "%s/rowsXXXXXX", dir);
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    unlink(tmpl);
    size_t zn;
    const char *rows = "<row r=\"9\"><c r=\"A9\"><v>1</v></c></row>";
    unsigned char *z = deflated(rows, strlen(rows), 1, Z_SYNC_FLUSH, &zn);
    assert_int_equal(write(fd, z, zn), (ssize_t)zn);
    free(z);
    rc_xw_segment seg = {.sheet = 3, .crc = 0, .off = 0, .clen = zn, .ulen = (uint64_t)5 << 30};
    rc_xw x;
    memset(&x, 0, sizeof x);
    x.a = f.a;
    x.tmp = path;
    x.file = path_in("target.xlsx");
    assert_int_equal(rc_xw_zip_splice(&x, &seg, 1, fd), RC_OK);
    assert_true(rc_xlsx_verify_zip(path));
    size_t n;
    char *zip = read_all(f.a, path, &n);
    const char *name = "xl/worksheets/sheet3.xml";
    size_t nl = strlen(name);
    int seen = 0;
    for (size_t i = 0; i + 46 + nl <= n; i++) {
        const unsigned char *p = (const unsigned char *)zip + i;
        bool local = memcmp(p, "PK\x03\x04", 4) == 0, central = memcmp(p, "PK\x01\x02", 4) == 0;
        size_t name_at = local ? 30 : 46, nlen_at = local ? 26 : 28, size_at = local ? 18 : 20;
        if ((!local && !central) || (size_t)(p[nlen_at] | p[nlen_at + 1] << 8) != nl ||
            memcmp(p + name_at, name, nl) != 0)
            continue;
        /* the 32-bit size fields say "in the ZIP64 extra field": both in the
         * local header (APPNOTE 4.5.3), only the one too large in the
         * central directory, where the extra field holds just that one */
        if (local)
            assert_memory_equal(p + size_at, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
        else
            assert_memory_equal(p + size_at + 4, "\xff\xff\xff\xff", 4);
        const unsigned char *xf = p + name_at + nl;
        assert_int_equal(xf[0] | xf[1] << 8, 1);
        uint64_t usize = 0;
        for (int k = 7; k >= 0; k--)
            usize = usize << 8 | xf[4 + k];
        assert_true(usize > seg.ulen); /* the rows and the sheet's own XML */
        seen++;
    }
    assert_int_equal(seen, 2);
    /* rows for a sheet the workbook does not have are an error, never
     * dropped; the workbook is left as it was and nothing else is left */
    long before = file_size(path);
    int outputs = count_outputs(dir);
    seg.sheet = 99;
    assert_int_equal(rc_xw_zip_splice(&x, &seg, 1, fd), RC_ERR_IO);
    assert_int_equal(file_size(path), before);
    assert_int_equal(count_outputs(dir), outputs);
    close(fd);
    clean_outputs();
    teardown_doc(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_as_library),
        cmocka_unit_test(test_rows_deflate_pieces),
        cmocka_unit_test(test_rows_write_fails),
        cmocka_unit_test(test_rows_zip64_sizes),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
