/* libxlsxwriter's XML written by reportc's own writer (src/xlsx/xlsx_xml.c):
 * the same bytes as the library's writer, for both workbooks of the
 * fixture and for a workbook whose texts, link, names and properties hold
 * every character either writer escapes; the numbers of attributes and the
 * cell names as the library prints them; the setting is the calling
 * thread's. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <xlsxwriter/shared_strings.h>
#include <xlsxwriter/xmlwriter.h>

/* the library's names stay its own functions here (called directly) */
#define RC_XW_LIB_NO_MACROS
#include "../../../src/xlsx/xlsx_int.h"
#include "xlsx_fixture.h"

static void test_same_bytes_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.constant_memory_rows = cm ? 1 : 0};
        size_t before = rc_xlsx_own_xml_tags(), elems = rc_xlsx_own_xml_elements();
        write_both(&f, "o.xlsx", "of.xlsx", &o);
        assert_true(rc_xlsx_own_xml_tags() - before >= 200);
        assert_true(rc_xlsx_own_xml_elements() - elems >= 40);
        assert_true(rc_xlsx_own_xml(false));
        before = rc_xlsx_own_xml_tags(), elems = rc_xlsx_own_xml_elements();
        write_both(&f, "l.xlsx", "lf.xlsx", &o);
        assert_int_equal(rc_xlsx_own_xml_tags(), before);
        assert_int_equal(rc_xlsx_own_xml_elements(), elems);
        assert_true(on_in_new_thread(rc_xlsx_own_xml));
        assert_false(rc_xlsx_own_xml(true));
        /* the members deflate alike, so the same XML is the same file */
        assert_true(same_file(f.a, path_in("o.xlsx"), path_in("l.xlsx")));
        assert_true(same_file(f.a, path_in("of.xlsx"), path_in("lf.xlsx")));
        clean_outputs();
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    teardown_doc(&f);
}

/* & < > " and newlines in a cell (shared string and inline), a link and
 * its text, a sheet name's defined print area, a table, a chart's title and
 * the document properties (data elements). */
static void special_workbook(const char *path, bool cm)
{
    lxw_workbook_options opt = {.constant_memory = cm ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    const char *odd = "a & b < c > d \"e\" 'f'\nline two";
    lxw_doc_properties p = {
        .title = (char *)odd, .author = "R & D <x>", .comments = "\"q\"", .created = 1};
    assert_int_equal(workbook_set_properties(wb, &p), LXW_NO_ERROR);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "A & B");
    assert_non_null(ws);
    lxw_format *fmt = workbook_add_format(wb);
    format_set_num_format(fmt, "0.0\" <%>\"");
    assert_int_equal(worksheet_write_string(ws, 0, 0, odd, NULL), LXW_NO_ERROR);
    assert_int_equal(worksheet_write_number(ws, 1, 0, 1234567.125, fmt), LXW_NO_ERROR);
    assert_int_equal(worksheet_write_url_opt(ws, 2, 0, "https://example.org/?a=1&b=\"2\"", NULL,
                                             "x < y", "tip & \"tip\"\nnext"),
                     LXW_NO_ERROR);
    /* numbers the own writer prints as digits and those it leaves to
     * snprintf, with and without a style */
    static const double nums[] = {0.0,
                                  -0.0,
                                  7,
                                  -7,
                                  0.1,
                                  -2.5,
                                  1e-5,
                                  123456789012345.0,
                                  999999999999999.0,
                                  1e15,
                                  1e16,
                                  9007199254740993.0,
                                  1e300,
                                  -1e-300,
                                  3.141592653589793};
    for (lxw_row_t r = 0; r < sizeof nums / sizeof nums[0]; r++) {
        assert_int_equal(worksheet_write_number(ws, 10 + r, 0, nums[r], NULL), LXW_NO_ERROR);
        assert_int_equal(worksheet_write_number(ws, 10 + r, 1, nums[r], fmt), LXW_NO_ERROR);
        assert_int_equal(worksheet_write_string(ws, 10 + r, 2, "s", fmt), LXW_NO_ERROR);
    }
    /* shared strings (xlsx_elems.c's <si>): spaces kept at either end,
     * control characters anywhere, next to the escapes */
    static const char *const texts[] = {" lead",
                                        "trail ",
                                        "\ttab",
                                        "newline\n",
                                        "\x01start",
                                        "end\x1F",
                                        "mid\x02"
                                        "dle & <b>",
                                        "\r\n",
                                        "\x7F\x80x",
                                        "\x0B",
                                        " ",
                                        "plain"};
    for (lxw_row_t r = 0; r < sizeof texts / sizeof texts[0]; r++)
        assert_int_equal(worksheet_write_string(ws, 26 + r, 3, texts[r], NULL), LXW_NO_ERROR);
    assert_int_equal(worksheet_set_column(ws, 0, 0, 40, NULL), LXW_NO_ERROR);
    /* rows and columns with every attribute the own <row> and <col> write
     * (xlsx_elems.c): a format, a height, hidden, outline level, collapsed,
     * widths under one character, the default width hidden */
    lxw_row_col_options hid = {.hidden = 1, .level = 2, .collapsed = 1};
    if (!cm) { /* rows passed cannot be changed in constant-memory mode */
        assert_int_equal(worksheet_set_row_opt(ws, 3, 30.5, fmt, &hid), LXW_NO_ERROR);
        assert_int_equal(worksheet_set_row(ws, 10, LXW_DEF_ROW_HEIGHT, fmt), LXW_NO_ERROR);
    }
    assert_int_equal(worksheet_set_row_opt(ws, 40, 9.75, fmt, &hid), LXW_NO_ERROR); /* no cells */
    assert_int_equal(worksheet_set_column_opt(ws, 3, 5, 0.4, fmt, &hid), LXW_NO_ERROR);
    assert_int_equal(worksheet_set_column_opt(ws, 6, 6, LXW_DEF_COL_WIDTH, NULL, &hid),
                     LXW_NO_ERROR);
    assert_int_equal(worksheet_set_column(ws, 7, 7, LXW_DEF_COL_WIDTH, fmt), LXW_NO_ERROR);
    assert_int_equal(worksheet_set_column(ws, 8, 9, 12.34567, NULL), LXW_NO_ERROR);
    worksheet_set_margins(ws, 0.1, 1.0 / 3, 2.5, 1e-3);
    /* a second sheet with the default margins, after the odd ones */
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "plain");
    assert_non_null(ws2);
    assert_int_equal(worksheet_write_number(ws2, 0, 0, 1, NULL), LXW_NO_ERROR);
    assert_int_equal(worksheet_print_area(ws, 0, 0, 5, 2), LXW_NO_ERROR);
    worksheet_set_header(ws, "&CPage & \"header\"");
    if (!cm) {
        lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_BAR);
        lxw_chart_series *s = chart_add_series(ch, NULL, "='A & B'!$A$11:$A$25");
        chart_series_set_name(s, "Series <1> & \"2\"");
        chart_title_set_name(ch, odd);
        assert_int_equal(worksheet_insert_chart(ws, 4, 2, ch), LXW_NO_ERROR);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_escapes_both_ways(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    for (int cm = 0; cm < 2; cm++) {
        special_workbook(path_in("so.xlsx"), cm);
        assert_true(rc_xlsx_own_xml(false));
        special_workbook(path_in("sl.xlsx"), cm);
        rc_xlsx_own_xml(true);
        assert_true(same_file(a, path_in("so.xlsx"), path_in("sl.xlsx")));
        /* the escapes were written (so the comparison saw them) */
        const char *core = member_text(a, path_in("so.xlsx"), "docProps/core.xml");
        assert_non_null(strstr(core, "a &amp; b &lt; c &gt; d \"e\" 'f'\nline two"));
        const char *rels =
            member_text(a, path_in("so.xlsx"), "xl/worksheets/_rels/sheet1.xml.rels");
        assert_non_null(strstr(rels, "&amp;b=%22"));
        const char *sheet = member_text(a, path_in("so.xlsx"), "xl/worksheets/sheet1.xml");
        assert_non_null(strstr(sheet, "tooltip=\"tip &amp; &quot;tip&quot;&#xA;next\""));
        /* the own <row>, <col> and <pageMargins> wrote every attribute */
        assert_non_null(strstr(sheet, "<row r=\"41\" s=\"1\" customFormat=\"1\" ht=\"9.75\" "
                                      "hidden=\"1\" customHeight=\"1\" outlineLevel=\"2\" "
                                      "collapsed=\"1\"/>"));
        assert_non_null(strstr(sheet, "<col min=\"4\" max=\"6\" width=\"0.7109375\" style=\"1\" "
                                      "hidden=\"1\" customWidth=\"1\" outlineLevel=\"2\" "
                                      "collapsed=\"1\"/>"));
        assert_non_null(strstr(sheet, "<col min=\"7\" max=\"7\" width=\"0\" hidden=\"1\""));
        assert_non_null(strstr(sheet, "<pageMargins left=\"0.1\" right=\"0.3333333333333333\" "
                                      "top=\"2.5\" bottom=\"0.001\" header=\"0.3\" "
                                      "footer=\"0.3\"/>"));
        if (!cm) { /* the shared strings, as the library escapes them */
            const char *sst = member_text(a, path_in("so.xlsx"), "xl/sharedStrings.xml");
            assert_non_null(strstr(sst, "<si><t xml:space=\"preserve\"> lead</t></si>"));
            assert_non_null(strstr(sst, "<si><t>_x0001_start</t></si>"));
            assert_non_null(strstr(sst, "<si><t>mid_x0002_dle &amp; &lt;b&gt;</t></si>"));
            assert_non_null(strstr(sst, "<si><t xml:space=\"preserve\">_x000D_\n</t></si>"));
        }
        if (!cm) /* rows of a sheet held in memory: spans */
            assert_non_null(strstr(sheet, "<row r=\"11\" spans=\"1:3\" s=\"1\" "
                                          "customFormat=\"1\">"));
        if (!cm) { /* cells of a sheet held in memory: the own writer's */
            assert_non_null(strstr(sheet, "<c r=\"A12\"><v>-0</v></c>"));
            assert_non_null(strstr(sheet, "<c r=\"A20\"><v>1000000000000000</v></c>"));
            assert_non_null(strstr(sheet, "<v>1E+16</v>"));
        }
        clean_outputs();
    }
    rc_arena_free(a);
}

static void test_int_attributes(void **state)
{
    (void)state;
    static const uint32_t v[] = {0, 7, 42, 1048576, 2147483647u, 2147483648u, 4294967295u};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct xml_attribute *own = lxw_new_attribute_int("k", v[i]);
        assert_true(rc_xlsx_own_xml(false));
        struct xml_attribute *lib = lxw_new_attribute_int("k", v[i]);
        struct xml_attribute *s = lxw_new_attribute_str("key", "a \"value\"");
        rc_xlsx_own_xml(true);
        struct xml_attribute *t = lxw_new_attribute_str("key", "a \"value\"");
        assert_string_equal(own->key, lib->key);
        assert_string_equal(own->value, lib->value);
        assert_string_equal(s->value, t->value);
        free(own);
        free(lib);
        free(s);
        free(t);
    }
    /* a value longer than the field is cut as the library cuts it */
    char *big = malloc(5000);
    memset(big, 'x', 4999);
    big[4999] = 0;
    struct xml_attribute *own = lxw_new_attribute_str("k", big);
    assert_int_equal(strlen(own->value), LXW_MAX_ATTRIBUTE_LENGTH - 1);
    free(own);
    free(big);
}

/* %.16G of attributes (widths, margins) as the library prints them. */
static void test_dbl_attributes(void **state)
{
    (void)state;
    static const double v[] = {
        0.0,     -0.0, 0.7,   8.43,  9.2, 12.140625, 0.75, 1e16, 1e-5, -3.5e-7, 123456789.123456789,
        1.0 / 3, 60.0, 1e300, 5e-324};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct xml_attribute *own = lxw_new_attribute_dbl("k", v[i]);
        assert_true(rc_xlsx_own_xml(false));
        struct xml_attribute *lib = lxw_new_attribute_dbl("k", v[i]);
        rc_xlsx_own_xml(true);
        assert_string_equal(own->key, lib->key);
        assert_string_equal(own->value, lib->value);
        free(own);
        free(lib);
    }
}

/* Control characters as _xHHHH_, every one of them and the bytes around. */
static void test_control_characters(void **state)
{
    (void)state;
    char s[300];
    size_t n = 0;
    for (int c = 1; c < 256; c++) {
        s[n++] = (char)c;
        if (c % 7 == 0) s[n++] = 'a';
    }
    s[n] = 0;
    const char *cases[] = {"", "plain text", "tab\tand\nnewline", "cr\r", "\x01\x1F", s};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *own = lxw_escape_control_characters(cases[i]);
        assert_true(rc_xlsx_own_xml(false));
        char *lib = lxw_escape_control_characters(cases[i]);
        rc_xlsx_own_xml(true);
        assert_string_equal(own, lib);
        free(own);
        free(lib);
    }
    char *e = lxw_escape_control_characters("a\x01"
                                            "b\rc\td");
    assert_string_equal(e, "a_x0001_b_x000D_c\td");
    free(e);
}

/* The shared strings table filled both ways from the same strings (repeats,
 * prefixes, the empty string, bytes above 127): the same indexes, counts
 * and order. */
static void test_shared_strings(void **state)
{
    (void)state;
    lxw_sst *own = lxw_sst_new(), *lib = lxw_sst_new();
    assert_non_null(own);
    assert_non_null(lib);
    char s[32];
    for (unsigned i = 0; i < 3000; i++) {
        unsigned k = (i * 7919u) % 613u;
        snprintf(s, sizeof s, k % 5 ? "label %u" : "\xC3\xA9t\xC3\xA9 %u", k % 97u);
        if (k % 11 == 0) s[k % 3] = 0; /* "", "l", "la" */
        struct sst_element *a = lxw_get_sst_index(own, s, (uint8_t)(k % 2));
        assert_true(rc_xlsx_own_xml(false));
        struct sst_element *b = lxw_get_sst_index(lib, s, (uint8_t)(k % 2));
        rc_xlsx_own_xml(true);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->index, b->index);
        assert_string_equal(a->string, b->string);
        assert_int_equal(a->is_rich_string, b->is_rich_string);
    }
    assert_int_equal(own->string_count, lib->string_count);
    assert_int_equal(own->unique_count, lib->unique_count);
    assert_true(own->unique_count > 100 && own->unique_count < 300);
    struct sst_element *a = STAILQ_FIRST(own->order_list), *b = STAILQ_FIRST(lib->order_list);
    for (; a && b; a = STAILQ_NEXT(a, sst_order_pointers), b = STAILQ_NEXT(b, sst_order_pointers))
        assert_string_equal(a->string, b->string);
    assert_null(a);
    assert_null(b);
    lxw_sst_free(own);
    lxw_sst_free(lib);
}

/* The hash index of shared strings (while the thread writes a workbook
 * held in memory): it finds what the library's own function put in the
 * table (the tree), the library finds what it added, repeats are answered
 * by it, and a table freed is forgotten even when the next one comes at
 * the same address (a stale index would hand back a freed element). */
static void test_shared_strings_index(void **state)
{
    (void)state;
    rc_xw_cells_begin();
    char s[32];
    for (uint32_t round = 0; round < 3; round++) {
        lxw_sst *t = lxw_sst_new();
        assert_non_null(t);
        /* a different number of strings first in each round, so that an
         * index kept from the last round's table gives other numbers */
        assert_true(rc_xlsx_own_xml(false));
        for (uint32_t k = 0; k <= round; k++) {
            snprintf(s, sizeof s, "first %u", k);
            assert_int_equal(lxw_get_sst_index(t, s, 0)->index, k);
        }
        uint32_t b = round + 1; /* index of "alpha" */
        assert_int_equal(lxw_get_sst_index(t, "alpha", 0)->index, b);
        assert_int_equal(lxw_get_sst_index(t, "beta", 0)->index, b + 1);
        rc_xlsx_own_xml(true);
        assert_int_equal(lxw_get_sst_index(t, "beta", 0)->index, b + 1);
        assert_int_equal(lxw_get_sst_index(t, "gamma", 0)->index, b + 2);
        size_t hits = rc_xw_sst_index_hits();
        assert_int_equal(lxw_get_sst_index(t, "gamma", 0)->index, b + 2);
        assert_int_equal(lxw_get_sst_index(t, "beta", 0)->index, b + 1);
        assert_int_equal(rc_xw_sst_index_hits() - hits, 2);
        assert_int_equal(lxw_get_sst_index(t, "alpha", 0)->index, b); /* from the tree */
        assert_true(rc_xlsx_own_xml(false));
        assert_int_equal(lxw_get_sst_index(t, "gamma", 0)->index, b + 2);
        rc_xlsx_own_xml(true);
        /* many strings: the index grows and rehashes */
        for (uint32_t i = 0; i < 2000; i++) {
            snprintf(s, sizeof s, "label %u", i % 700u);
            assert_int_equal(lxw_get_sst_index(t, s, 0)->index, b + 3 + i % 700u);
        }
        assert_int_equal(t->unique_count, b + 703);
        assert_int_equal(t->string_count, b + 2000 + 8);
        lxw_sst_free(t); /* the next round's table likely has its address */
    }
    rc_xw_cells_end();
}

/* Characters counted as the library counts them, for strings of every
 * length around the eight-byte steps and every byte value. */
static void test_utf8_strlen(void **state)
{
    (void)state;
    char s[64];
    for (unsigned seed = 1; seed < 2000; seed++) {
        size_t n = seed % 40;
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(1 + (seed * 131u + i * 37u + (i * i) % 7u) % 255u);
        s[n] = 0;
        size_t own = lxw_utf8_strlen(s);
        assert_true(rc_xlsx_own_xml(false));
        size_t lib = lxw_utf8_strlen(s);
        rc_xlsx_own_xml(true);
        assert_int_equal(own, lib);
    }
    assert_int_equal(lxw_utf8_strlen("Bogot\xC3\xA1 \xE6\x97\xA5\xF0\x9F\x98\x80"), 9);
}

/* Cell names ("A1"), as the library makes them, over the grid's corners
 * and the column letters' carries. */
static void test_cell_names(void **state)
{
    (void)state;
    static const lxw_row_t rows[] = {0, 8, 9, 99, 1048574, 1048575};
    static const lxw_col_t cols[] = {0, 25, 26, 701, 702, 16383};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
            char own[32], lib[32];
            memset(own, 'x', sizeof own);
            lxw_rowcol_to_cell(own, rows[i], cols[j]);
            assert_true(rc_xlsx_own_xml(false));
            lxw_rowcol_to_cell(lib, rows[i], cols[j]);
            rc_xlsx_own_xml(true);
            assert_string_equal(own, lib);
        }
    char c[32];
    lxw_rowcol_to_cell(c, 1048575, 16383);
    assert_string_equal(c, "XFD1048576");
    lxw_rowcol_to_cell(c, 0, 27);
    assert_string_equal(c, "AB1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_both_ways), cmocka_unit_test(test_escapes_both_ways),
        cmocka_unit_test(test_int_attributes),       cmocka_unit_test(test_dbl_attributes),
        cmocka_unit_test(test_control_characters),   cmocka_unit_test(test_shared_strings),
        cmocka_unit_test(test_shared_strings_index), cmocka_unit_test(test_utf8_strlen),
        cmocka_unit_test(test_cell_names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
