/* chart_alt: alternative text for a chart, written from its model in the
 * report language: what kind of chart, its caption, then the numbers as the
 * chart prints them ("Bar chart: Partner regions by country. Latin America:
 * Argentina 3, Brazil 4; European Union: Spain 6."). A chart with more
 * values than a listener can follow is cut after MAX_VALUES with the count
 * of the rest and a pointer to the figures workbook, which has them all.
 * No other tool has the data behind a drawing; reportc does, so its figures
 * need no hand-written description (the [figure] key 'alt' still wins). */
#include <stdio.h>
#include <string.h>

#include "rc/chart.h"
#include "rc/util.h"

/* Values read out before the rest is summarised. */
#define MAX_VALUES 40

/* The phrases of each language; kinds[type][i] is the name of a chart type
 * in language i of 'table'. */
typedef struct phrases {
    const char *lang;
    const char *more_a, *more_b; /* around the count of values left out */
    const char *pairing_of;
} phrases;

static const phrases table[] = {
    {"en", "and", "more values; the figures workbook lists them all", "paired with"},
    {"es", "y", "valores más; el libro de figuras los recoge todos", "con"},
    {"pt", "e mais", "valores; o livro de figuras tem todos", "com"},
};

static const char *const kinds[RC_CHART_TYPE_COUNT][sizeof table / sizeof table[0]] = {
    [RC_CHART_BAR] = {"Bar chart", "Gráfico de barras", "Gráfico de barras"},
    [RC_CHART_HBAR] = {"Horizontal bar chart", "Gráfico de barras horizontales",
                       "Gráfico de barras horizontais"},
    [RC_CHART_GROUPED] = {"Grouped bar chart", "Gráfico de barras agrupadas",
                          "Gráfico de barras agrupadas"},
    [RC_CHART_STACKED] = {"Stacked bar chart", "Gráfico de barras apiladas",
                          "Gráfico de barras empilhadas"},
    [RC_CHART_LIKERT] = {"Stacked 100% bar chart", "Gráfico de barras apiladas al 100 %",
                         "Gráfico de barras empilhadas a 100 %"},
    [RC_CHART_PIE] = {"Pie chart", "Gráfico circular", "Gráfico circular"},
    [RC_CHART_DOUGHNUT] = {"Doughnut chart", "Gráfico de anillo", "Gráfico de anel"},
    [RC_CHART_TILES] = {"Key figures", "Cifras clave", "Números-chave"},
    [RC_CHART_PAIRINGS] = {"Diagram of pairings", "Diagrama de emparejamientos",
                           "Diagrama das parcerias"},
};

static const phrases *phrases_for(const rc_locale *loc)
{
    for (size_t i = 0; loc && loc->lang && i < sizeof table / sizeof table[0]; i++)
        if (strncmp(loc->lang, table[i].lang, 2) == 0) return &table[i];
    return &table[0];
}

/* The text so far, and the values written / left out. */
typedef struct sbuf {
    rc_strbuf t;
    size_t values, dropped;
} sbuf;

static void put(sbuf *b, const char *s)
{
    rc_strbuf_puts(&b->t, s ? s : "");
}

/* "label value", counted against MAX_VALUES. sep goes before it. */
static void value(sbuf *b, const rc_chart *c, const char *sep, const char *label, double v)
{
    if (b->values >= MAX_VALUES) {
        b->dropped++;
        return;
    }
    char num[64];
    rc_chart_value_label(c, v, -1, num, sizeof num);
    put(b, sep);
    if (label && *label) {
        put(b, label);
        put(b, " ");
    }
    put(b, num);
    b->values++;
}

static void bars(sbuf *b, const rc_chart *c)
{
    for (size_t p = 0; p < c->npanels; p++) {
        const rc_chart_panel *pn = &c->panels[p];
        if (p) put(b, "; ");
        if (pn->title && *pn->title && (c->npanels > 1 || pn->nseries == 1)) {
            put(b, pn->title);
            put(b, ": ");
        }
        if (pn->nseries <= 1) { /* one series: "category value, ..." */
            for (size_t i = 0; i < pn->ncat && pn->nseries; i++)
                value(b, c, i ? ", " : "", pn->categories[i], pn->series[0].values[i]);
            continue;
        }
        /* several series: by category, "category: series value, ..." */
        for (size_t i = 0; i < pn->ncat; i++) {
            if (b->values >= MAX_VALUES) {
                b->dropped += pn->nseries;
                continue;
            }
            if (i) put(b, "; ");
            put(b, pn->categories[i]);
            put(b, ": ");
            for (size_t s = 0; s < pn->nseries; s++)
                value(b, c, s ? ", " : "", pn->series[s].label, pn->series[s].values[i]);
        }
    }
}

static void tiles(sbuf *b, const rc_chart *c)
{
    for (size_t i = 0; i < c->ntiles; i++) {
        if (b->values >= MAX_VALUES) {
            b->dropped++;
            continue;
        }
        put(b, i ? "; " : "");
        put(b, c->tiles[i].value);
        put(b, " ");
        put(b, c->tiles[i].label);
        b->values++;
    }
}

static void pairings(sbuf *b, const rc_chart *c, const phrases *ph)
{
    for (size_t i = 0; i < c->nlinks; i++) {
        const rc_pair_link *l = &c->links[i];
        if (b->values >= MAX_VALUES || l->left >= c->nleft || l->right >= c->nright) {
            b->dropped++;
            continue;
        }
        const rc_pair_node *x = &c->left[l->left], *y = &c->right[l->right];
        char *s =
            rc_arena_printf(b->t.a, "%s%s (%s) %s %s (%s)", i ? "; " : "", x->label ? x->label : "",
                            x->group ? x->group : "", ph->pairing_of, y->label ? y->label : "",
                            y->group ? y->group : "");
        put(b, s);
        if (l->color < c->nlegend && c->legend[l->color]) {
            put(b, ", ");
            put(b, c->legend[l->color]);
        }
        b->values++;
    }
}

const char *rc_chart_alt(rc_arena *a, const rc_chart *c, const rc_locale *loc, const char *caption)
{
    const phrases *ph = phrases_for(loc ? loc : c ? c->locale : NULL);
    sbuf b = {.t = {.a = a}};
    rc_chart_type t = c && (unsigned)c->type < RC_CHART_TYPE_COUNT ? c->type : RC_CHART_BAR;
    put(&b, kinds[t][ph - table]);
    if (caption && *caption) {
        put(&b, ": ");
        put(&b, caption);
    }
    put(&b, ". ");
    size_t body = b.t.n;
    if (c) {
        if (t == RC_CHART_TILES)
            tiles(&b, c);
        else if (t == RC_CHART_PAIRINGS)
            pairings(&b, c, ph);
        else
            bars(&b, c);
    }
    if (b.dropped) {
        put(&b, b.t.n > body ? " " : "");
        put(&b, rc_arena_printf(a, "%s %zu %s", ph->more_a, b.dropped, ph->more_b));
    }
    if (b.t.n > body) put(&b, ".");
    while (b.t.n && b.t.s[b.t.n - 1] == ' ') /* nothing after the caption */
        b.t.s[--b.t.n] = '\0';
    return b.t.s;
}
