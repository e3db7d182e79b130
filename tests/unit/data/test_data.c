/* Tests of the data stage: a small config (rc_config_parse) over temporary
 * CSV files; every metric op, every aggregate kind's matrix, labels, shares
 * and Likert statistics; warnings and errors with their exact text. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/config.h"
#include "rc/data.h"
#include "rc/util.h"
#include "../../../src/data/data_int.h" /* key storage is internal to the data stage */

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static const char *SURVEY = "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n"
                            "R1,EU,ES,very,5,4,meetings;virtual,10,1.5,a\n"
                            "R2,EU,IT,broadly,4,4,meetings; virtual,20,2.5,b\n"
                            "R3,LA,AR,very,3,5,virtual;workshops,5,,a\n"
                            "R4,LA,AR,none,5,NA,,7,4,\n"
                            "R5,LA,BR,broadly,2,1,workshops,NA,3,c\r\n"
                            "R6,EU,ES,vaguely,4,3,\"meetings;workshops;virtual\",3,0.5,\" b \"\n";

/* [report] + [document] + the survey source and fields; then `extra`. */
static const char *HEAD =
    "[report]\n"
    "title = T\n"
    "year = 2020\n"
    "\n"
    "[document]\n"
    "chapters = c.md\n"
    "\n"
    "[source s]\n"
    "file = s.csv\n"
    "key = id\n"
    "missing = NA\n"
    "\n"
    "[field s.id]\n"
    "type = text\n"
    "\n"
    "[field s.cont]\n"
    "column = Continent\n"
    "type = category\n"
    "values = EU: Europe | LA: Latin America\n"
    "\n"
    "[field s.country]\n"
    "type = category\n"
    "values = AR: Argentina | BR: Brazil | ES: Spain | IT: Italy | PT: Portugal\n"
    "\n"
    "[field s.fam]\n"
    "label = Familiarity\n"
    "type = category\n"
    "values = very: Very | broadly: Broadly | vaguely: Vaguely | none: None\n"
    "\n"
    "[field s.rel_a]\n"
    "label = Relevance A\n"
    "type = likert\n"
    "values = 1: Very low | 2: Low | 3: Medium | 4: High | 5: Very high\n"
    "\n"
    "[field s.rel_b]\n"
    "label = Relevance B\n"
    "type = likert\n"
    "\n"
    "[field s.ex]\n"
    "type = multi\n"
    "values = meetings: Meetings | virtual: Virtual dialogue | workshops: Workshops\n"
    "\n"
    "[field s.n]\n"
    "type = integer\n"
    "\n"
    "[field s.score]\n"
    "type = number\n"
    "\n"
    "[field s.note]\n"
    "type = text\n"
    "\n";

typedef struct run {
    rc_arena *a;
    rc_diag *d;
    rc_config *cfg;
    rc_data data;
    rc_status st;
} run;

static void build(run *r, const char *csv, const char *extra, unsigned flags)
{
    write_file("s.csv", csv);
    write_file("c.md", "# C\n");
    size_t n = strlen(HEAD) + strlen(extra) + 1;
    char *ini = malloc(n);
    snprintf(ini, n, "%s%s", HEAD, extra);
    r->a = rc_arena_new();
    r->d = rc_diag_new();
    rc_status cs = rc_config_parse(r->a, "t.ini", dir, ini, strlen(ini), r->d, &r->cfg);
    free(ini);
    if (cs != RC_OK) {
        rc_diag_print(r->d, stderr);
        fail_msg("config does not parse");
    }
    r->st = rc_data_build(r->a, r->cfg, flags, r->d, &r->data);
}

static void done(run *r)
{
    rc_diag_free(r->d);
    rc_arena_free(r->a);
}

static const char *diags(const rc_diag *d)
{
    static char out[8192];
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        char line[512];
        rc_diag_format(rc_diag_get(d, i), line, sizeof line);
        /* strip the temporary directory from file names */
        const char *p = strstr(line, dir);
        char clean[512];
        if (p) {
            snprintf(clean, sizeof clean, "%.*s%s", (int)(p - line), line, p + strlen(dir) + 1);
        } else {
            snprintf(clean, sizeof clean, "%s", line);
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", clean);
    }
    return out;
}

static double metric(const run *r, const char *name)
{
    const rc_metric_value *m = rc_data_metric(&r->data, name);
    assert_non_null(m);
    return m->value;
}

static const char *METRICS =
    "[metric all]\nsource = s\n\n"
    "[metric eu]\nsource = s\nwhere = cont = EU\n\n"
    "[metric n_sum]\nsource = s\nop = sum\nfield = n\n\n"
    "[metric score_mean]\nsource = s\nop = mean\nfield = score\n\n"
    "[metric fam_share]\nsource = s\nop = share\n"
    "where = fam in (very, broadly)\nof = cont = LA\n\n"
    "[metric countries]\nsource = s\nop = distinct\nfield = country\n\n"
    "[metric notes]\nsource = s\nop = distinct\nfield = note\n\n"
    "[metric exchanges]\nsource = s\nop = distinct\nfield = ex\n\n"
    "[metric n_min]\nsource = s\nop = min\nfield = n\n\n"
    "[metric n_max]\nsource = s\nop = max\nfield = n\n\n"
    "[metric score_max]\nsource = s\nop = max\nfield = score\n\n"
    "[metric none_mean]\nsource = s\nop = mean\nfield = n\n"
    "where = fam = vaguely and cont = LA\n\n"
    "[metric none_share]\nsource = s\nop = share\nof = cont is missing\n\n";

static void test_metrics(void **state)
{
    (void)state;
    run r;
    build(&r, SURVEY, METRICS, 0);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "all") == 6);
    assert_true(metric(&r, "eu") == 3);
    assert_true(metric(&r, "n_sum") == 45);
    assert_true(fabs(metric(&r, "score_mean") - 2.3) < 1e-12);
    assert_true(fabs(metric(&r, "fam_share") - 2.0 / 3) < 1e-12);
    assert_true(metric(&r, "countries") == 4);
    assert_true(metric(&r, "notes") == 3); /* a, b (trimmed " b "), c */
    assert_true(metric(&r, "exchanges") == 3);
    assert_true(metric(&r, "n_min") == 3);
    assert_true(metric(&r, "n_max") == 20);
    assert_true(metric(&r, "score_max") == 4);
    assert_true(isnan(metric(&r, "none_mean")));
    assert_true(isnan(metric(&r, "none_share")));
    assert_true(rc_data_metric(&r.data, "all")->integral);
    assert_true(rc_data_metric(&r.data, "n_sum")->integral);
    assert_true(rc_data_metric(&r.data, "countries")->integral);
    assert_false(rc_data_metric(&r.data, "score_mean")->integral);
    assert_false(rc_data_metric(&r.data, "fam_share")->integral);
    assert_false(rc_data_metric(&r.data, "score_max")->integral);
    assert_null(rc_data_metric(&r.data, "nope"));

    /* provenance */
    const rc_source_data *s = rc_data_source(&r.data, "s");
    assert_non_null(s);
    assert_int_equal(s->nrows, 6);
    assert_int_equal(s->ncols, 10);
    assert_int_equal(s->bytes, strlen(SURVEY));
    char want[65];
    rc_sha256_hex(SURVEY, strlen(SURVEY), want);
    assert_string_equal(s->sha256, want);
    assert_null(s->rows); /* not kept without a rows aggregate or flag */
    done(&r);
}

static const char *AGGS =
    "[aggregate fam]\nsource = s\nkind = distribution\nfield = fam\n\n"
    "[aggregate fam_by]\nsource = s\nkind = distribution\nfield = fam\nby = cont\n\n"
    "[aggregate ex]\nsource = s\nkind = distribution\nfield = ex\norder = count\n\n"
    "[aggregate country]\nsource = s\nkind = distribution\nfield = country\norder = label\n\n"
    "[aggregate rel]\nsource = s\nkind = likert\nfields = rel_a, rel_b\n\n"
    "[aggregate rel_top]\nsource = s\nkind = likert\nfields = rel_b, rel_a\norder = count\n\n"
    "[aggregate countries_by]\nsource = s\nkind = distinct\nfield = country\nby = cont\n\n"
    "[aggregate n_by]\nsource = s\nkind = sum\nfield = n\nby = country\n\n"
    "[aggregate n_all]\nsource = s\nkind = sum\nfield = n\n\n"
    "[aggregate la]\nsource = s\nkind = rows\nfields = id, country, ex, rel_b\n"
    "where = cont = LA\n\n";

static void assert_row(const rc_agg *g, size_t r, const char *label, const double *v)
{
    assert_string_equal(g->row_label[r], label);
    for (size_t c = 0; c < g->ncols; c++)
        assert_true(g->value[rc_agg_at(g, r, c)] == v[c]);
}

/* A pairings diagram draws one line per row: its source's rows are kept
 * even without a rows aggregate or the keep flag. */
static void test_rows_kept_for_pairings(void **state)
{
    (void)state;
    run r;
    build(&r, SURVEY,
          "[figure links]\n"
          "type = pairings\n"
          "caption = Links\n"
          "data = s\n"
          "left = country\n"
          "left_group = cont\n"
          "right = fam\n"
          "right_group = cont\n"
          "color = fam\n",
          0);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);
    const rc_source_data *s = rc_data_source(&r.data, "s");
    assert_non_null(s->rows);
    assert_int_equal(s->nrows, 6);
    assert_string_equal(rc_value_display(r.a, s->cfg->fields + 2, &s->rows[2 * s->ncols + 2]),
                        "Argentina");
    done(&r);
}

static void test_aggregates(void **state)
{
    (void)state;
    run r;
    build(&r, SURVEY, AGGS, 0);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);

    const rc_agg *g = rc_data_agg(&r.data, "fam");
    assert_int_equal(g->kind, RC_AGG_DISTRIBUTION);
    assert_int_equal(g->nrows, 4);
    assert_int_equal(g->ncols, 1);
    assert_string_equal(g->col_label[0], "All");
    assert_row(g, 0, "Very", (double[]){2});
    assert_row(g, 1, "Broadly", (double[]){2});
    assert_row(g, 2, "Vaguely", (double[]){1});
    assert_row(g, 3, "None", (double[]){1});
    assert_string_equal(g->row_code[3], "none");
    assert_true(g->total[0] == 6);
    assert_true(fabs(g->share[rc_agg_at(g, 0, 0)] - 2.0 / 6) < 1e-12);
    assert_string_equal(g->field->name.s, "fam");
    assert_null(g->by);

    g = rc_data_agg(&r.data, "fam_by");
    assert_int_equal(g->ncols, 2);
    assert_string_equal(g->col_label[0], "Europe");
    assert_string_equal(g->col_code[1], "LA");
    assert_row(g, 0, "Very", (double[]){1, 1});
    assert_row(g, 1, "Broadly", (double[]){1, 1});
    assert_row(g, 2, "Vaguely", (double[]){1, 0});
    assert_row(g, 3, "None", (double[]){0, 1});
    assert_true(g->total[0] == 3 && g->total[1] == 3);
    assert_true(fabs(g->share[rc_agg_at(g, 3, 1)] - 1.0 / 3) < 1e-12);
    assert_string_equal(g->by->name.s, "cont");

    /* multi: share of the 5 respondents who answered; order = count (stable) */
    g = rc_data_agg(&r.data, "ex");
    assert_int_equal(g->nrows, 3);
    assert_row(g, 0, "Virtual dialogue", (double[]){4});
    assert_row(g, 1, "Meetings", (double[]){3});
    assert_row(g, 2, "Workshops", (double[]){3});
    assert_true(g->total[0] == 5);
    assert_true(fabs(g->share[0] - 0.8) < 1e-12);
    assert_true(fabs(g->share[1] - 0.6) < 1e-12);

    g = rc_data_agg(&r.data, "country");
    assert_int_equal(g->nrows, 5);
    assert_row(g, 0, "Argentina", (double[]){2});
    assert_row(g, 1, "Brazil", (double[]){1});
    assert_row(g, 2, "Italy", (double[]){1});
    assert_row(g, 3, "Portugal", (double[]){0});
    assert_row(g, 4, "Spain", (double[]){2});

    /* likert: rel_a = 5 4 3 5 2 4, rel_b = 4 4 5 NA 1 3 */
    g = rc_data_agg(&r.data, "rel");
    assert_int_equal(g->kind, RC_AGG_LIKERT);
    assert_int_equal(g->nrows, 2);
    assert_int_equal(g->ncols, 5);
    assert_int_equal(g->nfields, 2);
    assert_string_equal(g->col_label[0], "Very low");
    assert_string_equal(g->col_label[4], "Very high");
    assert_string_equal(g->col_code[2], "3");
    assert_row(g, 0, "Relevance A", (double[]){0, 1, 1, 2, 2});
    assert_row(g, 1, "Relevance B", (double[]){1, 0, 1, 2, 1});
    assert_string_equal(g->row_code[1], "rel_b");
    assert_true(g->answered[0] == 6 && g->answered[1] == 5);
    assert_true(fabs(g->mean[0] - 23.0 / 6) < 1e-12);
    assert_true(fabs(g->mean[1] - 3.4) < 1e-12);
    assert_true(g->median[0] == 4 && g->median[1] == 4);
    assert_true(fabs(g->top2[0] - 4.0 / 6) < 1e-12);
    assert_true(fabs(g->top2[1] - 0.6) < 1e-12);
    assert_true(fabs(g->share[rc_agg_at(g, 1, 3)] - 0.4) < 1e-12);
    assert_string_equal(g->fields[1]->name.s, "rel_b");

    /* order = count sorts items by top-2 share: rel_a (0.67) before rel_b (0.6) */
    g = rc_data_agg(&r.data, "rel_top");
    assert_string_equal(g->row_label[0], "Relevance A");
    assert_string_equal(g->fields[0]->name.s, "rel_a");
    assert_true(g->answered[0] == 6);

    g = rc_data_agg(&r.data, "countries_by");
    assert_int_equal(g->nrows, 2);
    assert_int_equal(g->ncols, 1);
    assert_row(g, 0, "Europe", (double[]){2});
    assert_row(g, 1, "Latin America", (double[]){2});
    assert_string_equal(g->col_code[0], "country");

    /* groups with no row (Portugal) are omitted; BR has a row but no value */
    g = rc_data_agg(&r.data, "n_by");
    assert_int_equal(g->nrows, 4);
    assert_row(g, 0, "Argentina", (double[]){12});
    assert_row(g, 1, "Brazil", (double[]){0});
    assert_row(g, 2, "Spain", (double[]){13});
    assert_row(g, 3, "Italy", (double[]){20});
    g = rc_data_agg(&r.data, "n_all");
    assert_int_equal(g->nrows, 1);
    assert_row(g, 0, "All", (double[]){45});

    g = rc_data_agg(&r.data, "la");
    assert_int_equal(g->kind, RC_AGG_ROWS);
    assert_int_equal(g->nrows, 3);
    assert_int_equal(g->ncols, 4);
    assert_string_equal(g->col_label[1], "country");
    const char *want[3][4] = {{"R3", "Argentina", "Virtual dialogue; Workshops", "5"},
                              {"R4", "Argentina", "", ""},
                              {"R5", "Brazil", "Workshops", "1"}};
    for (size_t i = 0; i < 3; i++)
        for (size_t c = 0; c < 4; c++)
            assert_string_equal(g->cell[rc_agg_at(g, i, c)], want[i][c]);
    assert_string_equal(g->row_code[0], "4"); /* CSV line of R3 */
    /* a rows aggregate keeps the source's rows */
    const rc_source_data *s = rc_data_source(&r.data, "s");
    assert_non_null(s->rows);
    assert_int_equal(s->row_line[5], 7);
    assert_string_equal(s->rows[5 * s->ncols + 9].text, "b");
    done(&r);
}

static void test_keep_rows_and_values(void **state)
{
    (void)state;
    run r;
    build(&r, SURVEY, "", RC_DATA_KEEP_ROWS | RC_DATA_NO_HASH);
    assert_int_equal(r.st, RC_OK);
    const rc_source_data *s = rc_data_source(&r.data, "s");
    assert_int_equal(s->nrows, 6);
    assert_string_equal(s->sha256, "");
    const rc_value *row4 = s->rows + 3 * s->ncols; /* R4,LA,AR,none,5,NA,,7,4, */
    const rc_field_cfg *f = s->cfg->fields;
    assert_string_equal(row4[0].text, "R4");
    assert_int_equal(row4[1].code, 1);
    assert_false(row4[4].missing);
    assert_true(row4[4].num == 5);
    assert_true(row4[5].missing);
    assert_string_equal(row4[5].text, "NA");
    assert_true(row4[6].missing);
    assert_true(row4[7].num == 7);
    assert_true(row4[9].missing);
    const rc_value *row1 = s->rows;
    assert_true(row1[6].mask == 3);
    assert_string_equal(rc_value_display(r.a, &f[6], &row1[6]), "Meetings; Virtual dialogue");
    assert_string_equal(rc_value_display(r.a, &f[8], &row1[8]), "1.5");
    assert_string_equal(rc_value_display(r.a, &f[2], &row1[2]), "Spain");
    assert_string_equal(rc_value_display(r.a, &f[5], &row4[5]), "");
    assert_int_equal(s->row_line[4], 6);
    done(&r);
}

static void test_warnings(void **state)
{
    (void)state;
    run r;
    build(&r,
          "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n"
          "R1,EU,XX,very,5,4,meetings;zoom,10,1.5,\n"
          "R2,EU,XX,broadly,7,4,meetings,20,2.5,\n"
          "R3,LA,YY,very,3,9,zoom;virtual,5,,NA\n"
          "R4,LA,AR,none,7,NA,,7,4,\n",
          "[metric c]\nsource = s\nop = distinct\nfield = country\n\n", 0);
    /* One warning per field and reason, with the count, the first cell and
     * the values by frequency; the field's quality row adds up to the rows. */
    assert_string_equal(diags(r.d),
                        "s.csv:2:7: warning: 3 answers of field 'country' were read as missing "
                        "because their codes are not declared (the first here): 'XX' (2), 'YY' "
                        "(1)\n"
                        "s.csv:3:18: warning: 2 answers of field 'rel_a' were read as missing "
                        "because they are outside the scale 1..5 (the first here): '7' (2)\n"
                        "s.csv:4:17: warning: 1 answer of field 'rel_b' was read as missing "
                        "because it is outside the scale 1..5: '9' (1)\n"
                        "s.csv:2:28: warning: 2 codes in field 'ex' were left out because they "
                        "are not declared (the first here): 'zoom' (2)\n"
                        "t.ini:49:1: warning: column 'note' of source 's' has no values (every "
                        "cell is empty or missing)\n");
    const rc_source_data *sd = &r.data.sources[0];
    const rc_field_quality *q = sd->quality;
    size_t country = 2, rel_b = 5, ex = 6; /* field order of the fixture */
    assert_string_equal(sd->cfg->fields[country].name.s, "country");
    assert_int_equal(q[country].answered, 1);
    assert_int_equal(q[country].missing, 0);
    assert_int_equal(q[country].dropped[RC_DROP_UNDECLARED], 3);
    assert_int_equal(q[country].first[RC_DROP_UNDECLARED].line, 2);
    assert_string_equal(sd->cfg->fields[rel_b].name.s, "rel_b");
    assert_int_equal(q[rel_b].answered, 2);
    assert_int_equal(q[rel_b].missing, 1); /* NA */
    assert_int_equal(q[rel_b].dropped[RC_DROP_OUT_OF_SCALE], 1);
    assert_string_equal(sd->cfg->fields[ex].name.s, "ex");
    assert_int_equal(q[ex].answered, 3); /* zoom;virtual keeps 'virtual' */
    assert_int_equal(q[ex].missing, 1);
    assert_int_equal(q[ex].dropped[RC_DROP_UNDECLARED], 0);
    assert_int_equal(q[ex].partial, 2);
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "c") == 1); /* undeclared codes are missing */
    done(&r);
}

/* docs/config.md, multi: blanks around codes are ignored, empty items are
 * skipped, a code repeated in a cell counts once, an undeclared code is
 * left out, a cell left with no declared code is missing; the share's base
 * is the rows that mention at least one declared code. */
static void test_multi_cells(void **state)
{
    (void)state;
    run r;
    build(&r,
          "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n"
          "R1,EU,ES,very,5,4, meetings ;;meetings; ,1,1,a\n"
          "R2,EU,ES,very,5,4,virtual;talks,1,1,a\n"
          "R3,EU,ES,very,5,4,talks,1,1,a\n"
          "R4,EU,ES,very,5,4,,1,1,a\n",
          "[aggregate ex]\nsource = s\nkind = distribution\nfield = ex\n\n", 0);
    assert_int_equal(r.st, RC_OK);
    const rc_agg *g = rc_data_agg(&r.data, "ex");
    assert_true(g->value[rc_agg_at(g, 0, 0)] == 1); /* meetings: once, from R1 */
    assert_true(g->value[rc_agg_at(g, 1, 0)] == 1); /* virtual: R2 */
    assert_true(g->total[0] == 2);                  /* R1, R2; R3 lost its only code */
    assert_true(g->share[rc_agg_at(g, 0, 0)] == 0.5);
    const rc_field_quality *q = &r.data.sources[0].quality[6];
    assert_int_equal(q->answered, 2);
    assert_int_equal(q->missing, 1);                     /* R4 */
    assert_int_equal(q->dropped[RC_DROP_UNDECLARED], 1); /* R3 */
    assert_int_equal(q->partial, 1);                     /* R2 */
    assert_non_null(strstr(diags(r.d), "2 codes in field 'ex' were left out because they are "
                                       "not declared (the first here); 1 answer was read as "
                                       "missing as a result: 'talks' (2)"));
    done(&r);
}

static void test_unknown_column(void **state)
{
    (void)state;
    run r;
    build(&r,
          "id,Continent,country,fam,rel_a,rel_b,ex,n,score,nota\n"
          "R1,EU,ES,very,5,4,meetings,10,1.5,a\n",
          "", 0);
    /* [field s.note] has no 'column': the error points at its header */
    assert_string_equal(diags(r.d),
                        "t.ini:49:1: error: unknown column 'note' in source 's' (did you mean "
                        "'nota'?)\n");
    assert_int_equal(r.st, RC_ERR_CONFIG);
    done(&r);

    const char *csv = "id,Contnent,country,fam,rel_a,rel_b,ex,n,score,note\n"
                      "R1,EU,ES,very,5,4,meetings,10,1.5,a\n";
    build(&r, csv, "", 0);
    assert_string_equal(diags(r.d),
                        "t.ini:17:10: error: unknown column 'Continent' in source 's' (did you "
                        "mean 'Contnent'?)\n");
    assert_int_equal(r.st, RC_ERR_CONFIG);
    done(&r);

    build(&r,
          "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note,country\n"
          "R1,EU,ES,very,5,4,meetings,10,1.5,a,ES\n",
          "", 0);
    assert_string_equal(diags(r.d), "s.csv:1:54: error: column 'country' appears twice in the "
                                    "header (columns 3 and 11)\n");
    assert_int_equal(r.st, RC_ERR_CONFIG);
    done(&r);
}

static void test_data_errors(void **state)
{
    (void)state;
    run r;
    build(&r,
          "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n"
          "R1,EU,ES,very,5,4,meetings,ten,1.5,a\n"
          "R2,EU,ES,very,4.5,4,meetings,10,1e400,a\n"
          "R1,EU,ES,very,5,4,meetings,10,0x10,a\n"
          "R4,EU,ES,very,5,4,meetings,10,1,a\n"
          "\"R4\",EU,ES,very,5,4,meetings,10,1,a\n",
          "", 0);
    assert_string_equal(diags(r.d),
                        "s.csv:2:28: error: 'ten' is not a whole number (field 'n' is of type "
                        "integer)\n"
                        "s.csv:3:15: error: answer '4.5' of likert field 'rel_a' is not a whole "
                        "number\n"
                        "s.csv:3:33: error: '1e400' is not a number (field 'score' is of type "
                        "number)\n"
                        "s.csv:4:31: error: '0x10' is not a number (field 'score' is of type "
                        "number)\n"
                        "s.csv:4:1: error: duplicate key 'R1' in field 'id' (first on line 2)\n"
                        "s.csv:6:2: error: duplicate key 'R4' in field 'id' (first on line 5)\n");
    assert_int_equal(r.st, RC_ERR_DATA);
    done(&r);
}

static void test_config_errors(void **state)
{
    (void)state;
    run r;
    build(&r, SURVEY,
          "[metric bad]\nsource = s\nwhere = fam >= 4\n\n"
          "[aggregate worse]\nsource = s\nkind = distribution\nfield = fam\nwhere = cont = EUR\n\n",
          0);
    assert_string_equal(diags(r.d),
                        "t.ini:54:13: error: '>=' needs a likert, integer or number field; 'fam' "
                        "is a category field\n"
                        "t.ini:60:16: error: unknown code 'EUR' of field 'cont' (did you mean "
                        "'EU'?)\n");
    assert_int_equal(r.st, RC_ERR_CONFIG);
    done(&r);

    /* a file that disappears between the config and the data stage */
    r.a = rc_arena_new();
    r.d = rc_diag_new();
    write_file("c.md", "# C\n");
    write_file("gone.csv", "a\n1\n");
    const char *ini = "[report]\ntitle = T\nyear = 2020\n\n[document]\nchapters = c.md\n\n"
                      "[source s]\nfile = gone.csv\n\n[field s.a]\ntype = text\n";
    assert_int_equal(rc_config_parse(r.a, "t.ini", dir, ini, strlen(ini), r.d, &r.cfg), RC_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/gone.csv", dir);
    assert_int_equal(unlink(path), 0);
    r.st = rc_data_build(r.a, r.cfg, 0, r.d, &r.data);
    assert_int_equal(r.st, RC_ERR_IO);
    assert_string_equal(diags(r.d), "t.ini:9:8: error: cannot open 'gone.csv': No such file "
                                    "or directory\n");
    done(&r);
}

/* header = 2 skips a title line; empty lines and a missing final newline
 * are fine. */
static void test_header_row(void **state)
{
    (void)state;
    run r;
    r.a = rc_arena_new();
    r.d = rc_diag_new();
    write_file("c.md", "# C\n");
    write_file("h.csv", "Survey export;2019\n\nk;v\nA;1\n\nB;2");
    const char *ini = "[report]\ntitle = T\nyear = 2020\n\n[document]\nchapters = c.md\n\n"
                      "[source h]\nfile = h.csv\nheader = 2\ndelimiter = ;\nkey = k\n\n"
                      "[field h.k]\ntype = text\n\n[field h.v]\ntype = integer\n\n"
                      "[metric total]\nsource = h\nop = sum\nfield = v\n";
    assert_int_equal(rc_config_parse(r.a, "t.ini", dir, ini, strlen(ini), r.d, &r.cfg), RC_OK);
    r.st = rc_data_build(r.a, r.cfg, 0, r.d, &r.data);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "total") == 3);
    assert_int_equal(rc_data_source(&r.data, "h")->nrows, 2);
    done(&r);

    /* header only: a warning, no rows, metrics of nothing */
    r.a = rc_arena_new();
    r.d = rc_diag_new();
    write_file("h.csv", "x\nk;v\n");
    assert_int_equal(rc_config_parse(r.a, "t.ini", dir, ini, strlen(ini), r.d, &r.cfg), RC_OK);
    r.st = rc_data_build(r.a, r.cfg, 0, r.d, &r.data);
    assert_string_equal(diags(r.d), "h.csv:2:1: warning: no data rows after the header\n");
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "total") == 0);
    done(&r);
}

/* Long free-text cells fill the loader's text buffer in the middle of a
 * batch: the batch is handed over early and every row still counts. */
static void test_long_texts(void **state)
{
    (void)state;
    size_t rows = 700, width = 1500;
    size_t cap = 100 + rows * (width + 80);
    char *csv = malloc(cap);
    size_t n =
        (size_t)snprintf(csv, cap, "%s", "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n");
    for (size_t r = 0; r < rows; r++) {
        n += (size_t)snprintf(csv + n, cap - n, "R%zu,%s,ES,very,%zu,4,meetings,%zu,1.5,", r,
                              r % 3 ? "EU" : "LA", 1 + r % 5, r);
        for (size_t i = 0; i < width; i++)
            csv[n++] = (char)('a' + (r + i) % 26);
        csv[n++] = '\n';
    }
    csv[n] = 0;
    run r;
    build(&r, csv,
          "[metric la]\nsource = s\nwhere = cont = LA\n\n"
          "[metric notes]\nsource = s\nop = distinct\nfield = note\n\n"
          "[metric n_sum]\nsource = s\nop = sum\nfield = n\n\n"
          "[aggregate rel]\nsource = s\nkind = likert\nfields = rel_a\n\n",
          0);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "la") == 234);   /* r % 3 == 0 for r < 700 */
    assert_true(metric(&r, "notes") == 26); /* texts repeat with r % 26 */
    assert_true(metric(&r, "n_sum") == 699.0 * 700 / 2);
    const rc_agg *g = rc_data_agg(&r.data, "rel");
    assert_true(g->value[0] == 140 && g->value[4] == 140 && g->answered[0] == 700);
    done(&r);
    free(csv);
}

/* The loader types common cells straight into bit sets unless rows are
 * kept; both paths must give the same numbers and the same diagnostics.
 * The cells mix the fast cases with every odd one: padding, missing codes,
 * a missing code that is also a declared code, undeclared codes, "05" on a
 * Likert scale, multi lists with empty and unknown items, quoted cells. */
static void test_fast_and_kept_agree(void **state)
{
    (void)state;
    static const char *const conts[] = {"EU", "LA", " EU", "LA ", "NA", "", "\"EU\"", "XX"};
    static const char *const countries[] = {"ES", "IT", "AR", "BR", "PT", "NA", "", "FR"};
    static const char *const fams[] = {"very", "broadly", "vaguely", "none", "\tvery", "NA"};
    static const char *const rels[] = {"1", "2", "3", "4", "5", "NA", "", "05", " 4", "9"};
    static const char *const exs[] = {
        "meetings",          "virtual;meetings", "",           " workshops ; virtual", ";;", "NA",
        "meetings;;virtual", "meetings;other",   "\"virtual\""};
    static const char *const grades[] = {"A", "B", "none", "-", "", "A "};
    static const char *const notes[] = {"a", "b", "", "NA", "\"c,d\"", "long note text here"};
    size_t rows = 1300, cap = rows * 200 + 200, n = 0;
    char *csv = malloc(cap);
    n += (size_t)snprintf(csv, cap, "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note,grade\n");
    unsigned seed = 11;
    for (size_t r = 0; r < rows; r++) {
        unsigned v[9];
        for (int i = 0; i < 9; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = seed >> 8;
        }
        n += (size_t)snprintf(csv + n, cap - n, "R%zu,%s,%s,%s,%s,%s,%s,%u,%u.5,%s,%s\n", r,
                              conts[v[0] % 8], countries[v[1] % 8], fams[v[2] % 6], rels[v[3] % 10],
                              rels[v[4] % 10], exs[v[5] % 9], v[6] % 50, v[7] % 7, notes[v[8] % 6],
                              grades[(v[8] >> 4) % 6]);
    }
    const char *extra =
        "[field s.grade]\ntype = category\nvalues = A: A | B: B | none: None\n"
        "missing = none | -\n\n"
        "[metric all]\nsource = s\n\n"
        "[metric eu]\nsource = s\nwhere = cont = EU\n\n"
        "[metric not_eu]\nsource = s\nwhere = cont != EU\n\n"
        "[metric grade_none]\nsource = s\nwhere = grade in (none, B)\n\n"
        "[metric grade_missing]\nsource = s\nwhere = grade is missing\n\n"
        "[metric rel_mean]\nsource = s\nop = mean\nfield = rel_a\nwhere = fam = very\n\n"
        "[metric rel_min]\nsource = s\nop = min\nfield = rel_b\n\n"
        "[metric rel_max]\nsource = s\nop = max\nfield = rel_b\nwhere = ex = meetings\n\n"
        "[metric rel_sum]\nsource = s\nop = sum\nfield = rel_a\n\n"
        "[metric n_sum]\nsource = s\nop = sum\nfield = n\nwhere = rel_a >= 4\n\n"
        "[metric score_mean]\nsource = s\nop = mean\nfield = score\n\n"
        "[metric notes]\nsource = s\nop = distinct\nfield = note\n\n"
        "[metric note_a]\nsource = s\nwhere = note = a or note in (\"c,d\")\n\n"
        "[metric ex_share]\nsource = s\nop = share\nwhere = ex = virtual\n"
        "of = ex is not missing\n\n"
        "[metric rel_in]\nsource = s\nwhere = rel_b in (1, 5) and not rel_a < 3\n\n"
        "[metric n_cmp]\nsource = s\nwhere = n >= 25 or score < 2\n\n"
        "[metric countries]\nsource = s\nop = distinct\nfield = country\nwhere = fam != none\n\n"
        "[metric levels]\nsource = s\nop = distinct\nfield = rel_a\n\n"
        "[metric exs]\nsource = s\nop = distinct\nfield = ex\n\n"
        "[metric scores]\nsource = s\nop = distinct\nfield = score\n\n"
        "[aggregate fam_by_cont]\nsource = s\nkind = distribution\nfield = fam\nby = cont\n\n"
        "[aggregate ex_by_country]\nsource = s\nkind = distribution\nfield = ex\n"
        "by = country\norder = count\n\n"
        "[aggregate grades]\nsource = s\nkind = distribution\nfield = grade\n"
        "where = rel_a > 2\n\n"
        "[aggregate rel]\nsource = s\nkind = likert\nfields = rel_a, rel_b\n\n"
        "[aggregate notes_by_cont]\nsource = s\nkind = distinct\nfield = note\nby = cont\n\n"
        "[aggregate score_by_country]\nsource = s\nkind = sum\nfield = score\nby = country\n\n"
        "[aggregate rel_by_fam]\nsource = s\nkind = sum\nfield = rel_a\nby = fam\n\n";
    run fast, kept;
    build(&fast, csv, extra, 0);
    char *d1 = strdup(diags(fast.d));
    build(&kept, csv, extra, RC_DATA_KEEP_ROWS);
    assert_string_equal(d1, diags(kept.d));
    free(d1);
    assert_int_equal(fast.st, RC_OK);
    assert_int_equal(kept.st, RC_OK);
    assert_null(fast.data.sources[0].rows);
    assert_non_null(kept.data.sources[0].rows);
    /* values that cannot be used are counted, once per field and reason */
    assert_non_null(strstr(diags(kept.d), "of field 'cont' were read as missing because their "
                                          "codes are not declared"));
    assert_non_null(strstr(diags(kept.d), "'XX' ("));
    assert_non_null(strstr(diags(kept.d), "in field 'ex' were left out because they are not "
                                          "declared"));
    assert_non_null(strstr(diags(kept.d), "'other' ("));
    assert_non_null(strstr(diags(kept.d), "of field 'rel_a' were read as missing because they "
                                          "are outside the scale"));
    assert_non_null(strstr(diags(kept.d), "'9' ("));
    assert_int_equal(fast.data.nmetrics, kept.data.nmetrics);
    for (size_t i = 0; i < fast.data.nmetrics; i++) {
        const rc_metric_value *a = &fast.data.metrics[i], *b = &kept.data.metrics[i];
        if (!(a->value == b->value || (isnan(a->value) && isnan(b->value))))
            fail_msg("metric %s: %.17g != %.17g", a->name, a->value, b->value);
        assert_int_equal(a->integral, b->integral);
    }
    assert_true(metric(&fast, "all") == (double)rows);
    assert_true(metric(&fast, "grade_none") > 0); /* B only: 'none' is missing */
    assert_true(metric(&fast, "grade_missing") > 0);
    assert_true(metric(&fast, "levels") == 5);
    assert_true(metric(&fast, "rel_max") == 5 && metric(&fast, "rel_min") == 1);
    for (size_t i = 0; i < fast.data.naggs; i++) {
        const rc_agg *a = &fast.data.aggs[i], *b = &kept.data.aggs[i];
        assert_int_equal(a->nrows, b->nrows);
        assert_int_equal(a->ncols, b->ncols);
        for (size_t k = 0; k < a->nrows * a->ncols; k++) {
            assert_true(a->value[k] == b->value[k]);
            assert_true(!a->share || a->share[k] == b->share[k]);
        }
        for (size_t k = 0; k < a->nrows; k++) {
            assert_string_equal(a->row_code[k], b->row_code[k]);
            if (a->answered) assert_true(a->answered[k] == b->answered[k]);
            if (a->mean) assert_true(a->mean[k] == b->mean[k]);
            if (a->top2) assert_true(a->top2[k] == b->top2[k]);
        }
        for (size_t k = 0; k < a->ncols; k++) {
            assert_string_equal(a->col_code[k], b->col_code[k]);
            if (a->total) assert_true(a->total[k] == b->total[k]);
        }
    }
    const rc_agg *g = rc_data_agg(&fast.data, "grades");
    assert_int_equal(g->nrows, 3);
    assert_true(g->value[2] == 0); /* 'none' is a missing code before a declared one */
    done(&fast);
    done(&kept);
    free(csv);
}

/* Texts read by filters are kept batch by batch in chunks; a cell larger
 * than a chunk gets its own, and the next batches reuse the memory. */
static void test_huge_text_cells(void **state)
{
    (void)state;
    size_t rows = 1500, big = 400 * 1024, cap = rows * 1100 + 3 * big + 200;
    char *csv = malloc(cap);
    size_t n =
        (size_t)snprintf(csv, cap, "%s", "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n");
    for (size_t r = 0; r < rows; r++) {
        n += (size_t)snprintf(csv + n, cap - n, "R%zu,EU,ES,very,4,4,meetings,1,1.5,", r);
        size_t w = r == 511 || r == 900 ? big : 1000; /* 511: the last of a batch */
        for (size_t i = 0; i < w; i++)
            csv[n++] = (char)('a' + (r % 7 + i) % 26);
        csv[n++] = '\n';
    }
    csv[n] = 0;
    run r;
    build(&r, csv,
          "[metric notes]\nsource = s\nop = distinct\nfield = note\n\n"
          "[metric not_a]\nsource = s\nwhere = note != a\n\n",
          0);
    assert_string_equal(diags(r.d), "");
    assert_int_equal(r.st, RC_OK);
    assert_true(metric(&r, "notes") == 9); /* seven 1000-byte texts, two big ones */
    assert_true(metric(&r, "not_a") == (double)rows);
    done(&r);
    free(csv);
}

/* A coded key field: missing keys are no keys, declared codes are. */
static void test_coded_key(void **state)
{
    (void)state;
    write_file("k.csv", "c,v\na,1\nb,2\nNA,3\n,4\nNA,5\n a,1\nb ,2\n");
    for (unsigned flags = 0; flags <= RC_DATA_KEEP_ROWS; flags += RC_DATA_KEEP_ROWS) {
        run r;
        build(&r, SURVEY,
              "[source k]\nfile = k.csv\nkey = c\nmissing = NA\n\n"
              "[field k.c]\ntype = category\nvalues = a: A | b: B\n\n"
              "[field k.v]\ntype = likert\n\n"
              "[metric kb]\nsource = k\nwhere = c = b\n\n",
              flags);
        assert_int_equal(r.st, RC_ERR_DATA);
        assert_string_equal(diags(r.d),
                            "k.csv:7:1: error: duplicate key 'a' in field 'c' (first on line 2)\n"
                            "k.csv:8:1: error: duplicate key 'b' in field 'c' (first on line 3)\n");
        done(&r);
    }
}

/* Duplicate keys are found after a row with an error, fast path or not. */
static void test_keys_after_error(void **state)
{
    (void)state;
    const char *csv = "id,Continent,country,fam,rel_a,rel_b,ex,n,score,note\n"
                      "R1,EU,ES,very,5,4,meetings,1,1,a\n"
                      "R2,EU,ES,very,x,4,meetings,1,1,a\n"
                      "R1,EU,ES,very,5,4,meetings,1,1,a\n";
    for (unsigned flags = 0; flags <= RC_DATA_KEEP_ROWS; flags += RC_DATA_KEEP_ROWS) {
        run r;
        build(&r, csv, "[metric all]\nsource = s\n\n", flags);
        assert_int_equal(r.st, RC_ERR_DATA);
        assert_string_equal(
            diags(r.d), "s.csv:3:15: error: answer 'x' of likert field 'rel_a' is not a whole "
                        "number\n"
                        "s.csv:4:1: error: duplicate key 'R1' in field 'id' (first on line 2)\n");
        done(&r);
    }
}

/* The sort groups keys by the hash's low 33 bits: keys that share only
 * those are not candidates (no second reading of the file for them), keys
 * that share the whole hash are, also in a long run of shared low bits. */
static void test_key_low_bits_only(void **state)
{
    (void)state;
    rc_keys k;
    rc_keys_init(&k);
    char name[16];
    for (unsigned i = 0; i < 30; i++) {
        snprintf(name, sizeof name, "k%u", i);
        assert_true(rc_keys_add(&k, name, strlen(name), 2 + i, 1));
        k.hash[i] = UINT64_C(0x00000abcdef12345) | (uint64_t)(i + 1) << 50;
    }
    assert_int_equal(rc_keys_candidates(&k), 0); /* 30 in one run, all different */
    rc_keys_free(&k);

    for (unsigned len = 2; len <= 30; len += 28) { /* pairwise, then sorted */
        rc_keys_init(&k);
        for (unsigned i = 0; i < len; i++) {
            snprintf(name, sizeof name, "k%u", i);
            assert_true(rc_keys_add(&k, name, strlen(name), 2 + i, 1));
            k.hash[i] = UINT64_C(0x00000abcdef12345) | (uint64_t)(i + 1) << 50;
        }
        assert_true(rc_keys_add(&k, "other", 5, 100, 1));
        k.hash[len] = k.hash[0]; /* shares the whole hash with the first */
        assert_int_equal(rc_keys_candidates(&k), 2);
        assert_true(rc_keys_want(&k, 2, 1)); /* the first, then line 100 */
        assert_true(rc_keys_set_text(&k, "k0", 2));
        assert_true(rc_keys_want(&k, 100, 1));
        rc_keys_free(&k);
    }
}

/* A hash three keys share, and two pairs in one run of shared low bits
 * (long enough to be sorted): each key whose hash another has is one
 * candidate, in file order, whatever the run's order. */
static void test_key_shared_thrice(void **state)
{
    (void)state;
    for (unsigned len = 6; len <= 22; len += 16) {
        rc_keys k;
        rc_keys_init(&k);
        char name[16];
        for (unsigned i = 0; i < len; i++) {
            snprintf(name, sizeof name, "k%u", i);
            assert_true(rc_keys_add(&k, name, strlen(name), 2 + i, 1));
            k.hash[i] = UINT64_C(0x00000abcdef12345) | (uint64_t)(i + 1) << 50;
        }
        k.hash[3] = k.hash[1] = k.hash[0]; /* three share one hash */
        k.hash[len - 1] = k.hash[2];       /* and a pair another */
        assert_int_equal(rc_keys_candidates(&k), 5);
        static const unsigned lines[] = {2, 3, 4, 5};
        for (size_t i = 0; i < 4; i++) {
            assert_true(rc_keys_want(&k, lines[i], 1));
            assert_true(rc_keys_set_text(&k, "x", 1));
        }
        assert_true(rc_keys_want(&k, 2 + len - 1, 1));
        rc_keys_free(&k);
    }
}

/* Keys sharing a hash are only candidates: their texts, read again, decide.
 * A collision is forced by giving two different keys the same hash. */
static void test_key_hash_collision(void **state)
{
    (void)state;
    rc_keys k;
    rc_keys_init(&k);
    assert_true(rc_keys_add(&k, "alpha", 5, 2, 1));
    assert_true(rc_keys_add(&k, "beta", 4, 3, 1));
    assert_true(rc_keys_add(&k, "alpha", 5, 4, 1));
    assert_true(rc_keys_add(&k, "gamma", 5, 5, 1));
    k.hash[3] = k.hash[1]; /* 'gamma' collides with 'beta' */
    assert_int_equal(rc_keys_candidates(&k), 4);
    static const char *const texts[] = {"alpha", "beta", "alpha", "gamma"};
    static const unsigned lines[] = {2, 3, 4, 5};
    for (size_t i = 0; i < 4; i++) {
        assert_false(rc_keys_want(&k, lines[i], 2));
        assert_true(rc_keys_want(&k, lines[i], 1));
        assert_true(rc_keys_set_text(&k, texts[i], strlen(texts[i])));
    }
    rc_diag *d = rc_diag_new();
    assert_int_equal(rc_keys_check(&k, d, "k.csv", "id"), 1);
    char buf[256];
    rc_diag_format(rc_diag_get(d, 0), buf, sizeof buf);
    assert_string_equal(buf,
                        "k.csv:4:1: error: duplicate key 'alpha' in field 'id' (first on line 2)");
    rc_diag_free(d);
    rc_keys_free(&k);
    /* no shared hash: no candidate, nothing to read again */
    rc_keys_init(&k);
    for (unsigned i = 0; i < 10000; i++) {
        char s[16];
        int n = snprintf(s, sizeof s, "R%u", i);
        assert_true(rc_keys_add(&k, s, (size_t)n, i + 2, 1));
    }
    assert_int_equal(rc_keys_candidates(&k), 0);
    rc_keys_free(&k);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/rc_test_data_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics),           cmocka_unit_test(test_rows_kept_for_pairings),
        cmocka_unit_test(test_aggregates),        cmocka_unit_test(test_keep_rows_and_values),
        cmocka_unit_test(test_warnings),          cmocka_unit_test(test_multi_cells),
        cmocka_unit_test(test_unknown_column),    cmocka_unit_test(test_data_errors),
        cmocka_unit_test(test_config_errors),     cmocka_unit_test(test_header_row),
        cmocka_unit_test(test_long_texts),        cmocka_unit_test(test_fast_and_kept_agree),
        cmocka_unit_test(test_keys_after_error),  cmocka_unit_test(test_key_hash_collision),
        cmocka_unit_test(test_key_shared_thrice), cmocka_unit_test(test_key_low_bits_only),
        cmocka_unit_test(test_huge_text_cells),   cmocka_unit_test(test_coded_key),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) rc = 1;
    return rc;
}
