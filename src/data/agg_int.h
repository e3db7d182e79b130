/* agg_int: the accumulators shared by aggregate.c (set-up and per-row
 * updates) and agg_result.c (turning them into rc_metric_value / rc_agg).
 * Not a public interface. */
#ifndef RC_AGG_INT_H
#define RC_AGG_INT_H

#include "data_int.h"

/* Distinct values: a bit set over code indexes for coded fields, a hash set
 * of texts (or of the 8 bytes of a double) otherwise. */
typedef struct distinct {
    uint64_t *bits;
    size_t nwords;
    rc_strset set;
} distinct;

typedef struct macc {
    const rc_metric_cfg *cfg;
    bool ok;
    size_t src;
    const rc_field_cfg *field;
    const rc_filter *where, *of;
    int wslot, oslot; /* their slots in the source's filter program */
    double n, sum, min, max;
    double num, den;
    distinct dist;
} macc;

typedef struct gacc {
    const rc_aggregate_cfg *cfg;
    bool ok;
    size_t src;
    const rc_field_cfg *field, *by;
    const rc_field_cfg **fields;
    size_t nfields;
    const rc_filter *where;
    int wslot;
    size_t ngroups;              /* by ? by->ncodes : 1 */
    double *grouprows;           /* rows matching where, per group */
    double *counts;              /* distribution: code x group; likert: item x level */
    double *totals;              /* distribution: answered per group; likert: answered per item */
    double *sums;                /* likert: per item; sum: per group */
    distinct *dist;              /* distinct: per group */
    size_t nlevels;              /* likert */
    RC_VEC(const char **) cells; /* rows: one array of nfields strings per row */
    RC_VEC(unsigned) lines;
    RC_VEC(double *) nums;
} gacc;

struct rc_accs {
    rc_arena *a;
    macc *m;
    size_t nm;
    gacc *g;
    size_t ng;
    size_t nsrc;
    size_t **srcm, *srcnm; /* metric indexes per source */
    size_t **srcg, *srcng; /* aggregate indexes per source */
    bool *wants_rows;
    size_t *ncols;   /* fields per source */
    rc_fprog **prog; /* filters per source */
};

/* Number of distinct values collected. */
double rc_distinct_count(const distinct *ds);

#endif
