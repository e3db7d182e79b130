/* hyph_pat: a libhyphen pattern file read into a byte trie (see hyph_pat.h
 * for why this is not hnj_hyphen_load). The trie's edges live in one open
 * addressing table keyed by (node, byte); a node where a pattern ends points
 * into a pool holding the pattern's digits. Hyphenating a word walks the
 * trie from every position of ".word." (Liang 1983, the algorithm libhyphen's
 * state machine computes in one pass). */
#include "hyph_pat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/cache.h"
#include "rc/hash.h"

typedef struct edge {
    uint32_t key; /* (node << 8 | byte) + 1; 0 marks an empty slot */
    uint32_t child;
} edge;

struct rc_hyph_pat {
    edge *edges;
    uint32_t mask, nedges;
    uint32_t *val;  /* per node: 1 + offset of its digits in pool, or 0 */
    uint32_t *kids; /* per node: bit (byte & 31) set for each child byte; most
                     * lookups miss (a walk ends on one), and this answers
                     * them without probing the table */
    uint32_t nnodes, capnodes;
    unsigned char *pool; /* per pattern: count, then count digits 0..9 */
    uint32_t npool, cappool;
    /* While reading: the previous pattern's letters and the nodes on its
     * path (the files are sorted, so most of a pattern's path is shared). */
    unsigned char prev[64];
    uint32_t prev_node[64];
    size_t nprev;
    /* The root's children by byte, looked up once (set_root): every walk
     * starts there. */
    uint32_t root[256];
    /* Set when the arrays point into an mmap'd cache file (see cache_map). */
    void *map;
    size_t map_len;
    uint64_t digest; /* the dictionary's bytes (rc_hyph_pat_digest) */
};

enum { MAX_PATTERN = 64, MAX_NODES = 1u << 24 };

/* The table's keys are 32-bit integers looked up ~70,000 times a build (a
 * walk per letter of every hyphenated word): one multiplication (Fibonacci
 * hashing, the high half of a 64-bit product) instead of rc_hash_bytes,
 * which cost 4 M instructions more here. */
static uint32_t slot(uint32_t key, uint32_t mask)
{
    return (uint32_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32) & mask;
}

/* The child of node for byte c, or 0. The probe count and the child index
 * are bounded so that a damaged cache file cannot loop or read outside. */
static inline __attribute__((always_inline)) uint32_t child(const rc_hyph_pat *p, uint32_t node,
                                                            unsigned char c)
{
    if (!(p->kids[node] >> (c & 31) & 1)) return 0;
    uint32_t key = (node << 8 | c) + 1;
    uint32_t i = slot(key, p->mask);
    for (uint32_t probes = 0; probes <= p->mask; probes++, i = (i + 1) & p->mask) {
        if (p->edges[i].key == key) return p->edges[i].child < p->nnodes ? p->edges[i].child : 0;
        if (p->edges[i].key == 0) return 0;
    }
    return 0;
}

static bool rehash(rc_hyph_pat *p, uint32_t size)
{
    edge *e = calloc(size, sizeof *e);
    if (!e) return false;
    for (uint32_t k = 0; p->edges && k <= p->mask; k++) {
        if (!p->edges[k].key) continue;
        uint32_t i = slot(p->edges[k].key, size - 1);
        while (e[i].key)
            i = (i + 1) & (size - 1);
        e[i] = p->edges[k];
    }
    free(p->edges);
    p->edges = e;
    p->mask = size - 1;
    return true;
}

/* The child of node for byte c, created if missing; 0 when out of memory. */
static uint32_t add_child(rc_hyph_pat *p, uint32_t node, unsigned char c)
{
    uint32_t found = child(p, node, c);
    if (found) return found;
    if (p->nnodes == p->capnodes) {
        if (p->capnodes >= MAX_NODES / 2) return 0;
        uint32_t *v = realloc(p->val, 2 * (size_t)p->capnodes * sizeof *v);
        if (!v) return 0;
        memset(v + p->capnodes, 0, p->capnodes * sizeof *v);
        p->val = v;
        uint32_t *k = realloc(p->kids, 2 * (size_t)p->capnodes * sizeof *k);
        if (!k) return 0;
        memset(k + p->capnodes, 0, p->capnodes * sizeof *k);
        p->kids = k;
        p->capnodes *= 2;
    }
    if (2 * (p->nedges + 1) > p->mask + 1 && !rehash(p, 2 * (p->mask + 1))) return 0;
    uint32_t key = (node << 8 | c) + 1, i = slot(key, p->mask);
    while (p->edges[i].key)
        i = (i + 1) & p->mask;
    p->edges[i] = (edge){key, p->nnodes};
    p->kids[node] |= 1u << (c & 31);
    p->nedges++;
    return p->nnodes++;
}

/* One pattern line ("a2ch4", bytes up to the first space): its letters
 * become a path in the trie, its digits the values at the path's end.
 * Returns false when out of memory or the pattern is too long. */
static bool add_pattern(rc_hyph_pat *p, const unsigned char *s, size_t n, bool latin1)
{
    unsigned char digits[MAX_PATTERN + 1];
    size_t m = 0, shared = 0;
    uint32_t node = 0;
    digits[0] = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c >= '0' && c <= '9') {
            digits[m] = (unsigned char)(c - '0');
            continue;
        }
        /* ISO8859-1 letters become their two UTF-8 bytes, as words are UTF-8. */
        unsigned char u[2] = {c, 0};
        size_t nu = 1;
        if (latin1 && c >= 0x80) {
            u[0] = (unsigned char)(0xC0 | c >> 6);
            u[1] = (unsigned char)(0x80 | (c & 0x3F));
            nu = 2;
        }
        for (size_t k = 0; k < nu; k++) {
            if (m >= MAX_PATTERN) return false;
            if (shared == m && m < p->nprev && p->prev[m] == u[k]) {
                node = p->prev_node[m];
                shared++;
            } else {
                node = add_child(p, node, u[k]);
                if (!node) return false;
                p->prev[m] = u[k];
                p->prev_node[m] = node;
            }
            digits[++m] = 0;
        }
    }
    p->nprev = m;
    if (m == 0) return true;
    if (p->npool + m + 2 > p->cappool) {
        uint32_t cap = p->cappool * 2 + MAX_PATTERN + 2;
        unsigned char *pool = realloc(p->pool, cap);
        if (!pool) return false;
        p->pool = pool;
        p->cappool = cap;
    }
    /* A repeated pattern replaces the earlier one, as in libhyphen's table. */
    p->val[node] = p->npool + 1;
    p->pool[p->npool++] = (unsigned char)(m + 1);
    memcpy(p->pool + p->npool, digits, m + 1);
    p->npool += (uint32_t)(m + 1);
    return true;
}

static bool keyword(const unsigned char *s, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    return n >= k && memcmp(s, kw, k) == 0;
}

/* Parses the whole file; false for what hyph_pat.h says is left to libhyphen. */
static bool parse(rc_hyph_pat *p, const unsigned char *s, size_t n)
{
    size_t i = 0, line = 0;
    bool latin1 = false;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        const unsigned char *l = s + i;
        size_t ln = e - i;
        i = e + 1;
        if (line++ == 0) { /* the charset */
            while (ln && l[ln - 1] <= ' ')
                ln--;
            if (ln == 5 && memcmp(l, "UTF-8", 5) == 0) continue;
            if (ln == 9 && memcmp(l, "ISO8859-1", 9) == 0) {
                latin1 = true;
                continue;
            }
            return false;
        }
        if (ln == 0 || l[0] == '%') continue;
        if (keyword(l, ln, "NEXTLEVEL")) return false;
        if (keyword(l, ln, "LEFTHYPHENMIN") || keyword(l, ln, "RIGHTHYPHENMIN") ||
            keyword(l, ln, "COMPOUNDLEFTHYPHENMIN") || keyword(l, ln, "COMPOUNDRIGHTHYPHENMIN") ||
            keyword(l, ln, "NOHYPHEN"))
            continue;
        size_t k = 0;
        while (k < ln && l[k] > ' ') {
            if (l[k] == '/' || l[k] == '^') return false;
            k++;
        }
        if (!add_pattern(p, l, k, latin1)) return false;
    }
    return true;
}

/* The cache: a file holding the three arrays exactly as they are in memory,
 * behind a header naming the dictionary it was made from (its size and a
 * hash of its bytes), so a later run maps it instead of parsing. It lives in
 * the cache directory (rc/cache.h: $REPORTC_CACHE_DIR, else
 * $XDG_CACHE_HOME/reportc, else ~/.cache/reportc; REPORTC_CACHE_DIR set to
 * "" turns it off). It is an optimisation only: any
 * problem (no directory, a damaged or foreign file) means parsing as before,
 * and the outputs are the same either way. */
typedef struct cache_head {
    char magic[8];
    uint64_t dict_hash, dict_size;
    uint32_t mask, nnodes, npool, nedges;
} cache_head;

/* The format's version: bump it with any change to the layout or to slot(),
 * or old cache files would be read with the wrong table. */
static const char CACHE_MAGIC[8] = {'r', 'c', 'h', 'y', 'p', '4', (char)sizeof(void *), 0};

static rc_hyph_pat *cache_map(const char *file, uint64_t hash, uint64_t size)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(cache_head))
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return NULL;
    cache_head h;
    memcpy(&h, m, sizeof h);
    size_t len = (size_t)st.st_size;
    uint64_t want = sizeof h + ((uint64_t)h.mask + 1) * sizeof(edge) +
                    2 * (uint64_t)h.nnodes * sizeof(uint32_t) + h.npool;
    rc_hyph_pat *p = NULL;
    if (memcmp(h.magic, CACHE_MAGIC, sizeof h.magic) == 0 && h.dict_hash == hash &&
        h.dict_size == size && (h.mask & (h.mask + 1)) == 0 && h.mask < MAX_NODES * 2u &&
        h.nnodes > 0 && want == len && (p = calloc(1, sizeof *p))) {
        unsigned char *b = (unsigned char *)m + sizeof h;
        p->edges = (edge *)(void *)b;
        p->mask = h.mask;
        p->nedges = h.nedges;
        p->val = (uint32_t *)(void *)(b + ((size_t)h.mask + 1) * sizeof(edge));
        p->nnodes = h.nnodes;
        p->kids = p->val + h.nnodes;
        p->pool = (unsigned char *)(p->kids + h.nnodes);
        p->npool = h.npool;
        p->map = m;
        p->map_len = len;
        return p;
    }
    munmap(m, len);
    return NULL;
}

/* Writes p to file through a temporary name and a rename, so concurrent
 * builds never see half a cache. Failures are ignored (see above). */
static void cache_write(rc_hyph_pat *p, const char *dir, const char *file, uint64_t hash,
                        uint64_t size)
{
    /* The smallest table at most 60 % full: the file is mapped page by page. */
    uint32_t slots = 16;
    while (slots < MAX_NODES && (uint64_t)p->nedges * 5 > (uint64_t)slots * 3)
        slots *= 2;
    if (slots != p->mask + 1 && !rehash(p, slots)) return;
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s/.hyph-XXXXXX", dir) >= (int)sizeof tmp) return;
    int fd = mkstemp(tmp);
    if (fd < 0) return;
    cache_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
    h.dict_hash = hash;
    h.dict_size = size;
    h.mask = p->mask;
    h.nnodes = p->nnodes;
    h.npool = p->npool;
    h.nedges = p->nedges;
    FILE *f = fdopen(fd, "wb");
    bool ok = f && fwrite(&h, sizeof h, 1, f) == 1 &&
              fwrite(p->edges, sizeof(edge), (size_t)p->mask + 1, f) == (size_t)p->mask + 1 &&
              fwrite(p->val, sizeof(uint32_t), p->nnodes, f) == p->nnodes &&
              fwrite(p->kids, sizeof(uint32_t), p->nnodes, f) == p->nnodes &&
              fwrite(p->pool, 1, p->npool, f) == p->npool;
    if (f ? fclose(f) != 0 : close(fd) != 0) ok = false;
    if (!ok || rename(tmp, file) != 0) unlink(tmp);
}

/* The trie is complete (parsed or mapped): its root's children by byte. */
static rc_hyph_pat *set_root(rc_hyph_pat *p)
{
    for (unsigned c = 0; c < 256; c++)
        p->root[c] = child(p, 0, (unsigned char)c);
    return p;
}

rc_hyph_pat *rc_hyph_pat_load(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return NULL;
    size_t size = (size_t)st.st_size;
    uint64_t hash = rc_hash_bytes(m, size, 0x6879706870617431u); /* "hyphpat1" */
    char dir[4096], file[4200];
    bool cache = rc_cache_dir(dir, sizeof dir) &&
                 snprintf(file, sizeof file, "%s/hyph-%016llx-%llu.bin", dir,
                          (unsigned long long)hash, (unsigned long long)size) < (int)sizeof file;
    rc_hyph_pat *p = cache ? cache_map(file, hash, size) : NULL;
    if (p) {
        munmap(m, size);
        p->digest = rc_hash_bytes(&size, sizeof size, hash);
        return set_root(p);
    }
    p = calloc(1, sizeof *p);
    /* A table about twice the number of edges (at most one per byte). */
    uint32_t slots = 1u << 10;
    while (slots < (1u << 22) && slots < size)
        slots *= 2;
    bool ok = p && rehash(p, slots / 2);
    if (ok) {
        p->capnodes = 1u << 13;
        p->val = calloc(p->capnodes, sizeof *p->val);
        p->kids = calloc(p->capnodes, sizeof *p->kids);
        p->nnodes = 1; /* node 0 is the root */
        ok = p->val && p->kids && parse(p, m, size);
    }
    munmap(m, size);
    if (!ok) {
        rc_hyph_pat_free(p);
        return NULL;
    }
    if (cache) cache_write(p, dir, file, hash, size);
    p->digest = rc_hash_bytes(&size, sizeof size, hash);
    return set_root(p);
}

bool rc_hyph_pat_cached(const rc_hyph_pat *p)
{
    return p && p->map;
}

uint64_t rc_hyph_pat_digest(const rc_hyph_pat *p)
{
    return p ? p->digest : 0;
}

void rc_hyph_pat_free(rc_hyph_pat *p)
{
    if (!p) return;
    if (p->map) {
        munmap(p->map, p->map_len);
    } else {
        free(p->edges);
        free(p->val);
        free(p->kids);
        free(p->pool);
    }
    free(p);
}

void rc_hyph_pat_values(const rc_hyph_pat *p, const char *word, size_t len, unsigned char *hy)
{
    unsigned char w[258], v[259];
    if (len > 255) len = 255;
    size_t n = len + 2;
    w[0] = '.';
    memcpy(w + 1, word, len);
    w[n - 1] = '.';
    memset(v, 0, n + 1);
    /* v[k] is the value between w[k-1] and w[k]. */
    for (size_t i = 0; i < n; i++) {
        uint32_t node = p->root[w[i]];
        for (size_t k = i; node; node = ++k < n ? child(p, node, w[k]) : 0) {
            uint32_t at = p->val[node];
            if (!at || at > p->npool || p->pool[at - 1] > p->npool - at ||
                p->pool[at - 1] > n - i + 1)
                continue;
            const unsigned char *d = p->pool + at;
            for (size_t j = 0; j < d[-1]; j++)
                if (d[j] > v[i + j]) v[i + j] = d[j];
        }
    }
    for (size_t b = 0; b < len; b++)
        hy[b] = v[b + 2];
}
