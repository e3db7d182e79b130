/* hyph_exc: hyphenation exceptions, TeX's \hyphenation{} list. Liang's
 * patterns (libhyphen) get some words wrong in a way a typesetter would
 * reject ("bey-ond", "territ-ory", "dia-gnosis"); an exception gives the
 * whole word's break points, and they replace the dictionary's for every
 * letter run of a word that matches it, in any letter case. Each language
 * has a built-in list of the known bad dictionary breaks; the INI adds to it
 * ([style] hyphenation_exceptions = be-yond ter-ri-to-ry). The same
 * lefthyphenmin/righthyphenmin (2/3) as the dictionary's apply to an
 * exception's points, as TeX applies them.
 *
 * The table is an open-addressing hash in the build's arena, keyed by the
 * lower-cased letters, holding a bit per code-point boundary. */
#include <string.h>

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
    size_t cap, n; /* cap a power of two */
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

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static exc *slot(const rc_hyph_exc *e, const char *key, size_t n)
{
    size_t i = (size_t)hash(key, n) & (e->cap - 1);
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
    grow(e);
    if (lang && strncmp(lang, "en", 2) == 0)
        for (size_t i = 0; i < sizeof builtin_en / sizeof builtin_en[0]; i++)
            rc_hyph_exc_add(e, builtin_en[i], strlen(builtin_en[i]));
    return e;
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
        size_t k = rc_utf8_decode(word + i, e - i, &c);
        if (k == 0) return NULL;
        kl += rc_utf8_encode(lower(c), key + kl);
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

size_t rc_hyph_exc_apply(const rc_hyph_exc *ex, const char *word, size_t len, size_t *pos,
                         size_t npos, size_t cap)
{
    if (!ex || ex->n == 0 || !word) return npos;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t k = rc_utf8_decode(word + i, len - i, &c);
        if (k == 0) return npos;
        if (!letter(c)) {
            i += k;
            continue;
        }
        /* a maximal letter run [s, e) of n code points */
        size_t s = i, n = 0, offs[MAX_LETTERS + 1];
        while (i < len && (k = rc_utf8_decode(word + i, len - i, &c)) != 0 && letter(c)) {
            if (n <= MAX_LETTERS) offs[n] = i;
            n++;
            i += k;
        }
        const exc *x = find(ex, word, s, i, n);
        if (!x) continue;
        npos = drop_between(pos, npos, s, i);
        for (size_t b = LEFT_MIN - 1; b + RIGHT_MIN < n; b++)
            if (x->breaks >> b & 1) npos = insert_sorted(pos, npos, cap, offs[b + 1]);
    }
    return npos;
}
