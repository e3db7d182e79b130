/* config_sections: the raw keys of each section -> the typed rc_*_cfg
 * structs, with their defaults. Reading single values is config_values.c;
 * checks that need other sections are config_check.c. */
#include "config_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/datadir.h"
#include "rc/locale.h"
#include "rc/util.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))
#define MAX_MULTI_CODES 64

/* ---- singleton sections ---- */

/* "en, es, pt": the supported languages, for messages. */
static const char *supported(rc_cfgi *p)
{
    size_t n = 0;
    const rc_locale *const *all = rc_locale_all(&n);
    const char *out = "";
    for (size_t i = 0; i < n; i++)
        out = rc_arena_printf(p->a, "%s%s%s", out, i ? ", " : "", all[i]->lang);
    return out;
}

static void report(rc_cfgi *p, const rc_cfgi_sec *s)
{
    rc_report_cfg *r = &p->c->report;
    r->loc = s ? s->loc : rc_cfgi_file_loc(p);
    if (!s)
        rc_diag_error(p->d, rc_cfgi_file_loc(p),
                      "missing [report] section (it needs at least title and "
                      "year)");
    r->title = rc_cfgi_req(p, s, "title");
    r->subtitle = rc_cfgi_str(p, s, "subtitle");
    r->series = rc_cfgi_str(p, s, "series");
    r->authors = rc_cfgi_split(p, s, "authors", '|');
    r->year = rc_cfgi_req(p, s, "year");
    if (r->year.s && r->year.s[0]) {
        const char *y = r->year.s;
        bool ok = strlen(y) == 4;
        for (int i = 0; ok && i < 4; i++)
            ok = isdigit((unsigned char)y[i]) != 0;
        if (!ok)
            rc_diag_error(p->d, r->year.loc, "invalid year '%s' (expected 4 digits, e.g. 2019)", y);
    }
    r->language = rc_cfgi_def(p, s, "language", "en");
    if (!rc_locale_get(r->language.s))
        rc_diag_error(p->d, r->language.loc, "unsupported language '%s' (supported: %s)",
                      r->language.s, supported(p));
    r->languages = rc_cfgi_split(p, s, "languages", ',');
    bool has_base = r->languages.n == 0;
    for (size_t i = 0; i < r->languages.n; i++) {
        const rc_str *l = &r->languages.v[i];
        if (!rc_locale_get(l->s))
            rc_diag_error(p->d, l->loc, "unsupported language '%s' (supported: %s)", l->s,
                          supported(p));
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->languages.v[j].s, l->s) == 0)
                rc_diag_error(p->d, l->loc, "language '%s' is listed twice", l->s);
        has_base |= strcmp(l->s, r->language.s) == 0;
    }
    if (!has_base)
        rc_diag_error(p->d, rc_cfgi_str(p, s, "languages").loc,
                      "'languages' must include the base language '%s' (the language of this "
                      "file's texts, key 'language')",
                      r->language.s);
    r->strict = rc_cfgi_bool(p, s, "strict", false);
    r->date = rc_cfgi_str(p, s, "date");
    if (r->date.s) {
        /* "2019-06" is written in the edition's words: "junio de 2019" */
        char buf[128];
        rc_format_iso_date(rc_locale_get(r->language.s), r->date.s, buf, sizeof buf);
        r->date.s = rc_arena_strdup(p->a, buf);
    }
    r->eur = rc_cfgi_str(p, s, "eur");
    r->isbn = rc_cfgi_str(p, s, "isbn");
    r->issn = rc_cfgi_str(p, s, "issn");
    r->doi = rc_cfgi_str(p, s, "doi");
    r->catalogue = rc_cfgi_str(p, s, "catalogue");
    r->publisher = rc_cfgi_str(p, s, "publisher");
    r->place = rc_cfgi_str(p, s, "place");
    r->contact_name = rc_cfgi_str(p, s, "contact_name");
    r->contact_address = rc_cfgi_str(p, s, "contact_address");
    r->contact_email = rc_cfgi_str(p, s, "contact_email");
    r->contact_phone = rc_cfgi_str(p, s, "contact_phone");
    r->website = rc_cfgi_str(p, s, "website");
    r->keywords = rc_cfgi_split(p, s, "keywords", '|');
    r->copyright = rc_cfgi_str(p, s, "copyright");
    r->disclaimer = rc_cfgi_str(p, s, "disclaimer");
    r->cover_note = rc_cfgi_str(p, s, "cover_note");
    r->sample_identifiers = rc_cfgi_bool(p, s, "sample_identifiers", false);
}

static rc_str out_name(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *dflt)
{
    rc_str v = rc_cfgi_def(p, s, key, dflt);
    if (!v.s[0])
        rc_diag_error(p->d, v.loc, "'%s' must not be empty", key);
    else if (strchr(v.s, '/'))
        rc_diag_error(p->d, v.loc,
                      "'%s' must be a file name without '/' (it is written inside "
                      "the output directory)",
                      key);
    return v;
}

/* A name given in [output] with the edition's suffix before its extension. */
static rc_str edition_name(rc_cfgi *p, rc_str v, const rc_cfgi_sec *s, const char *key,
                           const char *sfx)
{
    if (!*sfx || !rc_cfgi_get(s, key) || !v.s) return v;
    const char *dot = strrchr(v.s, '.');
    size_t n = dot && dot != v.s ? (size_t)(dot - v.s) : strlen(v.s);
    v.s = rc_arena_printf(p->a, "%.*s%s%s", (int)n, v.s, sfx, v.s + n);
    return v;
}

static void output(rc_cfgi *p, const rc_cfgi_sec *s)
{
    rc_output_cfg *o = &p->c->output;
    o->loc = s ? s->loc : rc_cfgi_file_loc(p);
    o->directory = rc_cfgi_def(p, s, "directory", "out");
    if (!o->directory.s[0]) {
        rc_diag_error(p->d, o->directory.loc, "'directory' must not be empty");
        o->directory.s = "out";
    }
    o->dir = rc_path_join(p->a, p->c->dir, o->directory.s);
    const char *base = rc_path_base(p->c->path);
    size_t bl = strlen(base);
    if (bl > 4 && strcmp(base + bl - 4, ".ini") == 0) bl -= 4;
    char *dflt = rc_arena_strndup(p->a, base, bl);
    o->basename = out_name(p, s, "basename", dflt);
    /* With several editions every output name carries its language:
     * iuc-lac-2019-es.pdf, iuc-lac-2019-es-data.xlsx; a name given in
     * [output] gets it before its extension (report.pdf -> report-es.pdf). */
    const rc_report_cfg *r = &p->c->report;
    const char *sfx =
        r->languages.n && r->language.s ? rc_arena_printf(p->a, "-%s", r->language.s) : "";
    const char *bn = rc_arena_printf(p->a, "%s%s", o->basename.s, sfx);
    o->pdf =
        edition_name(p, out_name(p, s, "pdf", rc_arena_printf(p->a, "%s.pdf", bn)), s, "pdf", sfx);
    o->tex =
        edition_name(p, out_name(p, s, "tex", rc_arena_printf(p->a, "%s.tex", bn)), s, "tex", sfx);
    o->data_xlsx =
        edition_name(p, out_name(p, s, "data_xlsx", rc_arena_printf(p->a, "%s-data.xlsx", bn)), s,
                     "data_xlsx", sfx);
    o->figures_xlsx = edition_name(
        p, out_name(p, s, "figures_xlsx", rc_arena_printf(p->a, "%s-figures.xlsx", bn)), s,
        "figures_xlsx", sfx);
    /* Figures as separate files for slides and the web (src/svg). */
    if (rc_cfgi_get(s, "figures")) {
        static const char *const figs[] = {"none", "svg"};
        o->figures = rc_cfgi_str(p, s, "figures");
        o->want_svg = rc_cfgi_enum(p, o->figures, figs, N(figs), "figure format", 0) == 1;
    }
    if (!rc_cfgi_get(s, "formats")) {
        o->want_pdf = o->want_tex = o->want_xlsx = true;
        return;
    }
    static const char *const fmts[] = {"pdf", "tex", "xlsx"};
    rc_strlist l = rc_cfgi_split(p, s, "formats", ',');
    for (size_t i = 0; i < l.n; i++) {
        int f = rc_cfgi_enum(p, l.v[i], fmts, N(fmts), "output format", -1);
        o->want_pdf |= f == 0;
        o->want_tex |= f == 1;
        o->want_xlsx |= f == 2;
    }
    if (l.n == 0)
        rc_diag_error(p->d, rc_cfgi_str(p, s, "formats").loc,
                      "'formats' lists no format (use pdf, tex, "
                      "xlsx)");
}

#ifndef RC_HYPHEN_DIR
#define RC_HYPHEN_DIR "/usr/share/hyphen"
#endif

/* The language's dictionary: the first of its locale's file names present
 * in RC_HYPHEN_DIR (Debian's hyphen-es ships hyph_es_ES.dic, hyphen-pt-pt
 * hyph_pt_PT.dic). None present is an error naming the Debian package. The
 * environment variable RC_HYPHEN_DIR overrides the directory (packagers,
 * and the test of that error). */
static void find_dictionary(rc_cfgi *p, rc_style_cfg *st)
{
    const rc_report_cfg *r = &p->c->report;
    const rc_locale *l = rc_locale_get(r->language.s);
    if (!l) return; /* reported with the language */
    const char *dir = getenv("RC_HYPHEN_DIR");
    if (!dir || !*dir) dir = RC_HYPHEN_DIR;
    const char *tried = "";
    for (size_t i = 0; l->hyph_dicts[i]; i++) {
        const char *path = rc_path_join(p->a, dir, l->hyph_dicts[i]);
        if (access(path, R_OK) == 0) {
            st->hyphenation = path;
            return;
        }
        tried = rc_arena_printf(p->a, "%s%s%s", tried, i ? ", " : "", l->hyph_dicts[i]);
    }
    st->hyphenation = NULL;
    rc_diag_error(p->d, r->language.s ? r->language.loc : st->loc,
                  "no hyphenation dictionary for %s ('%s'): none of %s is in %s; install the "
                  "Debian package %s, or set 'hyphenation' (a .dic file) or 'hyphenate = no' "
                  "in [style]",
                  l->name, l->lang, tried, dir, l->hyph_package);
}

/* [style] hyphenation_exceptions: words separated by white space, each
 * letters with single hyphens at its break points ("be-yond"). */
static void hyph_exceptions(rc_cfgi *p, const rc_cfgi_sec *s, rc_strlist *out)
{
    const rc_cfgi_key *k = rc_cfgi_get(s, "hyphenation_exceptions");
    if (!k) return;
    size_t n = k->len, cap = 0;
    for (size_t j = 0; j < n; j++)
        cap += !isspace((unsigned char)k->value[j]) &&
               (j == 0 || isspace((unsigned char)k->value[j - 1]));
    out->v = rc_arena_array(p->a, cap ? cap : 1, sizeof *out->v);
    for (size_t i = 0; i < n;) {
        if (isspace((unsigned char)k->value[i])) {
            i++;
            continue;
        }
        size_t b = i;
        bool ok = k->value[i] != '-';
        while (i < n && !isspace((unsigned char)k->value[i])) {
            unsigned char c = (unsigned char)k->value[i];
            /* ASCII letters, hyphens, and any non-ASCII (letters of other scripts) */
            if (!(isalpha(c) || c >= 0x80 || (c == '-' && k->value[i + 1] != '-'))) ok = false;
            i++;
        }
        if (k->value[i - 1] == '-') ok = false;
        rc_loc loc = rc_cfgi_loc_at(p, k, b);
        if (!ok) {
            rc_diag_error(p->d, loc,
                          "hyphenation exception '%.*s' is not a word with single hyphens at its "
                          "break points (e.g. be-yond)",
                          (int)(i - b), k->value + b);
            continue;
        }
        out->v[out->n++] = (rc_str){.s = rc_arena_strndup(p->a, k->value + b, i - b), .loc = loc};
    }
}

static void style(rc_cfgi *p, const rc_cfgi_sec *s)
{
    static const char *const dflt_palette[] = {"#004494", "#FFD617", "#7FA1C9",
                                               "#BFD0E4", "#FFE879", "#404040"};
    static const char *const font_keys[5] = {"font_regular", "font_italic", "font_bold",
                                             "font_bold_italic", "font_light"};
    static const char *const font_dflt[5] = {"Lato-Regular.ttf", "Lato-Italic.ttf", "Lato-Bold.ttf",
                                             "Lato-BoldItalic.ttf", "Lato-Light.ttf"};
    rc_style_cfg *st = &p->c->style;
    st->loc = s ? s->loc : rc_cfgi_file_loc(p);
    rc_strlist pal = rc_cfgi_split(p, s, "palette", ',');
    if (rc_cfgi_get(s, "palette")) {
        if (pal.n == 0 || pal.n > 16)
            rc_diag_error(p->d, rc_cfgi_str(p, s, "palette").loc,
                          "'palette' needs 1 to 16 colours (got %zu)", pal.n);
        for (size_t i = 0; i < pal.n && st->npalette < 16; i++) {
            if (rc_cfgi_colour(pal.v[i].s, &st->palette[st->npalette]))
                st->npalette++;
            else
                rc_diag_error(p->d, pal.v[i].loc, "invalid colour '%s'; expected #RRGGBB",
                              pal.v[i].s);
        }
    }
    if (st->npalette == 0) {
        for (size_t i = 0; i < N(dflt_palette); i++)
            rc_cfgi_colour(dflt_palette[i], &st->palette[i]);
        st->npalette = N(dflt_palette);
    }
    rc_str fd = rc_cfgi_str(p, s, "font_dir");
    /* Default: the fonts shipped with reportc, in its data directory. */
    const char *font_dir = fd.s && fd.s[0] ? rc_path_join(p->a, p->c->dir, fd.s)
                                           : rc_path_join(p->a, rc_datadir(p->a), "fonts");
    for (int i = 0; i < 5; i++) {
        rc_str f = rc_cfgi_def(p, s, font_keys[i], font_dflt[i]);
        st->font_loc[i] = f.loc;
        if (!f.s[0]) {
            rc_diag_error(p->d, f.loc, "'%s' must not be empty", font_keys[i]);
            continue;
        }
        /* A bare file name is looked up in font_dir; a path is relative to the INI file. */
        st->font_path[i] = strchr(f.s, '/') ? rc_path_join(p->a, p->c->dir, f.s)
                                            : rc_path_join(p->a, font_dir, f.s);
    }
    st->font_size = rc_cfgi_number(p, s, "font_size", 8, 14, 10);
    st->hyphenate = rc_cfgi_bool(p, s, "hyphenate", true);
    hyph_exceptions(p, s, &st->hyphenation_exceptions);
    rc_str h = rc_cfgi_str(p, s, "hyphenation");
    st->hyphenation_loc = h.loc;
    if (!st->hyphenate) {
        st->hyphenation = NULL;
    } else if (h.s && h.s[0]) {
        st->hyphenation = rc_path_join(p->a, rc_cfgi_dir(p, s, "hyphenation"), h.s);
    } else {
        find_dictionary(p, st);
    }
}

static const char **resolve_all(rc_cfgi *p, rc_strlist l, const char *dir)
{
    const char **v = rc_arena_array(p->a, l.n + 1, sizeof *v);
    for (size_t i = 0; i < l.n; i++)
        v[i] = rc_path_join(p->a, dir, l.v[i].s);
    return v;
}

static void document(rc_cfgi *p, const rc_cfgi_sec *s)
{
    static const char *const lists[] = {"figures", "tables", "boxes"};
    rc_document_cfg *d = &p->c->document;
    d->loc = s ? s->loc : rc_cfgi_file_loc(p);
    if (!s)
        rc_diag_error(p->d, rc_cfgi_file_loc(p),
                      "missing [document] section (it lists the chapters)");
    d->cover = rc_cfgi_bool(p, s, "cover", true);
    d->imprint = rc_cfgi_bool(p, s, "imprint", true);
    d->contents = rc_cfgi_bool(p, s, "contents", true);
    d->back_cover = rc_cfgi_bool(p, s, "back_cover", true);
    d->front = rc_cfgi_split(p, s, "front", ',');
    d->chapters = rc_cfgi_split(p, s, "chapters", ',');
    d->back = rc_cfgi_split(p, s, "back", ',');
    d->annexes = rc_cfgi_split(p, s, "annexes", ',');
    d->front_path = resolve_all(p, d->front, rc_cfgi_dir(p, s, "front"));
    d->chapter_path = resolve_all(p, d->chapters, rc_cfgi_dir(p, s, "chapters"));
    d->back_path = resolve_all(p, d->back, rc_cfgi_dir(p, s, "back"));
    d->annex_path = resolve_all(p, d->annexes, rc_cfgi_dir(p, s, "annexes"));
    if (s && !rc_cfgi_get(s, "chapters"))
        rc_diag_error(p->d, s->loc, "missing required key 'chapters' in [document]");
    else if (s && d->chapters.n == 0)
        rc_diag_error(p->d, rc_cfgi_str(p, s, "chapters").loc,
                      "'chapters' must list at least one "
                      "Markdown file");
    d->lists = rc_cfgi_split(p, s, "lists", ',');
    for (size_t i = 0; i < d->lists.n; i++) {
        if (rc_cfgi_enum(p, d->lists.v[i], lists, N(lists), "list", -1) < 0) continue;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->lists.v[i].s, d->lists.v[j].s) == 0)
                rc_diag_error(p->d, d->lists.v[i].loc, "'%s' is listed twice in 'lists'",
                              d->lists.v[i].s);
    }
}

/* ---- named sections ---- */

static void source(rc_cfgi *p, const rc_cfgi_sec *s, rc_source_cfg *src)
{
    src->name = rc_cfgi_named(s);
    src->loc = s->loc;
    src->file = rc_cfgi_req(p, s, "file");
    src->path = src->file.s && src->file.s[0] ? rc_path_join(p->a, p->c->dir, src->file.s) : NULL;
    rc_str dl = rc_cfgi_str(p, s, "delimiter");
    src->delimiter = ',';
    src->delimiter_loc = dl.loc;
    if (dl.s) {
        if (strcmp(dl.s, ",") == 0 || strcmp(dl.s, ";") == 0)
            src->delimiter = dl.s[0];
        else if (strcmp(dl.s, "tab") == 0)
            src->delimiter = '\t';
        else
            rc_diag_error(p->d, dl.loc, "invalid delimiter '%s'; use ',', ';' or 'tab'", dl.s);
    }
    rc_str h = rc_cfgi_str(p, s, "header");
    long hr = 1;
    if (h.s && (!rc_cfgi_parse_long(h.s, &hr) || hr < 1 || hr > 1000000)) {
        rc_diag_error(p->d, h.loc, "invalid header row '%s' (expected a row number from 1)", h.s);
        hr = 1;
    }
    src->header_row = (unsigned)hr;
    src->key = rc_cfgi_str(p, s, "key");
    src->missing = rc_cfgi_split(p, s, "missing", '|');
}

static bool parse_scale(rc_cfgi *p, rc_str v, int *lo, int *hi)
{
    const char *dots = v.s ? strstr(v.s, "..") : NULL;
    long a, b;
    bool ok = dots != NULL;
    if (ok) {
        char *left = rc_arena_strndup(p->a, v.s, (size_t)(dots - v.s));
        ok = rc_cfgi_parse_long(left, &a) && rc_cfgi_parse_long(dots + 2, &b) && a < b &&
             a >= -1000 && b <= 1000 && b - a <= 100;
    }
    if (!ok) {
        rc_diag_error(p->d, v.loc, "invalid scale '%s' (expected MIN..MAX, e.g. 1..5)", v.s);
        return false;
    }
    *lo = (int)a;
    *hi = (int)b;
    return true;
}

/* values = CODE: Label | CODE: Label ... */
static void field_values(rc_cfgi *p, const rc_cfgi_sec *s, rc_field_cfg *f)
{
    rc_strlist l = rc_cfgi_split(p, s, "values", '|');
    rc_code *codes = rc_arena_array(p->a, l.n + 1, sizeof *codes);
    size_t n = 0;
    for (size_t i = 0; i < l.n; i++) {
        const char *it = l.v[i].s, *colon = strchr(it, ':');
        size_t cl = colon ? (size_t)(colon - it) : strlen(it);
        while (cl > 0 && isspace((unsigned char)it[cl - 1]))
            cl--;
        const char *lab = colon ? colon + 1 : NULL;
        while (lab && isspace((unsigned char)*lab))
            lab++;
        if (cl == 0) {
            rc_diag_error(p->d, l.v[i].loc, "missing code before ':' in 'values'");
            continue;
        }
        rc_code c = {rc_arena_strndup(p->a, it, cl), lab && *lab ? lab : NULL, l.v[i].loc};
        if (!c.label) c.label = c.code;
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            if (strcmp(codes[j].code, c.code) == 0) {
                rc_diag_error(p->d, c.loc, "duplicate code '%s' in 'values' (first at column %u)",
                              c.code, codes[j].loc.col);
                dup = true;
            }
        if (!dup) codes[n++] = c;
    }
    f->codes = codes;
    f->ncodes = n;
}

static void likert_codes(rc_cfgi *p, rc_field_cfg *f)
{
    size_t n = (size_t)(f->scale_max - f->scale_min + 1);
    rc_code *codes = rc_arena_array(p->a, n, sizeof *codes);
    for (size_t i = 0; i < n; i++) {
        codes[i].code = rc_arena_printf(p->a, "%d", f->scale_min + (int)i);
        codes[i].label = codes[i].code;
        codes[i].loc = f->type_loc;
    }
    for (size_t j = 0; j < f->ncodes; j++) {
        long v;
        if (!rc_cfgi_parse_long(f->codes[j].code, &v) || v < f->scale_min || v > f->scale_max) {
            rc_diag_error(p->d, f->codes[j].loc, "code '%s' is not on the scale %d..%d",
                          f->codes[j].code, f->scale_min, f->scale_max);
            continue;
        }
        /* The label as declared; the code in canonical form ("01" -> "1"). */
        codes[v - f->scale_min].label = f->codes[j].label;
        codes[v - f->scale_min].loc = f->codes[j].loc;
    }
    f->codes = codes;
    f->ncodes = n;
}

/* The required key that says what a section is (a field's type, an
 * aggregate's kind, a figure's type): its index in names, or -1 when it is
 * absent, empty or unknown (reported). Then the section is marked bad, so
 * checks that depend on what it is stay quiet: one typo, one error. */
static int kind_key(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *const *names,
                    size_t n, const char *what, rc_loc *loc)
{
    rc_str v = rc_cfgi_req(p, s, key);
    *loc = v.loc;
    int i = v.s && v.s[0] ? rc_cfgi_enum(p, v, names, n, what, -1) : -1;
    if (i < 0) rc_cfgi_mark_bad(p, s->loc);
    return i;
}

static void field(rc_cfgi *p, const rc_cfgi_sec *s, rc_field_cfg *f)
{
    const char *dot = strchr(s->name, '.');
    f->name =
        (rc_str){.s = dot + 1, .loc = rc_loc_offset(s->name_loc, (size_t)(dot + 1 - s->name))};
    f->loc = s->loc;
    f->column = rc_cfgi_def(p, s, "column", f->name.s);
    f->label = rc_cfgi_def(p, s, "label", f->column.s);
    int ti = kind_key(p, s, "type", rc_cfgi_field_types, N(rc_cfgi_field_types), "field type",
                      &f->type_loc);
    f->type = ti < 0 ? RC_FIELD_TEXT : (rc_field_type)ti;
    f->scale_min = 1;
    f->scale_max = 5;
    f->separator = rc_cfgi_def(p, s, "separator", ";");
    if (!f->separator.s[0]) rc_diag_error(p->d, f->separator.loc, "'separator' must not be empty");
    field_values(p, s, f);
    f->missing = rc_cfgi_split(p, s, "missing", '|');
    if (ti < 0) return;
    rc_str sc = rc_cfgi_str(p, s, "scale");
    if (f->type == RC_FIELD_LIKERT) {
        if (sc.s) parse_scale(p, sc, &f->scale_min, &f->scale_max);
        likert_codes(p, f);
    } else {
        rc_cfgi_ignored(p, s, "scale", "(it applies to likert fields only)");
    }
    if (f->type != RC_FIELD_MULTI)
        rc_cfgi_ignored(p, s, "separator", "(it applies to multi fields only)");
    if (f->type == RC_FIELD_CATEGORY || f->type == RC_FIELD_MULTI) {
        if (!rc_cfgi_get(s, "values"))
            rc_diag_error(p->d, s->loc,
                          "missing required key 'values' in %s (a %s field lists "
                          "its codes)",
                          s->title, rc_cfgi_field_types[ti]);
    } else if (f->type != RC_FIELD_LIKERT) {
        rc_cfgi_ignored(p, s, "values", "(it applies to category, multi and likert fields only)");
        f->codes = NULL;
        f->ncodes = 0;
    }
    if (f->type == RC_FIELD_MULTI) {
        if (f->ncodes > MAX_MULTI_CODES)
            rc_diag_error(p->d, rc_cfgi_str(p, s, "values").loc,
                          "a multi field has at most %d codes ('%s' has %zu)", MAX_MULTI_CODES,
                          f->name.s, f->ncodes);
        for (size_t i = 0; f->separator.s[0] && i < f->ncodes; i++)
            if (strstr(f->codes[i].code, f->separator.s))
                rc_diag_error(p->d, f->codes[i].loc, "code '%s' contains the separator '%s'",
                              f->codes[i].code, f->separator.s);
    }
}

static const char *const metric_ops[] = {"count", "sum", "mean", "share", "distinct", "min", "max"};

static void metric(rc_cfgi *p, const rc_cfgi_sec *s, rc_metric_cfg *m)
{
    m->name = rc_cfgi_named(s);
    m->loc = s->loc;
    m->source = rc_cfgi_req(p, s, "source");
    rc_str op = rc_cfgi_str(p, s, "op");
    m->op_loc = op.loc;
    int oi = rc_cfgi_enum(p, op, metric_ops, N(metric_ops), "metric op", RC_METRIC_COUNT);
    m->op = oi < 0 ? RC_METRIC_COUNT : (rc_metric_op)oi;
    m->field = rc_cfgi_str(p, s, "field");
    if (oi > 0 && m->op != RC_METRIC_SHARE && !m->field.s)
        rc_diag_error(p->d, s->loc, "missing required key 'field' in %s (op = %s needs it)",
                      s->title, metric_ops[oi]);
    m->where = rc_cfgi_str(p, s, "where");
    m->of = rc_cfgi_str(p, s, "of");
    if (m->of.s && oi >= 0 && m->op != RC_METRIC_SHARE)
        rc_diag_error(p->d, rc_cfgi_get(s, "of")->name_loc, "'of' applies only to op = share");
    m->format = rc_cfgi_str(p, s, "format");
    if (m->format.s && !rc_format_valid(m->format.s))
        rc_diag_error(p->d, m->format.loc,
                      "unknown format '%s' (expected integer, number:N, percent, percent:N, "
                      "floor:N or ceil:N)",
                      m->format.s);
    m->label = rc_cfgi_str(p, s, "label");
}

static void aggregate(rc_cfgi *p, const rc_cfgi_sec *s, rc_aggregate_cfg *g)
{
    static const char *const orders[] = {"declared", "count", "label"};
    g->name = rc_cfgi_named(s);
    g->loc = s->loc;
    g->source = rc_cfgi_req(p, s, "source");
    int ki = kind_key(p, s, "kind", rc_cfgi_agg_kinds, N(rc_cfgi_agg_kinds), "aggregate kind",
                      &g->kind_loc);
    g->kind = ki < 0 ? RC_AGG_ROWS : (rc_agg_kind)ki;
    g->field = rc_cfgi_str(p, s, "field");
    g->fields = rc_cfgi_split(p, s, "fields", ',');
    g->by = rc_cfgi_str(p, s, "by");
    g->where = rc_cfgi_str(p, s, "where");
    g->order = rc_cfgi_def(p, s, "order", "declared");
    rc_cfgi_enum(p, g->order, orders, N(orders), "order", 0);
    g->label = rc_cfgi_str(p, s, "label");
    if (ki < 0) return;
    bool wants_field =
        g->kind == RC_AGG_DISTRIBUTION || g->kind == RC_AGG_DISTINCT || g->kind == RC_AGG_SUM;
    if (wants_field) {
        if (!g->field.s)
            rc_diag_error(p->d, s->loc, "missing required key 'field' in %s (kind = %s needs it)",
                          s->title, rc_cfgi_agg_kinds[ki]);
        rc_cfgi_ignored(p, s, "fields", "(kind = distribution, distinct and sum use 'field')");
    } else {
        if (!rc_cfgi_get(s, "fields"))
            rc_diag_error(p->d, s->loc, "missing required key 'fields' in %s (kind = %s needs it)",
                          s->title, rc_cfgi_agg_kinds[ki]);
        rc_cfgi_ignored(p, s, "field", "(kind = likert and rows use 'fields')");
    }
    if (g->kind == RC_AGG_ROWS)
        rc_cfgi_ignored(p, s, "by", "(a rows aggregate lists rows, it has no groups)");
}

static void figure(rc_cfgi *p, const rc_cfgi_sec *s, rc_figure_cfg *f)
{
    static const char *const values[] = {"count", "share"};
    f->name = rc_cfgi_named(s);
    f->loc = s->loc;
    int ti = kind_key(p, s, "type", rc_cfgi_chart_types, N(rc_cfgi_chart_types), "figure type",
                      &f->type_loc);
    f->type = ti < 0 ? RC_CHART_BAR : (rc_chart_type)ti;
    f->aggregate = rc_cfgi_split(p, s, "aggregate", ',');
    bool pie =
        f->type == RC_CHART_PIE || f->type == RC_CHART_DOUGHNUT || f->type == RC_CHART_LIKERT;
    f->value = rc_cfgi_def(p, s, "value", pie ? "share" : "count");
    rc_cfgi_enum(p, f->value, values, N(values), "value", 0);
    f->caption = rc_cfgi_req(p, s, "caption");
    f->source_line = rc_cfgi_str(p, s, "source");
    f->note = rc_cfgi_str(p, s, "note");
    f->alt = rc_cfgi_str(p, s, "alt"); /* PDF alternative text; derived from the data if absent */
    /* 0 when absent: the chart module sizes the drawing by type and data. */
    f->height_mm = rc_cfgi_number(p, s, "height", 10, 250, 0);
    f->width = rc_cfgi_number(p, s, "width", 0.3, 1, 1);
    f->items = rc_cfgi_split(p, s, "items", '|');
    f->data = rc_cfgi_str(p, s, "data");
    f->left = rc_cfgi_str(p, s, "left");
    f->left_group = rc_cfgi_str(p, s, "left_group");
    f->right = rc_cfgi_str(p, s, "right");
    f->right_group = rc_cfgi_str(p, s, "right_group");
    f->color = rc_cfgi_str(p, s, "color");
    if (ti < 0) return;
    static const char *const pair_keys[] = {"data",  "left",        "left_group",
                                            "right", "right_group", "color"};
    if (f->type == RC_CHART_TILES) {
        rc_cfgi_req(p, s, "items");
        rc_cfgi_ignored(p, s, "aggregate", "(tiles show the metrics named in 'items')");
    } else if (f->type == RC_CHART_PAIRINGS) {
        for (size_t i = 0; i < N(pair_keys); i++)
            rc_cfgi_req(p, s, pair_keys[i]);
        rc_cfgi_ignored(p, s, "aggregate", "(a pairings diagram reads the source named in 'data')");
    } else {
        if (!rc_cfgi_get(s, "aggregate"))
            rc_diag_error(p->d, s->loc, "missing required key 'aggregate' in %s", s->title);
        else if (f->aggregate.n == 0)
            rc_diag_error(p->d, rc_cfgi_str(p, s, "aggregate").loc,
                          "'aggregate' must not be empty");
        rc_cfgi_ignored(p, s, "items", "(it applies to tiles only)");
    }
    if (f->type != RC_CHART_PAIRINGS)
        for (size_t i = 0; i < N(pair_keys); i++)
            rc_cfgi_ignored(p, s, pair_keys[i], "(it applies to pairings only)");
}

static void table(rc_cfgi *p, const rc_cfgi_sec *s, rc_table_cfg *t)
{
    t->name = rc_cfgi_named(s);
    t->loc = s->loc;
    t->caption = rc_cfgi_req(p, s, "caption");
    t->source_line = rc_cfgi_str(p, s, "source");
    t->note = rc_cfgi_str(p, s, "note");
    t->aggregate = rc_cfgi_str(p, s, "aggregate");
    t->file = rc_cfgi_str(p, s, "file");
    t->quality = rc_cfgi_str(p, s, "quality");
    if (t->aggregate.s && t->file.s)
        rc_diag_error(p->d, rc_cfgi_get(s, "file")->name_loc,
                      "%s has both 'aggregate' and 'file'; give exactly one", s->title);
    else if (t->quality.s && (t->aggregate.s || t->file.s))
        rc_diag_error(p->d, rc_cfgi_get(s, "quality")->name_loc,
                      "%s has both 'quality' and '%s'; give exactly one", s->title,
                      t->file.s ? "file" : "aggregate");
    else if (!t->aggregate.s && !t->file.s && !t->quality.s)
        rc_diag_error(p->d, s->loc,
                      "%s needs 'aggregate' (a generated table) or 'file' (a "
                      "Markdown table)",
                      s->title);
    t->path =
        t->file.s && t->file.s[0] ? rc_path_join(p->a, rc_cfgi_dir(p, s, "file"), t->file.s) : NULL;
    t->columns = rc_cfgi_split(p, s, "columns", '|');
    t->widths = rc_cfgi_split(p, s, "widths", ',');
    for (size_t i = 0; i < t->widths.n; i++) {
        double w;
        if (!rc_cfgi_parse_double(t->widths.v[i].s, &w) || w <= 0)
            rc_diag_error(p->d, t->widths.v[i].loc,
                          "invalid column width '%s' (expected a "
                          "positive number)",
                          t->widths.v[i].s);
    }
}

static void box(rc_cfgi *p, const rc_cfgi_sec *s, rc_box_cfg *b)
{
    b->name = rc_cfgi_named(s);
    b->loc = s->loc;
    b->title = rc_cfgi_req(p, s, "title");
    b->file = rc_cfgi_req(p, s, "file");
    b->path =
        b->file.s && b->file.s[0] ? rc_path_join(p->a, rc_cfgi_dir(p, s, "file"), b->file.s) : NULL;
}

/* ---- the driver ---- */

/* Attaches the parsed fields to their sources, in file order. */
static void attach_fields(rc_cfgi *p, rc_field_cfg *fields, const rc_cfgi_sec **fsec, size_t nf)
{
    rc_config *c = p->c;
    const char **names = rc_arena_array(p->a, c->nsources + 1, sizeof *names);
    for (size_t i = 0; i < c->nsources; i++)
        names[i] = c->sources[i].name.s;
    for (size_t i = 0; i < c->nsources; i++) {
        rc_source_cfg *src = &c->sources[i];
        size_t n = 0;
        for (size_t j = 0; j < nf; j++)
            n += strncmp(fsec[j]->name, src->name.s, strlen(src->name.s)) == 0 &&
                 fsec[j]->name[strlen(src->name.s)] == '.';
        src->fields = rc_arena_array(p->a, n + 1, sizeof *src->fields);
        for (size_t j = 0; j < nf; j++) {
            if (!(strncmp(fsec[j]->name, src->name.s, strlen(src->name.s)) == 0 &&
                  fsec[j]->name[strlen(src->name.s)] == '.'))
                continue;
            rc_field_cfg *f = &src->fields[src->nfields];
            *f = fields[j];
            f->source = src;
            f->index = src->nfields++;
            if (!rc_cfgi_get(fsec[j], "missing")) f->missing = src->missing;
        }
    }
    for (size_t j = 0; j < nf; j++) {
        const char *dot = strchr(fsec[j]->name, '.');
        char *sname = rc_arena_strndup(p->a, fsec[j]->name, (size_t)(dot - fsec[j]->name));
        if (rc_config_source(c, sname)) continue;
        const char *sug = rc_diag_suggest(sname, names, c->nsources);
        if (sug)
            rc_diag_error(p->d, fsec[j]->name_loc,
                          "field '%s' belongs to source '%s', which has no [source %s] section; "
                          "did you mean '%s'?",
                          dot + 1, sname, sname, sug);
        else
            rc_diag_error(p->d, fsec[j]->name_loc,
                          "field '%s' belongs to source '%s', which has no [source %s] section",
                          dot + 1, sname, sname);
    }
}

/* The kinds of [kind NAME] section that each become one element of an array
 * in rc_config, as X(kind, the function that reads one, the array): one list
 * makes both the allocation (sized by a first count) and the dispatch, so
 * the two cannot disagree and a new kind is one more line. [field] sections
 * are set aside for attach_fields; [edition] ones are config_edition.c's. */
#define RC_CFGI_COLLECTED(X)                                                                       \
    X(SOURCE, source, sources)                                                                     \
    X(METRIC, metric, metrics)                                                                     \
    X(AGGREGATE, aggregate, aggregates)                                                            \
    X(FIGURE, figure, figures)                                                                     \
    X(TABLE, table, tables)                                                                        \
    X(BOX, box, boxes)

void rc_cfgi_sections(rc_cfgi *p)
{
    rc_config *c = p->c;
    const rc_cfgi_sec *single[4] = {0};
    size_t count[RC_CFGI_KIND_COUNT] = {0};
    for (size_t i = 0; i < p->nsecs; i++) {
        const rc_cfgi_sec *s = &p->secs[i];
        if (s->ignored) continue;
        if (!p->edition) rc_cfgi_unknown_keys(p, s);
        count[s->kind]++;
        if (s->kind <= RC_CFGI_DOCUMENT) single[s->kind] = s;
    }
    report(p, single[RC_CFGI_REPORT]);
    output(p, single[RC_CFGI_OUTPUT]);
    style(p, single[RC_CFGI_STYLE]);
    document(p, single[RC_CFGI_DOCUMENT]);

#define ALLOC(kind, read, array)                                                                   \
    c->array = rc_arena_array(p->a, count[RC_CFGI_##kind] + 1, sizeof *c->array);
    RC_CFGI_COLLECTED(ALLOC)
#undef ALLOC
    rc_field_cfg *fields = rc_arena_array(p->a, count[RC_CFGI_FIELD] + 1, sizeof *fields);
    const rc_cfgi_sec **fsec = rc_arena_array(p->a, count[RC_CFGI_FIELD] + 1, sizeof *fsec);
    size_t nf = 0;
    for (size_t i = 0; i < p->nsecs; i++) {
        const rc_cfgi_sec *s = &p->secs[i];
        if (s->ignored) continue;
        switch (s->kind) {
#define READ(kind, read, array)                                                                    \
    case RC_CFGI_##kind:                                                                           \
        read(p, s, &c->array[c->n##array++]);                                                      \
        break;
            RC_CFGI_COLLECTED(READ)
#undef READ
        case RC_CFGI_FIELD:
            fsec[nf] = s;
            field(p, s, &fields[nf++]);
            break;
        default:
            break;
        }
    }
    attach_fields(p, fields, fsec, nf);
}
