/* data_int: internals shared by the data stage's files (data.c loads and
 * types rows, aggregate.c accumulates metrics and aggregates, filter.c
 * compiles filters, strset.c hashes strings). Not a public interface. */
#ifndef RC_DATA_INT_H
#define RC_DATA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "rc/arena.h"
#include "rc/data.h"

/* An open-addressing hash set of byte strings with one unsigned value per
 * key, allocated in an arena (keys are copied, NUL-terminated). */
typedef struct rc_strset_ent {
    const char *s;
    uint32_t len;
    uint32_t hash;
    unsigned val;
} rc_strset_ent;

typedef struct rc_strset {
    rc_arena *a;
    rc_strset_ent *t;
    size_t cap, n;
} rc_strset;

void rc_strset_init(rc_strset *s, rc_arena *a);
/* Adds k if absent (with value val). Returns the entry and sets *added. */
rc_strset_ent *rc_strset_add(rc_strset *s, const char *k, size_t len, unsigned val, bool *added);
/* The entry for k, or NULL. */
const rc_strset_ent *rc_strset_find(const rc_strset *s, const char *k, size_t len);

/* Uniqueness of key values (keys.c): add every key, then check once. */
typedef struct rc_key_ent {
    uint32_t hash;
    uint32_t off; /* in blob */
    unsigned line, col;
} rc_key_ent;

typedef struct rc_keys {
    rc_key_ent *e;
    size_t n, cap;
    char *blob;
    size_t blen, bcap;
} rc_keys;

#define RC_KEYS_MAX_REPORT 50
void rc_keys_init(rc_keys *k);
void rc_keys_free(rc_keys *k);
/* Returns false when memory runs out. */
bool rc_keys_add(rc_keys *k, const char *s, size_t len, unsigned line, unsigned col);
/* Reports each later occurrence of a key (at most RC_KEYS_MAX_REPORT, in
 * file order) as an error; returns the number of duplicates. */
size_t rc_keys_check(rc_keys *k, rc_diag *d, const char *file, const char *field);

/* A slot of a field's code table: the code's bytes are inline (when short)
 * so a lookup touches one cache line. */
typedef struct rc_code_slot {
    uint32_t idx1; /* code index + 1; 0 = empty slot */
    uint32_t len;
    char text[24];
} rc_code_slot;

/* Per-field state of the loader: code lookup table, missing codes and
 * warning dedupe. */
typedef struct rc_field_rt {
    const rc_field_cfg *f;
    rc_field_type type; /* copies of f's hot members */
    int smin, smax;
    const rc_code *codes;
    const char **miss; /* missing codes: the field's list, else the source's */
    size_t *misslen, nmiss;
    uint64_t misslens;        /* bit n set: a missing code has n bytes (n < 63); bit 63: longer */
    struct rc_code_slot *tab; /* code hash table */
    size_t tabmask;
    size_t *codelen;
    bool likert_direct; /* likert codes are exactly min..max in order */
    rc_strset warned;   /* undeclared codes / out-of-scale values reported */
    size_t nwarned;
    size_t nonmissing;
} rc_field_rt;

void rc_field_rt_init(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f);

/* A cheap hash for short codes: length and three bytes. Collisions only
 * cost a probe; a match is confirmed byte by byte. */
static inline size_t rc_code_hash(const char *s, size_t len)
{
    if (len == 0) return 0;
    const unsigned char *u = (const unsigned char *)s;
    return len * 31u + u[0] * 131u + u[len - 1] * 7u + u[len / 2] * 17u;
}

/* memcmp(a, b, n) == 0 for the short strings of codes, without a call:
 * two overlapping word compares cover 4..16 bytes. */
static inline bool rc_same(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y, z, w;
        while (n > 16) {
            memcpy(&x, a, 8);
            memcpy(&y, b, 8);
            if (x != y) return false;
            a += 8, b += 8, n -= 8;
        }
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&z, a + n - 8, 8);
        memcpy(&w, b + n - 8, 8);
        return x == y && z == w;
    }
    if (n >= 4) {
        uint32_t x, y, z, w;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&z, a + n - 4, 4);
        memcpy(&w, b + n - 4, 4);
        return x == y && z == w;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/* Index of the declared code s[0..len), or -1. */
static inline int rc_find_code(const rc_field_rt *rt, const char *s, size_t len)
{
    size_t h = rc_code_hash(s, len) & rt->tabmask;
    for (const rc_code_slot *e; (e = &rt->tab[h])->idx1 != 0; h = (h + 1) & rt->tabmask)
        if (e->len == len &&
            rc_same(len <= sizeof e->text ? e->text : rt->codes[e->idx1 - 1].code, s, len))
            return (int)e->idx1 - 1;
    return -1;
}

/* The missing code equal to s[0..len), or NULL. */
static inline const char *rc_missing_code(const rc_field_rt *rt, const char *s, size_t len)
{
    if (!(rt->misslens >> (len < 63 ? len : 63) & 1)) return NULL;
    for (size_t i = 0; i < rt->nmiss; i++)
        if (rt->misslen[i] == len && rc_same(rt->miss[i], s, len)) return rt->miss[i];
    return NULL;
}

/* The common cells, typed inline by the loader: empty, a missing code, a
 * declared category code, a likert answer on the scale. Returns false for
 * anything else (which may need a diagnostic): use rc_value_parse_rt. */
static inline __attribute__((always_inline)) bool
rc_value_fast(const rc_field_rt *rt, const char *s, size_t len, rc_value *out)
{
    out->mask = 0;
    out->num = __builtin_nan("");
    if (len == 0) {
        out->missing = true;
        out->code = -1;
        out->text = "";
        return true;
    }
    const char *mc = rc_missing_code(rt, s, len);
    if (mc) {
        out->missing = true;
        out->code = -1;
        out->text = mc;
        return true;
    }
    if (rt->type == RC_FIELD_CATEGORY) {
        int k = rc_find_code(rt, s, len);
        if (k < 0) return false;
        out->missing = false;
        out->code = k;
        out->text = rt->codes[k].code;
        return true;
    }
    if (rt->type == RC_FIELD_LIKERT && rt->likert_direct && len <= 4) {
        int v = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9') return false;
            v = v * 10 + (s[i] - '0');
        }
        if (v < rt->smin || v > rt->smax || rt->codelen[v - rt->smin] != len) return false;
        out->missing = false;
        out->code = v - rt->smin;
        out->num = v;
        out->text = rt->codes[v - rt->smin].code;
        return true;
    }
    return false;
}
/* Types one trimmed cell s[0..len) (not necessarily NUL-terminated). The
 * value's text is the declared code or missing code when the cell is one,
 * else a NUL-terminated copy written at *room, which is advanced (the caller
 * provides len + 1 bytes). rt may be NULL (no lookup table; every warning is
 * reported). Returns false after reporting an error. */
bool rc_value_parse_rt(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f, const char *s,
                       size_t len, rc_loc loc, rc_diag *d, rc_value *out, char **room);

/* Rows are typed into batches of RC_BATCH and each filter is evaluated over
 * a whole batch into a bit set (bit i = row i matches). */
#define RC_BATCH 512
void rc_filter_batch(const rc_filter *f, const rc_value *rows, size_t ncols, size_t n,
                     uint64_t *out);

/* Metric and aggregate accumulators (aggregate.c). */
typedef struct rc_accs rc_accs;

/* Checks metric/aggregate references, compiles their filters and sets up
 * accumulators. Problems are reported; *config_errors counts them. */
rc_accs *rc_accs_new(rc_arena *a, const rc_config *cfg, rc_diag *d, size_t *config_errors);
/* True when a rows aggregate reads source src. */
bool rc_accs_wants_rows(const rc_accs *acc, size_t src);
/* Feeds n <= RC_BATCH typed rows (row-major, src->nfields values each) of
 * source src with their CSV lines. */
void rc_accs_rows(rc_accs *acc, size_t src, const rc_value *rows, const unsigned *lines, size_t n);
/* Fills out->metrics and out->aggs. */
void rc_accs_finish(rc_accs *acc, const rc_config *cfg, rc_data *out);

#endif
