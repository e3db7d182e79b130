/* build_cache: what a watching process keeps between builds (rc_build_cache,
 * build_int.h) and the typesetting resources (fonts, hyphenation) every
 * build needs, checked once per build and, in a watcher, loaded once per
 * edition while their files are unchanged. */
#include "build_int.h"

#include <stdlib.h>
#include <string.h>

#include "rc/font.h"
#include "rc/font_check.h"
#include "rc/hyph_check.h"
#include "rc/layout.h"
#include "rc/linebreak.h"
#include "rc/pdf.h"

void rc_file_set_clear(rc_file_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->path[i]);
    free(s->path);
    free(s->sig);
    memset(s, 0, sizeof *s);
}

bool rc_file_set_add(rc_file_set *s, const char *path)
{
    for (size_t i = 0; i < s->n; i++) /* the INI file is an input of every edition */
        if (strcmp(s->path[i], path) == 0) return true;
    char **np = realloc(s->path, (s->n + 1) * sizeof *np);
    if (np) s->path = np;
    rc_file_sig *ns = np ? realloc(s->sig, (s->n + 1) * sizeof *ns) : NULL;
    if (ns) s->sig = ns;
    char *p = ns ? strdup(path) : NULL;
    if (!p) return false;
    s->path[s->n] = p;
    s->sig[s->n++] = rc_file_sig_of(path);
    return true;
}

bool rc_file_set_unchanged(const rc_file_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!rc_file_sig_eq(s->sig[i], rc_file_sig_of(s->path[i]))) return false;
    return true;
}

bool rc_build_cache_reported(const rc_build_cache *c, const char *path)
{
    for (size_t i = 0; i < c->nchanged; i++)
        if (strcmp(c->changed[i], path) == 0) return true;
    return false;
}

void rc_build_cache_report(rc_build_cache *c, const char *path)
{
    if (rc_build_cache_reported(c, path)) return;
    char **nv = realloc(c->changed, (c->nchanged + 1) * sizeof *nv);
    char *p = nv ? strdup(path) : NULL;
    if (nv) c->changed = nv;
    if (p) c->changed[c->nchanged++] = p;
}

void rc_build_cache_reported_clear(rc_build_cache *c)
{
    for (size_t i = 0; i < c->nchanged; i++)
        free(c->changed[i]);
    c->nchanged = 0;
}

bool rc_build_cache_unchanged(const rc_build_cache *c, const rc_file_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (rc_build_cache_reported(c, s->path[i])) return false;
    return rc_file_set_unchanged(s);
}

void rc_edition_cache_free(rc_edition_cache *e)
{
    rc_arena_free(e->font_arena);
    for (int i = 0; i < RC_FONT_COUNT; i++)
        free(e->font_path[i]);
    rc_hyph_free(e->hyph);
    free(e->hyph_path);
    free(e->lang);
    rc_file_set_clear(&e->inputs);
    rc_file_set_clear(&e->outputs);
    rc_diag_free(e->diag);
    rc_pdf_cache_free(e->pdf);
    rc_para_memo_free(e->para);
    memset(e, 0, sizeof *e);
}

void rc_build_cache_free(rc_build_cache *c)
{
    for (size_t e = 0; e < c->ned; e++)
        rc_edition_cache_free(&c->ed[e]);
    free(c->ed);
    rc_arena_free(c->data_arena);
    rc_diag_free(c->data_diag);
    rc_file_set_clear(&c->cfg_files);
    free(c->csv_sig);
    for (size_t i = 0; i < c->ninputs; i++)
        free(c->inputs[i]);
    free(c->inputs);
    rc_build_cache_reported_clear(c);
    free(c->changed);
    memset(c, 0, sizeof *c);
}

/* Every font file and the dictionary are checked as files first
 * (font_check.c, hyph_check.c): a damaged one is an error naming it,
 * before any face is loaded or libhyphen reads it. */
bool rc_build_check_fonts(rc_arena *a, const rc_config *cfg, rc_diag *d)
{
    const rc_style_cfg *style = &cfg->style;
    bool ok = true;
    for (size_t i = 0; i < RC_FONT_COUNT; i++)
        if (style->font_path[i] && !rc_font_check(a, style->font_path[i], style->font_loc[i], d))
            ok = false;
    return ok;
}

bool rc_build_check_dictionary(rc_arena *a, const rc_config *cfg, rc_diag *d)
{
    const rc_style_cfg *style = &cfg->style;
    if (!style->hyphenate || !style->hyphenation) return true;
    return rc_hyph_check(a, style->hyphenation, style->hyphenation_loc, d);
}

static bool same_fonts(const rc_edition_cache *c, const rc_config *cfg)
{
    const rc_style_cfg *style = &cfg->style;
    bool same = c->have_fonts;
    for (int i = 0; i < RC_FONT_COUNT && same; i++)
        same = c->font_path[i] && style->font_path[i] &&
               strcmp(c->font_path[i], style->font_path[i]) == 0 &&
               rc_file_sig_eq(c->font_sig[i], rc_file_sig_of(style->font_path[i]));
    return same;
}

rc_status rc_build_resources(rc_arena *a, const rc_config *cfg, rc_edition_cache *c, bool checked,
                             rc_diag *d, rc_fonts *fonts, rc_hyph **hyph)
{
    const rc_style_cfg *style = &cfg->style;
    const char *hp = style->hyphenate ? style->hyphenation : NULL;
    if (!c) {
        rc_status st =
            checked || (rc_build_check_fonts(a, cfg, d) && rc_build_check_dictionary(a, cfg, d))
                ? RC_OK
                : RC_ERR_CONFIG;
        if (st == RC_OK) st = rc_fonts_load(a, style->font_path, style->font_loc, d, fonts);
        if (st == RC_OK && hp) {
            *hyph = rc_hyph_load(hp, style->hyphenation_loc, d);
            if (!*hyph) st = RC_ERR_CONFIG;
        }
        return st;
    }
    c->reused_fonts = same_fonts(c, cfg);
    if (!c->reused_fonts) {
        rc_arena_free(c->font_arena);
        rc_para_memo_clear(c->para); /* it names the objects just freed */
        c->font_arena = rc_arena_new();
        c->have_fonts = false;
        rc_status st = checked || rc_build_check_fonts(a, cfg, d) ? RC_OK : RC_ERR_CONFIG;
        if (st == RC_OK)
            st = rc_fonts_load(c->font_arena, style->font_path, style->font_loc, d, &c->fonts);
        if (st != RC_OK) return st;
        for (int i = 0; i < RC_FONT_COUNT; i++) {
            free(c->font_path[i]);
            c->font_path[i] = style->font_path[i] ? strdup(style->font_path[i]) : NULL;
            /* The key is the file the font was mapped from (fstat of the
             * descriptor it mapped, rc_font_load), not a stat of the path
             * again: a save after it changes the inode or the times and is
             * seen by the next build. A font read rather than mapped (not
             * a regular file) has none: its key (size -1) matches no file,
             * present or gone, so the next build loads it again. */
            rc_file_sig s = c->fonts.f[i] ? rc_font_sig(c->fonts.f[i]) : (rc_file_sig){0};
            c->font_sig[i] = s.exists ? s : (rc_file_sig){.exists = true, .size = -1};
        }
        c->have_fonts = true;
    }
    *fonts = c->fonts;
    if (!hp) return RC_OK;
    if (!(c->hyph && c->hyph_path && strcmp(c->hyph_path, hp) == 0 &&
          rc_file_sig_eq(c->hyph_sig, rc_file_sig_of(hp)))) {
        rc_hyph_free(c->hyph);
        rc_para_memo_clear(c->para); /* it names the objects just freed */
        c->hyph = NULL;
        free(c->hyph_path);
        c->hyph_path = NULL;
        c->hyph_sig = rc_file_sig_of(hp);
        if (!checked && !rc_build_check_dictionary(a, cfg, d)) return RC_ERR_CONFIG;
        c->hyph = rc_hyph_load(hp, style->hyphenation_loc, d);
        if (!c->hyph) return RC_ERR_CONFIG;
        c->hyph_path = strdup(hp);
        c->reused_fonts = false;
    }
    *hyph = c->hyph;
    return RC_OK;
}

rc_build_probe rc_build_test_probe;

/* Not the bold italic face: the rarest in a report (the sample never sets
 * it), and a shaper made for nothing would be CPU taken from the other
 * core (~0.75 M instructions); when a text uses it, it is made then, as
 * before. The others are used by every report with a cover or a chart. */
void rc_build_warm_fonts(const rc_fonts *fonts)
{
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        if (!fonts->f[i] || i == RC_FONT_BOLD_ITALIC) continue;
        (void)rc_font_advance(fonts->f[i], 'e');            /* the ASCII page */
        (void)rc_font_text_width(fonts->f[i], "", 0, 10.0); /* the shaper */
    }
}
