/* hyph_exc: a language's hyphenation rules on top of its dictionary.
 *
 * Exceptions, TeX's \hyphenation{} list: Liang's patterns (libhyphen) get
 * some words wrong in a way a typesetter would reject ("bey-ond",
 * "territ-ory", "latinoa-mericanas", "ha-ckathon"); an exception gives the
 * whole word's break points, and they replace the dictionary's for every
 * letter run of a word that matches it, in any letter case. Each language
 * has a built-in list of the known bad dictionary breaks; the INI adds to it
 * ([style] hyphenation_exceptions = be-yond ter-ri-to-ry).
 *
 * Minima, TeX's \lefthyphenmin/\righthyphenmin: hyph.c keeps 2 letters
 * before and 3 after a break (English, as TeX has it); Spanish and
 * Portuguese keep 3 and 3, stricter than babel's 2/2 (Spanish) and 2/3
 * (Portuguese), which follow what the orthographies allow (they forbid a
 * single letter). A two-letter piece at a line end ("co-", "ex-periência",
 * "me-dida") is legal but reads poorly, and with a point at nearly every
 * syllable another break is always near. The minima apply to exceptions
 * too, as TeX applies them.
 *
 * Cost, TeX's \hyphenpenalty (and \exhyphenpenalty): 50 for English, plain
 * TeX's value. Spanish and Portuguese take 300: with points at nearly every
 * syllable of longer words, Knuth-Plass at 50 hyphenated 3.1 % (es) and
 * 4.1 % (pt) of the sample's full lines, twice English's rate, to save
 * word gaps of hundredths of an em. At 300 a hyphen costs about as much as a
 * line of badness 300 (gaps near 0.43 em); measured on the sample the
 * rates fall to English's level (es 1.2 %, pt 1.9 %) while the 90th
 * percentile of justified gaps moves from 0.41 to 0.43 em and the widest
 * stays where it was (docs/config.md, "Hyphenation").
 *
 * The table is an open-addressing hash in the build's arena, keyed by the
 * lower-cased letters, holding a bit per code-point boundary. */
#include <string.h>

#include "rc/hash.h"
#include "rc/layout.h"
#include "rc/util.h"

enum { LEFT_MIN = 2, RIGHT_MIN = 3, MAX_LETTERS = 63 };

typedef struct exc {
    char *key; /* lower-cased letters, UTF-8, NUL-terminated; NULL = free slot */
    size_t klen;
    uint64_t breaks; /* bit i: a break after letter i (0-based) */
} exc;

struct rc_hyph_exc {
    rc_arena *a;
    exc *slots;
    size_t cap, n;       /* cap a power of two */
    unsigned lmin, rmin; /* the language's lefthyphenmin/righthyphenmin */
    double penalty;      /* its \hyphenpenalty */
};

/* Known bad breaks of the English dictionaries shipped by Debian
 * (hyph_en_GB, hyph_en_US), with Merriam-Webster's division. */
static const char *const builtin_en[] = {
    "be-yond",
    "ter-ri-to-ry",
    "ter-ri-to-ries",
    "ter-ri-to-ri-al",
    "prom-i-nent",
    "prom-i-nence",
    "ev-i-dence",
    "ev-i-dent",
    "di-ag-no-sis",
    "di-ag-nos-tic",
    "mu-nic-i-pal",
    "mu-nic-i-pal-i-ty",
    "mu-nic-i-pal-i-ties",
    "knowl-edge",
    "pro-gramme",
    "pro-grammes",
    "de-vel-op-ment",
    "in-no-va-tion",
    "in-no-va-tive",
    "re-gion-al",
    "pol-i-cy",
    "pol-i-cies",
    "part-ner-ship",
    "part-ner-ships",
    "spe-cial-i-sa-tion",
    "in-ter-na-tion-al",
    "co-op-er-a-tion",
    "in-sti-tu-tion",
    "in-sti-tu-tions",
    "in-dus-tri-al",
    "par-tic-i-pants",
    "par-tic-i-pa-tion",
    "gov-ern-ance",
    "sus-tain-able",
    "en-tre-pre-neur-ial",
    "char-ac-ter-is-tics",
    "op-por-tu-ni-ties",
    "pri-or-i-ties",
    "re-sourc-es",
    "ex-pe-ri-ence",
    "ex-pe-ri-ences",
    "eco-nom-ic",
    "tech-nol-o-gy",
    "tech-no-log-i-cal",
    NULL,
};

/* English words that Spanish and Portuguese policy texts use as they are:
 * the Romance patterns split them by Romance syllables ("ha-cka-thon",
 * "wo-rks-hop", "fe-ed-back"); these keep the English division, as TeX's
 * Portuguese list keeps "hard-ware" and "soft-ware". */
#define ENGLISH_LOANS                                                                              \
    "hacka-thon", "hacka-thons", "work-shop", "work-shops", "bench-mark-ing", "soft-ware",         \
        "hard-ware", "start-up", "start-ups", "stake-hold-er", "stake-hold-ers", "net-work-ing",   \
        "feed-back", "mar-ket-ing", "clus-ter", "clus-ters"

/* Spanish (hyph_es_ES, Debian's hyphen-es): the patterns divide prefixed
 * and compound words by syllables across the joint, into pieces that read
 * wrongly ("latinoa-mericanas", "subna-cional", "pres-eleccionar",
 * "tran-satlántico"); these divide them at the joint, as the Ortografía de
 * la lengua española (2010) allows for compounds and prefixed words, and as
 * TeX's Spanish patterns (hyph-es) do. */
static const char *const builtin_es[] = {
    "la-ti-no-ame-ri-ca-no",
    "la-ti-no-ame-ri-ca-na",
    "la-ti-no-ame-ri-ca-nos",
    "la-ti-no-ame-ri-ca-nas",
    "ibe-ro-ame-ri-ca-no",
    "ibe-ro-ame-ri-ca-na",
    "ibe-ro-ame-ri-ca-nos",
    "ibe-ro-ame-ri-ca-nas",
    "cen-tro-ame-ri-ca-no",
    "cen-tro-ame-ri-ca-nos",
    "nor-te-ame-ri-ca-no",
    "nor-te-ame-ri-ca-nos",
    "his-pa-no-ame-ri-ca-no",
    "his-pa-no-ame-ri-ca-nos",
    "in-ter-ame-ri-ca-no",
    "in-ter-ame-ri-ca-na",
    "agro-ali-men-ta-rio",
    "agro-ali-men-ta-ria",
    "agro-ali-men-ta-rios",
    "agro-ali-men-ta-rias",
    "agro-ali-men-ta-ción",
    "in-ter-re-gio-nal",
    "in-ter-re-gio-na-les",
    "sub-na-cio-nal",
    "sub-na-cio-na-les",
    "sub-re-gio-nal",
    "sub-re-gio-na-les",
    "sub-re-gión",
    "sub-re-gio-nes",
    "pre-se-lec-cio-nar",
    "pre-se-lec-cio-na-do",
    "pre-se-lec-cio-na-da",
    "pre-se-lec-cio-na-dos",
    "pre-se-lec-cio-na-das",
    "pre-se-lec-ción",
    "trans-at-lán-ti-co",
    "trans-at-lán-ti-ca",
    "trans-at-lán-ti-cos",
    "trans-at-lán-ti-cas",
    ENGLISH_LOANS,
    NULL,
};

/* Portuguese (hyph_pt_PT, Debian's hyphen-pt-pt: the same patterns as
 * TeX's hyph-pt) divides Portuguese words by the syllables of the Acordo
 * Ortográfico; what it gets wrong in the sample's kind of text are English
 * words. */
static const char *const builtin_pt[] = {
    ENGLISH_LOANS,
    NULL,
};

typedef struct lang_rules {
    const char *lang;
    unsigned lmin, rmin;
    double penalty;
    const char *const *words;
} lang_rules;

static const lang_rules langs[] = {
    {"en", 2, 3, 50, builtin_en},
    {"es", 3, 3, 300, builtin_es},
    {"pt", 3, 3, 300, builtin_pt},
};

static uint32_t lower(uint32_t c)
{
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    return c;
}

static bool letter(uint32_t c)
{
    if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
    if (c < 0xC0) return false;
    if (c == 0xD7 || c == 0xF7) return false;
    return c <= 0x24F || (c >= 0x370 && c <= 0x52F) || (c >= 0x1E00 && c <= 0x1EFF);
}

/* The code point at s (at most len bytes) into *c; its length, 0 when
 * invalid. ASCII without the call: words are looked up for every word of
 * a hyphenating paragraph. */
static size_t decode(const char *s, size_t len, uint32_t *c)
{
    if (len && (unsigned char)*s < 0x80) {
        *c = (unsigned char)*s;
        return 1;
    }
    return rc_utf8_decode(s, len, c);
}

static exc *slot(const rc_hyph_exc *e, const char *key, size_t n)
{
    size_t i = (size_t)rc_hash_short(key, n) & (e->cap - 1);
    while (e->slots[i].key && (e->slots[i].klen != n || memcmp(e->slots[i].key, key, n) != 0))
        i = (i + 1) & (e->cap - 1);
    return &e->slots[i];
}

static void grow(rc_hyph_exc *e)
{
    size_t oc = e->cap;
    exc *old = e->slots;
    e->cap = oc ? oc * 2 : 64;
    e->slots = rc_arena_array(e->a, e->cap, sizeof *e->slots);
    for (size_t i = 0; i < oc; i++)
        if (old[i].key) *slot(e, old[i].key, old[i].klen) = old[i];
}

rc_hyph_exc *rc_hyph_exc_new(rc_arena *a, const char *lang)
{
    rc_hyph_exc *e = rc_arena_alloc(a, sizeof *e);
    e->a = a;
    e->lmin = LEFT_MIN;
    e->rmin = RIGHT_MIN;
    e->penalty = 50;
    grow(e);
    for (size_t l = 0; lang && l < sizeof langs / sizeof langs[0]; l++) {
        const lang_rules *r = &langs[l];
        if (strncmp(lang, r->lang, 2) != 0 || (lang[2] && lang[2] != '-' && lang[2] != '_'))
            continue;
        e->lmin = r->lmin;
        e->rmin = r->rmin;
        e->penalty = r->penalty;
        for (size_t i = 0; r->words[i]; i++)
            rc_hyph_exc_add(e, r->words[i], strlen(r->words[i]));
    }
    return e;
}

double rc_hyph_exc_penalty(const rc_hyph_exc *e)
{
    return e ? e->penalty : 50;
}

uint64_t rc_hyph_exc_digest(const rc_hyph_exc *e)
{
    if (!e) return 0;
    uint64_t h = rc_hash_bytes(&e->penalty, sizeof e->penalty, e->lmin * 131u + e->rmin);
    for (size_t i = 0; i < e->cap; i++) /* slot order: the same rules give the same table */
        if (e->slots[i].key)
            h = rc_hash_bytes(e->slots[i].key, e->slots[i].klen, h ^ e->slots[i].breaks ^ i);
    return h;
}

bool rc_hyph_exc_add(rc_hyph_exc *e, const char *word, size_t len)
{
    char key[4 * MAX_LETTERS + 1];
    size_t kl = 0, letters = 0;
    uint64_t breaks = 0;
    bool prev_hyphen = true; /* no hyphen first */
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = rc_utf8_decode(word + i, len - i, &c);
        if (k == 0) return false;
        i += k;
        if (c == '-') {
            if (prev_hyphen) return false; /* leading or doubled hyphen */
            breaks |= 1ULL << (letters - 1);
            prev_hyphen = true;
            continue;
        }
        if (!letter(c) || letters == MAX_LETTERS) return false;
        kl += rc_utf8_encode(lower(c), key + kl);
        letters++;
        prev_hyphen = false;
    }
    if (letters == 0 || prev_hyphen) return false; /* empty or a trailing hyphen */
    if (2 * (e->n + 1) > e->cap) grow(e);
    exc *s = slot(e, key, kl);
    if (!s->key) {
        s->key = rc_arena_alloc(e->a, kl + 1);
        memcpy(s->key, key, kl);
        s->klen = kl;
        e->n++;
    }
    s->breaks = breaks; /* a later entry (the INI's) replaces a built-in one */
    return true;
}

/* The exception for the letters at word[s..e) (n code points), or NULL. */
static const exc *find(const rc_hyph_exc *ex, const char *word, size_t s, size_t e, size_t n)
{
    if (n > MAX_LETTERS) return NULL;
    char key[4 * MAX_LETTERS + 1];
    size_t kl = 0;
    for (size_t i = s; i < e;) {
        uint32_t c;
        size_t k = decode(word + i, e - i, &c);
        if (k == 0) return NULL;
        uint32_t lc = lower(c);
        if (lc < 0x80)
            key[kl++] = (char)lc;
        else
            kl += rc_utf8_encode(lc, key + kl);
        i += k;
    }
    const exc *x = slot(ex, key, kl);
    return x->key ? x : NULL;
}

static size_t drop_between(size_t *pos, size_t n, size_t lo, size_t hi)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (pos[i] <= lo || pos[i] >= hi) pos[o++] = pos[i];
    return o;
}

static size_t insert_sorted(size_t *pos, size_t n, size_t cap, size_t v)
{
    if (n >= cap) return n;
    size_t i = n;
    while (i > 0 && pos[i - 1] > v) {
        pos[i] = pos[i - 1];
        i--;
    }
    pos[i] = v;
    return n + 1;
}

/* Drops the points of a letter run (code points at offs[0..n)) that leave
 * fewer than lmin letters before or rmin after the break. */
static size_t enforce_minima(const rc_hyph_exc *ex, size_t *pos, size_t npos, const size_t *offs,
                             size_t n)
{
    if (ex->lmin <= LEFT_MIN && ex->rmin <= RIGHT_MIN) return npos; /* hyph.c's own */
    size_t o = 0;
    for (size_t i = 0; i < npos; i++) {
        bool keep = true;
        for (size_t b = 1; b < n; b++)
            if (pos[i] == offs[b]) {
                keep = b >= ex->lmin && n - b >= ex->rmin;
                break;
            }
        if (keep) pos[o++] = pos[i];
    }
    return o;
}

size_t rc_hyph_exc_apply(const rc_hyph_exc *ex, const char *word, size_t len, size_t *pos,
                         size_t npos, size_t cap)
{
    if (!ex || !word) return npos;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t k = decode(word + i, len - i, &c);
        if (k == 0) return npos;
        if (!letter(c)) {
            i += k;
            continue;
        }
        /* a maximal letter run [s, e) of n code points */
        size_t s = i, n = 0, offs[MAX_LETTERS + 1];
        while (i < len && (k = decode(word + i, len - i, &c)) != 0 && letter(c)) {
            if (n <= MAX_LETTERS) offs[n] = i;
            n++;
            i += k;
        }
        if (n > MAX_LETTERS) continue; /* longer than any dictionary word hyph.c takes */
        const exc *x = ex->n ? find(ex, word, s, i, n) : NULL;
        if (!x) {
            npos = enforce_minima(ex, pos, npos, offs, n);
            continue;
        }
        npos = drop_between(pos, npos, s, i);
        for (size_t b = ex->lmin - 1; b + ex->rmin < n; b++)
            if (x->breaks >> b & 1) npos = insert_sorted(pos, npos, cap, offs[b + 1]);
    }
    return npos;
}
