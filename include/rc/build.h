/* build: the pipeline, the one entry point the command line calls:
 * config -> data -> doc -> outputs (pdf, tex, xlsx). Stops between stages
 * when a stage reported errors. Outputs are written atomically: a failed
 * build leaves the output directory exactly as it was. */
#ifndef RC_BUILD_H
#define RC_BUILD_H

#include <stdbool.h>
#include <stdio.h>
#include "rc/diag.h"
#include "rc/status.h"

enum {
    RC_OUT_PDF = 1,
    RC_OUT_TEX = 2,
    RC_OUT_XLSX = 4, /* both workbooks */
    RC_OUT_ALL = 7
};

typedef enum rc_command {
    RC_CMD_BUILD,
    RC_CMD_CHECK,
    RC_CMD_METRICS,
    RC_CMD_NEW,   /* config is the directory to create (build/new.c) */
    RC_CMD_WATCH, /* build, then rebuild on every change (build/watch.c) */
    RC_CMD_HELP   /* handled by the command line */
} rc_command;

typedef struct rc_options {
    rc_command command;
    const char *config;   /* INI path */
    const char *outdir;   /* -o DIR, overrides [output] directory; NULL = config's */
    unsigned only;        /* RC_OUT_* mask; 0 = as configured */
    bool json;            /* metrics --json */
    bool quiet;           /* no per-output lines */
    bool strict;          /* --strict: every warning is an error (an untranslated text too) */
    bool figures_svg;     /* --figures svg: also each figure as an SVG file */
    const char *language; /* new --language (en, es, pt); NULL = en */
    bool no_wait;         /* --no-wait: fail instead of waiting for another build's lock */
    FILE *out;            /* where metrics / build summaries go (stdout) */
} rc_options;

/* Runs the command; diagnostics are collected in d (the caller prints them). */
rc_status rc_build(const rc_options *o, rc_diag *d);

#endif
