/* data: rows + field declarations -> typed values; filters; named metrics;
 * aggregate tables (the numbers behind every figure and table). One pass
 * over each source updates every metric and aggregate that reads it, so
 * memory is proportional to the aggregates unless rows are kept (the data
 * workbook and listing tables need them). Everything lives in the arena. */
#ifndef RC_DATA_H
#define RC_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"
#include "rc/status.h"

/* One typed cell. */
typedef struct rc_value {
    bool missing;
    int code;         /* category/likert: index into field->codes, -1 if missing */
    uint64_t mask;    /* multi: bit i set when codes[i] is mentioned (<= 64 codes) */
    double num;       /* integer/number/likert numeric value */
    const char *text; /* the raw cell text (trimmed), NUL-terminated */
} rc_value;

/* Why a value in a cell was not used. */
typedef enum rc_drop_reason {
    RC_DROP_UNDECLARED,   /* category/multi: a code not among 'values' */
    RC_DROP_OUT_OF_SCALE, /* likert: a whole number outside 'scale' */
    RC_DROP_COUNT
} rc_drop_reason;

/* The data quality of one field: every data row of its source is answered,
 * missing (an empty cell or a missing code) or dropped (it held a value
 * that could not be used, and was read as missing):
 *   answered + missing + dropped[0] + dropped[1] = rows.
 * A multi cell that keeps at least one declared code is answered; when it
 * also lost an undeclared one it is counted in 'partial' too. */
typedef struct rc_field_quality {
    size_t answered, missing;
    size_t dropped[RC_DROP_COUNT];
    size_t partial;
    rc_loc first[RC_DROP_COUNT]; /* the first dropped value (line 0: none) */
} rc_field_quality;

/* A source after loading. rows is NULL unless rows were kept. */
typedef struct rc_source_data {
    const rc_source_cfg *cfg;
    size_t nrows;
    size_t ncols;       /* = cfg->nfields */
    rc_value *rows;     /* nrows * ncols, row-major, or NULL */
    unsigned *row_line; /* CSV line of each kept row, or NULL */
    char sha256[65];    /* of the file as read */
    size_t bytes;
    rc_field_quality *quality; /* ncols entries, in field order */
} rc_source_data;

typedef struct rc_metric_value {
    const rc_metric_cfg *cfg;
    const char *name;
    double value;  /* NaN when undefined (mean of nothing) */
    bool integral; /* counts, distincts, sums of integers */
} rc_metric_value;

/* An aggregate is a matrix: rows x cols, with labels for both.
 *  distribution: rows = codes of field (declared order unless order=...),
 *                cols = groups of 'by' (or one column "All");
 *                value = count, share = count / total[col] (respondents with
 *                a non-missing answer in that group; for multi fields the
 *                share of respondents mentioning the code).
 *  likert:       rows = items (fields), cols = scale levels;
 *                value = count, share = count / answered[row];
 *                answered, mean, median, top2 (share of the two highest levels)
 *                per row.
 *  distinct:     rows = groups of 'by' (declared order, groups with no row
 *                omitted) or one row; cols = 1; value = distinct count.
 *  sum:          as distinct, value = sum.
 *  rows:         rows = matching data rows, cols = fields; cell = display text
 *                (category labels, not codes).
 * Details: groups of 'by' with no matching row are omitted for distribution
 * too (rows whose 'by' value is missing are left out of grouped matrices);
 * a share whose denominator is 0 is 0, a mean or median of nothing is NaN.
 * order = count sorts distribution rows by their total over the columns,
 * likert items by top2, distinct/sum groups by value (descending, ties in
 * declared order); order = label sorts by label (byte order). Row/col codes
 * are the declared codes ("all" for the single group; likert levels "1".."5";
 * likert and listing rows use field names as col/row codes). For rows:
 * row_label = "1", "2", ... in listing order, row_code = the CSV line, and
 * value holds the numbers of numeric fields (NaN elsewhere). */
typedef struct rc_agg {
    const rc_aggregate_cfg *cfg;
    const char *name;
    rc_agg_kind kind;
    size_t nrows, ncols;
    const char **row_label, **row_code;
    const char **col_label, **col_code;
    double *value;                           /* nrows * ncols */
    double *share;                           /* nrows * ncols, or NULL */
    double *total;                           /* per column (distribution), or NULL */
    double *answered, *mean, *median, *top2; /* per row (likert), or NULL */
    const char **cell;                       /* nrows * ncols (rows kind), or NULL */
    const rc_field_cfg *field;               /* the main field (distribution, distinct, sum) */
    const rc_field_cfg *by;                  /* grouping field or NULL */
    const rc_field_cfg **fields;             /* likert items / listing columns (nfields) */
    size_t nfields;
} rc_agg;

typedef struct rc_data {
    const rc_config *cfg;
    rc_source_data *sources;
    size_t nsources; /* same order as cfg->sources */
    rc_metric_value *metrics;
    size_t nmetrics; /* same order as cfg->metrics */
    rc_agg *aggs;
    size_t naggs; /* same order as cfg->aggregates */
} rc_data;

enum {
    RC_DATA_KEEP_ROWS = 1, /* keep every typed row (data workbook) */
    RC_DATA_NO_HASH = 2    /* skip the SHA-256 of each source (sha256 stays ""):
                            * for commands that write no provenance, e.g. metrics */
};

/* Reads every source, types every cell, evaluates every metric and
 * aggregate. Reports all problems of the stage (unknown columns with a
 * suggestion, bad filters, undeclared codes as warnings, out-of-scale
 * Likert answers as warnings, ...). Returns RC_OK, RC_ERR_CONFIG (the
 * config refers to things that do not exist), RC_ERR_DATA or RC_ERR_IO. */
rc_status rc_data_build(rc_arena *a, const rc_config *cfg, unsigned flags, rc_diag *d,
                        rc_data *out);

/* The data of an edition (rc_config_editions) from the base configuration's
 * data: the same numbers, with the edition's labels (codes, fields, the
 * word for "All"); aggregates with order = label are sorted again. Nothing
 * is read or counted again. out shares base's numbers; both live in a. */
rc_status rc_data_for_edition(rc_arena *a, const rc_data *base, const rc_config *edition,
                              rc_data *out);

const rc_metric_value *rc_data_metric(const rc_data *data, const char *name);
const rc_agg *rc_data_agg(const rc_data *data, const char *name);
const rc_source_data *rc_data_source(const rc_data *data, const char *name);

/* Index of the cell (row r, col c) of an aggregate matrix. */
static inline size_t rc_agg_at(const rc_agg *g, size_t r, size_t c)
{
    return r * g->ncols + c;
}

/* Filters: "field = code", "field != code", "field in (a, b)",
 * "field >= 4" (likert/number/integer; also > < <=), "field is missing",
 * "field is not missing", combined with and / or / not and parentheses.
 * On a multi field '=' and 'in' mean "mentions". Codes may be quoted with
 * "..." when they contain spaces or punctuation ("" for a quote inside).
 * Also "field not in (a, b)". A missing value satisfies none of = != in
 * 'not in' < <= > >=, only "is missing": "continent != EU" selects the rows
 * with a continent other than EU, not the rows without one. */
typedef struct rc_filter rc_filter;

/* Compiles expr against a source's fields; reports errors at the exact
 * line:col inside the value (continuation lines included) and returns NULL. */
rc_filter *rc_filter_compile(rc_arena *a, const rc_source_cfg *src, const rc_str *expr, rc_diag *d);
/* Evaluates on one row of values (ncols = src->nfields). NULL filter = true. */
bool rc_filter_eval(const rc_filter *f, const rc_value *row);

/* Types one raw cell for a field (used by the loader and by tests). Returns
 * false and reports to d (at loc) when the text is not valid for the type;
 * warnings (undeclared code, out of scale) are reported but return true. */
bool rc_value_parse(rc_arena *a, const rc_field_cfg *f, const char *text, size_t len, rc_loc loc,
                    rc_diag *d, rc_value *out);

/* Display text of a value: category label, multi labels joined by "; ",
 * numbers formatted plainly ("" when missing). */
const char *rc_value_display(rc_arena *a, const rc_field_cfg *f, const rc_value *v);

#endif
