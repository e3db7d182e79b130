/* fuzz_filter: the two small languages inside values.
 * 1. Filters: rc_filter_compile on the input (up to its first NUL) against a
 *    fixed source with category, multi, likert, integer, number and text
 *    fields, then rc_filter_eval on typed rows (one all missing). Oracle:
 *    when "EXPR" and "not (EXPR)" both compile, they disagree on every row.
 * 2. Placeholders: "{{INPUT}}" inside a paragraph, through
 *    rc_doc_parse_markdown with a small rc_data holding a few metrics and
 *    declared figure/table/box names, then rc_doc_finish.
 * Both: a NULL / failed result comes with an error diagnostic and every
 * diagnostic has a location. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/locale.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { CONT, EXCH, REL, CONTACTS, SCORE, NAME, NF };
enum { NROWS = 4 };

static rc_arena *fixed; /* lives for the whole run */
static rc_source_cfg src;
static rc_field_cfg fields[NF];
static rc_value rows[NROWS][NF];
static rc_config cfg;
static rc_data dat;

static rc_code *codes(const char *const *c, size_t n)
{
    rc_code *v = rc_arena_array(fixed, n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i].code = c[i];
        v[i].label = c[i];
        v[i].loc = (rc_loc){"fixed.ini", 1, 1};
    }
    return v;
}

static void field(size_t i, const char *name, rc_field_type t, const char *const *c, size_t nc)
{
    rc_field_cfg *f = &fields[i];
    f->name = (rc_str){name, {"fixed.ini", 1, 1}};
    f->column = f->name;
    f->label = f->name;
    f->type = t;
    f->codes = nc ? codes(c, nc) : NULL;
    f->ncodes = nc;
    f->scale_min = 1;
    f->scale_max = 5;
    f->separator = (rc_str){";", {"fixed.ini", 1, 1}};
    f->source = &src;
    f->index = i;
}

static rc_str S(const char *s)
{
    return (rc_str){s, {"fixed.ini", 2, 1}};
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fixed = rc_arena_new();
    static const char *const cont[] = {"EU", "LA", "other region"};
    static const char *const exch[] = {"meet", "ws", "peer learning", "a\"b"};
    field(CONT, "continent", RC_FIELD_CATEGORY, cont, 3);
    field(EXCH, "exchange", RC_FIELD_MULTI, exch, 4);
    field(REL, "relevance", RC_FIELD_LIKERT, NULL, 0);
    field(CONTACTS, "contacts", RC_FIELD_INTEGER, NULL, 0);
    field(SCORE, "score", RC_FIELD_NUMBER, NULL, 0);
    field(NAME, "name", RC_FIELD_TEXT, NULL, 0);
    src.name = S("survey");
    src.fields = fields;
    src.nfields = NF;
    static const char *const cells[NROWS][NF] = {
        {"EU", "meet;peer learning", "4", "12", "2.5", "Lazio"},
        {"LA", "ws", "1", "-3", "0", "Piura"},
        {"other region", "meet;ws;a\"b", "5", "0", "-1e3", "x"},
        {"", "", "", "", "", ""},
    };
    rc_diag *d = rc_diag_new();
    for (size_t r = 0; r < NROWS; r++)
        for (size_t i = 0; i < NF; i++)
            if (!rc_value_parse(fixed, &fields[i], cells[r][i], strlen(cells[r][i]),
                                (rc_loc){"fixed.csv", 2, 1}, d, &rows[r][i]))
                abort();
    if (rc_diag_count(d)) abort();
    rc_diag_free(d);

    /* Metrics, and declared floats for {{figure:x}} style references. */
    static const char *const mn[] = {"respondents", "share_eu", "mean_rel", "nan_metric"};
    static const char *const mf[] = {"integer", "percent:1", NULL, NULL};
    static const double mv[] = {1312, 0.9375, 3.456, 0.0 / 0.0};
    rc_metric_cfg *mc = rc_arena_array(fixed, 4, sizeof *mc);
    rc_metric_value *vals = rc_arena_array(fixed, 4, sizeof *vals);
    for (size_t i = 0; i < 4; i++) {
        mc[i].name = S(mn[i]);
        mc[i].source = S("survey");
        mc[i].format = (rc_str){mf[i], {"fixed.ini", 3, 1}};
        mc[i].loc = (rc_loc){"fixed.ini", 3, 1};
        vals[i] = (rc_metric_value){&mc[i], mn[i], mv[i], i == 0};
    }
    rc_figure_cfg *fig = rc_arena_array(fixed, 1, sizeof *fig);
    fig->name = S("relevance");
    fig->type = RC_CHART_TILES;
    fig->caption = S("Relevance");
    fig->loc = (rc_loc){"fixed.ini", 4, 1};
    rc_table_cfg *tab = rc_arena_array(fixed, 1, sizeof *tab);
    tab->name = S("partners");
    tab->caption = S("Partners");
    tab->loc = (rc_loc){"fixed.ini", 5, 1};
    rc_box_cfg *box = rc_arena_array(fixed, 1, sizeof *box);
    box->name = S("story");
    box->title = S("A story");
    box->loc = (rc_loc){"fixed.ini", 6, 1};
    cfg.path = "fixed.ini";
    cfg.dir = ".";
    cfg.sources = &src;
    cfg.nsources = 1;
    cfg.metrics = mc;
    cfg.nmetrics = 4;
    cfg.figures = fig;
    cfg.nfigures = 1;
    cfg.tables = tab;
    cfg.ntables = 1;
    cfg.boxes = box;
    cfg.nboxes = 1;
    dat = (rc_data){.cfg = &cfg, .metrics = vals, .nmetrics = 4};
    return 0;
}

static void fuzz_filter(rc_arena *a, const char *expr)
{
    rc_loc loc = {"fuzz.ini", 7, 9};
    rc_diag *d = rc_diag_new();
    rc_filter *f = rc_filter_compile(a, &src, &(rc_str){expr, loc, NULL, 0}, d);
    if (!f && rc_diag_errors(d) == 0) abort();
    if (f && rc_diag_errors(d) != 0) abort();
    fz_check_diags(d);
    rc_diag_free(d);
    if (!f) return;
    bool r[NROWS];
    for (size_t i = 0; i < NROWS; i++)
        r[i] = rc_filter_eval(f, rows[i]);
    d = rc_diag_new();
    rc_str neg = {rc_arena_printf(a, "not (%s)", expr), loc, NULL, 0};
    rc_filter *g = rc_filter_compile(a, &src, &neg, d);
    rc_diag_free(d);
    if (!g) return;
    for (size_t i = 0; i < NROWS; i++)
        if (rc_filter_eval(g, rows[i]) == r[i]) abort(); /* not (E) must negate E */
}

static void fuzz_placeholder(rc_arena *a, const char *text, size_t len)
{
    char *md = rc_arena_printf(a, "Of {{%.*s}} respondents.\n", (int)len, text);
    rc_doc doc = {.cfg = &cfg, .data = &dat, .locale = rc_locale_get("en")};
    rc_diag *d = rc_diag_new();
    size_t mdlen = strlen(md);
    char *exact = malloc(mdlen ? mdlen : 1); /* not NUL-terminated: over-reads are caught */
    if (!exact) abort();
    memcpy(exact, md, mdlen);
    rc_node *sec = rc_doc_parse_markdown(a, &doc, "fuzz.md", exact, mdlen, RC_PART_MAIN, d);
    size_t before = rc_diag_errors(d);
    rc_status st = rc_doc_finish(&doc, d);
    if ((st == RC_OK) != (rc_diag_errors(d) == before)) abort();
    if (!sec && rc_diag_errors(d) == 0) abort();
    fz_check_diags(d);
    free(exact);
    rc_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rc_arena *a = rc_arena_new();
    char *expr = rc_arena_strndup(a, (const char *)data, size); /* stops at a NUL */
    fuzz_filter(a, expr);
    fuzz_placeholder(a, expr, strlen(expr));
    rc_arena_free(a);
    return 0;
}
