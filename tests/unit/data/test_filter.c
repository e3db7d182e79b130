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

#include "../../../src/data/data_int.h" /* the filter compiler is internal to the data stage */
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
    rc_filter *f = rc_filter_compile(fx->a, &fx->src, &(rc_str){expr, loc, NULL, 0}, d);
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
    rc_filter *f = rc_filter_compile(fx->a, &fx->src, &(rc_str){expr, loc, NULL, 0}, d);
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

/* A filter program over column batches agrees with row-by-row evaluation,
 * shares equal subexpressions and leaves no bits past the batch. */
static void test_batch(void **state)
{
    fixture *fx = *state;
    static const char *const conts[] = {"EU", "LA", NULL};
    static const char *const fams[] = {"very", "broadly", "vaguely", "none", NULL};
    static const char *const rels[] = {"1", "2", "3", "4", "5", NULL};
    static const char *const ns[] = {"1", "7", "-3", NULL};
    static const char *const xs[] = {"1.5", "0.25", NULL};
    static const char *const ex[] = {"meetings", "virtual;meetings", "peer learning", NULL};
    static const char *const names[] = {"x", "y", NULL};
    size_t n = 700; /* two batches, the second one partial */
    rc_value *rows = calloc(n * NF, sizeof *rows);
    unsigned seed = 7;
    for (size_t r = 0; r < n; r++) {
        seed = seed * 1103515245u + 12345u;
        const char *cells[NF] = {conts[seed % 3],        fams[(seed >> 4) % 5],
                                 rels[(seed >> 8) % 6],  ns[(seed >> 11) % 4],
                                 xs[(seed >> 14) % 3],   ex[(seed >> 17) % 4],
                                 names[(seed >> 20) % 3]};
        row(fx, rows + r * NF, cells);
    }
    const char *exprs[] = {"continent = EU",
                           "familiarity in (very, broadly) and not rel <= 3",
                           "rel >= 4 or exchange = meetings",
                           "continent is missing or (rel < 2 and familiarity != none)",
                           "not (exchange is not missing)",
                           "familiarity not in (none, vaguely)",
                           "exchange != virtual",
                           "rel in (2, 5) or rel > 4",
                           "rel != 3",
                           "n >= 1 and x < 1",
                           "n in (7, -3) or x not in (1.5)",
                           "n != 7",
                           "name = x or name != y",
                           "name in (x, zz) and continent = LA",
                           "continent = EU"}; /* again: the same slot */
    size_t ne = sizeof exprs / sizeof exprs[0];
    rc_fprog *prog = rc_fprog_new(fx->a);
    int slots[sizeof exprs / sizeof exprs[0]];
    rc_filter *fs[sizeof exprs / sizeof exprs[0]];
    for (size_t e = 0; e < ne; e++) {
        rc_diag *d = rc_diag_new();
        rc_loc loc = {"t.ini", 1, 1};
        fs[e] = rc_filter_compile(fx->a, &fx->src, &(rc_str){exprs[e], loc, NULL, 0}, d);
        assert_non_null(fs[e]);
        slots[e] = rc_fprog_add(prog, fs[e]);
        assert_true(slots[e] >= 0);
        rc_diag_free(d);
    }
    assert_int_equal(slots[ne - 1], slots[0]);
    assert_int_equal(rc_fprog_add(prog, NULL), -1);
    bool used[NF] = {false};
    rc_fprog_text_cols(prog, used);
    for (size_t k = 0; k < NF; k++)
        assert_int_equal(used[k], k == NAME);

    bool want[NF];
    for (size_t k = 0; k < NF; k++)
        want[k] = true;
    rc_batch b;
    rc_batch_init(&b, fx->a, &fx->src, want);
    for (size_t off = 0; off < n; off += RC_BATCH) {
        size_t k = n - off < RC_BATCH ? n - off : RC_BATCH;
        rc_batch_clear(&b);
        for (size_t r = 0; r < k; r++)
            for (size_t c = 0; c < NF; c++)
                rc_batch_put(&b, c, r, &rows[(off + r) * NF + c]);
        b.n = k;
        rc_fprog_run(prog, &b);
        for (size_t e = 0; e < ne; e++) {
            const uint64_t *bits = rc_fprog_bits(prog, slots[e]);
            size_t hits = 0;
            for (size_t r = 0; r < k; r++) {
                bool hit = (bits[r / 64] >> (r % 64)) & 1;
                if (hit != rc_filter_eval(fs[e], rows + (off + r) * NF))
                    fail_msg("'%s' differs at row %zu", exprs[e], off + r);
                hits += hit;
            }
            assert_true(hits > 0 && hits < k);
            for (size_t r = k; r < RC_BATCH; r++) /* no bits beyond the batch */
                assert_false((bits[r / 64] >> (r % 64)) & 1);
        }
        /* a NULL filter selects every row of the batch */
        const uint64_t *all = rc_fprog_bits(prog, -1);
        for (size_t r = 0; r < RC_BATCH; r++)
            assert_int_equal((all[r / 64] >> (r % 64)) & 1, r < k);
    }
    assert_true(rc_filter_eval(NULL, rows));
    free(rows);
}

/* The SWAR popcount agrees with a bit-by-bit count. */
static void test_popcount(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 1000; i++) {
        unsigned want = 0;
        for (int b = 0; b < 64; b++)
            want += (unsigned)(x >> b & 1);
        assert_int_equal(rc_popcount64(x), want);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    assert_int_equal(rc_popcount64(0), 0);
    assert_int_equal(rc_popcount64(~(uint64_t)0), 64);
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
        cmocka_unit_test(test_popcount),
        cmocka_unit_test(test_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
