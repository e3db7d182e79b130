/* Tests for the config module: parsed values (every key type, defaults,
 * lists with their columns, multi-line values, long lines, BOM) and the exact
 * text of diagnostics for bad inputs. Files referenced by the INI texts live
 * in a temporary directory made by the group setup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"

typedef struct fixture {
    char dir[64];
    rc_arena *a;
    rc_diag *d;
    rc_config *c;
} fixture;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int group_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    strcpy(fx->dir, "/tmp/rc-test-config-XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    write_file(fx->dir, "survey.csv", "continent,size\nEU,3\n");
    write_file(fx->dir, "pairs.csv", "a,b,c,d,e\n");
    write_file(fx->dir, "ch1.md", "# One\n");
    write_file(fx->dir, "ch2.md", "# Two\n");
    write_file(fx->dir, "box.md", "Body.\n");
    write_file(fx->dir, "table.md", "| a | b |\n|---|---|\n| 1 | 2 |\n");
    write_file(fx->dir, "afile", "not a directory\n");
    char sub[128];
    snprintf(sub, sizeof sub, "%s/adir", fx->dir);
    if (mkdir(sub, 0755) != 0) return -1;
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    const char *names[] = {"survey.csv", "pairs.csv", "ch1.md", "ch2.md",
                           "box.md",     "table.md",  "afile"};
    char path[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fx->dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/adir", fx->dir);
    rmdir(path);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static int setup(void **state)
{
    fixture *fx = *state;
    fx->a = rc_arena_new();
    fx->d = rc_diag_new();
    fx->c = NULL;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rc_diag_free(fx->d);
    rc_arena_free(fx->a);
    return 0;
}

static rc_status parse(fixture *fx, const char *text, size_t len)
{
    return rc_config_parse(fx->a, "t.ini", fx->dir, text, len, fx->d, &fx->c);
}

/* Copies fmt into out with its first "%s" replaced by arg. */
static void subst(char *out, size_t n, const char *fmt, const char *arg)
{
    const char *m = strstr(fmt, "%s");
    if (!m) {
        snprintf(out, n, "%s", fmt);
        return;
    }
    snprintf(out, n, "%.*s%s%s", (int)(m - fmt), fmt, arg, m + 2);
}

static void dump(const rc_diag *d)
{
    rc_diag_print(d, stdout);
}

/* The formatted text of the i-th error. */
static const char *error_text(fixture *fx, size_t i)
{
    static char buf[1024];
    size_t k = 0;
    for (size_t j = 0; j < rc_diag_count(fx->d); j++) {
        const rc_diag_entry *e = rc_diag_get(fx->d, j);
        if (e->level != RC_DIAG_ERROR) continue;
        if (k++ == i) {
            rc_diag_format(e, buf, sizeof buf);
            return buf;
        }
    }
    return "(none)";
}

/* A valid config the bad-input tests append one problem to (lines 1-12). */
static const char BASE[] = "[report]\n"
                           "title = T\n"
                           "year = 2019\n"
                           "[document]\n"
                           "chapters = ch1.md\n"
                           "[source survey]\n"
                           "file = survey.csv\n"
                           "[field survey.continent]\n"
                           "type = category\n"
                           "values = EU: Europe | LA: Latin America\n"
                           "[field survey.size]\n"
                           "type = integer\n";

/* Parses BASE + extra and expects exactly one error with this text (fmt may
 * contain one %s for the temporary directory). */
static void expect_error(fixture *fx, const char *extra, const char *fmt)
{
    char text[4096], want[1024];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    subst(want, sizeof want, fmt, fx->dir);
    rc_status st = parse(fx, text, strlen(text));
    if (rc_diag_errors(fx->d) != 1 || strcmp(error_text(fx, 0), want) != 0) {
        printf("want: %s\n", want);
        dump(fx->d);
    }
    assert_int_equal(st, RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_string_equal(error_text(fx, 0), want);
}

static void test_base_is_valid(void **state)
{
    fixture *fx = *state;
    rc_status st = parse(fx, BASE, strlen(BASE));
    if (st != RC_OK) dump(fx->d);
    assert_int_equal(st, RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    const rc_config *c = fx->c;
    /* Defaults. */
    assert_string_equal(c->report.language.s, "en");
    assert_false(c->report.sample_identifiers);
    assert_null(c->report.subtitle.s);
    assert_int_equal(c->report.subtitle.loc.line, 1); /* absent: the section header */
    char want[256];
    snprintf(want, sizeof want, "%s/out", fx->dir);
    assert_string_equal(c->output.dir, want);
    assert_string_equal(c->output.basename.s, "t");
    assert_string_equal(c->output.pdf.s, "t.pdf");
    assert_string_equal(c->output.tex.s, "t.tex");
    assert_string_equal(c->output.data_xlsx.s, "t-data.xlsx");
    assert_string_equal(c->output.figures_xlsx.s, "t-figures.xlsx");
    assert_true(c->output.want_pdf && c->output.want_tex && c->output.want_xlsx);
    assert_int_equal(c->style.npalette, 6);
    assert_true(c->style.palette[0].r == 0.0);
    assert_true(c->style.palette[0].b == 0x94 / 255.0);
    assert_string_equal(c->style.font_path[0], RC_SOURCE_DIR "/fonts/Lato-Regular.ttf");
    assert_string_equal(c->style.font_path[3], RC_SOURCE_DIR "/fonts/Lato-BoldItalic.ttf");
    assert_string_equal(c->style.font_path[4], RC_SOURCE_DIR "/fonts/Lato-Light.ttf");
    assert_true(c->style.font_size == 10.0);
    assert_true(c->style.hyphenate);
    assert_string_equal(c->style.hyphenation, "/usr/share/hyphen/hyph_en_GB.dic");
    assert_true(c->document.cover && c->document.imprint && c->document.contents &&
                c->document.back_cover);
    assert_int_equal(c->document.lists.n, 0);
    assert_int_equal(c->nsources, 1);
    const rc_source_cfg *s = rc_config_source(c, "survey");
    assert_non_null(s);
    assert_int_equal(s->delimiter, ',');
    assert_int_equal(s->header_row, 1);
    assert_int_equal(s->nfields, 2);
    const rc_field_cfg *f = rc_config_field(s, "continent");
    assert_non_null(f);
    assert_ptr_equal(f->source, s);
    assert_int_equal(f->index, 0);
    assert_string_equal(f->column.s, "continent");
    assert_string_equal(f->label.s, "continent");
    assert_int_equal(f->type, RC_FIELD_CATEGORY);
    assert_int_equal(f->ncodes, 2);
    assert_string_equal(f->codes[1].code, "LA");
    assert_string_equal(f->codes[1].label, "Latin America");
    assert_int_equal(f->codes[1].loc.line, 10);
    assert_int_equal(f->codes[1].loc.col, 23);
    assert_int_equal(f->name.loc.line, 8);
    assert_int_equal(f->name.loc.col, 15);
    assert_null(rc_config_field(s, "nope"));
    assert_null(rc_config_source(c, "nope"));
}

/* Every section with every key, as a report would write them. */
static const char FULL[] = "; a comment\n"                                           /* 1 */
                           "# another comment\n"                                     /* 2 */
                           "[report]\n"                                              /* 3 */
                           "title = Regional pairings; a review # not a comment\n"   /* 4 */
                           "subtitle = Lessons\n"                                    /* 5 */
                           "series = JRC Science for Policy Report\n"                /* 6 */
                           "authors = Ann Smith | Bo, Jr. | Cy\n"                    /* 7 */
                           "year = 2020\n"                                           /* 8 */
                           "language = en\n"                                         /* 9 */
                           "date = 2020\n"                                           /* 10 */
                           "eur = EUR 30000 EN\n"                                    /* 11 */
                           "isbn = 978-92-76-00000-0\n"                              /* 12 */
                           "issn = 1831-9424\n"                                      /* 13 */
                           "doi = 10.2760/000000\n"                                  /* 14 */
                           "catalogue = KJ-NA-30000-EN-N\n"                          /* 15 */
                           "publisher = Publications Office\n"                       /* 16 */
                           "place = Luxembourg\n"                                    /* 17 */
                           "contact_name = A. Person\n"                              /* 18 */
                           "contact_address = Somewhere 1\n"                         /* 19 */
                           "contact_email = a@example.org\n"                         /* 20 */
                           "contact_phone = +32 2 000 00 00\n"                       /* 21 */
                           "website = https://example.org\n"                         /* 22 */
                           "keywords = pairings | regions\n"                         /* 23 */
                           "copyright = (c) EU, 2020\n"                              /* 24 */
                           "disclaimer = Views are the authors'.\n"                  /* 25 */
                           "cover_note = Draft\n"                                    /* 26 */
                           "sample_identifiers = Yes\n"                              /* 27 */
                           "[output]\n"                                              /* 28 */
                           "directory = adir\n"                                      /* 29 */
                           "basename = rep\n"                                        /* 30 */
                           "pdf = r.pdf\n"                                           /* 31 */
                           "formats = pdf, xlsx\n"                                   /* 32 */
                           "[style]\n"                                               /* 33 */
                           "palette = #FF0000, #00ff00\n"                            /* 34 */
                           "font_size = 11\n"                                        /* 35 */
                           "font_bold = %s\n"                                        /* 36 */
                           "hyphenate = off\n"                                       /* 37 */
                           "[document]\n"                                            /* 38 */
                           "cover = no\n"                                            /* 39 */
                           "imprint = 0\n"                                           /* 40 */
                           "chapters = ch1.md, ch2.md\n"                             /* 41 */
                           "front = box.md\n"                                        /* 42 */
                           "lists = tables, figures\n"                               /* 43 */
                           "[source survey]\n"                                       /* 44 */
                           "file = survey.csv\n"                                     /* 45 */
                           "delimiter = ;\n"                                         /* 46 */
                           "header = 2\n"                                            /* 47 */
                           "key = id\n"                                              /* 48 */
                           "missing = NA | n/a | -\n"                                /* 49 */
                           "[field survey.id]\n"                                     /* 50 */
                           "type = text\n"                                           /* 51 */
                           "[field survey.themes]\n"                                 /* 52 */
                           "column = Themes (all)\n"                                 /* 53 */
                           "type = multi\n"                                          /* 54 */
                           "separator = /\n"                                         /* 55 */
                           "values = env: Environment | inn: Innovation, research\n" /* 56 */
                           "missing = none\n"                                        /* 57 */
                           "[field survey.q1]\n"                                     /* 58 */
                           "label = Useful?\n"                                       /* 59 */
                           "type = likert\n"                                         /* 60 */
                           "scale = 1..4\n"                                          /* 61 */
                           "values = 1: Not at all | 4: Very\n"                      /* 62 */
                           "[field survey.q2]\n"                                     /* 63 */
                           "type = likert\n"                                         /* 64 */
                           "scale = 1..4\n"                                          /* 65 */
                           "[field survey.region]\n"                                 /* 66 */
                           "type = category\n"                                       /* 67 */
                           "values = EU | LA\n"                                      /* 68 */
                           "[field survey.budget]\n"                                 /* 69 */
                           "type = number\n"                                         /* 70 */
                           "[metric innovators]\n"                                   /* 71 */
                           "source = survey\n"                                       /* 72 */
                           "op = share\n"                                            /* 73 */
                           "where = themes = inn and region in (EU; \"a,b\")\n"      /* 74 */
                           "of = themes is not missing\n"                            /* 75 */
                           "label = Share working on innovation\n"                   /* 76 */
                           "[metric total]\n"                                        /* 77 */
                           "source = survey\n"                                       /* 78 */
                           "op = sum\n"                                              /* 79 */
                           "field = budget\n"                                        /* 80 */
                           "[metric n]\n"                                            /* 81 */
                           "source = survey\n"                                       /* 82 */
                           "format = floor:10\n"                                     /* 83 */
                           "[aggregate themes]\n"                                    /* 84 */
                           "source = survey\n"                                       /* 85 */
                           "kind = distribution\n"                                   /* 86 */
                           "field = themes\n"                                        /* 87 */
                           "by = region\n"                                           /* 88 */
                           "order = count\n"                                         /* 89 */
                           "label = Themes\n"                                        /* 90 */
                           "[aggregate useful]\n"                                    /* 91 */
                           "source = survey\n"                                       /* 92 */
                           "kind = likert\n"                                         /* 93 */
                           "fields = q1, q2\n"                                       /* 94 */
                           "[aggregate listing]\n"                                   /* 95 */
                           "source = survey\n"                                       /* 96 */
                           "kind = rows\n"                                           /* 97 */
                           "fields = id, region\n"                                   /* 98 */
                           "[figure themes]\n"                                       /* 99 */
                           "type = grouped\n"                                        /* 100 */
                           "aggregate = themes\n"                                    /* 101 */
                           "caption = Themes by region\n"                            /* 102 */
                           "source = Survey 2019\n"                                  /* 103 */
                           "note = Several answers possible.\n"                      /* 104 */
                           "height = 90\n"                                           /* 105 */
                           "width = 0.5\n"                                           /* 106 */
                           "[figure useful]\n"                                       /* 107 */
                           "type = likert\n"                                         /* 108 */
                           "aggregate = useful\n"                                    /* 109 */
                           "caption = Usefulness\n"                                  /* 110 */
                           "[figure keys]\n"                                         /* 111 */
                           "type = tiles\n"                                          /* 112 */
                           "caption = Key figures\n"                                 /* 113 */
                           "items = n: Respondents | innovators: Innovators, all\n"  /* 114 */
                           "[figure map]\n"                                          /* 115 */
                           "type = pairings\n"                                       /* 116 */
                           "caption = Pairings\n"                                    /* 117 */
                           "data = pairs\n"                                          /* 118 */
                           "left = eu\n"                                             /* 119 */
                           "left_group = eu_country\n"                               /* 120 */
                           "right = la\n"                                            /* 121 */
                           "right_group = la_country\n"                              /* 122 */
                           "color = theme\n"                                         /* 123 */
                           "[source pairs]\n"                                        /* 124 */
                           "file = pairs.csv\n"                                      /* 125 */
                           "[field pairs.eu]\n"                                      /* 126 */
                           "type = text\n"                                           /* 127 */
                           "[field pairs.eu_country]\n"                              /* 128 */
                           "type = text\n"                                           /* 129 */
                           "[field pairs.la]\n"                                      /* 130 */
                           "type = text\n"                                           /* 131 */
                           "[field pairs.la_country]\n"                              /* 132 */
                           "type = text\n"                                           /* 133 */
                           "[field pairs.theme]\n"                                   /* 134 */
                           "type = category\n"                                       /* 135 */
                           "values = a | b\n"                                        /* 136 */
                           "[table pilots]\n"                                        /* 137 */
                           "caption = Pilots\n"                                      /* 138 */
                           "file = table.md\n"                                       /* 139 */
                           "widths = 1, 2.5\n"                                       /* 140 */
                           "[table listing]\n"                                       /* 141 */
                           "caption = Listing\n"                                     /* 142 */
                           "aggregate = listing\n"                                   /* 143 */
                           "columns = Id | Region, macro\n"                          /* 144 */
                           "[box b1]\n"                                              /* 145 */
                           "title = A box\n"                                         /* 146 */
                           "file = box.md\n";                                        /* 147 */

static void test_full(void **state)
{
    fixture *fx = *state;
    char text[8192];
    /* font_bold given as a path (absolute here) instead of a name in font_dir. */
    char font[256];
    snprintf(font, sizeof font, "%s/fonts/Lato-Bold.ttf", RC_SOURCE_DIR);
    subst(text, sizeof text, FULL, font);
    rc_status st = parse(fx, text, strlen(text));
    if (st != RC_OK || rc_diag_count(fx->d)) dump(fx->d);
    assert_int_equal(st, RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    const rc_config *c = fx->c;

    const rc_report_cfg *r = &c->report;
    assert_string_equal(r->title.s, "Regional pairings; a review # not a comment");
    assert_int_equal(r->title.loc.line, 4);
    assert_int_equal(r->title.loc.col, 9);
    assert_int_equal(r->authors.n, 3);
    assert_string_equal(r->authors.v[1].s, "Bo, Jr.");
    assert_int_equal(r->authors.v[1].loc.col, 23);
    assert_string_equal(r->authors.v[2].s, "Cy");
    assert_string_equal(r->year.s, "2020");
    assert_string_equal(r->contact_phone.s, "+32 2 000 00 00");
    assert_string_equal(r->website.s, "https://example.org");
    assert_int_equal(r->keywords.n, 2);
    assert_string_equal(r->cover_note.s, "Draft");
    assert_true(r->sample_identifiers);

    char want[256];
    snprintf(want, sizeof want, "%s/adir", fx->dir);
    assert_string_equal(c->output.dir, want);
    assert_string_equal(c->output.pdf.s, "r.pdf");
    assert_string_equal(c->output.tex.s, "rep.tex");
    assert_string_equal(c->output.data_xlsx.s, "rep-data.xlsx");
    assert_true(c->output.want_pdf);
    assert_false(c->output.want_tex);
    assert_true(c->output.want_xlsx);

    assert_int_equal(c->style.npalette, 2);
    assert_true(c->style.palette[0].r == 1.0 && c->style.palette[0].g == 0.0);
    assert_true(c->style.palette[1].g == 1.0);
    assert_true(c->style.font_size == 11.0);
    assert_string_equal(c->style.font_path[2], font);
    assert_int_equal(c->style.font_loc[2].line, 36);
    assert_false(c->style.hyphenate);
    assert_null(c->style.hyphenation);

    const rc_document_cfg *d = &c->document;
    assert_false(d->cover);
    assert_false(d->imprint);
    assert_true(d->contents);
    assert_int_equal(d->chapters.n, 2);
    assert_string_equal(d->chapters.v[1].s, "ch2.md");
    assert_int_equal(d->chapters.v[1].loc.line, 41);
    assert_int_equal(d->chapters.v[1].loc.col, 20);
    snprintf(want, sizeof want, "%s/ch2.md", fx->dir);
    assert_string_equal(d->chapter_path[1], want);
    assert_int_equal(d->front.n, 1);
    assert_int_equal(d->lists.n, 2);
    assert_string_equal(d->lists.v[0].s, "tables");

    assert_int_equal(c->nsources, 2);
    const rc_source_cfg *s = &c->sources[0];
    assert_string_equal(s->name.s, "survey");
    assert_int_equal(s->delimiter, ';');
    assert_int_equal(s->header_row, 2);
    assert_string_equal(s->key.s, "id");
    assert_int_equal(s->missing.n, 3);
    assert_string_equal(s->missing.v[1].s, "n/a");
    assert_int_equal(s->nfields, 6);
    const rc_field_cfg *f = rc_config_field(s, "themes");
    assert_int_equal(f->index, 1);
    assert_string_equal(f->column.s, "Themes (all)");
    assert_string_equal(f->label.s, "Themes (all)");
    assert_int_equal(f->type, RC_FIELD_MULTI);
    assert_string_equal(f->separator.s, "/");
    assert_int_equal(f->ncodes, 2);
    assert_string_equal(f->codes[1].code, "inn");
    assert_string_equal(f->codes[1].label, "Innovation, research");
    assert_int_equal(f->missing.n, 1);
    assert_string_equal(f->missing.v[0].s, "none");
    f = rc_config_field(s, "q1");
    assert_string_equal(f->label.s, "Useful?");
    assert_int_equal(f->type, RC_FIELD_LIKERT);
    assert_int_equal(f->scale_min, 1);
    assert_int_equal(f->scale_max, 4);
    assert_int_equal(f->ncodes, 4);
    assert_string_equal(f->codes[0].label, "Not at all");
    assert_string_equal(f->codes[1].code, "2");
    assert_string_equal(f->codes[1].label, "2");
    assert_string_equal(f->codes[3].label, "Very");
    assert_int_equal(f->missing.n, 3); /* inherited from the source */
    f = rc_config_field(s, "region");
    assert_string_equal(f->codes[0].code, "EU");
    assert_string_equal(f->codes[0].label, "EU");

    assert_int_equal(c->nmetrics, 3);
    const rc_metric_cfg *m = rc_config_metric(c, "innovators");
    assert_int_equal(m->op, RC_METRIC_SHARE);
    assert_string_equal(m->where.s, "themes = inn and region in (EU; \"a,b\")");
    assert_int_equal(m->where.loc.col, 9);
    assert_string_equal(m->of.s, "themes is not missing");
    assert_string_equal(m->format.s, "percent:1");
    assert_string_equal(rc_config_metric(c, "total")->format.s, "auto");
    assert_int_equal(rc_config_metric(c, "total")->op, RC_METRIC_SUM);
    assert_string_equal(rc_config_metric(c, "n")->format.s, "floor:10");
    assert_int_equal(rc_config_metric(c, "n")->op, RC_METRIC_COUNT);

    const rc_aggregate_cfg *g = rc_config_aggregate(c, "themes");
    assert_int_equal(g->kind, RC_AGG_DISTRIBUTION);
    assert_string_equal(g->by.s, "region");
    assert_string_equal(g->order.s, "count");
    g = rc_config_aggregate(c, "useful");
    assert_int_equal(g->kind, RC_AGG_LIKERT);
    assert_int_equal(g->fields.n, 2);
    assert_int_equal(g->fields.v[1].loc.col, 14);
    assert_string_equal(g->order.s, "declared");

    const rc_figure_cfg *fig = rc_config_figure(c, "themes");
    assert_int_equal(fig->type, RC_CHART_GROUPED);
    assert_string_equal(fig->value.s, "count");
    assert_string_equal(fig->source_line.s, "Survey 2019");
    assert_true(fig->height_mm == 90.0);
    assert_true(fig->width == 0.5);
    fig = rc_config_figure(c, "useful");
    assert_string_equal(fig->value.s, "share");
    assert_true(fig->width == 1.0);
    assert_true(fig->height_mm == 0); /* not set: sized by the chart module */
    fig = rc_config_figure(c, "keys");
    assert_int_equal(fig->items.n, 2);
    assert_string_equal(fig->items.v[1].s, "innovators: Innovators, all");
    fig = rc_config_figure(c, "map");
    assert_int_equal(fig->type, RC_CHART_PAIRINGS);
    assert_string_equal(fig->data.s, "pairs");
    assert_string_equal(fig->right_group.s, "la_country");

    const rc_table_cfg *t = rc_config_table(c, "pilots");
    snprintf(want, sizeof want, "%s/table.md", fx->dir);
    assert_string_equal(t->path, want);
    assert_int_equal(t->widths.n, 2);
    t = rc_config_table(c, "listing");
    assert_string_equal(t->aggregate.s, "listing");
    assert_null(t->file.s);
    assert_int_equal(t->columns.n, 2);
    assert_string_equal(t->columns.v[1].s, "Region, macro");
    const rc_box_cfg *b = rc_config_box(c, "b1");
    assert_string_equal(b->title.s, "A box");
    assert_null(rc_config_box(c, "b2"));
    assert_null(rc_config_figure(c, "b1"));
}

static void test_multiline_and_lists(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE,
             "[box b]\n"         /* 13 */
             "title = A title\n" /* 14 */
             "  that goes on\n"  /* 15 */
             "\tand on\n"        /* 16 */
             "file = box.md\n"   /* 17 */
             "[table t]\n"       /* 18 */
             "caption = C\n"     /* 19 */
             "file = table.md\n" /* 20 */
             "columns = A |\n"   /* 21 */
             "    B | C\n"       /* 22 */
             "[document]\n"      /* 23: duplicate of BASE's, ignored */
             "[box c]\n"         /* 24 */
             "title =\n"         /* 25 */
             "\n"                /* 26 */
             "   Starts below\n" /* 27 */
             "file = box.md\n"); /* 28 */
    rc_status st = parse(fx, text, strlen(text));
    assert_int_equal(st, RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_string_equal(error_text(fx, 0),
                        "t.ini:23:1: error: duplicate section [document] (first on line 4)");
    /* An indented line continues the value even after a blank line; an
     * empty first line is not joined with a space. */
    const rc_box_cfg *c = rc_config_box(fx->c, "c");
    assert_string_equal(c->title.s, "Starts below");
    assert_int_equal(c->title.loc.line, 27);
    assert_int_equal(c->title.loc.col, 4);
    const rc_box_cfg *b = rc_config_box(fx->c, "b");
    assert_string_equal(b->title.s, "A title that goes on and on");
    assert_int_equal(b->title.loc.line, 14);
    assert_int_equal(b->title.loc.col, 9);
    const rc_table_cfg *t = rc_config_table(fx->c, "t");
    assert_int_equal(t->columns.n, 3);
    assert_string_equal(t->columns.v[1].s, "B");
    assert_int_equal(t->columns.v[1].loc.line, 22);
    assert_int_equal(t->columns.v[1].loc.col, 5);
    assert_int_equal(t->columns.v[2].loc.line, 22);
    assert_int_equal(t->columns.v[2].loc.col, 9);
}

static void test_long_lines(void **state)
{
    fixture *fx = *state;
    size_t n = 5000;
    char *text = malloc(sizeof BASE + n + 64);
    assert_non_null(text);
    strcpy(text, BASE);
    strcat(text, "[box b]\nfile = box.md\ntitle = ");
    size_t l = strlen(text);
    for (size_t i = 0; i < n; i++)
        text[l + i] = (char)('a' + i % 26);
    strcpy(text + l + n, "\n");
    rc_status st = parse(fx, text, strlen(text));
    if (st != RC_OK) dump(fx->d);
    assert_int_equal(st, RC_OK);
    const rc_box_cfg *b = rc_config_box(fx->c, "b");
    assert_int_equal(strlen(b->title.s), n);
    assert_int_equal(b->title.s[n - 1], 'a' + (n - 1) % 26);
    free(text);

    /* Longer than the 64 KiB line buffer: reported, not silently cut. */
    n = 70000;
    text = malloc(sizeof BASE + n + 64);
    assert_non_null(text);
    strcpy(text, BASE);
    strcat(text, "[box b]\nfile = box.md\ntitle = ");
    l = strlen(text);
    memset(text + l, 'x', n);
    strcpy(text + l + n, "\n");
    rc_diag_free(fx->d);
    fx->d = rc_diag_new();
    st = parse(fx, text, strlen(text));
    assert_int_equal(st, RC_ERR_CONFIG);
    assert_string_equal(error_text(fx, 0), "t.ini:15:1: error: line too long (70008 bytes; at most "
                                           "65534)");
    free(text);
}

static void test_bom_and_crlf(void **state)
{
    fixture *fx = *state;
    const char text[] = "\xEF\xBB\xBF[report]\r\ntitle = Caf\xC3\xA9\r\nyear = 2019\r\n"
                        "[document]\r\nchapters = ch1.md\r\n";
    rc_status st = parse(fx, text, strlen(text));
    if (st != RC_OK) dump(fx->d);
    assert_int_equal(st, RC_OK);
    assert_string_equal(fx->c->report.title.s, "Caf\xC3\xA9");
    assert_int_equal(fx->c->report.loc.col, 1);
    assert_string_equal(fx->c->document.chapters.v[0].s, "ch1.md");
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(rc_field_type_name(RC_FIELD_LIKERT), "likert");
    assert_string_equal(rc_field_type_name(RC_FIELD_TEXT), "text");
    assert_string_equal(rc_chart_type_name(RC_CHART_HBAR), "hbar");
    assert_string_equal(rc_chart_type_name(RC_CHART_PAIRINGS), "pairings");
    assert_string_equal(rc_agg_kind_name(RC_AGG_DISTRIBUTION), "distribution");
    assert_string_equal(rc_agg_kind_name(RC_AGG_ROWS), "rows");
    assert_string_equal(rc_agg_kind_name((rc_agg_kind)99), "?");
    assert_string_equal(rc_chart_type_name(RC_CHART_TYPE_COUNT), "?");
}

/* The suggestion after "unknown field": both spellings, and none when no
 * field name is close. */
static void test_field_hint(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_field_cfg f[2] = {{.name = {.s = "continent"}}, {.name = {.s = "relevance"}}};
    rc_source_cfg src = {.fields = f, .nfields = 2};
    assert_string_equal(rc_config_field_hint(a, &src, "contnent", true),
                        " (did you mean 'continent'?)");
    assert_string_equal(rc_config_field_hint(a, &src, "relevanse", false),
                        "; did you mean 'relevance'?");
    assert_string_equal(rc_config_field_hint(a, &src, "zzzzzzzz", true), "");
    rc_arena_free(a);
}

/* ---- bad inputs: exact diagnostics ---- */

static void test_unknown_key(void **state)
{
    expect_error(*state, "[style]\nfont_siz = 10\n",
                 "t.ini:14:1: error: unknown key 'font_siz' in [style]; did you mean 'font_size'?");
}

static void test_duplicate_key(void **state)
{
    expect_error(*state, "[box b]\ntitle = A\nfile = box.md\ntitle = B\n",
                 "t.ini:16:1: error: duplicate key 'title' in [box b] (first on line 14)");
}

static void test_indented_key_after_header(void **state)
{
    /* Right after a header an indented line is a key, not a continuation. */
    expect_error(*state, "[box b]\n  title = A\nfile = box.md\ntitle = B\n",
                 "t.ini:16:1: error: duplicate key 'title' in [box b] (first on line 14)");
}

static void test_duplicate_section(void **state)
{
    expect_error(*state, "[source survey]\nfile = survey.csv\n",
                 "t.ini:13:1: error: duplicate section [source survey] (first on line 6)");
}

static void test_bad_bool(void **state)
{
    expect_error(*state, "[style]\nhyphenate = maybe\n",
                 "t.ini:14:13: error: invalid boolean 'maybe' for 'hyphenate'; use yes/no, "
                 "true/false, on/off or 1/0");
}

/* Exceptions: words split at white space (continuation lines included),
 * each with its position; a malformed one is an error at its column. */
static void test_hyphenation_exceptions(void **state)
{
    fixture *fx = *state;
    char text[4096];
    snprintf(text, sizeof text,
             "%s[style]\nhyphenation_exceptions = be-yond  ter-ri-to-ry\n  Mon-te-vi-deo\n", BASE);
    rc_status st = parse(fx, text, strlen(text));
    if (st != RC_OK) dump(fx->d);
    assert_int_equal(st, RC_OK);
    const rc_strlist *ex = &fx->c->style.hyphenation_exceptions;
    assert_int_equal(ex->n, 3);
    assert_string_equal(ex->v[0].s, "be-yond");
    assert_string_equal(ex->v[1].s, "ter-ri-to-ry");
    assert_string_equal(ex->v[2].s, "Mon-te-vi-deo");
    assert_int_equal(ex->v[1].loc.line, 14);
    assert_int_equal(ex->v[1].loc.col, 35);
    assert_int_equal(ex->v[2].loc.line, 15);
}

static void test_bad_hyphenation_exception(void **state)
{
    expect_error(*state, "[style]\nhyphenation_exceptions = be-yond -yond\n",
                 "t.ini:14:34: error: hyphenation exception '-yond' is not a word with single "
                 "hyphens at its break points (e.g. be-yond)");
}

static void test_bad_delimiter(void **state)
{
    expect_error(*state,
                 "[source other]\nfile = survey.csv\ndelimiter = |\n[field other.x]\n"
                 "type = text\n",
                 "t.ini:15:13: error: invalid delimiter '|'; use ',', ';' or 'tab'");
}

static void test_unknown_field_reference(void **state)
{
    expect_error(*state, "[aggregate a]\nsource = survey\nkind = distribution\nfield = contnent\n",
                 "t.ini:16:9: error: unknown field 'contnent' in source 'survey'; did you mean "
                 "'continent'?");
}

static void test_unknown_source_reference(void **state)
{
    expect_error(*state, "[metric m]\nsource = survey2\n",
                 "t.ini:14:10: error: unknown source 'survey2'; did you mean 'survey'?");
}

static void test_missing_required_key(void **state)
{
    expect_error(*state, "[box b]\nfile = box.md\n",
                 "t.ini:13:1: error: missing required key 'title' in [box b]");
}

static void test_missing_file(void **state)
{
    expect_error(*state, "[box b]\ntitle = B\nfile = nope.md\n",
                 "t.ini:15:8: error: box file 'nope.md' does not exist (%s/nope.md)");
}

static void test_directory_instead_of_file(void **state)
{
    expect_error(*state, "[box b]\ntitle = B\nfile = adir\n",
                 "t.ini:15:8: error: box file 'adir' is a directory (%s/adir)");
}

static void test_output_directory_is_a_file(void **state)
{
    expect_error(*state, "[output]\ndirectory = afile\n",
                 "t.ini:14:13: error: output directory 'afile' exists and is not a directory "
                 "(%s/afile)");
}

static void test_invalid_utf8(void **state)
{
    fixture *fx = *state;
    const char text[] = "[report]\ntitle = Caf\xC3(\nyear = 2019\n";
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_string_equal(error_text(fx, 0),
                        "t.ini:2:12: error: invalid UTF-8 (byte 0xC3); the file must be UTF-8");
}

static void test_bad_colour(void **state)
{
    expect_error(*state, "[style]\npalette = #004494, #12G456\n",
                 "t.ini:14:20: error: invalid colour '#12G456'; expected #RRGGBB");
}

static void test_unknown_section_kind(void **state)
{
    expect_error(*state, "[sorce x]\nfile = a.csv\n",
                 "t.ini:13:2: error: unknown section kind 'sorce'; did you mean 'source'?");
}

static void test_field_without_source(void **state)
{
    expect_error(*state, "[field survy.x]\ntype = text\n",
                 "t.ini:13:8: error: field 'x' belongs to source 'survy', which has no [source "
                 "survy] section; did you mean 'survey'?");
}

static void test_source_without_fields(void **state)
{
    expect_error(*state, "[source other]\nfile = survey.csv\n",
                 "t.ini:13:1: error: source 'other' has no fields; declare them in [field "
                 "other.NAME] sections");
}

static void test_too_many_multi_codes(void **state)
{
    char extra[2048] = "[field survey.m]\ntype = multi\nvalues = c0";
    for (int i = 1; i < 65; i++) {
        char item[16];
        snprintf(item, sizeof item, " | c%d", i);
        strcat(extra, item);
    }
    strcat(extra, "\n");
    expect_error(*state, extra,
                 "t.ini:15:10: error: a multi field has at most 64 codes ('m' has 65)");
}

static void test_wrong_field_type(void **state)
{
    expect_error(*state, "[aggregate a]\nsource = survey\nkind = distribution\nfield = size\n",
                 "t.ini:16:9: error: field 'size' is integer; a distribution aggregate needs a "
                 "category or multi field");
}

static void test_unsupported_language(void **state)
{
    fixture *fx = *state;
    const char text[] = "[report]\ntitle = T\nyear = 2019\nlanguage = xx\n"
                        "[document]\nchapters = ch1.md\n[source s]\nfile = survey.csv\n"
                        "[field s.a]\ntype = text\n[style]\nhyphenate = no\n";
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_true(
        strncmp(error_text(fx, 0), "t.ini:4:12: error: unsupported language 'xx' (supported: en",
                strlen("t.ini:4:12: error: unsupported language 'xx' (supported: en")) == 0);
}

static void test_table_aggregate_and_file(void **state)
{
    expect_error(*state,
                 "[table t]\ncaption = C\nfile = table.md\naggregate = x\n"
                 "[aggregate x]\nsource = survey\nkind = distribution\nfield = continent\n",
                 "t.ini:15:1: error: [table t] has both 'aggregate' and 'file'; give exactly one");
}

static void test_malformed_line(void **state)
{
    expect_error(*state, "[box b]\ntitle = B\nfile = box.md\njust words\n",
                 "t.ini:16:1: error: expected 'key = value', a [section] header or a comment");
}

static void test_unknown_enum_with_suggestion(void **state)
{
    expect_error(*state,
                 "[figure f]\ntype = pie\naggregate = a\ncaption = C\n"
                 "[aggregate a]\nsource = survey\nkind = distributon\nfield = continent\n",
                 "t.ini:19:8: error: unknown aggregate kind 'distributon'; did you mean "
                 "'distribution'?");
}

static void test_unknown_tile_metric(void **state)
{
    expect_error(*state,
                 "[metric total]\nsource = survey\n[figure k]\ntype = tiles\n"
                 "caption = K\nitems = total: All | totl: Typo\n",
                 "t.ini:18:22: error: unknown metric 'totl'; did you mean 'total'?");
}

static void test_missing_report_section(void **state)
{
    fixture *fx = *state;
    const char text[] = "[document]\nchapters = ch1.md\n";
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_string_equal(error_text(fx, 0), "t.ini: error: missing [report] section (it needs at "
                                           "least title and year)");
}

static void test_all_problems_reported(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE,
             "[style]\n"             /* 13 */
             "font_size = 30\n"      /* 14 */
             "hyphenate = perhaps\n" /* 15 */
             "[box b]\n"             /* 16 */
             "file = nothere.md\n"   /* 17 */
             "colour = red\n");      /* 18 */
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    if (rc_diag_errors(fx->d) != 5) dump(fx->d);
    assert_int_equal(rc_diag_errors(fx->d), 5);
    assert_string_equal(error_text(fx, 0), "t.ini:18:1: error: unknown key 'colour' in [box b]");
    assert_string_equal(error_text(fx, 1),
                        "t.ini:14:13: error: 'font_size' must be between 8 and 14 (got 30)");
    assert_true(strstr(error_text(fx, 2), "t.ini:15:13: error: invalid boolean 'perhaps'"));
    assert_string_equal(error_text(fx, 3),
                        "t.ini:16:1: error: missing required key 'title' in [box b]");
    assert_true(strstr(error_text(fx, 4), "t.ini:17:8: error: box file 'nothere.md' does not "
                                          "exist"));
}

static void test_header_problems(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE,
             "[report extra]\n"   /* 13 */
             "[box]\n"            /* 14 */
             "[box 9lives]\n"     /* 15 */
             "[field survey]\n"   /* 16 */
             "[box b] trailing\n" /* 17 */
             "title = B\n"        /* 18 */
             "file = box.md\n"    /* 19 */
             "[figure f\n"        /* 20 */
             "type = nonsense\n"  /* 21 */
             "[]\n");             /* 22 */
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    if (rc_diag_errors(fx->d) != 7) dump(fx->d);
    assert_int_equal(rc_diag_errors(fx->d), 7);
    assert_string_equal(error_text(fx, 0), "t.ini:13:9: error: section [report] takes no name");
    assert_string_equal(error_text(fx, 1),
                        "t.ini:14:1: error: section [box] needs a name: [box NAME]");
    assert_string_equal(error_text(fx, 2),
                        "t.ini:15:6: error: invalid name '9lives' (a name starts with a letter and "
                        "contains only letters, digits, '_' and '-')");
    assert_string_equal(error_text(fx, 3),
                        "t.ini:16:8: error: field section name 'survey' must be SOURCE.NAME (e.g. "
                        "[field survey.survey])");
    assert_string_equal(error_text(fx, 4),
                        "t.ini:17:9: error: unexpected text after the section header");
    assert_string_equal(error_text(fx, 5),
                        "t.ini:20:1: error: missing ']' at the end of the section header");
    assert_string_equal(error_text(fx, 6), "t.ini:22:1: error: empty section header");
    /* The box after the header with trailing text is still read. */
    assert_non_null(rc_config_box(fx->c, "b"));
}

static void test_key_outside_section(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "title = X\n%s", BASE);
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_string_equal(error_text(fx, 0), "t.ini:1:1: error: key 'title' outside any section "
                                           "(start with a header such as [report])");
}

static void test_empty_required_value(void **state)
{
    expect_error(*state, "[box b]\ntitle =\nfile = box.md\n",
                 "t.ini:14:8: error: 'title' must not be empty");
}

static void test_inapplicable_keys_warn(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE,
             "[field survey.cat]\n" /* 13 */
             "type = category\n"    /* 14 */
             "values = a | b\n"     /* 15 */
             "scale = 1..7\n");     /* 16 */
    assert_int_equal(parse(fx, text, strlen(text)), RC_OK);
    assert_int_equal(rc_diag_errors(fx->d), 0);
    assert_int_equal(rc_diag_warnings(fx->d), 1);
    char buf[256];
    rc_diag_format(rc_diag_get(fx->d, 0), buf, sizeof buf);
    assert_string_equal(buf, "t.ini:16:1: warning: 'scale' is ignored (it applies to likert "
                             "fields only)");
}

static void test_likert_checks(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", BASE,
             "[field survey.q1]\n"             /* 13 */
             "type = likert\n"                 /* 14 */
             "values = 1: Low | 6: Too high\n" /* 15 */
             "[field survey.q2]\n"             /* 16 */
             "type = likert\n"                 /* 17 */
             "scale = 0..10\n"                 /* 18 */
             "[aggregate q]\n"                 /* 19 */
             "source = survey\n"               /* 20 */
             "kind = likert\n"                 /* 21 */
             "fields = q1, q2, continent\n");  /* 22 */
    assert_int_equal(parse(fx, text, strlen(text)), RC_ERR_CONFIG);
    if (rc_diag_errors(fx->d) != 3) dump(fx->d);
    assert_int_equal(rc_diag_errors(fx->d), 3);
    assert_string_equal(error_text(fx, 0), "t.ini:15:19: error: code '6' is not on the scale 1..5");
    assert_string_equal(error_text(fx, 1),
                        "t.ini:22:14: error: field 'q2' has the scale 0..10 but 'q1' has 1..5; a "
                        "likert aggregate needs one scale");
    assert_string_equal(error_text(fx, 2), "t.ini:22:18: error: field 'continent' is category; a "
                                           "likert aggregate needs likert fields");
}

static void test_figure_aggregate_mismatch(void **state)
{
    expect_error(*state,
                 "[aggregate a]\nsource = survey\nkind = distribution\n"
                 "field = continent\n"
                 "[figure f]\ntype = stacked\naggregate = a\ncaption = C\n",
                 "t.ini:19:13: error: a stacked figure needs groups, but aggregate 'a' has no "
                 "'by'");
}

static void test_load_missing_and_directory(void **state)
{
    fixture *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/none.ini", fx->dir);
    rc_config *c = NULL;
    assert_int_equal(rc_config_load(fx->a, path, fx->d, &c), RC_ERR_CONFIG);
    assert_true(strstr(error_text(fx, 0), "none.ini: error: cannot read the configuration: No "
                                          "such file or directory"));
    snprintf(path, sizeof path, "%s/adir", fx->dir);
    assert_int_equal(rc_config_load(fx->a, path, fx->d, &c), RC_ERR_CONFIG);
    assert_true(strstr(error_text(fx, 1), "adir: error: cannot read the configuration: is a "
                                          "directory"));
}

static void test_load_file(void **state)
{
    fixture *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/good.ini", fx->dir);
    write_file(fx->dir, "good.ini", BASE);
    rc_config *c = NULL;
    rc_status st = rc_config_load(fx->a, path, fx->d, &c);
    unlink(path);
    if (st != RC_OK) dump(fx->d);
    assert_int_equal(st, RC_OK);
    assert_string_equal(c->dir, fx->dir);
    assert_string_equal(c->output.basename.s, "good");
    assert_string_equal(c->output.pdf.s, "good.pdf");
}

/* The sample report's configuration must load without any diagnostic. */
static void test_sample_config(void **state)
{
    fixture *fx = *state;
    const char *path = "config/iuc-lac-2019.ini";
    if (access(path, R_OK) != 0) {
        printf("%s not present yet; skipped\n", path);
        skip();
    }
    rc_config *c = NULL;
    rc_status st = rc_config_load(fx->a, path, fx->d, &c);
    if (st != RC_OK || rc_diag_count(fx->d)) dump(fx->d);
    assert_int_equal(st, RC_OK);
    assert_int_equal(rc_diag_errors(fx->d), 0);
    assert_non_null(c->report.title.s);
    assert_true(c->nsources >= 1);
    assert_true(c->document.chapters.n >= 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_base_is_valid),
        T(test_full),
        T(test_multiline_and_lists),
        T(test_long_lines),
        T(test_bom_and_crlf),
        T(test_type_names),
        T(test_field_hint),
        T(test_unknown_key),
        T(test_duplicate_key),
        T(test_indented_key_after_header),
        T(test_duplicate_section),
        T(test_bad_bool),
        T(test_hyphenation_exceptions),
        T(test_bad_hyphenation_exception),
        T(test_bad_delimiter),
        T(test_unknown_field_reference),
        T(test_unknown_source_reference),
        T(test_missing_required_key),
        T(test_missing_file),
        T(test_directory_instead_of_file),
        T(test_output_directory_is_a_file),
        T(test_invalid_utf8),
        T(test_bad_colour),
        T(test_unknown_section_kind),
        T(test_field_without_source),
        T(test_source_without_fields),
        T(test_too_many_multi_codes),
        T(test_wrong_field_type),
        T(test_unsupported_language),
        T(test_table_aggregate_and_file),
        T(test_malformed_line),
        T(test_unknown_enum_with_suggestion),
        T(test_unknown_tile_metric),
        T(test_missing_report_section),
        T(test_all_problems_reported),
        T(test_header_problems),
        T(test_key_outside_section),
        T(test_empty_required_value),
        T(test_inapplicable_keys_warn),
        T(test_likert_checks),
        T(test_figure_aggregate_mismatch),
        T(test_load_missing_and_directory),
        T(test_load_file),
        T(test_sample_config),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
