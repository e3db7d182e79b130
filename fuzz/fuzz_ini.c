/* fuzz_ini: rc_config_parse on arbitrary text. Relative paths resolve
 * against a scratch directory holding a valid survey CSV, chapters and the
 * sample's inputs (fuzz_common.h), so the checks that files exist run too.
 * Beyond ASan/UBSan: status and diagnostics agree, every diagnostic has a
 * location, and an accepted config is internally consistent (every field
 * points back at its source, codes present, delimiter and scale valid,
 * lookups by name find what was declared). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    base = fz_setup_scratch();
    return 0;
}

static void check_str(const rc_str *s)
{
    if (s->s && !s->loc.file) abort();
}

static void check_config(const rc_config *c)
{
    if (!c->path || !c->dir) abort();
    check_str(&c->report.title);
    if (c->style.npalette > 16) abort();
    if (!(c->style.font_size > 0) || !isfinite(c->style.font_size)) abort();
    for (size_t i = 0; i < c->nsources; i++) {
        const rc_source_cfg *s = &c->sources[i];
        if (!s->name.s || rc_config_source(c, s->name.s) != s) abort();
        if (s->delimiter != ',' && s->delimiter != ';' && s->delimiter != '\t') abort();
        if (!s->path) abort();
        for (size_t j = 0; j < s->nfields; j++) {
            const rc_field_cfg *f = &s->fields[j];
            if (f->source != s || f->index != j) abort();
            if (!f->name.s || !f->column.s) abort();
            if (rc_config_field(s, f->name.s) != f) abort();
            if (f->ncodes && !f->codes) abort();
            if (f->type == RC_FIELD_MULTI && f->ncodes > 64) abort();
            if (f->type == RC_FIELD_LIKERT && f->scale_min > f->scale_max) abort();
            for (size_t k = 0; k < f->ncodes; k++)
                if (!f->codes[k].code || !f->codes[k].label) abort();
            check_str(&f->label);
        }
    }
    for (size_t i = 0; i < c->nmetrics; i++)
        if (rc_config_metric(c, c->metrics[i].name.s) != &c->metrics[i]) abort();
    for (size_t i = 0; i < c->naggregates; i++)
        if (rc_config_aggregate(c, c->aggregates[i].name.s) != &c->aggregates[i]) abort();
    for (size_t i = 0; i < c->nfigures; i++) {
        const rc_figure_cfg *f = &c->figures[i];
        if (rc_config_figure(c, f->name.s) != f) abort();
        if ((unsigned)f->type >= RC_CHART_TYPE_COUNT) abort();
        if (!isfinite(f->height_mm) || !isfinite(f->width)) abort();
    }
    for (size_t i = 0; i < c->ntables; i++)
        if (rc_config_table(c, c->tables[i].name.s) != &c->tables[i]) abort();
    for (size_t i = 0; i < c->nboxes; i++)
        if (rc_config_box(c, c->boxes[i].name.s) != &c->boxes[i]) abort();
    const rc_document_cfg *dc = &c->document;
    for (size_t i = 0; i < dc->chapters.n; i++)
        if (!dc->chapter_path || !dc->chapter_path[i]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size heap copy (not NUL-terminated): over-reads are caught. */
    char *text = malloc(size ? size : 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_config *c = NULL;
    rc_status st = rc_config_parse(a, "fuzz.ini", base, text, size, d, &c);
    if (!c) abort();
    if (st == RC_OK) {
        if (rc_diag_errors(d)) abort();
        check_config(c);
    } else {
        if (st != RC_ERR_CONFIG || rc_diag_errors(d) == 0) abort();
    }
    fz_check_diags(d);
    rc_diag_free(d);
    rc_arena_free(a);
    free(text);
    return 0;
}
