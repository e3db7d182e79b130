/* Tests of the filter language: every operator on hand-built rows,
 * precedence, quoted codes, batch evaluation and error positions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/data_int.h"
#include "rc/data.h"

enum { CONT, FAM, REL, N, X, EXCH, NAME, NF };

typedef struct fixture {
    rc_arena *a;
    rc_source_cfg src;
    rc_field_cfg f[NF];
} fixture;

static rc_code *codes(rc_arena *a, const char *const *c, size_t n)
{
    rc_code *v = rc_arena_array(a, n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i].code = c[i];
        v[i].label = c[i];
    }
    return v;
}

static void field(fixture *fx, size_t i, const char *name, rc_field_type t, const char *const *c,
                  size_t nc)
{
    rc_field_cfg *f = &fx->f[i];
    f->name.s = name;
    f->column.s = name;
    f->type = t;
    f->codes = nc ? codes(fx->a, c, nc) : NULL;
    f->ncodes = nc;
    f->scale_min = 1;
    f->scale_max = 5;
    f->separator.s = ";";
    f->source = &fx->src;
    f->index = i;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->a = rc_arena_new();
    static const char *const cont[] = {"EU", "LA"};
    static const char *const fam[] = {"very", "broadly", "vaguely", "none"};
    static const char *const exch[] = {"meetings", "virtual", "peer learning", "a\"b"};
    field(fx, CONT, "continent", RC_FIELD_CATEGORY, cont, 2);
    field(fx, FAM, "familiarity", RC_FIELD_CATEGORY, fam, 4);
    field(fx, REL, "rel", RC_FIELD_LIKERT, NULL, 0);
    field(fx, N, "n", RC_FIELD_INTEGER, NULL, 0);
    field(fx, X, "x", RC_FIELD_NUMBER, NULL, 0);
    field(fx, EXCH, "exchange", RC_FIELD_MULTI, exch, 4);
    field(fx, NAME, "name", RC_FIELD_TEXT, NULL, 0);
    fx->src.name.s = "survey";
    fx->src.fields = fx->f;
    fx->src.nfields = NF;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rc_arena_free(fx->a);
    free(fx);
    return 0;
}

/* Types a row from cell texts (NULL = empty). */
static void row(fixture *fx, rc_value *out, const char *const *cells)
{
    rc_diag *d = rc_diag_new();
    rc_loc loc = {"t.csv", 2, 1};
    for (size_t i = 0; i < NF; i++) {
        const char *c = cells[i] ? cells[i] : "";
        assert_true(rc_value_parse(fx->a, &fx->f[i], c, strlen(c), loc, d, &out[i]));
    }
    assert_int_equal(rc_diag_count(d), 0);
    rc_diag_free(d);
}

static bool eval(fixture *fx, const char *expr, const rc_value *r)
{
    rc_diag *d = rc_diag_new();
    rc_loc loc = {"t.ini", 10, 9};
    rc_filter *f = rc_filter_compile(fx->a, &fx->src, expr, loc, d);
    if (!f) {
        char buf[256];
        rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
        fail_msg("'%s' did not compile: %s", expr, buf);
    }
    rc_diag_free(d);
    return rc_filter_eval(f, r);
}

/* The first diagnostic of compiling expr (which must fail). */
static const char *error_of(fixture *fx, const char *expr)
{
    static char buf[512];
    rc_diag *d = rc_diag_new();
    rc_loc loc = {"t.ini", 10, 9};
    rc_filter *f = rc_filter_compile(fx->a, &fx->src, expr, loc, d);
    assert_null(f);
    assert_int_equal(rc_diag_errors(d), 1);
    rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
    rc_diag_free(d);
    return buf;
}

static const char *const R1[NF] = {"EU",   "very", "4", "12", "2.5", "meetings;peer learning",
                                   "Lazio"};
static const char *const R2[NF] = {"LA", "none", "2", "-3", "0", "virtual", "Piura"};
static const char *const R3[NF] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};

static void test_equality_and_in(void **state)
{
    fixture *fx = *state;
    rc_value r1[NF], r2[NF], r3[NF];
    row(fx, r1, R1);
    row(fx, r2, R2);
    row(fx, r3, R3);
    assert_true(eval(fx, "continent = EU", r1));
    assert_false(eval(fx, "continent = EU", r2));
    assert_false(eval(fx, "continent = EU", r3));
    assert_false(eval(fx, "continent != EU", r1));
    assert_true(eval(fx, "continent != EU", r2));
    assert_false(eval(fx, "continent != EU", r3)); /* missing satisfies neither */
    assert_true(eval(fx, "familiarity in (very, broadly)", r1));
    assert_false(eval(fx, "familiarity in (very, broadly)", r2));
    assert_true(eval(fx, "familiarity not in (very, broadly)", r2));
    assert_false(eval(fx, "familiarity not in (very, broadly)", r3));
    assert_true(eval(fx, "familiarity in(none)", r2));
    /* numbers */
    assert_true(eval(fx, "rel = 4", r1));
    assert_true(eval(fx, "rel in (1, 2)", r2));
    assert_true(eval(fx, "n = 12", r1));
    assert_true(eval(fx, "n != 12", r2));
    assert_true(eval(fx, "x = 2.5", r1));
    /* text */
    assert_true(eval(fx, "name = Lazio", r1));
    assert_true(eval(fx, "name in (Piura, \"San Martín\")", r2));
    assert_false(eval(fx, "name = lazio", r1));
}

static void test_comparisons(void **state)
{
    fixture *fx = *state;
    rc_value r1[NF], r2[NF], r3[NF];
    row(fx, r1, R1);
    row(fx, r2, R2);
    row(fx, r3, R3);
    assert_true(eval(fx, "rel >= 4", r1));
    assert_false(eval(fx, "rel >= 4", r2));
    assert_false(eval(fx, "rel >= 4", r3));
    assert_true(eval(fx, "rel > 3", r1));
    assert_false(eval(fx, "rel > 4", r1));
    assert_true(eval(fx, "rel <= 2", r2));
    assert_false(eval(fx, "rel < 2", r2));
    assert_false(eval(fx, "rel < 5", r3));
    assert_true(eval(fx, "n < 0", r2));
    assert_true(eval(fx, "n >= -3", r2));
    assert_true(eval(fx, "x > 2.25", r1));
    assert_true(eval(fx, "x <= 0", r2));
}

static void test_missing_and_multi(void **state)
{
    fixture *fx = *state;
    rc_value r1[NF], r2[NF], r3[NF];
    row(fx, r1, R1);
    row(fx, r2, R2);
    row(fx, r3, R3);
    assert_true(eval(fx, "continent is missing", r3));
    assert_false(eval(fx, "continent is missing", r1));
    assert_true(eval(fx, "continent is not missing", r1));
    assert_true(eval(fx, "exchange is missing", r3));
    /* '=' on a multi field means "mentions" */
    assert_true(eval(fx, "exchange = meetings", r1));
    assert_true(eval(fx, "exchange = \"peer learning\"", r1));
    assert_false(eval(fx, "exchange = virtual", r1));
    assert_true(eval(fx, "exchange in (virtual, \"a\"\"b\")", r2));
    assert_true(eval(fx, "exchange != meetings", r2));
    assert_false(eval(fx, "exchange != meetings", r1));
    assert_false(eval(fx, "exchange != meetings", r3));
}

static void test_precedence(void **state)
{
    fixture *fx = *state;
    rc_value r1[NF], r2[NF];
    row(fx, r1, R1);
    row(fx, r2, R2);
    /* and binds tighter than or */
    assert_true(eval(fx, "continent = LA or continent = EU and rel >= 4", r1));
    assert_true(eval(fx, "continent = LA or continent = EU and rel >= 4", r2));
    assert_false(eval(fx, "(continent = LA or continent = EU) and rel >= 4", r2));
    /* not binds tighter than and */
    assert_false(eval(fx, "not continent = EU and rel >= 4", r1));
    assert_false(eval(fx, "not continent = EU and rel >= 4", r2));
    assert_true(eval(fx, "not (continent = EU and rel >= 4)", r2));
    assert_true(eval(fx, "not not continent = EU", r1));
}

static void test_errors(void **state)
{
    fixture *fx = *state;
    /* value starts at col 9 of line 10; errors point inside it */
    assert_string_equal(error_of(fx, "continent = EUU"),
                        "t.ini:10:21: error: unknown code 'EUU' of field 'continent' (did you "
                        "mean 'EU'?)");
    assert_string_equal(error_of(fx, "familiarity = famous"),
                        "t.ini:10:23: error: unknown code 'famous' of field 'familiarity' "
                        "(codes: very, broadly, vaguely, none)");
    assert_string_equal(error_of(fx, "contnent = EU"),
                        "t.ini:10:9: error: unknown field 'contnent' in source 'survey' (did "
                        "you mean 'continent'?)");
    assert_string_equal(error_of(fx, "familiarity >= 4"),
                        "t.ini:10:21: error: '>=' needs a likert, integer or number field; "
                        "'familiarity' is a category field");
    assert_string_equal(error_of(fx, "rel >= high"),
                        "t.ini:10:16: error: expected a number after '>=', found 'high'");
    assert_string_equal(error_of(fx, "rel = 7"),
                        "t.ini:10:15: error: value '7' is not on the scale 1..5 of field 'rel'");
    assert_string_equal(error_of(fx, "n = many"),
                        "t.ini:10:13: error: expected a number for integer field 'n', found "
                        "'many'");
    assert_string_equal(error_of(fx, "(continent = EU"),
                        "t.ini:10:9: error: unbalanced '(': no matching ')'");
    assert_string_equal(error_of(fx, "continent = EU familiarity = very"),
                        "t.ini:10:24: error: unexpected 'familiarity' after a complete "
                        "condition (missing 'and' or 'or'?)");
    assert_string_equal(error_of(fx, "continent is nothing"),
                        "t.ini:10:22: error: expected 'missing' after 'is', found 'nothing'");
    assert_string_equal(error_of(fx, "continent"),
                        "t.ini:10:18: error: expected an operator (=, !=, in, <, <=, >, >=, is) "
                        "after 'continent', found the end of the filter");
    assert_string_equal(error_of(fx, "continent == EU"),
                        "t.ini:10:19: error: expected an operator (=, !=, in, <, <=, >, >=, is) "
                        "after 'continent', found '=='");
    assert_string_equal(error_of(fx, "exchange = \"peer learning"),
                        "t.ini:10:20: error: unterminated quoted value in filter");
    assert_string_equal(error_of(fx, "continent in (EU LA)"),
                        "t.ini:10:26: error: expected ',' or ')' in the list of values, found "
                        "'LA'");
    assert_string_equal(error_of(fx, "continent in EU"),
                        "t.ini:10:22: error: expected '(' after 'in', found 'EU'");
    assert_string_equal(error_of(fx, "continent = EU and"),
                        "t.ini:10:27: error: expected a field name, found the end of the filter");
    assert_string_equal(error_of(fx, "   "), "t.ini:10:9: error: empty filter");
}

/* Batch evaluation agrees with row-by-row evaluation. */
static void test_batch(void **state)
{
    fixture *fx = *state;
    static const char *const conts[] = {"EU", "LA", NULL};
    static const char *const fams[] = {"very", "broadly", "vaguely", "none", NULL};
    static const char *const rels[] = {"1", "2", "3", "4", "5", NULL};
    static const char *const ex[] = {"meetings", "virtual;meetings", "peer learning", NULL};
    size_t n = 300;
    rc_value *rows = calloc(n * NF, sizeof *rows);
    unsigned seed = 7;
    for (size_t r = 0; r < n; r++) {
        seed = seed * 1103515245u + 12345u;
        const char *cells[NF] = {conts[seed % 3],
                                 fams[(seed >> 4) % 5],
                                 rels[(seed >> 8) % 6],
                                 "1",
                                 "1.5",
                                 ex[(seed >> 12) % 4],
                                 "x"};
        row(fx, rows + r * NF, cells);
    }
    const char *exprs[] = {"continent = EU", "familiarity in (very, broadly) and not rel <= 3",
                           "rel >= 4 or exchange = meetings",
                           "continent is missing or (rel < 2 and familiarity != none)",
                           "not (exchange is not missing)"};
    for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
        rc_diag *d = rc_diag_new();
        rc_loc loc = {"t.ini", 1, 1};
        rc_filter *f = rc_filter_compile(fx->a, &fx->src, exprs[e], loc, d);
        assert_non_null(f);
        for (size_t off = 0; off < n; off += RC_BATCH) {
            size_t k = n - off < RC_BATCH ? n - off : RC_BATCH;
            uint64_t bits[RC_BATCH / 64];
            rc_filter_batch(f, rows + off * NF, NF, k, bits);
            size_t hits = 0;
            for (size_t r = 0; r < k; r++) {
                bool b = (bits[r / 64] >> (r % 64)) & 1;
                assert_int_equal(b, rc_filter_eval(f, rows + (off + r) * NF));
                hits += b;
            }
            assert_true(hits > 0 && hits < k);
            /* no bits beyond the batch */
            if (k % 64) assert_int_equal(bits[k / 64] >> (k % 64), 0);
        }
        rc_diag_free(d);
    }
    /* a NULL filter selects every row */
    uint64_t bits[RC_BATCH / 64];
    rc_filter_batch(NULL, rows, NF, 70, bits);
    assert_true(bits[0] == ~(uint64_t)0);
    assert_true(bits[1] == 0x3F);
    assert_true(rc_filter_eval(NULL, rows));
    free(rows);
}

/* The loader's inline compare agrees with memcmp at every length and at
 * every position of a difference. */
static void test_same(void **state)
{
    (void)state;
    char a[48], b[48];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (char)('a' + i % 26);
        assert_true(rc_same(a, b, n));
        for (size_t pos = 0; pos < n; pos++) {
            b[pos] ^= 0x20;
            assert_false(rc_same(a, b, n));
            assert_int_equal(rc_same(a, b, n), memcmp(a, b, n) == 0);
            b[pos] ^= 0x20;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_equality_and_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comparisons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_multi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test(test_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
