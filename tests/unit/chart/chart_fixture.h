/* chart_fixture.h: hand-built inputs and display-list measurements for
 * test_chart.c (fonts, figure/field/aggregate structs, text boxes measured
 * with the real font metrics, the 20-pairing sample). Included by that one
 * test only (after <cmocka.h>); kept apart so each file stays readable. */
#ifndef RC_TEST_CHART_FIXTURE_H
#define RC_TEST_CHART_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/chart.h"

typedef struct fixture {
    rc_arena *a;
    rc_diag *d;
    rc_fonts fonts;
    const rc_locale *loc;
    rc_style_cfg style;
} fixture;

static int setup(void **state)
{
    static const char *const files[RC_FONT_COUNT] = {
        "fonts/Lato-Regular.ttf", "fonts/Lato-Italic.ttf", "fonts/Lato-Bold.ttf",
        "fonts/Lato-BoldItalic.ttf", "fonts/Lato-Light.ttf"};
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        rc_loc l = {files[i], 0, 0};
        f->fonts.f[i] = rc_font_load(f->a, files[i], l, f->d);
        assert_non_null(f->fonts.f[i]);
    }
    f->loc = rc_locale_get("en");
    assert_non_null(f->loc);
    f->style.npalette = 0; /* default palette */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rc_diag_free(f->d);
    rc_arena_free(f->a);
    free(f);
    return 0;
}

/* ---- hand-built inputs ---------------------------------------------------- */

static rc_str S(const char *s, unsigned line)
{
    rc_str r = {.s = s, .loc = {"test.ini", line, 1}};
    return r;
}

static rc_strlist list1(rc_arena *a, const char *name, unsigned line)
{
    rc_strlist l;
    l.v = rc_arena_array(a, 1, sizeof *l.v);
    l.v[0] = S(name, line);
    l.n = 1;
    return l;
}

static rc_figure_cfg figure(rc_chart_type t, const char *agg)
{
    rc_figure_cfg fig;
    memset(&fig, 0, sizeof fig);
    fig.name = S("fig", 10);
    fig.type = t;
    fig.loc = (rc_loc){"test.ini", 10, 1};
    (void)agg;
    return fig;
}

static rc_field_cfg category_field(rc_arena *a, const char *name, const char *const *labels,
                                   size_t n)
{
    rc_field_cfg f;
    memset(&f, 0, sizeof f);
    f.name = S(name, 3);
    f.label = S(name, 3);
    f.type = RC_FIELD_CATEGORY;
    f.codes = rc_arena_array(a, n, sizeof *f.codes);
    for (size_t i = 0; i < n; i++) {
        f.codes[i].code = rc_arena_printf(a, "c%zu", i);
        f.codes[i].label = labels[i];
    }
    f.ncodes = n;
    return f;
}

/* A distribution aggregate over one column ("All") with the given counts. */
static rc_agg distribution(rc_arena *a, const char *name, const rc_field_cfg *field,
                           const char *const *labels, const double *counts, size_t n)
{
    rc_agg g;
    memset(&g, 0, sizeof g);
    g.name = name;
    g.kind = RC_AGG_DISTRIBUTION;
    g.nrows = n;
    g.ncols = 1;
    g.row_label = rc_arena_array(a, n, sizeof(char *));
    g.col_label = rc_arena_array(a, 1, sizeof(char *));
    g.col_label[0] = "All";
    g.value = rc_arena_array(a, n, sizeof(double));
    g.share = rc_arena_array(a, n, sizeof(double));
    g.total = rc_arena_array(a, 1, sizeof(double));
    double tot = 0;
    for (size_t i = 0; i < n; i++)
        tot += counts[i];
    for (size_t i = 0; i < n; i++) {
        g.row_label[i] = labels[i];
        g.value[i] = counts[i];
        g.share[i] = counts[i] / tot;
    }
    g.total[0] = tot;
    g.field = field;
    return g;
}

/* ---- display-list measurements -------------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
    const char *text;
    size_t len;
} box;

static size_t text_boxes(const fixture *f, const rc_draw_list *l, box *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind != RC_DRAW_TEXT || n >= cap) continue;
        const rc_font *ft = f->fonts.f[op->font];
        double w = rc_font_text_width(ft, op->text, op->len, op->size);
        out[n].x0 = op->x;
        out[n].x1 = op->x + w;
        out[n].y0 = op->y + rc_font_descent(ft) * op->size / 1000.0;
        out[n].y1 = op->y + rc_font_ascent(ft) * op->size / 1000.0;
        out[n].text = op->text;
        out[n].len = op->len;
        n++;
    }
    return n;
}

static void assert_no_overlap(const box *b, size_t n)
{
    const double eps = 0.01;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            bool ov = b[i].x0 < b[j].x1 - eps && b[j].x0 < b[i].x1 - eps &&
                      b[i].y0 < b[j].y1 - eps && b[j].y0 < b[i].y1 - eps;
            if (ov)
                fail_msg("labels overlap: '%.*s' [%.1f,%.1f]x[%.1f,%.1f] and '%.*s' "
                         "[%.1f,%.1f]x[%.1f,%.1f]",
                         (int)b[i].len, b[i].text, b[i].x0, b[i].x1, b[i].y0, b[i].y1,
                         (int)b[j].len, b[j].text, b[j].x0, b[j].x1, b[j].y0, b[j].y1);
        }
}

static void assert_inside(const box *b, size_t n, double w, double h)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].x0 < -0.5 || b[i].x1 > w + 0.5 || b[i].y0 < -0.5 || b[i].y1 > h + 0.5)
            fail_msg("label '%.*s' outside the figure: [%.1f,%.1f]x[%.1f,%.1f] in %.0fx%.0f",
                     (int)b[i].len, b[i].text, b[i].x0, b[i].x1, b[i].y0, b[i].y1, w, h);
    }
}

static bool has_text(const rc_draw_list *l, const char *s)
{
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_TEXT && op->len == strlen(s) && memcmp(op->text, s, op->len) == 0)
            return true;
    }
    return false;
}

/* Every word of s (split at spaces) appears inside some text op, in order
 * across the list: wrapped labels keep all their words. */
static bool has_words(const rc_draw_list *l, const char *s)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
        bool found = false;
        for (size_t i = 0; i < l->ops.n && !found; i++) {
            const rc_draw_op *op = &l->ops.v[i];
            if (op->kind != RC_DRAW_TEXT) continue;
            char t[256];
            snprintf(t, sizeof t, "%.*s", (int)op->len, op->text);
            found = strstr(t, w) != NULL;
        }
        if (!found) return false;
    }
    return true;
}

static bool same_rgb(rc_rgb a, rc_rgb b)
{
    return fabs(a.r - b.r) < 1e-6 && fabs(a.g - b.g) < 1e-6 && fabs(a.b - b.b) < 1e-6;
}

static const rc_rgb BLUE = {0.0, 0x44 / 255.0, 0x94 / 255.0};

/* ---- the pairings sample ---------------------------------------------------- */

static const char *const LA[][2] = {{"Córdoba", "Argentina"},
                                    {"Salta", "Argentina"},
                                    {"Santa Fe", "Argentina"},
                                    {"Cioeste", "Brazil"},
                                    {"Paraná", "Brazil"},
                                    {"Santa Catarina", "Brazil"},
                                    {"Minas Gerais", "Brazil"},
                                    {"Biobío", "Chile"},
                                    {"O’Higgins", "Chile"},
                                    {"Tarapacá", "Chile"},
                                    {"Bogotá-Cundinamarca", "Colombia"},
                                    {"Antioquia", "Colombia"},
                                    {"Cauca", "Colombia"},
                                    {"Colima", "Mexico"},
                                    {"Yucatán", "Mexico"},
                                    {"Jalisco", "Mexico"},
                                    {"Chihuahua", "Mexico"},
                                    {"Piura", "Peru"},
                                    {"San Martín", "Peru"},
                                    {"Arequipa", "Peru"}};
static const char *const EU[][2] = {
    {"Andalucía", "Spain"},      {"Alentejo", "Portugal"},    {"Emilia-Romagna", "Italy"},
    {"Bielsko-Biała", "Poland"}, {"Navarra", "Spain"},        {"Skåne", "Sweden"},
    {"Galicia", "Spain"},        {"Extremadura", "Spain"},    {"Lazio", "Italy"},
    {"Śląskie", "Poland"},       {"Basque Country", "Spain"}, {"Lapland", "Finland"},
    {"Extremadura", "Spain"},    {"Ljubljana", "Slovenia"},   {"Moravia-Silesia", "Czechia"},
    {"Vest", "Romania"},         {"Tuscany", "Italy"},        {"Łódzkie", "Poland"},
    {"Podravje", "Slovenia"},    {"Upper Austria", "Austria"}};
static const char *const COUNTRIES_LA[] = {"Argentina", "Brazil", "Chile",
                                           "Colombia",  "Mexico", "Peru"};
static const char *const COUNTRIES_EU[] = {"Spain",   "Italy",   "Poland",  "Slovenia", "Portugal",
                                           "Finland", "Czechia", "Romania", "Sweden",   "Austria"};
static const char *const THEMES[] = {"Sustainability",
                                     "Agri-food",
                                     "Tourism",
                                     "Renewable energy",
                                     "Industrial modernisation",
                                     "ICT",
                                     "International cooperation"};

static size_t index_of(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0) return i;
    return SIZE_MAX;
}

static rc_chart *pairings_chart(fixture *f, rc_data *data, rc_figure_cfg *fig, bool keep_rows)
{
    rc_source_cfg *src = rc_arena_alloc(f->a, sizeof *src);
    src->name = S("pairings", 5);
    src->path = "pairings.csv";
    src->nfields = 5;
    src->fields = rc_arena_array(f->a, 5, sizeof *src->fields);
    const char *names[] = {"la_region", "la_country", "eu_region", "eu_country", "theme"};
    for (size_t i = 0; i < 5; i++) {
        src->fields[i].name = S(names[i], 6);
        src->fields[i].label = S(i == 0   ? "Latin American region"
                                 : i == 2 ? "EU region"
                                          : names[i],
                                 6);
        src->fields[i].type = RC_FIELD_TEXT;
        src->fields[i].index = i;
        src->fields[i].source = src;
    }
    src->fields[1] = category_field(f->a, "la_country", COUNTRIES_LA, 6);
    src->fields[1].index = 1;
    src->fields[3] = category_field(f->a, "eu_country", COUNTRIES_EU, 10);
    src->fields[3].index = 3;
    src->fields[4] = category_field(f->a, "theme", THEMES, 7);
    src->fields[4].index = 4;
    rc_source_data *sd = rc_arena_alloc(f->a, sizeof *sd);
    sd->cfg = src;
    sd->nrows = 20;
    sd->ncols = 5;
    sd->row_line = rc_arena_array(f->a, 20, sizeof(unsigned));
    rc_value *rows = rc_arena_array(f->a, 100, sizeof *rows);
    for (size_t r = 0; r < 20; r++) {
        rc_value *v = &rows[r * 5];
        v[0].text = LA[r][0];
        v[0].code = -1;
        v[1].code = (int)index_of(COUNTRIES_LA, 6, LA[r][1]);
        v[1].text = "x";
        v[2].text = EU[r][0];
        v[2].code = -1;
        v[3].code = (int)index_of(COUNTRIES_EU, 10, EU[r][1]);
        v[3].text = "x";
        v[4].code = (int)(r % 7);
        v[4].text = "x";
        sd->row_line[r] = (unsigned)r + 2;
    }
    sd->rows = keep_rows ? rows : NULL;
    data->sources = sd;
    data->nsources = 1;
    *fig = figure(RC_CHART_PAIRINGS, NULL);
    fig->data = S("pairings", 50);
    fig->left = S("la_region", 51);
    fig->left_group = S("la_country", 52);
    fig->right = S("eu_region", 53);
    fig->right_group = S("eu_country", 54);
    fig->color = S("theme", 55);
    return rc_chart_build(f->a, fig, data, f->loc, f->d);
}

#endif
