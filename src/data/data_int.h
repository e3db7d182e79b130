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

/* Uniqueness of key values (keys.c), 16 bytes per key: add every key (its
 * 64-bit hash and position), find the candidates (keys sharing a hash),
 * read their texts again in file order (rc_keys_want / rc_keys_set_text
 * from a second pass over the file), then check. */
typedef struct rc_key_ent {
    unsigned line, col;
} rc_key_ent;

typedef struct rc_keys {
    uint64_t *hash; /* per key */
    rc_key_ent *e;
    size_t n, cap;
    uint32_t *cand; /* keys sharing a hash with another, in file order */
    char **text;    /* their texts, once read again (malloc'd) */
    size_t ncand, next;
} rc_keys;

#define RC_KEYS_MAX_REPORT 50
void rc_keys_init(rc_keys *k);
void rc_keys_free(rc_keys *k);
/* Returns false when memory runs out. */
bool rc_keys_add(rc_keys *k, const char *s, size_t len, unsigned line, unsigned col);
/* Finds the keys that share a hash; returns how many (0: all unique). */
size_t rc_keys_candidates(rc_keys *k);
/* During the second pass: whether the key cell at (line, col) is the next
 * candidate, and its text (trimmed, as added). */
bool rc_keys_want(const rc_keys *k, unsigned line, unsigned col);
bool rc_keys_set_text(rc_keys *k, const char *s, size_t len);
/* Reports each later occurrence of a key (at most RC_KEYS_MAX_REPORT, in
 * file order) as an error; returns the number of duplicates. */
size_t rc_keys_check(rc_keys *k, rc_diag *d, const char *file, const char *field);

/* A slot of a field's code tables. In the probing table (tab) a code of up
 * to 8 bytes is identified by its length and rc_code_key; longer ones have
 * len 0xFFFF and are compared in full. In the collision-free table (ptab)
 * key is rc_padded_key, tail rc_tail_key and len the length. */
typedef struct rc_code_slot {
    uint64_t key;
    uint64_t tail;
    uint32_t idx1; /* code index + 1; 0 = empty slot */
    uint16_t len;
    uint8_t missing; /* ptab: the code is also a missing code (missing wins) */
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
    rc_code_slot *ptab; /* collision-free table over (first 8 bytes, length), or NULL */
    uint64_t pmul;
    unsigned pshift;
    unsigned char level1[256]; /* likert: level + 1 of a one-byte answer that is
                                * no missing code, else 0 */
    size_t csvcol;             /* the loader's CSV column */
    struct rc_col *col;        /* and batch column */
    bool slow;                 /* cells are typed as rc_value (rows or texts kept) */
    bool raw;                  /* category: no code begins or ends with a space or tab,
                                * so an untrimmed cell equal to a code is that code */
    size_t *codelen;
    bool likert_direct;     /* likert codes are exactly min..max in order */
    char sep;               /* multi: the separator when it is one byte, else 0 */
    size_t nlevels;         /* coded fields: code indexes (likert: scale levels) */
    struct rc_drops *drops; /* values that could not be used (quality.c), or NULL */
    size_t nonmissing;
} rc_field_rt;

/* Values of one field that could not be used (quality.c): counted, with
 * the first location and the most frequent distinct values, and reported
 * once per field and reason when the source is read. */
typedef struct rc_drop_val {
    const char *s;
    size_t n;
} rc_drop_val;

#define RC_DROP_MAX_DISTINCT 1000 /* distinct values remembered per field */

typedef struct rc_drops {
    size_t cells[RC_DROP_COUNT];    /* cells read as missing because of it */
    size_t mentions[RC_DROP_COUNT]; /* values left out (a multi cell may hold several) */
    size_t partial;                 /* multi: answered cells that also lost a code */
    rc_loc first[RC_DROP_COUNT];
    rc_strset seen; /* value -> index into vals */
    rc_drop_val *vals;
    size_t nvals, capvals, others; /* others: values past RC_DROP_MAX_DISTINCT */
    size_t listy[3];               /* values containing '|', ';', ',' */
    bool in_cell;                  /* a value of the current (multi) cell was left out */
} rc_drops;

/* Counts one value of rt's field left out for reason why, at loc. */
void rc_drop_value(rc_field_rt *rt, rc_arena *a, rc_drop_reason why, rc_loc loc, const char *s,
                   size_t len);
/* Ends a multi cell after rc_drop_value calls: missing says whether no
 * code of the cell was usable. */
void rc_drop_cell_end(rc_field_rt *rt, rc_drop_reason why, bool missing);
/* One warning per field and reason with the count, the first location and
 * the values (plus a note when the values look like undeclared lists), and
 * the field's quality row. nrows = rows of the source. */
void rc_drop_report(const rc_field_rt *rt, rc_arena *a, rc_diag *d, size_t nrows,
                    rc_field_quality *q);

void rc_field_rt_init(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f);
/* Code indexes of a coded field (likert: at least the scale's levels; multi:
 * at most 64), 0 for other types. */
size_t rc_field_levels(const rc_field_cfg *f);

/* The key of a code's bytes: with its length, it identifies a code of up to
 * 8 bytes (two overlapping 4-byte loads, or three bytes for 1..3). */
static inline uint64_t rc_code_key(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + len - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << 32;
    }
    if (len == 0) return 0;
    return (uint64_t)u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16;
}

/* Not rc_hash_bytes (rc/hash.h): the code is already packed into one word
 * (rc_code_key), so one Fibonacci multiply is the whole hash, inlined into
 * the per-cell loop, and perfect_table (value.c) tries other multipliers. */
static inline size_t rc_code_hash(uint64_t key, size_t len)
{
    uint64_t h = (key ^ (uint64_t)len << 59) * 0x9E3779B97F4A7C15ull; /* Fibonacci hashing */
    return (size_t)(h >> 40);
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

/* The slot of the declared code s[0..len), or NULL. */
static inline __attribute__((always_inline)) const rc_code_slot *
rc_find_slot(const rc_field_rt *rt, const char *s, size_t len)
{
    uint64_t key = rc_code_key(s, len);
    size_t h = rc_code_hash(key, len) & rt->tabmask;
    uint16_t l16 = len <= 8 ? (uint16_t)len : 0xFFFF;
    for (const rc_code_slot *e; (e = &rt->tab[h])->idx1 != 0; h = (h + 1) & rt->tabmask)
        if (e->key == key && e->len == l16 &&
            (len <= 8 ||
             (rt->codelen[e->idx1 - 1] == len && rc_same(rt->codes[e->idx1 - 1].code, s, len))))
            return e;
    return NULL;
}

/* Index of the declared code s[0..len), or -1. */
static inline int rc_find_code(const rc_field_rt *rt, const char *s, size_t len)
{
    const rc_code_slot *e = rc_find_slot(rt, s, len);
    return e ? (int)e->idx1 - 1 : -1;
}

/* The first min(len, 8) bytes of s as a word (the others zero), from a
 * string that may be read 8 bytes on (see RC_CSV_PAD); no branch on len. */
static inline uint64_t rc_padded_key(const char *s, size_t len)
{
    uint64_t k;
    memcpy(&k, s, 8);
    size_t n = len < 8 ? len : 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return n ? k & ~(~(uint64_t)0 >> (8 * n)) : 0;
#else
    return n ? k & (~(uint64_t)0 >> (64 - 8 * n)) : 0;
#endif
}

/* The last 8 bytes of a string longer than 8 bytes, else 0. */
static inline uint64_t rc_tail_key(const char *s, size_t len)
{
    uint64_t k = 0;
    if (len > 8) memcpy(&k, s + len - 8, 8);
    return k;
}

/* The declared code s[0..len) (len > 0, s padded as for rc_padded_key), or
 * NULL: one slot of a collision-free table where the field has one. Codes
 * of up to 16 bytes are identified by their first and last 8 bytes. */
static inline __attribute__((always_inline)) const rc_code_slot *
rc_find_padded(const rc_field_rt *rt, const char *s, size_t len)
{
    if (!rt->ptab) return rc_find_slot(rt, s, len);
    uint64_t key = rc_padded_key(s, len);
    const rc_code_slot *e = &rt->ptab[((key ^ len) * rt->pmul) >> rt->pshift];
    if (e->key != key || e->len != len || !e->idx1 || e->tail != rc_tail_key(s, len)) return NULL;
    if (len > 16 && !rc_same(rt->codes[e->idx1 - 1].code, s, len)) return NULL;
    return e;
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

/* Rows are typed into batches of up to RC_BATCH, stored by column as bit
 * sets: for each code of a coded field, the rows that have it (a bitmap
 * index of the batch), and the rows whose value is missing. A filter is
 * then a few word operations per 64 rows and a count is a popcount. */
#define RC_BATCH 512
#define RC_BW (RC_BATCH / 64) /* words of a batch bit set */

typedef struct rc_col {
    rc_field_type type;
    uint64_t miss[RC_BW]; /* bit r: row r's value is missing */
    uint64_t *bits;       /* category/likert/multi: nlevels x RC_BW words; word w of
                           * code c at c * RC_BW + w. Multi: every code mentioned. */
    size_t nlevels;
    double *num;       /* integer/number: row r's value (NaN when missing) */
    const char **text; /* when wanted (text fields read by filters or distinct
                        * counts, every field when rows are kept): row r's text */
} rc_col;

typedef struct rc_batch {
    size_t n; /* rows */
    size_t ncols;
    rc_col *cols;
    const rc_value *rows;  /* the same rows, row-major, when rows are kept, else NULL */
    const unsigned *lines; /* CSV line of each row */
} rc_batch;

/* Column storage for a source's fields (want_text: per field, or NULL = none). */
void rc_batch_init(rc_batch *b, rc_arena *a, const rc_source_cfg *src, const bool *want_text);
/* Empties the batch (n = 0, every bit clear). */
void rc_batch_clear(rc_batch *b);
/* Stores a typed value as row r of column k (bits of row r must be clear). */
void rc_batch_put(rc_batch *b, size_t k, size_t r, const rc_value *v);

/* The first n bits of a batch bit set set, the others clear. */
static inline void rc_bits_first(uint64_t *w, size_t n)
{
    for (size_t i = 0; i < RC_BW; i++)
        w[i] = n >= (i + 1) * 64 ? ~(uint64_t)0
               : n > i * 64      ? ((uint64_t)1 << (n - i * 64)) - 1
                                 : 0;
}

/* Bits set in x: the SWAR count ("Hacker's Delight" 5-1), not a libgcc
 * call where the target has no popcnt instruction. */
static inline unsigned rc_popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Bits set in a & b over a batch's words. */
static inline size_t rc_popcount_and(const uint64_t *a, const uint64_t *b)
{
    size_t c = 0;
    for (size_t i = 0; i < RC_BW; i++)
        c += rc_popcount64(a[i] & b[i]);
    return c;
}

/* A filter program: the filters of one source's metrics and aggregates,
 * merged node by node (equal subexpressions are evaluated once per batch). */
typedef struct rc_fprog rc_fprog;
rc_fprog *rc_fprog_new(rc_arena *a);
/* Adds f; returns its slot (-1 for a NULL filter: every row). */
int rc_fprog_add(rc_fprog *p, const rc_filter *f);
/* Marks in used[] the columns whose text a filter of p compares. */
void rc_fprog_text_cols(const rc_fprog *p, bool *used);
/* Evaluates every slot over the batch. */
void rc_fprog_run(rc_fprog *p, const rc_batch *b);
/* The rows of the last batch matching slot (bits past the batch clear). */
const uint64_t *rc_fprog_bits(const rc_fprog *p, int slot);

/* Metric and aggregate accumulators (aggregate.c). */
typedef struct rc_accs rc_accs;

/* Checks metric/aggregate references, compiles their filters and sets up
 * accumulators. Problems are reported; *config_errors counts them. */
rc_accs *rc_accs_new(rc_arena *a, const rc_config *cfg, rc_diag *d, size_t *config_errors);
/* True when a rows aggregate reads source src. */
bool rc_accs_wants_rows(const rc_accs *acc, size_t src);
/* Marks in want[] the fields of source src whose texts the accumulators
 * read (text fields in filters and distinct counts). */
void rc_accs_text_cols(const rc_accs *acc, size_t src, bool *want);
/* Feeds a batch of typed rows of source src. */
void rc_accs_rows(rc_accs *acc, size_t src, const rc_batch *b);
/* Fills out->metrics and out->aggs. */
void rc_accs_finish(rc_accs *acc, const rc_config *cfg, rc_data *out);

#endif
