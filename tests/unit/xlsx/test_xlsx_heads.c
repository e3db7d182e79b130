/* What a figure's numbers count (src/xlsx/xlsx_heads.c): the key field's
 * label of the aggregate's source in the plural, by each language's
 * regular rules (en, es, pt), the words two distinct counts' fields share,
 * and the headers made from it; generic words without a key label. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/xlsx/xlsx_int.h"

typedef struct src1 {
    rc_source_cfg src;
    rc_field_cfg f[2]; /* the key, a category */
    rc_agg g;
} src1;

/* A source whose key field is labelled key_label, and a distribution of
 * its second field. */
static void make(src1 *s, const char *key_label)
{
    memset(s, 0, sizeof *s);
    s->src.key.s = "id";
    s->src.fields = s->f;
    s->src.nfields = 2;
    s->f[0].name.s = "id";
    s->f[0].label.s = key_label;
    s->f[1].name.s = "sector";
    s->f[1].label.s = "Sector";
    s->f[0].source = s->f[1].source = &s->src;
    s->g.kind = RC_AGG_DISTRIBUTION;
    s->g.field = &s->f[1];
}

static const char *counted_as(rc_arena *a, const char *lang, const char *key_label)
{
    rc_xw x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.loc = rc_locale_get(lang);
    src1 s;
    make(&s, key_label);
    const rc_agg *g = &s.g;
    const char *c = rc_xw_counted(&x, &g, 1);
    return c ? rc_arena_strdup(a, c) : NULL;
}

static void test_plurals(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    static const char *const cases[][3] = {
        {"en", "Respondent", "Respondents"},
        {"en", "Country", "Countries"},
        {"en", "Day", "Days"},
        {"en", "Business", "Businesses"},
        {"en", "Latin American region", "Latin American regions"},
        {"en", "Member of staff", "Members of staff"},
        {"en", "EU Member State", "EU Member States"},
        {"es", "Encuestado", "Encuestados"},
        {"es", "Región latinoamericana", "Regiones latinoamericanas"},
        {"es", "Organización", "Organizaciones"},
        {"es", "País", "Países"},
        {"es", "Voz", "Voces"},
        {"es", "Estado miembro de la UE", "Estados miembros de la UE"},
        {"es", "Mujer", "Mujeres"},
        {"pt", "Inquirido", "Inquiridos"},
        {"pt", "Geminação", "Geminações"},
        {"pt", "Região latino-americana", "Regiões latino-americanas"},
        {"pt", "Homem", "Homens"},
        {"pt", "Jornal", "Jornais"},
        {"pt", "Mulher", "Mulheres"},
        {"pt", "País", "Países"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = counted_as(a, cases[i][0], cases[i][1]);
        if (!got || strcmp(got, cases[i][2]) != 0)
            fail_msg("%s '%s': '%s', want '%s'", cases[i][0], cases[i][1], got ? got : "(null)",
                     cases[i][2]);
    }
    /* no label on the key, or no key: nothing to say */
    assert_null(counted_as(a, "en", NULL));
    assert_null(counted_as(a, "en", ""));
    rc_arena_free(a);
}

static void test_distinct_common_words(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    static const char *const cases[][4] = {
        {"en", "Latin American region", "European region", "Regions"},
        {"es", "Región latinoamericana", "Región europea", "Regiones"},
        {"pt", "Região latino-americana", "Região europeia", "Regiões"},
        {"en", "Country", "Country", "Countries"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_xw x;
        memset(&x, 0, sizeof x);
        x.a = a;
        x.loc = rc_locale_get(cases[i][0]);
        rc_field_cfg f[2];
        rc_agg g[2];
        memset(f, 0, sizeof f);
        memset(g, 0, sizeof g);
        for (int k = 0; k < 2; k++) {
            f[k].label.s = cases[i][1 + k];
            g[k].kind = RC_AGG_DISTINCT;
            g[k].field = &f[k];
        }
        const rc_agg *gs[2] = {&g[0], &g[1]};
        const char *got = rc_xw_counted(&x, gs, 2);
        if (!got || strcmp(got, cases[i][3]) != 0)
            fail_msg("%s: '%s'", cases[i][0], got ? got : "(null)");
    }
    /* nothing in common: no noun */
    rc_xw x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.loc = rc_locale_get("en");
    rc_field_cfg f[2];
    rc_agg g[2];
    memset(f, 0, sizeof f);
    memset(g, 0, sizeof g);
    f[0].label.s = "Region";
    f[1].label.s = "Country";
    g[0].kind = g[1].kind = RC_AGG_DISTINCT;
    g[0].field = &f[0];
    g[1].field = &f[1];
    const rc_agg *gs[2] = {&g[0], &g[1]};
    assert_null(rc_xw_counted(&x, gs, 2));
    rc_arena_free(a);
}

static void test_headers(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_xw x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.loc = rc_locale_get("en");
    assert_string_equal(rc_xw_head_share(&x, "Respondents", NULL), "Share of respondents (%)");
    assert_string_equal(rc_xw_head_share(&x, "Respondents", "Relevant"),
                        "Share of respondents: Relevant (%)");
    assert_string_equal(rc_xw_head_share(&x, "EU Member States", NULL),
                        "Share of EU Member States (%)");
    assert_string_equal(rc_xw_head_count(&x, "Respondents", NULL), "Respondents (number)");
    assert_string_equal(rc_xw_head_answered(&x, "Respondents"), "Respondents answering (number)");
    assert_string_equal(rc_xw_head_share(&x, NULL, NULL), "Share (%)");
    assert_string_equal(rc_xw_head_count(&x, NULL, "EU"), "Count: EU (number)");
    x.loc = rc_locale_get("es");
    assert_string_equal(rc_xw_head_share(&x, "Encuestados", NULL), "Porcentaje de encuestados (%)");
    assert_string_equal(rc_xw_head_share(&x, "Órganos", NULL), "Porcentaje de órganos (%)");
    assert_string_equal(rc_xw_head_answered(&x, "Encuestados"),
                        "Encuestados con respuesta (número)");
    x.loc = rc_locale_get("pt");
    assert_string_equal(rc_xw_head_share(&x, "Inquiridos", NULL), "Percentagem de inquiridos (%)");
    assert_string_equal(rc_xw_head_count(&x, "Inquiridos", NULL), "Inquiridos (número)");
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plurals),
        cmocka_unit_test(test_distinct_common_words),
        cmocka_unit_test(test_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
