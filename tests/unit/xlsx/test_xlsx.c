/* Tests of the workbook writer: sheet names (length, forbidden characters,
 * apostrophes, case-insensitive duplicates), column width estimates, the zip
 * completeness check on a real workbook and on damaged copies, and the
 * safety rules: a write into a missing directory fails with a diagnostic
 * and creates nothing; a write that fails half-way (file size limit) leaves
 * no file and leaves an existing target untouched; constant-memory mode for
 * large sources writes no Excel table. Streaming: a source whose rows were
 * not kept is read again and gives the same bytes as kept rows, without
 * growing the build's arena or repeating diagnostics; a source file that
 * changed during the build is an error that leaves no file. The Fields sheet
 * names continuation sheets; fixed words come from the locale. Sheet XML is
 * read back with zlib; the full content is checked by the e2e test through
 * openpyxl. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "rc/config.h"
#include "rc/data.h"
#include "rc/doc.h"
#include "rc/locale.h"
#include "rc/util.h"
#include "rc/xlsx.h"

#include "xlsx_fixture.h"

/* ---- sheet names ----------------------------------------------------------------- */

static void test_sheet_name_plain_and_long(void **state)
{
    (void)state;
    char out[32];
    rc_xlsx_sheet_name("Figure 6", NULL, 0, out);
    assert_string_equal(out, "Figure 6");
    rc_xlsx_sheet_name("A sheet name that is much longer than thirty-one characters", NULL, 0, out);
    assert_string_equal(out, "A sheet name that is much longe");
    assert_int_equal(strlen(out), 31);
    /* A multi-byte character is never cut in half. */
    rc_xlsx_sheet_name("Smart Specialisation in Bielsko-Biała", NULL, 0, out);
    assert_true(strlen(out) <= 31);
    assert_int_equal(rc_utf8_validate(out, strlen(out)), strlen(out));
    rc_xlsx_sheet_name("123456789012345678901234567890é", NULL, 0, out);
    assert_string_equal(out, "123456789012345678901234567890");
}

static void test_sheet_name_forbidden_and_apostrophes(void **state)
{
    (void)state;
    char out[32];
    rc_xlsx_sheet_name("a[b]c:d*e?f/g\\h", NULL, 0, out);
    assert_string_equal(out, "abcdefgh");
    rc_xlsx_sheet_name("'quoted'", NULL, 0, out);
    assert_string_equal(out, "quoted");
    rc_xlsx_sheet_name("O'Higgins", NULL, 0, out);
    assert_string_equal(out, "O'Higgins");
    rc_xlsx_sheet_name("[]:*?", NULL, 0, out);
    assert_string_equal(out, "Sheet");
    rc_xlsx_sheet_name(NULL, NULL, 0, out);
    assert_string_equal(out, "Sheet");
    /* Cutting at 31 must not leave a trailing apostrophe. */
    rc_xlsx_sheet_name("123456789012345678901234567890'x", NULL, 0, out);
    assert_string_equal(out, "123456789012345678901234567890");
}

static void test_sheet_name_duplicates(void **state)
{
    (void)state;
    char out[32];
    const char *taken[] = {"figure 1", "FIGURE 1 (2)", "Survey"};
    rc_xlsx_sheet_name("Figure 1", taken, 1, out);
    assert_string_equal(out, "Figure 1 (2)");
    rc_xlsx_sheet_name("Figure 1", taken, 2, out);
    assert_string_equal(out, "Figure 1 (3)");
    rc_xlsx_sheet_name("survey", taken, 3, out);
    assert_string_equal(out, "survey (2)");
    rc_xlsx_sheet_name("Figure 2", taken, 3, out);
    assert_string_equal(out, "Figure 2");
    /* Accented capitals fold too: "ÉTÉ" and "été" are the same sheet. */
    const char *accented[] = {"été"};
    rc_xlsx_sheet_name("ÉTÉ", accented, 1, out);
    assert_string_equal(out, "ÉTÉ (2)");
    /* A long duplicate is shortened so the suffix fits in 31. */
    const char *longs[] = {"A sheet name that is much longe"};
    rc_xlsx_sheet_name("A sheet name that is much longer than allowed", longs, 1, out);
    assert_string_equal(out, "A sheet name that is much l (2)");
    /* Excel reserves "History". */
    rc_xlsx_sheet_name("history", NULL, 0, out);
    assert_string_equal(out, "history (2)");
}

/* ---- widths ------------------------------------------------------------------------ */

static void test_text_width(void **state)
{
    (void)state;
    assert_true(rc_xlsx_text_width("") == 0.0);
    assert_true(rc_xlsx_text_width(NULL) == 0.0);
    assert_true(rc_xlsx_text_width("abc") == 3.0);
    assert_true(rc_xlsx_text_width("0123456789") == 10.0);
    /* Capitals are wider than lower case, i/l narrower. */
    assert_true(rc_xlsx_text_width("ABC") > rc_xlsx_text_width("abc"));
    assert_true(rc_xlsx_text_width("ill") < rc_xlsx_text_width("abc"));
    /* Accented letters measure like their base letters, precomposed or not;
     * bytes do not count. */
    assert_true(rc_xlsx_text_width("Bogotá") == rc_xlsx_text_width("Bogota"));
    assert_true(rc_xlsx_text_width("Bogota\xCC\x81") == rc_xlsx_text_width("Bogota"));
    assert_true(rc_xlsx_text_width("Skåne") == rc_xlsx_text_width("Skane"));
    assert_true(rc_xlsx_text_width("Bielsko-Biała") < 14.0);
    /* East Asian wide characters count double. */
    assert_true(rc_xlsx_text_width("\xE6\x97\xA5\xE6\x9C\xAC") == 4.0);
    /* Several lines: the widest. */
    assert_true(rc_xlsx_text_width("ab\nabcd\na") == 4.0);
}

/* ---- writing -------------------------------------------------------------------------- */

static void test_write_and_verify(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    const char *out = path_in("data.xlsx");
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, out, 1577836800, f.d), RC_OK);
    assert_int_equal(rc_diag_errors(f.d), 0);
    assert_true(rc_xlsx_verify_zip(out));
    assert_int_equal(count_outputs(dir), 1); /* no temporary file left */
    const char *fig = path_in("figures.xlsx");
    assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, fig, 1577836800, f.d), RC_OK);
    assert_true(rc_xlsx_verify_zip(fig));
    assert_int_equal(count_outputs(dir), 2);

    /* Same input and epoch: the same bytes. */
    const char *again = path_in("again.xlsx");
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, again, 1577836800, f.d), RC_OK);
    char *x1, *x2;
    size_t n1, n2;
    assert_int_equal(rc_read_file(f.a, out, &x1, &n1), RC_OK);
    assert_int_equal(rc_read_file(f.a, again, &x2, &n2), RC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(x1, x2, n1);
    /* The build's temporary: written directly, the same bytes, no second
     * file, and left for its owner to rename. */
    char *tmp = rc_out_tmpname(f.a, path_in("direct.xlsx"));
    int before = count_outputs(dir);
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, tmp, 1577836800, f.d), RC_OK);
    assert_int_equal(count_outputs(dir), before + 1);
    assert_true(rc_tmp_registered(tmp));
    assert_int_equal(rc_read_file(f.a, tmp, &x2, &n2), RC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(x1, x2, n1);
    rc_out_discard(tmp);
    /* A signal stopping the build: no file is made (the sweep of the
     * temporaries may have run already), and the write fails. */
    char *tmp2 = rc_out_tmpname(f.a, path_in("stopped.xlsx"));
    rc_tmp_test_stopping(true);
    rc_status stopped = rc_xlsx_write_data(f.a, &f.doc, tmp2, 1577836800, f.d);
    rc_tmp_test_stopping(false);
    assert_int_not_equal(stopped, RC_OK);
    assert_int_equal(count_outputs(dir), before);
    rc_out_discard(tmp2);
    /* A table (not constant-memory mode) and the two sheets are there: the
     * names of the zip entries are stored in plain text. */
    assert_non_null(find_bytes(x1, n1, "xl/tables/table1.xml", 20));
    assert_non_null(find_bytes(x1, n1, "xl/worksheets/sheet2.xml", 24));

    /* Damaged copies fail the check. */
    const char *cut = path_in("cut.xlsx");
    FILE *w = fopen(cut, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(x1, 1, n1 - 10, w), n1 - 10);
    fclose(w);
    assert_false(rc_xlsx_verify_zip(cut));
    w = fopen(cut, "wb");
    assert_int_equal(fwrite(x1, 1, n1 / 2, w), n1 / 2);
    fclose(w);
    assert_false(rc_xlsx_verify_zip(cut));
    /* A directory offset that does not agree with the file: one byte
     * inserted before the directory shifts it. */
    w = fopen(cut, "wb");
    assert_int_equal(fwrite(x1, 1, 100, w), 100);
    fputc(0, w);
    assert_int_equal(fwrite(x1 + 100, 1, n1 - 100, w), n1 - 100);
    fclose(w);
    assert_false(rc_xlsx_verify_zip(cut));
    write_file("cut.xlsx", "not a zip file at all, but long enough to hold a record");
    assert_false(rc_xlsx_verify_zip(cut));
    assert_false(rc_xlsx_verify_zip(path_in("does-not-exist.xlsx")));
    clean_outputs();
    teardown_doc(&f);
}

static void test_missing_directory(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no-such-dir", dir);
    char target[700];
    snprintf(target, sizeof target, "%s/data.xlsx", missing);
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, target, 0, f.d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(f.d), 1);
    char msg[1024];
    rc_diag_format(rc_diag_get(f.d, 0), msg, sizeof msg);
    assert_non_null(strstr(msg, "cannot write workbook"));
    assert_non_null(strstr(msg, "no-such-dir"));
    assert_non_null(strstr(msg, "No such file or directory"));
    /* build.c passes rc_out_tmpname's ".NAME.PID.N.tmp": the message names
     * the file the user asked for. */
    snprintf(target, sizeof target, "%s/.figures.xlsx.123.4.tmp", missing);
    assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, target, 0, f.d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(f.d), 2);
    rc_diag_format(rc_diag_get(f.d, 1), msg, sizeof msg);
    assert_non_null(strstr(msg, "no-such-dir/figures.xlsx'"));
    assert_null(strstr(msg, ".tmp"));
    struct stat st;
    assert_int_not_equal(stat(missing, &st), 0); /* nothing created */
    assert_int_equal(count_outputs(dir), 0);
    teardown_doc(&f);
}

/* A write that fails half-way: in a child process whose file size limit is
 * smaller than the workbook, so libxlsxwriter's writes fail (EFBIG). The
 * existing target must keep its bytes and no file may be left behind; so
 * too when the path is the build's temporary (rc_out_tmpname), which is
 * written directly: its partial file goes. */
static void test_failed_write_leaves_target(void **state)
{
    (void)state;
    write_file("keep.xlsx", "OLD CONTENT");
    for (int which = 0; which < 4; which++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            fx f;
            setup_doc(&f, "s.csv");
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {.rlim_cur = 3000, .rlim_max = RLIM_INFINITY};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(99);
            const char *p =
                which & 2 ? rc_out_tmpname(f.a, path_in("other.xlsx")) : path_in("keep.xlsx");
            rc_status st = which & 1 ? rc_xlsx_write_figures(f.a, &f.doc, p, 0, f.d)
                                     : rc_xlsx_write_data(f.a, &f.doc, p, 0, f.d);
            unlink(f.cfg->path); /* the config the fixture wrote beside dir */
            if (which & 2 && access(p, F_OK) == 0) _exit(97);
            _exit(st == RC_OK ? 0 : rc_diag_errors(f.d) == 1 ? 10 + (int)st : 98);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        int code = WEXITSTATUS(status);
        assert_true(code == 10 + RC_ERR_IO || code == 10 + RC_ERR_LIBRARY);
        assert_int_equal(file_size(path_in("keep.xlsx")), 11);
        assert_int_equal(count_outputs(dir), 1); /* only keep.xlsx */
    }
    clean_outputs();
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF), put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32));
}

/* A minimal archive ending in a ZIP64 directory (what a workbook over 4 GiB
 * ends with): one stored entry, its central header, the ZIP64 end record,
 * its locator and an EOCD whose offset and size say 0xFFFFFFFF. */
static size_t zip64_archive(unsigned char *z, uint64_t cd_off_in_record)
{
    memset(z, 0, 176);
    memcpy(z, "PK\x03\x04", 4);
    put16(z + 26, 1);
    z[30] = 'a'; /* local header: 31 bytes at 0 */
    unsigned char *c = z + 31;
    memcpy(c, "PK\x01\x02", 4);
    put16(c + 28, 1);
    c[46] = 'a'; /* central header: 47 bytes at 31 */
    unsigned char *r = z + 78;
    memcpy(r, "PK\x06\x06", 4);
    put64(r + 4, 44);
    put64(r + 24, 1);
    put64(r + 32, 1);
    put64(r + 40, 47);
    put64(r + 48, cd_off_in_record); /* ZIP64 end record: 56 bytes at 78 */
    unsigned char *l = z + 134;
    memcpy(l, "PK\x06\x07", 4);
    put64(l + 8, 78);
    put32(l + 16, 1); /* locator: 20 bytes at 134 */
    unsigned char *e = z + 154;
    memcpy(e, "PK\x05\x06", 4);
    put16(e + 8, 0xFFFF);
    put16(e + 10, 0xFFFF);
    put32(e + 12, 0xFFFFFFFFu);
    put32(e + 16, 0xFFFFFFFFu); /* EOCD: 22 bytes at 154 */
    return 176;
}

static void test_verify_zip64(void **state)
{
    (void)state;
    unsigned char z[176];
    const char *p = path_in("z64.zip");
    size_t n = zip64_archive(z, 31);
    FILE *w = fopen(p, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(z, 1, n, w), n);
    fclose(w);
    assert_true(rc_xlsx_verify_zip(p));
    n = zip64_archive(z, 30); /* directory offset off by one */
    w = fopen(p, "wb");
    assert_int_equal(fwrite(z, 1, n, w), n);
    fclose(w);
    assert_false(rc_xlsx_verify_zip(p));
    clean_outputs();
}

/* A zip whose EOCD record is followed by a comment (not the last 22 bytes:
 * the check searches the tail), and the same with the comment's length
 * one short of the file's end, or the file cut: rejected. */
static void test_verify_zip_comment(void **state)
{
    (void)state;
    unsigned char z[176 + 64];
    const char *p = path_in("comment.zip");
    size_t n = zip64_archive(z, 31);
    static const char comment[] = "a comment: PK\x05\x06 in it";
    size_t cl = sizeof comment - 1;
    for (int bad = 0; bad < 3; bad++) {
        unsigned char c[sizeof z];
        memcpy(c, z, n);
        memcpy(c + n, comment, cl);
        unsigned len = (unsigned)cl + (bad == 1);
        c[n - 2] = (unsigned char)len;
        c[n - 1] = (unsigned char)(len >> 8);
        size_t total = n + cl - (bad == 2 ? 1 : 0);
        FILE *w = fopen(p, "wb");
        assert_non_null(w);
        assert_int_equal(fwrite(c, 1, total, w), total);
        fclose(w);
        if (bad)
            assert_false(rc_xlsx_verify_zip(p));
        else
            assert_true(rc_xlsx_verify_zip(p));
    }
    clean_outputs();
}

/* Rows over the per-sheet limit continue on "s (2)": with 2 rows per sheet
 * the 3 rows of s.csv take two sheets (plus Fields), as tables or, in
 * constant-memory mode, without tables. */
static void test_split_sheets(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.rows_per_sheet = 2, .constant_memory_rows = cm ? 1 : 0};
        const char *out = path_in("split.xlsx");
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, out, 0, &o, f.d), RC_OK);
        char *x;
        size_t n;
        assert_int_equal(rc_read_file(f.a, out, &x, &n), RC_OK);
        /* Cover, Contents, s, s (2), Fields */
        assert_non_null(find_bytes(x, n, "xl/worksheets/sheet5.xml", 24));
        assert_null(find_bytes(x, n, "xl/worksheets/sheet6.xml", 24));
        if (cm) {
            assert_null(find_bytes(x, n, "xl/tables/", 10));
        } else { /* s, s (2), the Contents and the Fields */
            assert_non_null(find_bytes(x, n, "xl/tables/table4.xml", 20));
            assert_null(find_bytes(x, n, "xl/tables/table5.xml", 20));
        }
        unlink(out);
    }
    /* Without options: Cover, Contents, one sheet and Fields. */
    const char *out = path_in("one.xlsx");
    assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, out, 0, NULL, f.d), RC_OK);
    char *x;
    size_t n;
    assert_int_equal(rc_read_file(f.a, out, &x, &n), RC_OK);
    assert_non_null(find_bytes(x, n, "xl/worksheets/sheet4.xml", 24));
    assert_null(find_bytes(x, n, "xl/worksheets/sheet5.xml", 24));
    assert_int_equal(rc_diag_errors(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

/* A wide source switches to constant-memory mode by its cells: s.csv's
 * sheet has 3 rows x 7 columns (id, cont, cont (code), ex, its 2 options,
 * n) = 21 cells. */
static void test_constant_memory_cells(void **state)
{
    (void)state;
    fx f;
    setup_doc_lang(&f, "s.csv", 0, "en");
    for (size_t limit = 20; limit <= 21; limit++) {
        rc_xlsx_data_opts o = {.constant_memory_cells = limit};
        const char *out = path_in("cells.xlsx");
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, out, 1, &o, f.d), RC_OK);
        char *x;
        size_t n;
        assert_int_equal(rc_read_file(f.a, out, &x, &n), RC_OK);
        if (limit == 20)
            assert_null(find_bytes(x, n, "xl/tables/", 10));
        else
            assert_non_null(find_bytes(x, n, "xl/tables/table1.xml", 20));
        clean_outputs();
    }
    teardown_doc(&f);
}

/* Over RC_XLSX_CONSTANT_MEMORY_ROWS rows: streamed, autofilter, no table. */
static void test_constant_memory(void **state)
{
    (void)state;
    FILE *w = begin_csv("big.csv");
    for (unsigned i = 0; i <= RC_XLSX_CONSTANT_MEMORY_ROWS; i++)
        fprintf(w, "R%u,%s,%s,%u\n", i, i % 2 ? "EU" : "LA", i % 3 ? "meetings" : "NA", i % 7);
    fclose(w);
    fx f;
    setup_doc(&f, "big.csv");
    assert_int_equal(f.data.sources[0].nrows, RC_XLSX_CONSTANT_MEMORY_ROWS + 1);
    const char *out = path_in("big.xlsx");
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, out, 0, f.d), RC_OK);
    assert_true(rc_xlsx_verify_zip(out));
    char *x;
    size_t n;
    assert_int_equal(rc_read_file(f.a, out, &x, &n), RC_OK);
    assert_null(find_bytes(x, n, "xl/tables/", 10));
    assert_non_null(find_bytes(x, n, "xl/worksheets/sheet2.xml", 24));

    /* The same source not kept: read again and streamed, the same bytes,
     * and the build's arena grows by a small constant, not by the rows
     * (kept, they take over 10 MB of it). */
    fx g;
    setup_doc_lang(&g, "big.csv", 0, "en");
    assert_null(g.data.sources[0].rows);
    assert_true(rc_arena_used(f.a) > rc_arena_used(g.a) + ((size_t)10 << 20));
    size_t before = rc_arena_used(g.a);
    const char *streamed = path_in("streamed.xlsx");
    assert_int_equal(rc_xlsx_write_data(g.a, &g.doc, streamed, 0, g.d), RC_OK);
    size_t grew = rc_arena_used(g.a) - before;
    if (grew > ((size_t)256 << 10)) fail_msg("the arena grew by %zu bytes", grew);
    assert_true(same_file(g.a, out, streamed));
    assert_int_equal(rc_diag_count(g.d), 0);
    clean_outputs();
    teardown_doc(&g);
    teardown_doc(&f);
}

/* ---- streaming from the CSV file ------------------------------------------------ */

/* Rows not kept by the data stage are read again from the CSV file: the
 * workbook has the same bytes as one written from kept rows, in every
 * layout (one sheet, split sheets, constant-memory mode). */
static void test_stream_equals_kept(void **state)
{
    (void)state;
    fx k, s;
    setup_doc(&k, "s.csv");
    setup_doc_lang(&s, "s.csv", 0, "en");
    assert_non_null(k.data.sources[0].rows);
    assert_null(s.data.sources[0].rows);
    assert_int_equal(s.data.sources[0].nrows, 3);
    rc_xlsx_data_opts opts[] = {
        {0, 0, 0, false}, {2, 0, 0, false}, {2, 1, 0, false}, {1, 1, 0, false}};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        const char *a = path_in("kept.xlsx"), *b = path_in("streamed.xlsx");
        assert_int_equal(rc_xlsx_write_data_opt(k.a, &k.doc, a, 7, &opts[i], k.d), RC_OK);
        assert_int_equal(rc_xlsx_write_data_opt(s.a, &s.doc, b, 7, &opts[i], s.d), RC_OK);
        assert_true(same_file(s.a, a, b));
        clean_outputs();
    }
    assert_int_equal(rc_diag_count(s.d), 0);
    /* libxlsxwriter reads created = 0 as "now": epoch 0 must still give a
     * fixed date. */
    assert_int_equal(rc_xlsx_write_data(s.a, &s.doc, path_in("e0.xlsx"), 0, s.d), RC_OK);
    const char *core = member_text(s.a, path_in("e0.xlsx"), "docProps/core.xml");
    assert_non_null(strstr(core, ">1970-01-01T00:00:01Z</dcterms:created>"));
    clean_outputs();
    teardown_doc(&k);
    teardown_doc(&s);
}

/* The second read types every cell again; what the data stage reported
 * (undeclared codes) must not be reported twice. */
static void test_stream_no_repeated_diagnostics(void **state)
{
    (void)state;
    write_file("w.csv", "id,cont,ex,n\n"
                        "R1,XX,meetings;zoom,3\n"
                        "R2,LA,virtual,4\n"
                        "R3,YY,NA,NA\n");
    fx f;
    setup_doc_lang(&f, "w.csv", 0, "en");
    size_t before = rc_diag_count(f.d);
    assert_int_equal(rc_diag_warnings(f.d), 2); /* cont (XX, YY), ex (zoom) */
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, path_in("w.xlsx"), 0, f.d), RC_OK);
    assert_int_equal(rc_diag_count(f.d), before);
    /* Undeclared codes are missing values: no label "XX" in the sheet. */
    const char *sst = member_text(f.a, path_in("w.xlsx"), "xl/sharedStrings.xml");
    assert_null(strstr(sst, ">XX<"));
    assert_non_null(strstr(sst, ">Latin America<"));
    clean_outputs();
    teardown_doc(&f);
}

/* A source file that no longer has the rows the data stage read: an error
 * naming the source, no file left, a previous workbook untouched. */
static void changed_case(const char *now, rc_status want, const char *why)
{
    write_file("m.csv", "id,cont,ex,n\n"
                        "R1,EU,meetings;virtual,3\n"
                        "R2,LA,virtual,NA\n");
    fx f;
    setup_doc_lang(&f, "m.csv", 0, "en");
    if (now)
        write_file("m.csv", now);
    else
        assert_int_equal(unlink(path_in("m.csv")), 0);
    write_file("keep.xlsx", "OLD CONTENT");
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, path_in("keep.xlsx"), 0, f.d), want);
    assert_int_equal(rc_diag_errors(f.d), 1);
    char msg[1024];
    rc_diag_format(rc_diag_get(f.d, rc_diag_count(f.d) - 1), msg, sizeof msg);
    if (!strstr(msg, "source 's' changed while the report was being built"))
        fail_msg("unexpected message: %s", msg);
    if (!strstr(msg, why)) fail_msg("'%s' does not say '%s'", msg, why);
    assert_non_null(strstr(msg, "t.ini:")); /* points at the source's file key */
    assert_int_equal(file_size(path_in("keep.xlsx")), 11);
    assert_int_equal(count_outputs(dir), 1);
    clean_outputs();
    teardown_doc(&f);
}

static void test_stream_source_changed(void **state)
{
    (void)state;
    changed_case("id,cont,ex,n\nR1,EU,meetings,3\nR2,LA,virtual,NA\nR3,EU,NA,1\n", RC_ERR_DATA,
                 "more rows");
    changed_case("id,cont,ex,n\nR1,EU,meetings;virtual,3\n", RC_ERR_DATA, "fewer rows");
    changed_case("id,cont,ex,n\nR1,EU,meetings;virtual,3\nR2,LA,virtual,NA \n", RC_ERR_DATA,
                 "size");
    changed_case("ident,cont,ex,n\nR1,EU,meetings;virtual,3\nR2,LA,virtual,NA\n", RC_ERR_DATA,
                 "header row");
    changed_case("id,cont,ex,n\nR1,EU,meetings;virtual,3\nR2,LA,virtual,x\n", RC_ERR_DATA, "type");
    changed_case("id,cont,ex,n\nR1,EU,meetings;virtual,3\nR2,LA\n", RC_ERR_DATA, "build again");
    changed_case(NULL, RC_ERR_IO, "can no longer be read");
}

/* The Fields sheet says which sheets hold each column, continuation sheets
 * included (constant-memory mode: strings are inline in the sheet XML). */
static void test_fields_lists_continuations(void **state)
{
    (void)state;
    fx f;
    setup_doc_lang(&f, "s.csv", 0, "en");
    rc_xlsx_data_opts o = {.rows_per_sheet = 2, .constant_memory_rows = 1};
    const char *out = path_in("split.xlsx");
    assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, out, 0, &o, f.d), RC_OK);
    const char *wb = member_text(f.a, out, "xl/workbook.xml");
    /* after the Cover and the Contents */
    assert_non_null(strstr(wb, "<sheet name=\"Cover\" sheetId=\"1\""));
    assert_non_null(strstr(wb, "<sheet name=\"Contents\" sheetId=\"2\""));
    assert_non_null(strstr(wb, "<sheet name=\"s\" sheetId=\"3\""));
    assert_non_null(strstr(wb, "<sheet name=\"s (2)\" sheetId=\"4\""));
    assert_non_null(strstr(wb, "<sheet name=\"Fields\" sheetId=\"5\""));
    const char *fields = member_text(f.a, out, "xl/worksheets/sheet5.xml");
    assert_non_null(strstr(fields, "<t>Sheet</t>"));
    assert_non_null(strstr(fields, "<t>s, s (2)</t>"));
    /* The continuation sheet has the header row and the third data row. */
    const char *s2 = member_text(f.a, out, "xl/worksheets/sheet4.xml");
    assert_non_null(strstr(s2, "<t>cont</t>"));
    assert_non_null(strstr(s2, "<t>R3</t>"));
    assert_null(strstr(s2, "<t>R1</t>"));
    /* Not split: one sheet named in every row. */
    assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, out, 0, f.d), RC_OK);
    const char *sst = member_text(f.a, out, "xl/sharedStrings.xml");
    assert_non_null(strstr(sst, "<t>s</t>"));
    assert_null(strstr(sst, "s (2)"));
    assert_int_equal(rc_diag_count(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

/* The workbooks' fixed words come from the locale. */
static void test_locale_words(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        const char *data[4], *figs[3];
    } cases[] = {
        {"en", {"cont (code)", "Column", "Label", "Sheet"}, {"Path", "Format", "SHA-256"}},
        {"es", {"cont (código)", "Columna", "Etiqueta", "Hoja"}, {"Ruta", "Formato", "SHA-256"}},
        {"pt", {"cont (código)", "Coluna", "Rótulo", "Folha"}, {"Caminho", "Formato", "SHA-256"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx f;
        setup_doc_lang(&f, "s.csv", 0, cases[i].lang);
        const char *d = path_in("d.xlsx"), *g = path_in("g.xlsx");
        assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, d, 0, f.d), RC_OK);
        assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, g, 0, f.d), RC_OK);
        const char *sst = member_text(f.a, d, "xl/sharedStrings.xml");
        for (size_t k = 0; k < 4; k++) {
            const char *t = rc_arena_printf(f.a, "<t>%s</t>", cases[i].data[k]);
            if (!strstr(sst, t)) fail_msg("%s: data workbook has no %s", cases[i].lang, t);
        }
        const char *wb = member_text(f.a, d, "xl/workbook.xml");
        const char *fields =
            rc_arena_printf(f.a, "<sheet name=\"%s\"", rc_locale_word(f.doc.locale, RC_W_FIELDS));
        assert_non_null(strstr(wb, fields));
        sst = member_text(f.a, g, "xl/sharedStrings.xml");
        for (size_t k = 0; k < 3; k++) {
            const char *t = rc_arena_printf(f.a, "<t>%s</t>", cases[i].figs[k]);
            if (!strstr(sst, t)) fail_msg("%s: figures workbook has no %s", cases[i].lang, t);
        }
        clean_outputs();
        teardown_doc(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_name_plain_and_long),
        cmocka_unit_test(test_sheet_name_forbidden_and_apostrophes),
        cmocka_unit_test(test_sheet_name_duplicates),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_write_and_verify),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_failed_write_leaves_target),
        cmocka_unit_test(test_verify_zip64),
        cmocka_unit_test(test_verify_zip_comment),
        cmocka_unit_test(test_split_sheets),
        cmocka_unit_test(test_constant_memory),
        cmocka_unit_test(test_constant_memory_cells),
        cmocka_unit_test(test_stream_equals_kept),
        cmocka_unit_test(test_stream_no_repeated_diagnostics),
        cmocka_unit_test(test_stream_source_changed),
        cmocka_unit_test(test_fields_lists_continuations),
        cmocka_unit_test(test_locale_words),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
