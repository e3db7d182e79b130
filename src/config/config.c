/* config: the INI bytes -> sections of raw keys, each with file:line:col.
 *
 * Lexing is done by inih (Debian's libinih 55) fed through our own line
 * reader (ini_parse_stream). The reader knows every line before inih sees it,
 * so it records section headers (inih 55 as shipped has no new-section
 * callback), computes the columns of keys and values from the source text,
 * and reports malformed lines itself - inih only returns the first error line
 * and we want all of them. Lines the reader has already reported are handed
 * to inih as blank lines so the two never disagree.
 *
 * Debian builds libinih with INI_HANDLER_LINENO=1: its ini_parse_stream calls
 * the handler with a fifth argument (the line number), verified in the
 * shipped .so's disassembly and by a test program. We define the macro so
 * our handler has the matching prototype; the line number is cross-checked
 * against the reader's own count. */
#define INI_HANDLER_LINENO 1
#include <ini.h>

#include "config_impl.h"
#include "rc/hash.h"
#include "rc/unicode.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "rc/util.h"

/* inih's line buffer: a line longer than this is cut by inih and the rest
 * read as a new line, so the reader rejects such lines itself. */
#define MAX_LINE 65536

/* ---- section kinds and their keys ---- */

static const char *const report_keys[] = {
    "title",         "subtitle",      "series",       "authors",
    "year",          "language",      "date",         "eur",
    "isbn",          "issn",          "doi",          "catalogue",
    "publisher",     "place",         "contact_name", "contact_address",
    "contact_email", "contact_phone", "website",      "keywords",
    "copyright",     "disclaimer",    "cover_note",   "sample_identifiers",
    "languages",     "strict"};
static const char *const output_keys[] = {"directory", "basename",     "pdf",     "tex",
                                          "data_xlsx", "figures_xlsx", "formats", "figures"};
static const char *const style_keys[] = {"palette",
                                         "font_dir",
                                         "font_regular",
                                         "font_italic",
                                         "font_bold",
                                         "font_bold_italic",
                                         "font_light",
                                         "font_size",
                                         "hyphenation",
                                         "hyphenate",
                                         "hyphenation_exceptions"};
static const char *const document_keys[] = {
    "cover", "imprint", "contents", "back_cover", "front", "chapters", "back", "annexes", "lists"};
static const char *const source_keys[] = {"file", "delimiter", "header", "key", "missing"};
static const char *const field_keys[] = {"column", "label",     "type",   "values",
                                         "scale",  "separator", "missing"};
static const char *const metric_keys[] = {"source", "op",     "field", "where",
                                          "of",     "format", "label"};
static const char *const aggregate_keys[] = {"source", "kind",  "field", "fields",
                                             "by",     "where", "order", "label"};
static const char *const figure_keys[] = {
    "type",  "aggregate", "value", "caption",    "source", "note",        "height", "width",
    "items", "data",      "left",  "left_group", "right",  "right_group", "color",  "alt"};
static const char *const table_keys[] = {"caption", "source",  "note",   "aggregate",
                                         "file",    "columns", "widths", "quality"};
static const char *const box_keys[] = {"title", "file"};
static const char *const edition_keys[] = {"file"};

#define N(x) (sizeof(x) / sizeof((x)[0]))

static const struct {
    const char *name;
    const char *const *keys;
    size_t nkeys;
    bool named;
} kinds[RC_CFGI_KIND_COUNT] = {
#define KIND(id, word, keys_, named_) [RC_CFGI_##id] = {word, keys_, N(keys_), named_},
    RC_CFGI_KINDS(KIND)
#undef KIND
};

const char *rc_cfgi_kind_name(rc_cfgi_kind k)
{
    return k < RC_CFGI_KIND_COUNT ? kinds[k].name : "?";
}

const char *const *rc_cfgi_keys(rc_cfgi_kind k, size_t *n)
{
    if (k >= RC_CFGI_KIND_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = kinds[k].nkeys;
    return kinds[k].keys;
}

const rc_cfgi_key *rc_cfgi_get(const rc_cfgi_sec *s, const char *name)
{
    if (!s) return NULL;
    for (size_t i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i].name, name) == 0) return &s->keys[i];
    return NULL;
}

rc_loc rc_cfgi_loc_at(const rc_cfgi *p, const rc_cfgi_key *k, size_t off)
{
    /* a key laid over from a language file keeps that file's name */
    const char *file = k->value_loc.file ? k->value_loc.file : p->file;
    rc_str v = {k->value, {file, k->segs[0].line, k->segs[0].col}, k->segs, k->nsegs};
    return rc_str_loc(&v, off);
}

rc_loc rc_str_loc(const rc_str *s, size_t off)
{
    if (!s->segs || s->nsegs == 0) return rc_loc_offset(s->loc, off);
    const rc_str_seg *g = &s->segs[0];
    for (size_t i = 1; i < s->nsegs && s->segs[i].off <= off; i++)
        g = &s->segs[i];
    size_t col = g->col + (off >= g->off ? off - g->off : 0);
    return (rc_loc){s->loc.file, g->line, (unsigned)col};
}

/* ---- the line reader ---- */

typedef enum lclass { L_BLANK, L_HEADER, L_KEY, L_CONT, L_BAD } lclass;

typedef struct lexer {
    rc_cfgi *p;
    const char *text;
    size_t len, pos;
    unsigned line; /* number of the line last handed to inih */
    lclass cls;    /* its class */
    unsigned key_col, val_col;
    bool have_prev;    /* inih holds a previous key name (continuations) */
    rc_cfgi_sec *cur;  /* current section, NULL before the first header */
    rc_cfgi_key *last; /* key a continuation line extends, or NULL */
    bool outside_reported;
    /* Open-addressing index of the sections by (kind, name): slot = index
     * into p->secs + 1 of the first section so named, 0 = empty. Keeps the
     * duplicate-section check linear (a linear scan made 20,000 sections
     * take seconds; found by the reliability stress inputs). */
    size_t *sidx;
    size_t sidx_cap, sidx_n;
    /* The same for the keys of the current section once it has more than
     * KIDX_MIN of them (slot = key index + 1); kidx_sec says which section. */
    size_t *kidx;
    size_t kidx_cap;
    const rc_cfgi_sec *kidx_sec;
} lexer;

enum { KIDX_MIN = 16 };

static bool sp(char ch)
{
    return isspace((unsigned char)ch) != 0;
}

static rc_loc at(const lexer *lx, size_t col)
{
    return (rc_loc){lx->p->file, lx->line, (unsigned)col};
}

static size_t sec_hash(rc_cfgi_kind kind, const char *name)
{
    return (size_t)rc_hash_str(name, (uint64_t)kind);
}

/* The first earlier section of this kind and name, or NULL. */
static const rc_cfgi_sec *find_section(const lexer *lx, rc_cfgi_kind kind, const char *name)
{
    if (!lx->sidx_cap) return NULL;
    for (size_t i = sec_hash(kind, name) & (lx->sidx_cap - 1);; i = (i + 1) & (lx->sidx_cap - 1)) {
        size_t v = lx->sidx[i];
        if (!v) return NULL;
        const rc_cfgi_sec *o = &lx->p->secs[v - 1];
        if (o->kind == kind && strcmp(o->name, name) == 0) return o;
    }
}

static void index_put(size_t *t, size_t cap, const rc_cfgi_sec *secs, size_t v)
{
    size_t i = sec_hash(secs[v - 1].kind, secs[v - 1].name) & (cap - 1);
    while (t[i])
        i = (i + 1) & (cap - 1);
    t[i] = v;
}

/* Records section number n (0-based) unless an earlier one has its name. */
static void index_section(lexer *lx, size_t n)
{
    const rc_cfgi_sec *s = &lx->p->secs[n];
    if (find_section(lx, s->kind, s->name)) return;
    if (2 * (lx->sidx_n + 1) > lx->sidx_cap) {
        size_t nc = lx->sidx_cap ? 2 * lx->sidx_cap : 64;
        size_t *t = rc_arena_array(lx->p->a, nc, sizeof *t);
        for (size_t i = 0; i < lx->sidx_cap; i++)
            if (lx->sidx[i]) index_put(t, nc, lx->p->secs, lx->sidx[i]);
        lx->sidx = t;
        lx->sidx_cap = nc;
    }
    index_put(lx->sidx, lx->sidx_cap, lx->p->secs, n + 1);
    lx->sidx_n++;
}

static void key_put(size_t *t, size_t cap, const rc_cfgi_sec *s, size_t v)
{
    size_t i = sec_hash(RC_CFGI_BAD, s->keys[v - 1].name) & (cap - 1);
    while (t[i])
        i = (i + 1) & (cap - 1);
    t[i] = v;
}

/* The key called name in s (the current section), or NULL: a linear scan
 * for the usual few keys, a hash index past KIDX_MIN (rebuilt when the
 * section changes or the table fills), so 20,000 keys stay linear. */
static const rc_cfgi_key *find_key(lexer *lx, const rc_cfgi_sec *s, const char *name)
{
    if (s->nkeys <= KIDX_MIN) return rc_cfgi_get(s, name);
    if (lx->kidx_sec != s || 2 * s->nkeys > lx->kidx_cap) {
        size_t cap = 64;
        while (cap < 4 * s->nkeys)
            cap *= 2;
        lx->kidx = rc_arena_array(lx->p->a, cap, sizeof *lx->kidx);
        lx->kidx_cap = cap;
        lx->kidx_sec = s;
        for (size_t i = 0; i < s->nkeys; i++)
            key_put(lx->kidx, cap, s, i + 1);
    }
    for (size_t i = sec_hash(RC_CFGI_BAD, name) & (lx->kidx_cap - 1);;
         i = (i + 1) & (lx->kidx_cap - 1)) {
        size_t v = lx->kidx[i];
        if (!v) return NULL;
        if (strcmp(s->keys[v - 1].name, name) == 0) return &s->keys[v - 1];
    }
}

static void push_section(lexer *lx, rc_cfgi_sec s)
{
    rc_cfgi *p = lx->p;
    if (p->nsecs == p->capsecs) {
        size_t nc = p->capsecs ? p->capsecs * 2 : 16;
        p->secs = rc_arena_grow(p->a, p->secs, p->nsecs, nc, sizeof *p->secs);
        p->capsecs = nc;
    }
    p->secs[p->nsecs] = s;
    index_section(lx, p->nsecs);
    lx->cur = &p->secs[p->nsecs++];
    lx->last = NULL;
}

/* "[x]", or "[x y]" when y is given: a section's title for messages.
 * Built by hand because every header makes two titles and
 * rc_arena_printf (vsnprintf, twice) was 40% of lexing a language file. */
static const char *bracket(rc_arena *a, const char *x, size_t xl, const char *y)
{
    size_t yl = y ? strlen(y) : 0;
    char *o = rc_arena_alloc(a, xl + yl + 4);
    char *w = o;
    *w++ = '[';
    memcpy(w, x, xl);
    w += xl;
    if (y) {
        *w++ = ' ';
        memcpy(w, y, yl);
        w += yl;
    }
    *w++ = ']';
    *w = '\0';
    return o;
}

/* A header line "[kind NAME]": validates it and opens the section. b..e is
 * the text between the brackets, col0 the column of b. */
static void header(lexer *lx, const char *b, const char *e, size_t col0)
{
    rc_cfgi *p = lx->p;
    rc_cfgi_sec s = {.kind = RC_CFGI_BAD, .name = "", .ignored = true};
    s.loc = at(lx, col0 - 1);
    const char *ks = b;
    while (ks < e && sp(*ks))
        ks++;
    const char *ke = ks;
    while (ke < e && !sp(*ke))
        ke++;
    const char *ns = ke;
    while (ns < e && sp(*ns))
        ns++;
    const char *ne = e;
    while (ne > ns && sp(ne[-1]))
        ne--;
    size_t kcol = col0 + (size_t)(ks - b), ncol = col0 + (size_t)(ns - b);
    s.name_loc = at(lx, ncol);
    s.title = bracket(p->a, b, (size_t)(e - b), NULL);
    if (ks == ke) {
        rc_diag_error(p->d, s.loc, "empty section header");
        push_section(lx, s);
        return;
    }
    char *kind = rc_arena_strndup(p->a, ks, (size_t)(ke - ks));
    int k = -1;
    for (int i = 0; i < RC_CFGI_KIND_COUNT; i++)
        if (strcmp(kind, kinds[i].name) == 0) k = i;
    if (k < 0) {
        const char *names[RC_CFGI_KIND_COUNT];
        for (int i = 0; i < RC_CFGI_KIND_COUNT; i++)
            names[i] = kinds[i].name;
        const char *sug = rc_diag_suggest(kind, names, RC_CFGI_KIND_COUNT);
        if (sug)
            rc_diag_error(p->d, at(lx, kcol), "unknown section kind '%s'; did you mean '%s'?", kind,
                          sug);
        else
            rc_diag_error(p->d, at(lx, kcol),
                          "unknown section kind '%s' (expected report, output, style, document, "
                          "source, field, metric, aggregate, figure, table, box or edition)",
                          kind);
        push_section(lx, s);
        return;
    }
    s.kind = (rc_cfgi_kind)k;
    char *name = rc_arena_strndup(p->a, ns, (size_t)(ne - ns));
    s.name = name;
    s.title = bracket(p->a, kind, strlen(kind), name[0] ? name : NULL);
    bool ok = true;
    if (!kinds[k].named && name[0]) {
        rc_diag_error(p->d, s.name_loc, "section [%s] takes no name", kind);
        ok = false;
    } else if (kinds[k].named && !name[0]) {
        rc_diag_error(p->d, s.loc, "section [%s] needs a name: [%s %s]", kind, kind,
                      k == RC_CFGI_FIELD ? "SOURCE.NAME" : "NAME");
        ok = false;
    } else if (k == RC_CFGI_FIELD) {
        char *dot = strchr(name, '.');
        if (!dot) {
            rc_diag_error(p->d, s.name_loc,
                          "field section name '%s' must be SOURCE.NAME (e.g. [field survey.%s])",
                          name, name);
            ok = false;
        } else {
            char *src = rc_arena_strndup(p->a, name, (size_t)(dot - name));
            if (!rc_cfgi_valid_name(src)) {
                rc_diag_error(p->d, s.name_loc,
                              "invalid source name '%s' (a name starts with a letter and contains "
                              "only letters, digits, '_' and '-')",
                              src);
                ok = false;
            }
            if (!rc_cfgi_valid_name(dot + 1)) {
                rc_diag_error(p->d, rc_loc_offset(s.name_loc, (size_t)(dot + 1 - name)),
                              "invalid field name '%s' (a name starts with a letter and contains "
                              "only letters, digits, '_' and '-')",
                              dot + 1);
                ok = false;
            }
        }
    } else if (name[0] && !rc_cfgi_valid_name(name)) {
        rc_diag_error(p->d, s.name_loc,
                      "invalid name '%s' (a name starts with a letter and contains only letters, "
                      "digits, '_' and '-')",
                      name);
        ok = false;
    }
    if (ok) {
        const rc_cfgi_sec *o = find_section(lx, s.kind, s.name);
        if (o) {
            rc_diag_error(p->d, s.loc, "duplicate section %s (first on line %u)", s.title,
                          o->loc.line);
            ok = false;
        }
    }
    s.ignored = !ok;
    push_section(lx, s);
}

/* Classifies the line exactly as inih 55 will (rstrip, lskip, comment,
 * continuation, header, key), reports what inih would reject, and returns
 * the class. Sections are opened here. */
static lclass classify(lexer *lx, const char *s, size_t n)
{
    rc_cfgi *p = lx->p;
    const char *e = s + n;
    while (e > s && sp(e[-1]))
        e--;
    const char *q = s;
    while (q < e && sp(*q))
        q++;
    if (q == e || *q == ';' || *q == '#') return L_BLANK;
    size_t col = (size_t)(q - s) + 1;
    if (lx->have_prev && q > s) {
        lx->val_col = (unsigned)col;
        return L_CONT;
    }
    if (*q == '[') {
        const char *rb = memchr(q, ']', (size_t)(e - q));
        if (!rb) {
            rc_diag_error(p->d, at(lx, col), "missing ']' at the end of the section header");
            push_section(lx, (rc_cfgi_sec){.kind = RC_CFGI_BAD,
                                           .name = "",
                                           .title = "[?]",
                                           .loc = at(lx, col),
                                           .ignored = true});
            lx->have_prev = false;
            return L_HEADER;
        }
        const char *tail = rb + 1;
        while (tail < e && sp(*tail))
            tail++;
        if (tail < e)
            rc_diag_error(p->d, at(lx, (size_t)(tail - s) + 1),
                          "unexpected text after the section header");
        header(lx, q + 1, rb, col + 1);
        lx->have_prev = false;
        return L_HEADER;
    }
    const char *eq = q;
    while (eq < e && *eq != '=' && *eq != ':')
        eq++;
    if (eq == e) {
        rc_diag_error(p->d, at(lx, col), "expected 'key = value', a [section] header or a comment");
        return L_BAD;
    }
    if (eq == q) {
        rc_diag_error(p->d, at(lx, col), "missing key name before '%c'", *eq);
        return L_BAD;
    }
    const char *v = eq + 1;
    while (v < e && sp(*v))
        v++;
    lx->key_col = (unsigned)col;
    lx->val_col = (unsigned)((size_t)(v - s) + 1);
    lx->have_prev = true;
    return L_KEY;
}

static char *reader(char *str, int num, void *stream)
{
    lexer *lx = stream;
    if (lx->pos >= lx->len) return NULL;
    const char *s = lx->text + lx->pos;
    const char *nl = memchr(s, '\n', lx->len - lx->pos);
    size_t n = nl ? (size_t)(nl - s) : lx->len - lx->pos;
    lx->pos += n + (nl ? 1 : 0);
    lx->line++;
    if (n + 2 > (size_t)num) {
        rc_diag_error(lx->p->d, at(lx, 1), "line too long (%zu bytes; at most %d)", n, num - 2);
        lx->cls = L_BAD;
    } else {
        lx->cls = classify(lx, s, n);
    }
    /* Lines already reported, blank lines and the headers we parse ourselves
     * are passed on in a form inih handles without comment: "" or "[]". */
    if (lx->cls == L_KEY || lx->cls == L_CONT) {
        memcpy(str, s, n);
        str[n] = '\n';
        str[n + 1] = '\0';
    } else {
        strcpy(str, lx->cls == L_HEADER ? "[]\n" : "\n");
    }
    return str;
}

static void add_seg(rc_cfgi *p, rc_cfgi_key *k, size_t off, unsigned line, unsigned col)
{
    if (k->nsegs == k->capsegs) {
        size_t nc = k->capsegs ? k->capsegs * 2 : 2;
        k->segs = rc_arena_grow(p->a, k->segs, k->nsegs, nc, sizeof *k->segs);
        k->capsegs = nc;
    }
    k->segs[k->nsegs++] = (rc_cfgi_seg){off, line, col};
}

static int handler(void *user, const char *section, const char *name, const char *value, int lineno)
{
    lexer *lx = user;
    rc_cfgi *p = lx->p;
    (void)section; /* ours is tracked by the reader, without inih's 50-byte cap */
    if (!name || !value) return 1;
    unsigned line = lineno > 0 ? (unsigned)lineno : lx->line;
    if (lx->cls == L_CONT) {
        rc_cfgi_key *k = lx->last;
        if (!k) return 1;
        size_t vl = strlen(value);
        if (k->len == 0) {
            /* "key =" with the value on the next lines: the value starts there. */
            k->value = rc_arena_strdup(p->a, value);
            k->len = vl;
            k->nsegs = 0;
            add_seg(p, k, 0, line, lx->val_col);
            k->value_loc = (rc_loc){p->file, line, lx->val_col};
            return 1;
        }
        char *nv = rc_arena_alloc(p->a, k->len + 1 + vl + 1);
        memcpy(nv, k->value, k->len);
        nv[k->len] = ' ';
        memcpy(nv + k->len + 1, value, vl + 1);
        add_seg(p, k, k->len + 1, line, lx->val_col);
        k->value = nv;
        k->len += 1 + vl;
        return 1;
    }
    if (lx->cls != L_KEY) return 1;
    lx->last = NULL;
    rc_loc kloc = {p->file, line, lx->key_col};
    if (!lx->cur) {
        rc_diag_error(p->d, kloc,
                      "key '%s' outside any section (start with a header such as "
                      "[report])",
                      name);
        return 1;
    }
    rc_cfgi_sec *s = lx->cur;
    if (s->ignored) return 1;
    const rc_cfgi_key *old = find_key(lx, s, name);
    if (old) {
        rc_diag_error(p->d, kloc, "duplicate key '%s' in %s (first on line %u)", name, s->title,
                      old->name_loc.line);
        return 1;
    }
    if (s->nkeys == s->capkeys) {
        size_t nc = s->capkeys ? s->capkeys * 2 : 8;
        s->keys = rc_arena_grow(p->a, s->keys, s->nkeys, nc, sizeof *s->keys);
        s->capkeys = nc;
    }
    rc_cfgi_key *k = &s->keys[s->nkeys++];
    *k = (rc_cfgi_key){0};
    k->name = rc_arena_strdup(p->a, name);
    k->name_loc = kloc;
    k->value = rc_arena_strdup(p->a, value);
    k->len = strlen(value);
    k->value_loc = (rc_loc){p->file, line, lx->val_col};
    add_seg(p, k, 0, line, lx->val_col);
    lx->last = k;
    if (lx->kidx_sec == s) key_put(lx->kidx, lx->kidx_cap, s, s->nkeys);
    return 1;
}

/* inih's options are process-wide globals; they are set to the same values
 * once, before the first parse. */
static pthread_once_t ini_once = PTHREAD_ONCE_INIT;

static void ini_setup(void)
{
    ini_max_line = MAX_LINE;
    ini_allow_inline_comments = false; /* ';' and '#' are legal in values */
    ini_allow_multiline = true;
    ini_allow_bom = false; /* the reader strips it */
    ini_allow_no_value = false;
    ini_stop_on_first_error = false;
    ini_use_stack = true; /* a 64 KiB line buffer on the stack */
}

static rc_loc loc_of_offset(const char *file, const char *text, size_t off)
{
    unsigned line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            line++;
            bol = i + 1;
        }
    return (rc_loc){file, line, (unsigned)(off - bol + 1)};
}

/* Validates the bytes and runs inih over them. False if the text cannot be
 * parsed at all (reported). */
bool rc_cfgi_lex(rc_cfgi *p, const char *text, size_t len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t bad = rc_utf8_validate(text, len);
    if (bad < len) {
        rc_diag_error(p->d, loc_of_offset(p->file, text, bad),
                      "invalid UTF-8 (byte 0x%02X); the file must be UTF-8",
                      (unsigned)(unsigned char)text[bad]);
        return false;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        rc_diag_error(p->d, loc_of_offset(p->file, text, (size_t)(nul - text)),
                      "NUL byte in the file");
        return false;
    }
    /* Values are NFC from here on (a decomposed "Córdoba" matches a composed
     * one); NFC never touches line breaks, so line numbers stay. */
    text = rc_unicode_nfc(p->a, text, len, &len);
    if (pthread_once(&ini_once, ini_setup) != 0) {
        rc_diag_error(p->d, (rc_loc){p->file, 0, 0}, "cannot initialise the INI parser");
        return false;
    }
    lexer lx = {.p = p, .text = text, .len = len};
    int r = ini_parse_stream(reader, &lx, handler, &lx);
    if (r == -2) {
        rc_diag_error(p->d, (rc_loc){p->file, 0, 0}, "out of memory while parsing");
        return false;
    }
    /* Everything inih could object to was reported by the reader already;
     * this only fires if the two disagree about a line. */
    if (r > 0 && rc_diag_errors(p->d) == 0)
        rc_diag_error(p->d, (rc_loc){p->file, (unsigned)r, 0}, "syntax error");
    return true;
}

/* ---- entry points ---- */

rc_status rc_config_parse(rc_arena *a, const char *file, const char *base_dir, const char *text,
                          size_t len, rc_diag *d, rc_config **out)
{
    size_t before = rc_diag_errors(d);
    rc_config *c = rc_arena_alloc(a, sizeof *c);
    c->path = rc_arena_strdup(a, file ? file : "<config>");
    c->dir = rc_arena_strdup(a, base_dir && base_dir[0] ? base_dir : ".");
    *out = c;
    rc_cfgi p = {.a = a, .d = d, .c = c, .file = c->path};
    if (!rc_cfgi_lex(&p, text, len)) return RC_ERR_CONFIG;
    rc_cfgi_sections(&p);
    rc_cfgi_check(&p);
    c->raw = rc_arena_alloc(a, sizeof p);
    *c->raw = p; /* the raw sections, for rc_config_editions */
    return rc_diag_errors(d) > before ? RC_ERR_CONFIG : RC_OK;
}

rc_status rc_config_load(rc_arena *a, const char *path, rc_diag *d, rc_config **out)
{
    rc_loc loc = {path, 0, 0};
    *out = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc_diag_error(d, loc, "cannot read the configuration: is a directory");
        return RC_ERR_CONFIG;
    }
    char *text;
    size_t len;
    if (rc_read_file(a, path, &text, &len) != RC_OK) {
        rc_diag_error(d, loc, "cannot read the configuration: %s", rc_read_error(errno));
        return RC_ERR_CONFIG;
    }
    return rc_config_parse(a, path, rc_path_dir(a, path), text, len, d, out);
}

/* ---- lookups ---- */

const rc_source_cfg *rc_config_source(const rc_config *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->nsources; i++)
        if (strcmp(c->sources[i].name.s, name) == 0) return &c->sources[i];
    return NULL;
}

const rc_field_cfg *rc_config_field(const rc_source_cfg *s, const char *name)
{
    for (size_t i = 0; s && name && i < s->nfields; i++)
        if (strcmp(s->fields[i].name.s, name) == 0) return &s->fields[i];
    return NULL;
}

const char *rc_config_field_hint(rc_arena *a, const rc_source_cfg *s, const char *name, bool paren)
{
    const char **names = rc_arena_array(a, s->nfields + 1, sizeof *names);
    for (size_t i = 0; i < s->nfields; i++)
        names[i] = s->fields[i].name.s;
    const char *sug = rc_diag_suggest(name, names, s->nfields);
    if (!sug) return "";
    return rc_arena_printf(a, paren ? " (did you mean '%s'?)" : "; did you mean '%s'?", sug);
}

#define LOOKUP(fn, type, arr, n)                                                                   \
    const type *fn(const rc_config *c, const char *name)                                           \
    {                                                                                              \
        for (size_t i = 0; c && name && i < c->n; i++)                                             \
            if (strcmp(c->arr[i].name.s, name) == 0) return &c->arr[i];                            \
        return NULL;                                                                               \
    }
LOOKUP(rc_config_metric, rc_metric_cfg, metrics, nmetrics)
LOOKUP(rc_config_aggregate, rc_aggregate_cfg, aggregates, naggregates)
LOOKUP(rc_config_figure, rc_figure_cfg, figures, nfigures)
LOOKUP(rc_config_table, rc_table_cfg, tables, ntables)
LOOKUP(rc_config_box, rc_box_cfg, boxes, nboxes)

/* The names of the enumerations, as the INI file spells them (parsed by
 * config_sections.c with rc_cfgi_enum, printed in diagnostics). */
const char *const rc_cfgi_field_types[RC_CFGI_NFIELD_TYPES] = {"category", "multi",  "likert",
                                                               "integer",  "number", "text"};
const char *const rc_cfgi_chart_types[RC_CHART_TYPE_COUNT] = {
    "bar", "hbar", "grouped", "stacked", "likert", "pie", "doughnut", "tiles", "pairings"};
const char *const rc_cfgi_agg_kinds[RC_CFGI_NAGG_KINDS] = {"distribution", "likert", "distinct",
                                                           "sum", "rows"};

const char *rc_field_type_name(rc_field_type t)
{
    return (size_t)t < RC_CFGI_NFIELD_TYPES ? rc_cfgi_field_types[t] : "?";
}

const char *rc_chart_type_name(rc_chart_type t)
{
    return (size_t)t < RC_CHART_TYPE_COUNT ? rc_cfgi_chart_types[t] : "?";
}

const char *rc_agg_kind_name(rc_agg_kind k)
{
    return (size_t)k < RC_CFGI_NAGG_KINDS ? rc_cfgi_agg_kinds[k] : "?";
}
