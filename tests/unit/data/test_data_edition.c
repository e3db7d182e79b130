/* Tests for rc_data_for_edition (data_edition.c): an edition's data is the
 * base data relabelled — same numbers, the edition's code and field labels,
 * its word for "All", listings relabelled cell by cell, order = label sorted
 * again in the edition's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/data.h"
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

static const char *ini =
    "[report]\ntitle = T\nyear = 2020\nlanguages = en, es\n"
    "[document]\nchapters = ch.md\n"
    "[source s]\nfile = s.csv\n"
    "[field s.continent]\nlabel = Continent\ntype = category\n"
    "values = EU: European Union | LA: Latin America\n"
    "[field s.topics]\nlabel = Topics\ntype = multi\n"
    "values = a: Apples | b: Bananas | c: Cherries\n"
    "[field s.score]\nlabel = Score\ntype = likert\nscale = 1..3\n"
    "values = 1: Low | 2: Middle | 3: High\n"
    "[field s.grade]\nlabel = Grade\ntype = likert\nscale = 1..3\n"
    "values = 1: Low | 2: Middle | 3: High\n"
    "[aggregate dist]\nsource = s\nkind = distribution\nfield = continent\n"
    "[aggregate bylabel]\nsource = s\nkind = distribution\nfield = topics\norder = label\n"
    "[aggregate grouped]\nsource = s\nkind = distribution\nfield = topics\nby = continent\n"
    "[aggregate lik]\nsource = s\nkind = likert\nfields = score, grade\n"
    "[aggregate per]\nsource = s\nkind = distinct\nfield = topics\nby = continent\n"
    "[aggregate list]\nsource = s\nkind = rows\nfields = continent, topics, score\n"
    "[metric n]\nsource = s\n"
    "[edition es]\nfile = es.ini\n";

static const char *es =
    "[field s.continent]\nlabel = Continente\n"
    "values = EU: Unión Europea | LA: América Latina\n"
    "[field s.topics]\nlabel = Temas\nvalues = a: Manzanas | b: Plátanos | c: Cerezas\n"
    "[field s.score]\nlabel = Puntuación\nvalues = 1: Baja | 2: Media | 3: Alta\n"
    "[field s.grade]\nlabel = Nota\nvalues = 1: Baja | 2: Media | 3: Alta\n";

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rc-test-data-edition-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    write_file("s.csv", "continent,topics,score,grade\n"
                        "EU,a;b,3,2\n"
                        "LA,b,1,3\n"
                        "EU,c,2,2\n");
    write_file("ch.md", "# One\n");
    write_file("es.ini", es);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    const char *names[] = {"s.csv", "ch.md", "es.ini"};
    char path[256];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static void relabelled(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_config *c;
    setenv("RC_HYPHEN_DIR", "/usr/share/hyphen", 1);
    assert_int_equal(rc_config_parse(a, "t.ini", dir, ini, strlen(ini), d, &c), RC_OK);
    assert_int_equal(rc_config_editions(a, c, false, d), RC_OK);
    assert_int_equal(rc_diag_errors(d), 0);
    rc_data base, ed;
    assert_int_equal(rc_data_build(a, c, 0, d, &base), RC_OK);
    assert_int_equal(rc_data_for_edition(a, &base, c->editions[1], &ed), RC_OK);
    assert_ptr_equal(ed.cfg, c->editions[1]);
    /* the base edition is the base data itself */
    rc_data same;
    assert_int_equal(rc_data_for_edition(a, &base, c, &same), RC_OK);
    assert_ptr_equal(same.aggs, base.aggs);

    const rc_agg *g = rc_data_agg(&ed, "dist");
    assert_string_equal(g->row_label[0], "Unión Europea");
    assert_string_equal(g->row_label[1], "América Latina");
    assert_string_equal(g->col_label[0], "Todos");
    assert_string_equal(g->field->label.s, "Continente");
    assert_ptr_equal(g->value, rc_data_agg(&base, "dist")->value); /* numbers shared */
    assert_string_equal(rc_data_agg(&base, "dist")->row_label[0], "European Union");
    assert_string_equal(rc_data_agg(&base, "dist")->col_label[0], "All");

    /* order = label: Apples, Bananas, Cherries / Cerezas, Manzanas, Plátanos */
    const rc_agg *bl = rc_data_agg(&base, "bylabel"), *el = rc_data_agg(&ed, "bylabel");
    assert_string_equal(bl->row_label[0], "Apples");
    assert_string_equal(el->row_label[0], "Cerezas");
    assert_string_equal(el->row_label[1], "Manzanas");
    assert_string_equal(el->row_label[2], "Plátanos");
    assert_string_equal(el->row_code[0], "c");
    assert_true(el->value[rc_agg_at(el, 0, 0)] == 1); /* c: one mention */
    assert_true(el->value[rc_agg_at(el, 2, 0)] == 2); /* b: two mentions */

    const rc_agg *gr = rc_data_agg(&ed, "grouped");
    assert_string_equal(gr->col_label[0], "Unión Europea");
    assert_string_equal(gr->col_label[1], "América Latina");

    const rc_agg *lk = rc_data_agg(&ed, "lik");
    assert_string_equal(lk->row_label[0], "Puntuación");
    assert_string_equal(lk->row_label[1], "Nota");
    assert_string_equal(lk->col_label[0], "Baja");
    assert_string_equal(lk->col_label[2], "Alta");
    assert_string_equal(lk->fields[0]->label.s, "Puntuación");

    const rc_agg *pc = rc_data_agg(&ed, "per");
    assert_string_equal(pc->row_label[0], "Unión Europea");
    assert_string_equal(pc->col_label[0], "Temas");

    const rc_agg *ls = rc_data_agg(&ed, "list"), *lb = rc_data_agg(&base, "list");
    assert_string_equal(lb->cell[rc_agg_at(lb, 0, 1)], "Apples; Bananas");
    assert_string_equal(ls->cell[rc_agg_at(ls, 0, 0)], "Unión Europea");
    assert_string_equal(ls->cell[rc_agg_at(ls, 0, 1)], "Manzanas; Plátanos");
    assert_string_equal(ls->col_label[1], "Temas");
    assert_string_equal(ls->cell[rc_agg_at(ls, 1, 1)], "Plátanos");

    assert_ptr_equal(ed.metrics[0].cfg, &c->editions[1]->metrics[0]);
    assert_true(ed.metrics[0].value == 3);
    unsetenv("RC_HYPHEN_DIR");
    rc_diag_free(d);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(relabelled)};
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
