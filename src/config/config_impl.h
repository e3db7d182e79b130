/* config_impl: internals shared by the three parts of the config module.
 *   config.c          bytes -> sections of raw keys (inih), entry points, lookups
 *   config_values.c   one raw value -> bool, number, list, colour, enum ...
 *   config_sections.c raw keys of one section -> the typed rc_*_cfg struct
 *   config_check.c    cross-references between sections, defaults that depend
 *                     on other sections, files that must exist
 * Not a public header: only the config module includes it. */
#ifndef RC_CONFIG_IMPL_H
#define RC_CONFIG_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/config.h"

/* A piece of a value as written: multi-line values are joined with one space
 * and each piece remembers where it started, so list items on continuation
 * lines get their own line:col. */
typedef rc_str_seg rc_cfgi_seg;

typedef struct rc_cfgi_key {
    const char *name;
    rc_loc name_loc;
    char *value; /* joined value (NUL-terminated) */
    size_t len;
    rc_loc value_loc;
    rc_cfgi_seg *segs;
    size_t nsegs, capsegs;
    const char *dir; /* paths in the value are relative to this; NULL: the INI file's */
} rc_cfgi_key;

/* Every section kind as X(enumerator suffix, header word, its keys, takes
 * a NAME): one list makes the enumeration and config.c's table of kinds.
 * The key arrays are config.c's; they are named in full, not pasted from
 * the word, so a search for one finds where it is used. */
#define RC_CFGI_KINDS(X)                                                                           \
    X(REPORT, "report", report_keys, false)                                                        \
    X(OUTPUT, "output", output_keys, false)                                                        \
    X(STYLE, "style", style_keys, false)                                                           \
    X(DOCUMENT, "document", document_keys, false)                                                  \
    X(SOURCE, "source", source_keys, true)                                                         \
    X(FIELD, "field", field_keys, true)                                                            \
    X(METRIC, "metric", metric_keys, true)                                                         \
    X(AGGREGATE, "aggregate", aggregate_keys, true)                                                \
    X(FIGURE, "figure", figure_keys, true)                                                         \
    X(TABLE, "table", table_keys, true)                                                            \
    X(BOX, "box", box_keys, true)                                                                  \
    X(EDITION, "edition", edition_keys, true) /* [edition LANG]: where one language's texts are */

/* clang-format off */
typedef enum rc_cfgi_kind {
#define RC_CFGI_KIND_ENUM(id, word, keys, named) RC_CFGI_##id,
    RC_CFGI_KINDS(RC_CFGI_KIND_ENUM)
#undef RC_CFGI_KIND_ENUM
    RC_CFGI_KIND_COUNT,
    RC_CFGI_BAD /* unknown or malformed header: keys are ignored */
} rc_cfgi_kind;
/* clang-format on */

typedef struct rc_cfgi_sec {
    rc_cfgi_kind kind;
    const char *name;  /* NAME part ("" for [report] etc.) */
    const char *title; /* "[source survey]" for messages */
    rc_loc loc;        /* the '[' of the header */
    rc_loc name_loc;   /* first character of NAME */
    bool ignored;      /* duplicate/bad header: keys are not stored */
    rc_cfgi_key *keys;
    size_t nkeys, capkeys;
} rc_cfgi_sec;

struct rc_cfgi {
    rc_arena *a;
    rc_diag *d;
    rc_config *c;
    const char *file; /* for diagnostics */
    rc_cfgi_sec *secs;
    size_t nsecs, capsecs;
    /* Reading an edition (config_edition.c): every key is the base file's,
     * checked when the base was read, or a language file's, checked against
     * the keys a language file may set; rc_cfgi_sections skips the
     * unknown-key check, whose findings would all be repeats. */
    bool edition;
    /* Lines of section headers whose type/kind/op was invalid (already
     * reported): checks that depend on it are skipped, so one typo gives one
     * error. A header line identifies its section. */
    unsigned *bad;
    size_t nbad, capbad;
    /* The files rc_cfgi_check_file found to be readable regular files. An
     * edition's check (ok_base: the base file's reading, done and no
     * longer written) takes the base's answer for the same path, given
     * moments before in the same load, instead of asking the file system
     * again: the editions share the CSV files, fonts and often tables. */
    RC_VEC(const char *) ok_files;
    const rc_cfgi *ok_base;
};

/* Lexes INI text into p->secs (config.c). False when nothing could be read. */
bool rc_cfgi_lex(rc_cfgi *p, const char *text, size_t len);
/* The directory relative paths of key are resolved against. */
const char *rc_cfgi_dir(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key);

/* Section kinds and their keys (config.c). */
const char *rc_cfgi_kind_name(rc_cfgi_kind k);
const char *const *rc_cfgi_keys(rc_cfgi_kind k, size_t *n);

/* The key called name in s, or NULL. */
const rc_cfgi_key *rc_cfgi_get(const rc_cfgi_sec *s, const char *name);
/* Location of byte off of a key's joined value (follows continuation lines). */
rc_loc rc_cfgi_loc_at(const rc_cfgi *p, const rc_cfgi_key *k, size_t off);

/* config_sections.c: fills p->c from p->secs. */
void rc_cfgi_sections(rc_cfgi *p);
/* config_check.c: cross-references and files; run after rc_cfgi_sections. */
void rc_cfgi_check(rc_cfgi *p);

/* config_values.c: one raw value -> a typed value. Absent keys give
 * {NULL, section loc} (or the file when the section is absent, s == NULL). */
rc_loc rc_cfgi_file_loc(const rc_cfgi *p);
rc_str rc_cfgi_str(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key);
rc_str rc_cfgi_def(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *dflt);
/* A required key: reports it missing (when the section exists) or empty. */
rc_str rc_cfgi_req(rc_cfgi *p, const rc_cfgi_sec *s, const char *key);
/* Splits a key's value at sep; items are trimmed and keep their own
 * locations (also on continuation lines). Empty items are reported. */
rc_strlist rc_cfgi_split(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, char sep);
/* Index of v in names, dflt when v is absent, -1 (reported, with a
 * suggestion when one is close) when it is not one of them. */
int rc_cfgi_enum(rc_cfgi *p, rc_str v, const char *const *names, size_t n, const char *what,
                 int dflt);
/* The spellings of field types, chart types and aggregate kinds, indexed by
 * their enumerations (config.c; rc_field_type_name and friends print them). */
#define RC_CFGI_NFIELD_TYPES (RC_FIELD_TEXT + 1)
#define RC_CFGI_NAGG_KINDS (RC_AGG_ROWS + 1)
extern const char *const rc_cfgi_field_types[RC_CFGI_NFIELD_TYPES];
extern const char *const rc_cfgi_chart_types[RC_CHART_TYPE_COUNT];
extern const char *const rc_cfgi_agg_kinds[RC_CFGI_NAGG_KINDS];
bool rc_cfgi_bool(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, bool dflt);
double rc_cfgi_number(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, double lo, double hi,
                      double dflt);
bool rc_cfgi_parse_double(const char *s, double *out);
bool rc_cfgi_parse_long(const char *s, long *out);
bool rc_cfgi_colour(const char *s, rc_rgb *out); /* "#RRGGBB" */
rc_str rc_cfgi_named(const rc_cfgi_sec *s);      /* the NAME of [kind NAME] */
/* Reports keys the section kind does not have ("did you mean"). */
void rc_cfgi_unknown_keys(rc_cfgi *p, const rc_cfgi_sec *s);
/* Warns that key (if present) has no effect here, and why. */
void rc_cfgi_ignored(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *why);
bool rc_cfgi_valid_name(const char *s); /* [A-Za-z][A-Za-z0-9_-]* */
/* Checks that path names an existing regular file; what is e.g. "CSV file". */
bool rc_cfgi_check_file(rc_cfgi *p, const char *what, const char *as_written, const char *path,
                        rc_loc loc);
/* Marks a section whose type/kind was invalid; see rc_cfgi.bad. */
void rc_cfgi_mark_bad(rc_cfgi *p, rc_loc section);
bool rc_cfgi_is_bad(const rc_cfgi *p, rc_loc section);

#endif
