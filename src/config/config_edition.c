/* config_edition: one configuration per language from one INI file.
 *
 * [report] languages = en, es, pt lists the editions; the base file holds
 * the texts of its own 'language', and each other language has an
 * [edition LANG] section naming a language file: an INI file with the same
 * section headers as the base file ([report], [field survey.continent],
 * [figure motivation], ...) holding only that language's texts. A
 * translator works on that one file; everything that is not a text (data,
 * metrics, filters, figure types, sizes) lives in the base file only.
 *
 * An edition is built by laying the language file's keys over a copy of the
 * base file's raw sections and reading the result with the same code as the
 * base file (config_sections.c, config_check.c), so every rule applies to
 * translated values too and a mistake is reported in the language file at
 * its line:col. Paths in a language file are relative to that file. */
#include "config_impl.h"

#include <errno.h>
#include <string.h>

#include "rc/util.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* The keys a language file may set. 'warn': the key holds a text, so a
 * language file without it falls back to the base text with a warning
 * (identifiers, dates, addresses and the like are simply shared). */
typedef struct tkey {
    rc_cfgi_kind kind;
    const char *key;
    bool warn;
} tkey;

static const tkey tkeys[] = {
    {RC_CFGI_REPORT, "title", true},
    {RC_CFGI_REPORT, "subtitle", true},
    {RC_CFGI_REPORT, "series", true},
    {RC_CFGI_REPORT, "keywords", true},
    {RC_CFGI_REPORT, "publisher", true},
    {RC_CFGI_REPORT, "place", true},
    {RC_CFGI_REPORT, "contact_name", true},
    {RC_CFGI_REPORT, "contact_address", true},
    {RC_CFGI_REPORT, "disclaimer", true},
    {RC_CFGI_REPORT, "cover_note", true},
    {RC_CFGI_REPORT, "copyright", false},
    {RC_CFGI_REPORT, "date", false},
    {RC_CFGI_REPORT, "eur", false},
    {RC_CFGI_REPORT, "isbn", false},
    {RC_CFGI_REPORT, "issn", false},
    {RC_CFGI_REPORT, "doi", false},
    {RC_CFGI_REPORT, "catalogue", false},
    {RC_CFGI_REPORT, "contact_email", false},
    {RC_CFGI_REPORT, "contact_phone", false},
    {RC_CFGI_REPORT, "website", false},
    {RC_CFGI_DOCUMENT, "front", true},
    {RC_CFGI_DOCUMENT, "chapters", true},
    {RC_CFGI_DOCUMENT, "back", true},
    {RC_CFGI_DOCUMENT, "annexes", true},
    {RC_CFGI_STYLE, "hyphenation", false},
    {RC_CFGI_STYLE, "hyphenation_exceptions", false},
    {RC_CFGI_FIELD, "label", true},
    {RC_CFGI_FIELD, "values", true},
    {RC_CFGI_METRIC, "label", true},
    {RC_CFGI_AGGREGATE, "label", true},
    {RC_CFGI_FIGURE, "caption", true},
    {RC_CFGI_FIGURE, "source", true},
    {RC_CFGI_FIGURE, "note", true},
    {RC_CFGI_FIGURE, "items", true},
    {RC_CFGI_TABLE, "caption", true},
    {RC_CFGI_TABLE, "source", true},
    {RC_CFGI_TABLE, "note", true},
    {RC_CFGI_TABLE, "columns", true},
    {RC_CFGI_TABLE, "file", true},
    {RC_CFGI_BOX, "title", true},
    {RC_CFGI_BOX, "file", true},
};

/* The rules of kind k are tkeys[at[first[k]]] .. tkeys[at[first[k + 1] - 1]]
 * (a counting sort of tkeys by kind, in table order within a kind). rule()
 * runs for every key of every base section of every edition (about 1,000
 * keys in the sample), and scanning all of tkeys for each was a third of
 * an edition's cost under callgrind. */
typedef struct tkey_index {
    size_t first[RC_CFGI_KIND_COUNT + 1];
    size_t at[N(tkeys)];
} tkey_index;

static void index_tkeys(tkey_index *x)
{
    size_t n = 0;
    for (int k = 0; k < RC_CFGI_KIND_COUNT; k++) {
        x->first[k] = n;
        for (size_t i = 0; i < N(tkeys); i++)
            if (tkeys[i].kind == (rc_cfgi_kind)k) x->at[n++] = i;
    }
    x->first[RC_CFGI_KIND_COUNT] = n;
}

static const tkey *rule(const tkey_index *x, rc_cfgi_kind kind, const char *key)
{
    if (kind >= RC_CFGI_KIND_COUNT) return NULL;
    for (size_t i = x->first[kind]; i < x->first[kind + 1]; i++)
        if (strcmp(tkeys[x->at[i]].key, key) == 0) return &tkeys[x->at[i]];
    return NULL;
}

/* "caption, source, note" for a message. */
static const char *rule_list(rc_arena *a, rc_cfgi_kind kind)
{
    const char *out = "";
    for (size_t i = 0; i < N(tkeys); i++)
        if (tkeys[i].kind == kind)
            out = rc_arena_printf(a, "%s%s%s", out, *out ? ", " : "", tkeys[i].key);
    return out;
}

/* The section of this kind and name (unique: a repeated header is
 * 'ignored'), or NULL. The search starts after the previous find (*hint)
 * and wraps around: a language file lists its sections in the base file's
 * order, so this is one step each instead of a scan of the whole file. */
static rc_cfgi_sec *find_sec(rc_cfgi_sec *secs, size_t n, rc_cfgi_kind kind, const char *name,
                             size_t *hint)
{
    for (size_t j = 0; j < n; j++) {
        size_t i = (*hint + j) % n;
        if (!secs[i].ignored && secs[i].kind == kind && strcmp(secs[i].name, name) == 0) {
            *hint = i + 1;
            return &secs[i];
        }
    }
    return NULL;
}

/* Sets (replaces or appends) key k in section s; s->keys is the arena copy. */
static void put_key(rc_arena *a, rc_cfgi_sec *s, const rc_cfgi_key *k)
{
    for (size_t i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i].name, k->name) == 0) {
            s->keys[i] = *k;
            return;
        }
    if (s->nkeys == s->capkeys) {
        size_t nc = s->capkeys ? 2 * s->capkeys : 8;
        s->keys = rc_arena_grow(a, s->keys, s->nkeys, nc, sizeof *s->keys);
        s->capkeys = nc;
    }
    s->keys[s->nkeys++] = *k;
}

static void drop_key(rc_cfgi_sec *s, const char *name)
{
    for (size_t i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i].name, name) == 0) {
            memmove(&s->keys[i], &s->keys[i + 1], (s->nkeys - i - 1) * sizeof s->keys[0]);
            s->nkeys--;
            return;
        }
}

/* A key holding value v at loc, as if read from a file. */
static rc_cfgi_key made_key(rc_arena *a, const char *name, const char *v, rc_loc loc)
{
    rc_cfgi_key k = {0};
    k.name = name;
    k.name_loc = loc;
    k.value = rc_arena_strdup(a, v);
    k.len = strlen(v);
    k.value_loc = loc;
    k.segs = rc_arena_alloc(a, sizeof *k.segs);
    k.segs[0] = (rc_cfgi_seg){0, loc.line, loc.col};
    k.nsegs = k.capsegs = 1;
    return k;
}

typedef struct edition {
    rc_arena *a;
    rc_diag *d;
    const rc_cfgi *base;
    const char *lang;
    const char *file; /* the language file, for diagnostics */
    const char *dir;  /* its directory */
    bool strict;
    const tkey_index *tx;
} edition;

/* The base file's raw sections with the language file's keys laid over. */
static rc_cfgi_sec *merge(edition *e, const rc_cfgi *q, rc_loc ed_loc, size_t *nout)
{
    const rc_cfgi *b = e->base;
    /* room for the singleton sections a language file may add */
    rc_cfgi_sec *m = rc_arena_array(e->a, b->nsecs + 4, sizeof *m);
    for (size_t i = 0; i < b->nsecs; i++) {
        m[i] = b->secs[i];
        m[i].keys = rc_arena_array(e->a, m[i].nkeys + 1, sizeof *m[i].keys);
        if (m[i].nkeys) memcpy(m[i].keys, b->secs[i].keys, m[i].nkeys * sizeof *m[i].keys);
        m[i].capkeys = m[i].nkeys;
        if (m[i].kind == RC_CFGI_REPORT) {
            rc_cfgi_key lk = made_key(e->a, "language", e->lang, ed_loc);
            put_key(e->a, &m[i], &lk);
        }
        /* the base file's dictionary and exceptions are for its own language */
        if (m[i].kind == RC_CFGI_STYLE) {
            drop_key(&m[i], "hyphenation");
            drop_key(&m[i], "hyphenation_exceptions");
        }
    }
    *nout = b->nsecs;
    size_t hint = 0;
    for (size_t i = 0; i < q->nsecs; i++) {
        const rc_cfgi_sec *os = &q->secs[i];
        if (os->ignored || os->kind == RC_CFGI_BAD) continue;
        if (os->kind == RC_CFGI_EDITION || os->kind == RC_CFGI_OUTPUT ||
            os->kind == RC_CFGI_SOURCE) {
            rc_diag_error(e->d, os->loc,
                          "%s cannot be given in a language file (it holds texts only)", os->title);
            continue;
        }
        rc_cfgi_sec *t = find_sec(m, *nout, os->kind, os->name, &hint);
        if (!t && os->kind == RC_CFGI_STYLE) {
            /* [style] is optional in the base file: the language file's
             * hyphenation may still apply */
            m[*nout] = (rc_cfgi_sec){.kind = os->kind,
                                     .name = "",
                                     .title = os->title,
                                     .loc = os->loc,
                                     .name_loc = os->name_loc};
            t = &m[(*nout)++];
        }
        if (!t) {
            rc_diag_error(e->d, os->loc,
                          "%s is not in the base file '%s'; a language file only translates "
                          "the base file's sections",
                          os->title, b->file);
            continue;
        }
        for (size_t k = 0; k < os->nkeys; k++) {
            rc_cfgi_key key = os->keys[k];
            if (!rule(e->tx, os->kind, key.name)) {
                rc_diag_error(e->d, key.name_loc,
                              "'%s' cannot be set in a language file (%s may translate: %s)",
                              key.name, os->title, rule_list(e->a, os->kind));
                continue;
            }
            key.dir = e->dir;
            put_key(e->a, t, &key);
        }
    }
    /* Texts the language file does not give fall back to the base text. */
    for (size_t i = 0; i < *nout; i++) {
        const rc_cfgi_sec *s = &m[i];
        if (s->ignored) continue;
        for (size_t k = 0; k < s->nkeys; k++) {
            const rc_cfgi_key *key = &s->keys[k];
            if (key->name_loc.file != b->file) continue; /* translated */
            const tkey *r = rule(e->tx, s->kind, key->name);
            if (!r || !r->warn) continue;
            if (e->strict)
                rc_diag_error(e->d, key->name_loc,
                              "edition '%s': '%s' of %s is not translated in '%s' (strict)",
                              e->lang, key->name, s->title, e->file);
            else
                rc_diag_warning(e->d, key->name_loc,
                                "edition '%s': '%s' of %s is not translated in '%s'; the base "
                                "text is used",
                                e->lang, key->name, s->title, e->file);
        }
    }
    return m;
}

/* The edition may relabel codes but not change them: the data, filters and
 * figures of every edition are the same. */
static void same_codes(edition *e, const rc_config *c, const rc_config *ec)
{
    if (c->nsources != ec->nsources) return;
    for (size_t i = 0; i < c->nsources; i++) {
        const rc_source_cfg *s = &c->sources[i], *es = &ec->sources[i];
        for (size_t j = 0; j < s->nfields && j < es->nfields; j++) {
            const rc_field_cfg *f = &s->fields[j], *ef = &es->fields[j];
            for (size_t k = 0; k < f->ncodes || k < ef->ncodes; k++) {
                const char *want = k < f->ncodes ? f->codes[k].code : NULL;
                const char *got = k < ef->ncodes ? ef->codes[k].code : NULL;
                if (want && got && strcmp(want, got) == 0) continue;
                rc_loc loc = got ? ef->codes[k].loc : ef->loc;
                if (got && want)
                    rc_diag_error(e->d, loc,
                                  "edition '%s': code '%s' of field '%s' should be '%s' (a "
                                  "language file gives the base file's codes, in its order, "
                                  "with new labels)",
                                  e->lang, got, f->name.s, want);
                else if (got)
                    rc_diag_error(e->d, loc,
                                  "edition '%s': field '%s' has no code '%s' in the base file",
                                  e->lang, f->name.s, got);
                else
                    rc_diag_error(e->d, loc, "edition '%s': field '%s' lacks code '%s'", e->lang,
                                  f->name.s, want);
                break;
            }
        }
    }
    for (size_t i = 0; i < c->nfigures && i < ec->nfigures; i++) {
        const rc_figure_cfg *f = &c->figures[i], *ef = &ec->figures[i];
        for (size_t k = 0; k < f->items.n || k < ef->items.n; k++) {
            const char *want = k < f->items.n ? f->items.v[k].s : "";
            const char *got = k < ef->items.n ? ef->items.v[k].s : "";
            size_t wl = strcspn(want, ":"), gl = strcspn(got, ":");
            if (wl == gl && strncmp(want, got, wl) == 0) continue;
            rc_diag_error(e->d, k < ef->items.n ? ef->items.v[k].loc : ef->loc,
                          "edition '%s': item %zu of figure '%s' should be metric '%.*s' (the "
                          "base file's metrics, in its order, with new labels)",
                          e->lang, k + 1, f->name.s, (int)wl, want);
            break;
        }
    }
    for (size_t i = 0; i < c->ntables && i < ec->ntables; i++) {
        const rc_table_cfg *t = &c->tables[i], *et = &ec->tables[i];
        if (t->columns.n != et->columns.n && et->columns.n)
            rc_diag_error(e->d, et->columns.v[0].loc,
                          "edition '%s': table '%s' has %zu column headings; the base file "
                          "gives %zu",
                          e->lang, t->name.s, et->columns.n, t->columns.n);
    }
}

/* True when d already holds an entry with the text of x (a diagnostic of a
 * base-file key reported again while reading an edition). */
static bool seen(const rc_diag *d, const rc_diag_entry *x)
{
    char a[1024], b[1024];
    rc_diag_format(x, a, sizeof a);
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        rc_diag_format(rc_diag_get(d, i), b, sizeof b);
        if (strcmp(a, b) == 0) return true;
    }
    return false;
}

static rc_config *build_edition(edition *e, rc_config *c, const rc_cfgi_sec *es)
{
    const rc_cfgi_key *fk = rc_cfgi_get(es, "file");
    if (!fk || !fk->value[0]) {
        rc_diag_error(e->d, es->loc,
                      "%s needs 'file', the INI file holding the texts in '%s' (see "
                      "docs/config.md, Editions)",
                      es->title, e->lang);
        return NULL;
    }
    const char *path = rc_path_join(e->a, c->dir, fk->value);
    char *text;
    size_t len;
    if (rc_read_file(e->a, path, &text, &len) != RC_OK) {
        rc_diag_error(e->d, fk->value_loc, "cannot read the language file '%s' (%s): %s", fk->value,
                      path, rc_read_error(errno));
        return NULL;
    }
    e->file = path;
    e->dir = rc_path_dir(e->a, path);
    rc_config scratch = {.path = path, .dir = e->dir};
    rc_cfgi q = {.a = e->a, .d = e->d, .c = &scratch, .file = path};
    if (!rc_cfgi_lex(&q, text, len)) return NULL;
    rc_config *ec = rc_arena_alloc(e->a, sizeof *ec);
    ec->path = c->path;
    ec->dir = c->dir;
    ec->edition = e->lang;
    ec->edition_path = path;
    /* .edition: the base file's keys were checked for unknown names when it
     * was read, and the language file's keys by rule() in merge(). */
    rc_cfgi m = {.a = e->a, .c = ec, .file = e->base->file, .edition = true, .ok_base = e->base};
    m.secs = merge(e, &q, es->loc, &m.nsecs);
    /* Read with a diagnostics collector of its own: what the base file's
     * keys give again was reported once already. */
    m.d = rc_diag_new();
    rc_cfgi_sections(&m);
    rc_cfgi_check(&m);
    for (size_t i = 0; i < rc_diag_count(m.d); i++) {
        const rc_diag_entry *x = rc_diag_get(m.d, i);
        /* only a diagnostic at a base-file key can repeat one */
        if (x->loc.file == e->base->file && seen(e->d, x)) continue;
        rc_diag_report(e->d, x->level, x->loc, "%s", x->msg);
    }
    rc_diag_free(m.d);
    same_codes(e, c, ec);
    return ec;
}

rc_status rc_config_editions(rc_arena *a, rc_config *c, bool strict, rc_diag *d)
{
    const rc_report_cfg *r = &c->report;
    if (!c->raw) return RC_OK;
    size_t before = rc_diag_errors(d);
    const rc_cfgi *base = c->raw;
    for (size_t i = 0; i < base->nsecs; i++) {
        const rc_cfgi_sec *s = &base->secs[i];
        if (s->ignored || s->kind != RC_CFGI_EDITION) continue;
        if (r->languages.n == 0) {
            rc_diag_warning(d, s->loc,
                            "%s has no effect: [report] has no 'languages' (e.g. languages = "
                            "%s, %s)",
                            s->title, r->language.s, s->name);
            continue;
        }
        if (strcmp(s->name, r->language.s) == 0) {
            rc_diag_error(d, s->name_loc,
                          "%s: '%s' is the base language; its texts are in this file", s->title,
                          s->name);
            continue;
        }
        bool unlisted = true;
        for (size_t j = 0; unlisted && j < r->languages.n; j++)
            unlisted = strcmp(r->languages.v[j].s, s->name) != 0;
        if (unlisted)
            rc_diag_error(d, s->name_loc,
                          "%s: '%s' is not one of the other languages of 'languages'", s->title,
                          s->name);
    }
    if (r->languages.n == 0) return RC_OK;
    c->editions = rc_arena_array(a, r->languages.n, sizeof *c->editions);
    c->neditions = r->languages.n;
    c->edition = r->language.s;
    tkey_index tx;
    bool indexed = false; /* on the first edition that is not the base */
    for (size_t i = 0; i < r->languages.n; i++) {
        const rc_str *l = &r->languages.v[i];
        if (strcmp(l->s, r->language.s) == 0) {
            c->editions[i] = c;
            continue;
        }
        const rc_cfgi_sec *es = NULL;
        for (size_t k = 0; k < base->nsecs && !es; k++)
            if (!base->secs[k].ignored && base->secs[k].kind == RC_CFGI_EDITION &&
                strcmp(base->secs[k].name, l->s) == 0)
                es = &base->secs[k];
        if (!es) {
            rc_diag_error(d, l->loc,
                          "no [edition %s] section: it names the file with the texts in '%s'", l->s,
                          l->s);
            continue;
        }
        if (!indexed) index_tkeys(&tx);
        indexed = true;
        edition e = {
            .a = a, .d = d, .base = base, .lang = l->s, .strict = strict || r->strict, .tx = &tx};
        c->editions[i] = build_edition(&e, c, es);
    }
    return rc_diag_errors(d) > before ? RC_ERR_CONFIG : RC_OK;
}

const char *rc_config_edition_file(rc_arena *a, const rc_config *c, size_t i)
{
    const rc_cfgi *base = c->raw;
    for (size_t k = 0; base && k < base->nsecs; k++) {
        const rc_cfgi_sec *s = &base->secs[k];
        if (s->ignored || s->kind != RC_CFGI_EDITION) continue;
        const rc_cfgi_key *fk = rc_cfgi_get(s, "file");
        if (!fk || !fk->value[0]) continue;
        if (i-- == 0) return rc_path_join(a, c->dir, fk->value);
    }
    return NULL;
}
