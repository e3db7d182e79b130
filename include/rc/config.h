/* config: the INI file -> a typed rc_config. Every value keeps the location
 * (file:line:col of its first character) so later stages can point at it.
 * The config is allocated in the build arena and read-only after loading.
 *
 * Syntax summary (docs/config.md is the full reference):
 *   [report]            metadata: title, subtitle, series, authors (a | b | c),
 *                       year, language, date, eur, isbn, issn, doi,
 *                       catalogue, publisher, place, contact_name,
 *                       contact_address, contact_email, contact_phone,
 *                       website, keywords (a | b), copyright, disclaimer,
 *                       cover_note, sample_identifiers (yes/no),
 *                       languages (en, es, pt: one edition each), strict
 *   [output]            directory, basename, pdf, tex, data_xlsx,
 *                       figures_xlsx, formats (pdf, tex, xlsx)
 *   [style]             palette (#rrggbb, ...), font_dir, font_regular,
 *                       font_italic, font_bold, font_bold_italic,
 *                       font_light, font_size, hyphenation (a .dic path),
 *                       hyphenate (yes/no), hyphenation_exceptions
 *                       (words with hyphens at their breaks: be-yond)
 *   [document]          cover, imprint, contents, back_cover (yes/no);
 *                       front, chapters, back, annexes (lists of .md files);
 *                       lists (figures, tables, boxes, in order)
 *   [source NAME]       file, delimiter (, ; tab), header (row number),
 *                       key (field name), missing (codes|separated|by|bars)
 *   [field SRC.NAME]    column, label, type (category multi likert integer
 *                       number text), values (code: label | code: label),
 *                       scale (1..5), separator (multi), missing
 *   [metric NAME]       source, op (count sum mean share distinct min max),
 *                       field, where, of, format, label
 *   [aggregate NAME]    source, kind (distribution likert distinct sum rows),
 *                       field, fields, by, where, order, label
 *   [figure NAME]       type, aggregate, value (count|share), caption,
 *                       source, note, height (mm), width (0..1 of text),
 *                       items (tiles), data/left/left_group/right/
 *                       right_group/color (pairings diagram)
 *   [table NAME]        caption, source, note, aggregate | file, columns,
 *                       widths
 *   [box NAME]          title, file
 *   [edition LANG]      file: the INI file holding that language's texts
 * Lists are comma-separated unless said otherwise; 'values', 'missing', 'authors', 'keywords',
 * 'columns' and 'items' use '|' because labels may contain commas. Inline ';' comments are not
 * recognised (';' is a legal value), only full-line comments. */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/status.h"

/* Where one line of a value continued over several INI lines starts: its
 * byte offset in the joined value and the line and column it was read from. */
typedef struct rc_str_seg {
    size_t off;
    unsigned line, col;
} rc_str_seg;

/* A string value and where it was written. s is never NULL for a present
 * key; for an absent key s is NULL and loc points at the section header.
 * A value continued over several lines (joined with one space) also has
 * segs, one per line, so a byte offset maps back to its own line:col. */
typedef struct rc_str {
    const char *s;
    rc_loc loc;
    const rc_str_seg *segs; /* NULL for a one-line value */
    size_t nsegs;
} rc_str;

/* The location of byte `off` of s->s: loc moved along the line, or on the
 * continuation line that holds it. */
rc_loc rc_str_loc(const rc_str *s, size_t off);

typedef struct rc_strlist {
    rc_str *v;
    size_t n;
} rc_strlist;

typedef enum rc_field_type {
    RC_FIELD_CATEGORY,
    RC_FIELD_MULTI,
    RC_FIELD_LIKERT,
    RC_FIELD_INTEGER,
    RC_FIELD_NUMBER,
    RC_FIELD_TEXT
} rc_field_type;

/* A declared code and its display label, in declared order. For likert
 * fields the codes are the scale values ("1".."5"). */
typedef struct rc_code {
    const char *code;
    const char *label;
    rc_loc loc;
} rc_code;

typedef struct rc_field_cfg {
    rc_str name;   /* NAME of [field SRC.NAME]; used in filters */
    rc_str column; /* CSV header text (default: name) */
    rc_str label;  /* display label (default: column) */
    rc_field_type type;
    rc_loc type_loc;
    rc_code *codes; /* category / multi / likert labels */
    size_t ncodes;
    int scale_min, scale_max; /* likert (default 1..5) */
    rc_str separator;         /* multi: default ";" */
    rc_strlist missing;       /* missing-value codes; default: the source's */
    rc_loc loc;               /* the [field ...] header */
    struct rc_source_cfg *source;
    size_t index; /* position in source->fields */
} rc_field_cfg;

typedef struct rc_source_cfg {
    rc_str name;
    rc_str file;      /* as written (relative to the INI file) */
    const char *path; /* resolved path to open */
    char delimiter;   /* ',' ';' '\t' */
    rc_loc delimiter_loc;
    unsigned header_row; /* 1-based row holding the header (default 1) */
    rc_str key;          /* field name of the unique key (optional) */
    rc_strlist missing;  /* default missing codes: "" always, plus these */
    rc_field_cfg *fields;
    size_t nfields;
    rc_loc loc;
} rc_source_cfg;

typedef enum rc_metric_op {
    RC_METRIC_COUNT,    /* rows matching where */
    RC_METRIC_SUM,      /* sum of field over matching rows */
    RC_METRIC_MEAN,     /* mean of field over matching rows (missing skipped) */
    RC_METRIC_SHARE,    /* count(where and of) / count(of); 0..1 */
    RC_METRIC_DISTINCT, /* distinct non-missing values of field among matching rows */
    RC_METRIC_MIN,
    RC_METRIC_MAX
} rc_metric_op;

typedef struct rc_metric_cfg {
    rc_str name;
    rc_str source;
    rc_metric_op op;
    rc_loc op_loc;
    rc_str field;
    rc_str where;  /* filter expression, may be absent (all rows) */
    rc_str of;     /* share: denominator filter (absent: all rows) */
    rc_str format; /* placeholder default format, e.g. "percent:1" */
    rc_str label;  /* human description (workbook Metrics sheet) */
    rc_loc loc;
} rc_metric_cfg;

typedef enum rc_agg_kind {
    RC_AGG_DISTRIBUTION, /* category/multi field: count and share per code [per group] */
    RC_AGG_LIKERT,       /* likert items: counts per level, n, top-2, mean, median */
    RC_AGG_DISTINCT,     /* distinct values of field per group of 'by' */
    RC_AGG_SUM,          /* sum of field per group of 'by' */
    RC_AGG_ROWS          /* a listing: the 'fields' of each matching row */
} rc_agg_kind;

typedef struct rc_aggregate_cfg {
    rc_str name;
    rc_str source;
    rc_agg_kind kind;
    rc_loc kind_loc;
    rc_str field;
    rc_strlist fields; /* likert items / listing columns */
    rc_str by;         /* grouping field (optional for distribution) */
    rc_str where;
    rc_str order; /* "declared" (default), "count" (descending), "label" */
    rc_str label;
    rc_loc loc;
} rc_aggregate_cfg;

typedef enum rc_chart_type {
    RC_CHART_BAR,     /* vertical bars (columns) */
    RC_CHART_HBAR,    /* horizontal bars */
    RC_CHART_GROUPED, /* grouped bars by the aggregate's 'by' */
    RC_CHART_STACKED, /* stacked bars by the aggregate's 'by' */
    RC_CHART_LIKERT,  /* 100 % stacked bars, one per item */
    RC_CHART_PIE,
    RC_CHART_DOUGHNUT,
    RC_CHART_TILES,    /* key-figure tiles from metrics */
    RC_CHART_PAIRINGS, /* two columns of regions joined by lines */
    RC_CHART_TYPE_COUNT
} rc_chart_type;

typedef struct rc_figure_cfg {
    rc_str name;
    rc_chart_type type;
    rc_loc type_loc;
    rc_strlist aggregate; /* usually one; several draw side-by-side panels */
    rc_str value;         /* "count" or "share" (default share for pie/likert) */
    rc_str caption;
    rc_str source_line; /* key 'source' */
    rc_str note;
    rc_str alt;       /* alternative text for the PDF (key 'alt'); empty: from the data */
    double height_mm; /* drawing height; 0 = not set (chart sizes it by type/data) */
    double width;     /* fraction of the text width (default 1) */
    rc_strlist items; /* tiles: "metric: label" entries ('|'-separated) */
    rc_str data;      /* pairings: source name (key 'data') */
    rc_str left, left_group, right, right_group, color;
    rc_loc loc;
} rc_figure_cfg;

typedef struct rc_table_cfg {
    rc_str name;
    rc_str caption;
    rc_str source_line; /* key 'source' */
    rc_str note;
    rc_str aggregate;   /* generated from an aggregate, or */
    rc_str file;        /* a Markdown file holding one GFM table, or */
    rc_str quality;     /* a source's data-quality table (source name) */
    const char *path;   /* resolved file path */
    rc_strlist columns; /* header labels (override) */
    rc_strlist widths;  /* relative column widths */
    rc_loc loc;
} rc_table_cfg;

typedef struct rc_box_cfg {
    rc_str name;
    rc_str title;
    rc_str file;
    const char *path;
    rc_loc loc;
} rc_box_cfg;

typedef struct rc_report_cfg {
    rc_str title, subtitle, series, year, language, date;
    rc_strlist authors; /* '|'-separated */
    rc_str eur, isbn, issn, doi, catalogue, publisher, place;
    rc_str contact_name, contact_address, contact_email, contact_phone, website;
    rc_strlist keywords; /* '|'-separated */
    rc_str copyright, disclaimer, cover_note;
    bool sample_identifiers;
    rc_strlist languages; /* editions to build ('languages'); n == 0: one, in 'language' */
    bool strict;          /* 'strict': every warning is an error (as reportc --strict), a missing
                           * translation included */
    rc_loc loc;
} rc_report_cfg;

typedef struct rc_output_cfg {
    rc_str directory; /* relative to the INI file; default "out" beside it */
    const char *dir;  /* resolved */
    rc_str basename;  /* default: INI file name without .ini */
    rc_str pdf, tex, data_xlsx, figures_xlsx; /* file names inside dir */
    bool want_pdf, want_tex, want_xlsx;       /* from 'formats' (default all) */
    rc_str figures;                           /* 'figures': "svg" or "none" (default) */
    bool want_svg; /* figures = svg: dir/figures/figure-NN-name.svg beside the PDF */
    rc_loc loc;
} rc_output_cfg;

typedef struct rc_rgb {
    double r, g, b; /* 0..1 */
} rc_rgb;

typedef struct rc_style_cfg {
    rc_rgb palette[16];
    size_t npalette;          /* default: EC blue, yellow, tints, grey */
    const char *font_path[5]; /* regular, italic, bold, bold italic, light (resolved) */
    rc_loc font_loc[5];
    double font_size;        /* body size in pt (default 10) */
    const char *hyphenation; /* resolved .dic path; NULL = by language */
    rc_loc hyphenation_loc;
    bool hyphenate;
    rc_strlist hyphenation_exceptions; /* words with their breaks ("be-yond") */
    rc_loc loc;
} rc_style_cfg;

typedef struct rc_document_cfg {
    bool cover, imprint, contents, back_cover;
    rc_strlist front, chapters, back, annexes; /* Markdown files as written */
    const char **front_path, **chapter_path, **back_path, **annex_path; /* resolved */
    rc_strlist lists; /* "figures", "tables", "boxes" */
    rc_loc loc;
} rc_document_cfg;

typedef struct rc_cfgi rc_cfgi; /* the raw sections (config module only) */

typedef struct rc_config {
    const char *path; /* the INI file as given */
    const char *dir;  /* its directory */
    /* Editions: one complete configuration per language of 'languages',
     * made by rc_config_editions (NULL/0 before, and for a config without
     * 'languages'). editions[i]->edition is its language code; the base
     * language's entry is this config itself. */
    struct rc_config **editions;
    size_t neditions;
    const char *edition;      /* this config's edition language, or NULL (single) */
    const char *edition_path; /* the language file read for it, or NULL */
    rc_cfgi *raw;
    rc_report_cfg report;
    rc_output_cfg output;
    rc_style_cfg style;
    rc_document_cfg document;
    rc_source_cfg *sources;
    size_t nsources;
    rc_metric_cfg *metrics;
    size_t nmetrics;
    rc_aggregate_cfg *aggregates;
    size_t naggregates;
    rc_figure_cfg *figures;
    size_t nfigures;
    rc_table_cfg *tables;
    size_t ntables;
    rc_box_cfg *boxes;
    size_t nboxes;
} rc_config;

/* Loads and validates path. Reports every problem found to d. Returns
 * RC_OK or RC_ERR_CONFIG (diagnostics were reported; also when the file
 * cannot be read: a missing input is a usage/config error, exit 2). *out is allocated in a. After
 * RC_ERR_CONFIG *out holds what could be parsed (for tests and tools); it
 * must not be built from. Columns in locations count bytes from 1. */
rc_status rc_config_load(rc_arena *a, const char *path, rc_diag *d, rc_config **out);
/* Same, from a string (file is the name used in diagnostics; relative paths
 * resolve against base_dir). For tests and fuzzing. */
rc_status rc_config_parse(rc_arena *a, const char *file, const char *base_dir, const char *text,
                          size_t len, rc_diag *d, rc_config **out);

/* Builds c->editions from [report] languages and the [edition LANG]
 * sections: each edition is the base configuration with the texts of its
 * language file laid over it (docs/config.md, "Editions"). A text the
 * language file lacks falls back to the base text with a warning, or an
 * error when strict (--strict or [report] strict = yes). Returns RC_OK or
 * RC_ERR_CONFIG (reported). Without 'languages' it does nothing. */
rc_status rc_config_editions(rc_arena *a, rc_config *c, bool strict, rc_diag *d);
/* The path of the language file of the i-th [edition LANG] section that
 * names one (i from 0), resolved against the INI file's directory, whether
 * or not it can be read: a watcher watches it. NULL past the last. */
const char *rc_config_edition_file(rc_arena *a, const rc_config *c, size_t i);

/* Lookups by name (NULL when absent). */
const rc_source_cfg *rc_config_source(const rc_config *c, const char *name);
const rc_field_cfg *rc_config_field(const rc_source_cfg *s, const char *name);
/* What to add to "unknown field 'NAME' in source 'S'": the closest field
 * name of s as " (did you mean 'X'?)" (paren) or "; did you mean 'X'?", or
 * "" when none is close. */
const char *rc_config_field_hint(rc_arena *a, const rc_source_cfg *s, const char *name, bool paren);
const rc_metric_cfg *rc_config_metric(const rc_config *c, const char *name);
const rc_aggregate_cfg *rc_config_aggregate(const rc_config *c, const char *name);
const rc_figure_cfg *rc_config_figure(const rc_config *c, const char *name);
const rc_table_cfg *rc_config_table(const rc_config *c, const char *name);
const rc_box_cfg *rc_config_box(const rc_config *c, const char *name);

const char *rc_field_type_name(rc_field_type t);
const char *rc_chart_type_name(rc_chart_type t);
const char *rc_agg_kind_name(rc_agg_kind k);

#endif
