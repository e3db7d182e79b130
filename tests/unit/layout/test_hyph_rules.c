/* Spanish and Portuguese hyphenation rules (hyph_exc.c) over the
 * dictionaries the locale names: built-in exceptions, the 3/3 minima, and
 * the hyphen penalty as the paragraph builder applies it. Skipped without
 * the dictionaries (scripts/deps.sh build installs hyphen-es, hyphen-pt-pt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/linebreak.h"
#include "rc/locale.h"

/* Each first assertion shows the dictionary alone, so the rule is doing
 * the work. */
static void spanish(void **state)
{
    (void)state;
    rc_hyph *h = rc_test_hyph("es");
    if (!h) skip();
    rc_arena *a = rc_arena_new();
    rc_hyph_exc *e = rc_hyph_exc_new(a, "es");
    /* compounds divided at the joint */
    RC_ASSERT_SPLIT(h, NULL, "latinoamericanas", "la-ti-noa-me-ri-ca-nas");
    RC_ASSERT_SPLIT(h, e, "latinoamericanas", "lati-no-ame-ri-ca-nas");
    RC_ASSERT_SPLIT(h, e, "Latinoamericanos,", "Lati-no-ame-ri-ca-nos,");
    RC_ASSERT_SPLIT(h, NULL, "subnacional", "su-bna-cio-nal");
    RC_ASSERT_SPLIT(h, e, "subnacional", "sub-na-cio-nal");
    RC_ASSERT_SPLIT(h, e, "interregionales", "inter-re-gio-na-les");
    /* English words keep the English division */
    RC_ASSERT_SPLIT(h, NULL, "workshops", "wo-rks-hops");
    RC_ASSERT_SPLIT(h, e, "workshops", "work-shops");
    /* three letters on each side */
    RC_ASSERT_SPLIT(h, NULL, "medida", "me-dida");
    RC_ASSERT_SPLIT(h, e, "medida", "medida");
    RC_ASSERT_SPLIT(h, e, "cooperación", "coope-ra-ción");
    RC_ASSERT_SPLIT(h, e, "proyectos", "pro-yec-tos");
    rc_hyph_free(h);
    rc_arena_free(a);
}

static void portuguese(void **state)
{
    (void)state;
    rc_hyph *h = rc_test_hyph("pt");
    if (!h) skip();
    rc_arena *a = rc_arena_new();
    rc_hyph_exc *e = rc_hyph_exc_new(a, "pt");
    RC_ASSERT_SPLIT(h, NULL, "hackathons", "hac-kathons");
    RC_ASSERT_SPLIT(h, e, "hackathons", "hacka-thons");
    RC_ASSERT_SPLIT(h, NULL, "experiência", "ex-pe-ri-ên-cia");
    RC_ASSERT_SPLIT(h, e, "experiência", "expe-ri-ên-cia");
    /* an exception obeys the minima too; an INI entry replaces a built-in one */
    assert_true(rc_hyph_exc_add(e, "ex-pe-riên-cia", strlen("ex-pe-riên-cia")));
    RC_ASSERT_SPLIT(h, e, "experiência", "expe-riên-cia");
    rc_hyph_free(h);
    rc_arena_free(a);
}

/* TeX's \hyphenpenalty for English and unknown languages, 300 for Spanish
 * and Portuguese, regional variants included. */
static void penalties(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "en")) == 50);
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "xx")) == 50);
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "et")) == 50); /* not "es" */
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "est")) == 50);
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "es")) == 300);
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "es-MX")) == 300);
    assert_true(rc_hyph_exc_penalty(rc_hyph_exc_new(a, "pt_BR")) == 300);
    assert_true(rc_hyph_exc_penalty(NULL) == 50);
    rc_arena_free(a);
}

/* The same Spanish paragraph set at many widths hyphenates fewer lines
 * under the Spanish rules than under TeX's defaults, and still hyphenates
 * where nothing else keeps the lines within the gap cap. */
static void spanish_paragraphs(void **state)
{
    (void)state;
    rc_hyph *h = rc_test_hyph("es");
    if (!h) skip();
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_fonts fonts;
    assert_int_equal(rc_test_fonts(a, d, &fonts), RC_OK);
    static const char *text =
        "Las regiones latinoamericanas participantes consideraron que la especialización "
        "inteligente ofrecía un marco adecuado para la cooperación internacional, y los "
        "hermanamientos permitieron intercambiar conocimientos, establecer colaboraciones "
        "duraderas entre universidades, empresas y administraciones, y definir prioridades "
        "compartidas de investigación e innovación en ámbitos como la economía circular, "
        "la transformación digital, las energías renovables y la modernización industrial.";
    rc_run r = {.font = RC_FONT_REGULAR, .size = 10, .text = text, .len = strlen(text)};
    size_t hyph[2] = {0, 0};
    const char *langs[2] = {"xx", "es"};
    for (int l = 0; l < 2; l++) {
        rc_para_opts o = {.leading = 12,
                          .align = RC_PARA_JUSTIFY,
                          .hyphenate = true,
                          .tolerance = 2.0,
                          .exceptions = rc_hyph_exc_new(a, langs[l])};
        for (double w = 150; w <= 440; w += 5) {
            o.width = w;
            rc_para *p = rc_para_set(a, &r, 1, &o, &fonts, h);
            for (size_t i = 0; i < p->nlines; i++)
                hyph[l] += p->lines[i].hyphenated;
        }
    }
    printf("hyphenated lines at 59 widths: %zu with TeX's defaults, %zu with the Spanish rules\n",
           hyph[0], hyph[1]);
    if (hyph[1] >= hyph[0] || hyph[1] == 0)
        fail_msg("hyphenated lines: %zu with TeX's defaults, %zu with the Spanish rules", hyph[0],
                 hyph[1]);
    rc_diag_free(d);
    rc_hyph_free(h);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spanish),
        cmocka_unit_test(portuguese),
        cmocka_unit_test(penalties),
        cmocka_unit_test(spanish_paragraphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
