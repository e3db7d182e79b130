/* Tests for editions (config_edition.c): [report] languages, [edition LANG]
 * language files laid over the base file, output names per edition, the
 * fallback warning (an error when strict), and every rule a language file
 * must keep, with the exact diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char *const files[] = {"s.csv",  "ch.md",  "es/ch.md", "es/box.md",
                                    "box.md", "es.ini", "pt.ini"};

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rc-test-editions-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/es", dir);
    if (mkdir(sub, 0755) != 0) return -1;
    write_file("s.csv", "continent\nEU\n");
    write_file("ch.md", "# One\n");
    write_file("es/ch.md", "# Uno\n");
    write_file("box.md", "Body.\n");
    write_file("es/box.md", "Cuerpo.\n");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char path[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/es", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}

/* The base file: two languages unless the caller replaces that line. */
static const char *base(const char *extra_report, const char *tail)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "[report]\n"         /* 1 */
             "title = Pairings\n" /* 2 */
             "year = 2020\n"      /* 3 */
             "%s"                 /* 4: languages etc. */
             "[document]\n"
             "chapters = ch.md\n"
             "[source s]\n"
             "file = s.csv\n"
             "[field s.continent]\n"
             "label = Continent\n"
             "type = category\n"
             "values = EU: European Union | LA: Latin America\n"
             "[aggregate by]\n"
             "source = s\n"
             "kind = distribution\n"
             "field = continent\n"
             "[figure f]\n"
             "type = pie\n"
             "aggregate = by\n"
             "caption = Respondents\n"
             "[box b]\n"
             "title = A box\n"
             "file = box.md\n"
             "%s",
             extra_report, tail);
    return buf;
}

typedef struct ctx {
    rc_arena *a;
    rc_diag *d;
    rc_config *c;
    rc_status st;
} ctx;

static int setup(void **state)
{
    ctx *x = calloc(1, sizeof *x);
    x->a = rc_arena_new();
    x->d = rc_diag_new();
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    ctx *x = *state;
    rc_diag_free(x->d);
    rc_arena_free(x->a);
    free(x);
    return 0;
}

static rc_status load(ctx *x, const char *text, bool strict)
{
    x->st = rc_config_parse(x->a, "t.ini", dir, text, strlen(text), x->d, &x->c);
    if (x->st != RC_OK) return x->st;
    return rc_config_editions(x->a, x->c, strict, x->d);
}

/* The formatted text of the first entry of level lv, or "(none)". */
static const char *first(ctx *x, rc_diag_level lv)
{
    static char buf[1024];
    for (size_t i = 0; i < rc_diag_count(x->d); i++)
        if (rc_diag_get(x->d, i)->level == lv) {
            rc_diag_format(rc_diag_get(x->d, i), buf, sizeof buf);
            return buf;
        }
    return "(none)";
}

static const char *es_full = "[report]\n"
                             "title = Hermanamientos\n"
                             "[document]\n"
                             "chapters = es/ch.md\n"
                             "[field s.continent]\n"
                             "label = Continente\n"
                             "values = EU: Unión Europea | LA: América Latina\n"
                             "[figure f]\n"
                             "caption = Encuestados\n"
                             "[box b]\n"
                             "title = Un recuadro\n"
                             "file = es/box.md\n";

static const char *two = "language = en\nlanguages = en, es\n";
static const char *ed_es = "[edition es]\nfile = es.ini\n";

static void two_editions(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    assert_int_equal(load(x, base(two, ed_es), false), RC_OK);
    assert_int_equal(rc_diag_count(x->d), 0);
    assert_int_equal(x->c->neditions, 2);
    assert_ptr_equal(x->c->editions[0], x->c);
    const rc_config *es = x->c->editions[1];
    assert_string_equal(es->edition, "es");
    assert_string_equal(es->report.language.s, "es");
    assert_string_equal(es->report.title.s, "Hermanamientos");
    assert_string_equal(es->report.year.s, "2020"); /* shared */
    assert_string_equal(es->sources[0].fields[0].label.s, "Continente");
    assert_string_equal(es->sources[0].fields[0].codes[0].code, "EU");
    assert_string_equal(es->sources[0].fields[0].codes[0].label, "Unión Europea");
    assert_string_equal(es->figures[0].caption.s, "Encuestados");
    /* paths in the language file are relative to it */
    char want[256];
    snprintf(want, sizeof want, "%s/es/ch.md", dir);
    assert_string_equal(es->document.chapter_path[0], want);
    snprintf(want, sizeof want, "%s/es/box.md", dir);
    assert_string_equal(es->boxes[0].path, want);
    /* the base edition is unchanged */
    assert_string_equal(x->c->report.title.s, "Pairings");
    assert_string_equal(x->c->sources[0].fields[0].codes[0].label, "European Union");
    /* output names carry the language; the language file's location is kept */
    assert_string_equal(x->c->output.pdf.s, "t-en.pdf");
    assert_string_equal(es->output.pdf.s, "t-es.pdf");
    assert_string_equal(es->output.tex.s, "t-es.tex");
    assert_string_equal(es->output.data_xlsx.s, "t-es-data.xlsx");
    assert_string_equal(es->output.figures_xlsx.s, "t-es-figures.xlsx");
    assert_non_null(strstr(es->figures[0].caption.loc.file, "es.ini"));
    assert_int_equal(es->figures[0].caption.loc.line, 9);
    assert_int_equal(es->figures[0].caption.loc.col, 11);
}

static void single_language_names(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base("", ""), false), RC_OK);
    assert_int_equal(x->c->neditions, 0);
    assert_null(x->c->edition);
    assert_string_equal(x->c->output.pdf.s, "t.pdf");
    assert_string_equal(x->c->output.data_xlsx.s, "t-data.xlsx");
}

static void explicit_names_get_the_language(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    assert_int_equal(
        load(x,
             base(two, "[output]\npdf = report.pdf\nbasename = r\n[edition es]\nfile = es.ini\n"),
             false),
        RC_OK);
    assert_string_equal(x->c->output.pdf.s, "report-en.pdf");
    assert_string_equal(x->c->editions[1]->output.pdf.s, "report-es.pdf");
    assert_string_equal(x->c->editions[1]->output.tex.s, "r-es.tex");
}

static void untranslated_warns(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[report]\ntitle = Hermanamientos\n");
    assert_int_equal(load(x, base(two, ed_es), false), RC_OK);
    char want[512];
    snprintf(want, sizeof want,
             "t.ini:21:1: warning: edition 'es': 'caption' of [figure f] is not translated in "
             "'%s/es.ini'; the base text is used",
             dir);
    bool found = false;
    for (size_t i = 0; i < rc_diag_count(x->d); i++) {
        char buf[1024];
        rc_diag_format(rc_diag_get(x->d, i), buf, sizeof buf);
        found |= strcmp(buf, want) == 0;
    }
    assert_true(found);
    assert_int_equal(rc_diag_errors(x->d), 0);
    /* the base text is used */
    assert_string_equal(x->c->editions[1]->figures[0].caption.s, "Respondents");
    assert_string_equal(x->c->editions[1]->sources[0].fields[0].codes[1].label, "Latin America");
}

static void untranslated_strict(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[report]\ntitle = Hermanamientos\n");
    assert_int_equal(load(x, base(two, ed_es), true), RC_ERR_CONFIG);
    assert_non_null(strstr(first(x, RC_DIAG_ERROR), "error: edition 'es': '"));
    assert_int_equal(rc_diag_warnings(x->d), 0);
}

static void strict_key(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[report]\ntitle = Hermanamientos\n");
    assert_int_equal(load(x, base("languages = en, es\nstrict = yes\n", ed_es), false),
                     RC_ERR_CONFIG);
}

static void code_changed(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[field s.continent]\nvalues = UE: Unión Europea | LA: América Latina\n");
    assert_int_equal(load(x, base(two, ed_es), false), RC_ERR_CONFIG);
    char want[512];
    snprintf(want, sizeof want,
             "%s/es.ini:2:10: error: edition 'es': code 'UE' of field 'continent' should be 'EU' "
             "(a language file gives the base file's codes, in its order, with new labels)",
             dir);
    assert_string_equal(first(x, RC_DIAG_ERROR), want);
}

static void code_missing(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[field s.continent]\nvalues = EU: Unión Europea\n");
    assert_int_equal(load(x, base(two, ed_es), false), RC_ERR_CONFIG);
    assert_non_null(strstr(first(x, RC_DIAG_ERROR), "field 'continent' lacks code 'LA'"));
}

static void not_a_text(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[figure f]\ntype = bar\n");
    assert_int_equal(load(x, base(two, ed_es), false), RC_ERR_CONFIG);
    char want[512];
    snprintf(want, sizeof want,
             "%s/es.ini:2:1: error: 'type' cannot be set in a language file ([figure f] may "
             "translate: caption, source, note, items)",
             dir);
    assert_string_equal(first(x, RC_DIAG_ERROR), want);
}

static void unknown_section(void **state)
{
    ctx *x = *state;
    write_file("es.ini", "[figure g]\ncaption = Otra\n[source s]\nfile = x.csv\n");
    assert_int_equal(load(x, base(two, ed_es), false), RC_ERR_CONFIG);
    char want[512];
    snprintf(want, sizeof want,
             "%s/es.ini:1:1: error: [figure g] is not in the base file 't.ini'; a language file "
             "only translates the base file's sections",
             dir);
    assert_string_equal(first(x, RC_DIAG_ERROR), want);
    assert_int_equal(rc_diag_errors(x->d), 2); /* and [source s] */
}

static void languages_checked(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base("languages = en, xx, en, es\n", ""), false), RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR),
                        "t.ini:4:17: error: unsupported language 'xx' (supported: en, es, pt)");
    assert_int_equal(rc_diag_errors(x->d), 2); /* and 'en' twice */
}

static void languages_need_base(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base("languages = es, pt\n", ""), false), RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR),
                        "t.ini:4:13: error: 'languages' must include the base language 'en' "
                        "(the language of this file's texts, key 'language')");
}

static void edition_section_needed(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base(two, ""), false), RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR),
                        "t.ini:5:17: error: no [edition es] section: it names the file with the "
                        "texts in 'es'");
}

static void edition_not_listed(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    write_file("pt.ini", "[report]\ntitle = Geminações\n");
    assert_int_equal(
        load(x, base(two, "[edition es]\nfile = es.ini\n[edition pt]\nfile = pt.ini\n"), false),
        RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR),
                        "t.ini:27:10: error: [edition pt]: 'pt' is not one of the other "
                        "languages of 'languages'");
}

static void edition_for_base_language(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    assert_int_equal(
        load(x, base(two, "[edition es]\nfile = es.ini\n[edition en]\nfile = es.ini\n"), false),
        RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR),
                        "t.ini:27:10: error: [edition en]: 'en' is the base language; its texts "
                        "are in this file");
}

static void edition_without_languages(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base("", ed_es), false), RC_OK);
    assert_string_equal(first(x, RC_DIAG_WARNING),
                        "t.ini:23:1: warning: [edition es] has no effect: [report] has no "
                        "'languages' (e.g. languages = en, es)");
}

static void missing_language_file(void **state)
{
    ctx *x = *state;
    assert_int_equal(load(x, base(two, "[edition es]\nfile = nope.ini\n"), false), RC_ERR_CONFIG);
    char want[512];
    snprintf(want, sizeof want,
             "t.ini:26:8: error: cannot read the language file 'nope.ini' (%s/nope.ini): No such "
             "file or directory",
             dir);
    assert_string_equal(first(x, RC_DIAG_ERROR), want);
}

static void edition_dictionary(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    setenv("RC_HYPHEN_DIR", dir, 1); /* holds no dictionary */
    rc_status st = load(x, base(two, ed_es), false);
    unsetenv("RC_HYPHEN_DIR");
    assert_int_equal(st, RC_ERR_CONFIG); /* the base file's English one is missing too */
    assert_non_null(strstr(first(x, RC_DIAG_ERROR), "install the Debian package hyphen-en-gb"));
    x->st = RC_OK;
    rc_diag_free(x->d);
    x->d = rc_diag_new();
    /* the base file reads; the edition's Spanish dictionary is looked for apart */
    rc_config *c;
    const char *t = base(two, ed_es);
    assert_int_equal(rc_config_parse(x->a, "t.ini", dir, t, strlen(t), x->d, &c), RC_OK);
    setenv("RC_HYPHEN_DIR", dir, 1);
    st = rc_config_editions(x->a, c, false, x->d);
    unsetenv("RC_HYPHEN_DIR");
    assert_int_equal(st, RC_ERR_CONFIG);
    assert_string_equal(first(x, RC_DIAG_ERROR) + strlen(first(x, RC_DIAG_ERROR)) -
                            strlen("hyphenate = no' in [style]"),
                        "hyphenate = no' in [style]");
    assert_non_null(strstr(first(x, RC_DIAG_ERROR),
                           "t.ini:25:1: error: no hyphenation dictionary for español ('es'): "
                           "none of hyph_es.dic, hyph_es_ES.dic is in"));
    assert_non_null(strstr(first(x, RC_DIAG_ERROR), "install the Debian package hyphen-es"));
}

/* The base file's dictionary is for its language: an edition takes its
 * locale's, or the one its language file names (relative to that file). */
static void dictionary_not_inherited(void **state)
{
    ctx *x = *state;
    write_file("own.dic", "UTF-8\n");
    write_file("es/own.dic", "UTF-8\n");
    write_file("hyph_es.dic", "UTF-8\n");
    write_file("es.ini", es_full);
    setenv("RC_HYPHEN_DIR", dir, 1);
    rc_status st =
        load(x,
             base(two, "[style]\nhyphenation = own.dic\nhyphenation_exceptions = be-yond\n"
                       "[edition es]\nfile = es.ini\n"),
             false);
    unsetenv("RC_HYPHEN_DIR");
    assert_int_equal(st, RC_OK);
    char want[256];
    snprintf(want, sizeof want, "%s/own.dic", dir);
    assert_string_equal(x->c->style.hyphenation, want);
    snprintf(want, sizeof want, "%s/hyph_es.dic", dir);
    assert_string_equal(x->c->editions[1]->style.hyphenation, want);
    assert_int_equal(x->c->style.hyphenation_exceptions.n, 1);
    assert_int_equal(x->c->editions[1]->style.hyphenation_exceptions.n, 0);

    char es_own[1024];
    snprintf(es_own, sizeof es_own,
             "%s[style]\nhyphenation = es/own.dic\nhyphenation_exceptions = ca-ta-lán\n", es_full);
    write_file("es.ini", es_own);
    rc_diag_free(x->d);
    x->d = rc_diag_new();
    assert_int_equal(load(x, base(two, ed_es), false), RC_OK);
    snprintf(want, sizeof want, "%s/es/own.dic", dir);
    assert_string_equal(x->c->editions[1]->style.hyphenation, want);
    assert_int_equal(x->c->editions[1]->style.hyphenation_exceptions.n, 1);
    assert_string_equal(x->c->editions[1]->style.hyphenation_exceptions.v[0].s, "ca-ta-lán");
}

static void iso_date_localised(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    assert_int_equal(load(x, base("date = 2019-06\nlanguages = en, es\n", ed_es), false), RC_OK);
    assert_string_equal(x->c->report.date.s, "June 2019");
    assert_string_equal(x->c->editions[1]->report.date.s, "junio de 2019");
}

/* merge() looks a language file's sections up starting after the previous
 * one found (files usually follow the base file's order); sections in any
 * other order must give the same edition, field by field. */
static void sections_in_any_order(void **state)
{
    ctx *x = *state;
    write_file("es.ini", es_full);
    assert_int_equal(load(x, base(two, ed_es), false), RC_OK);
    const rc_config *in_order = x->c->editions[1];
    rc_diag *d2 = rc_diag_new();
    write_file("es.ini", "[box b]\n"
                         "file = es/box.md\n"
                         "title = Un recuadro\n"
                         "[figure f]\n"
                         "caption = Encuestados\n"
                         "[field s.continent]\n"
                         "values = EU: Unión Europea | LA: América Latina\n"
                         "label = Continente\n"
                         "[document]\n"
                         "chapters = es/ch.md\n"
                         "[report]\n"
                         "title = Hermanamientos\n");
    rc_config *c2;
    const char *text = base(two, ed_es);
    assert_int_equal(rc_config_parse(x->a, "t.ini", dir, text, strlen(text), d2, &c2), RC_OK);
    assert_int_equal(rc_config_editions(x->a, c2, false, d2), RC_OK);
    assert_int_equal(rc_diag_count(d2), 0);
    const rc_config *any = c2->editions[1];
    assert_string_equal(any->report.title.s, in_order->report.title.s);
    assert_string_equal(any->report.language.s, "es");
    assert_string_equal(any->document.chapter_path[0], in_order->document.chapter_path[0]);
    const rc_field_cfg *f = &any->sources[0].fields[0], *g = &in_order->sources[0].fields[0];
    assert_string_equal(f->label.s, g->label.s);
    assert_int_equal(f->ncodes, g->ncodes);
    for (size_t i = 0; i < f->ncodes; i++) {
        assert_string_equal(f->codes[i].code, g->codes[i].code);
        assert_string_equal(f->codes[i].label, g->codes[i].label);
    }
    assert_string_equal(any->figures[0].caption.s, in_order->figures[0].caption.s);
    assert_string_equal(any->boxes[0].title.s, in_order->boxes[0].title.s);
    assert_string_equal(any->boxes[0].path, in_order->boxes[0].path);
    /* the locations are the language file's own */
    assert_int_equal(any->figures[0].caption.loc.line, 5);
    assert_int_equal(any->boxes[0].title.loc.line, 3);
    rc_diag_free(d2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(two_editions),
        T(single_language_names),
        T(explicit_names_get_the_language),
        T(untranslated_warns),
        T(untranslated_strict),
        T(strict_key),
        T(code_changed),
        T(code_missing),
        T(not_a_text),
        T(unknown_section),
        T(languages_checked),
        T(languages_need_base),
        T(edition_section_needed),
        T(edition_not_listed),
        T(edition_without_languages),
        T(missing_language_file),
        T(edition_dictionary),
        T(iso_date_localised),
        T(dictionary_not_inherited),
        T(edition_for_base_language),
        T(sections_in_any_order),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
