/* Helpers shared by the fuzz targets (header-only: each fuzzer is one
 * translation unit). The scratch directory holds the inputs that relative
 * paths in fuzzed configs resolve to, so deep validation (files exist and
 * are readable) runs on the same code paths as a real build:
 *   SCRATCH/_fixtures -> tests/bad/_fixtures   (cases use ../_fixtures/...)
 *   SCRATCH/case/            base directory of every fuzzed INI
 *   SCRATCH/case/data.csv, survey.csv          copies of the fixture survey
 *   SCRATCH/case/chapter.md, table.md, box.md
 *   SCRATCH/case/iuc-lac-2019 -> config/iuc-lac-2019 (the sample's inputs) */
#ifndef RC_FUZZ_COMMON_H
#define RC_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RC_FUZZ_ROOT
#define RC_FUZZ_ROOT "."
#endif

static char fz_scratch[64];
static char fz_case[96];

static void fz_cleanup(void)
{
    if (!fz_scratch[0]) return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_scratch);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", fz_scratch);
}

static void fz_write(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", fz_case, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        exit(1);
    }
}

static void fz_link(const char *target, const char *name)
{
    if (symlink(target, name) != 0) {
        perror(name);
        exit(1);
    }
}

/* Creates the scratch tree once; returns the base directory for configs. */
__attribute__((unused)) static const char *fz_setup_scratch(void)
{
    if (fz_case[0]) return fz_case;
    snprintf(fz_scratch, sizeof fz_scratch, "/tmp/rc-fuzz-XXXXXX");
    if (!mkdtemp(fz_scratch)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(fz_cleanup);
    char path[1024];
    snprintf(fz_case, sizeof fz_case, "%s/case", fz_scratch);
    snprintf(path, sizeof path,
             "mkdir '%s' && cp " RC_FUZZ_ROOT "/tests/bad/_fixtures/survey.csv '%s/data.csv'"
             " && cp '%s/data.csv' '%s/survey.csv' && cp " RC_FUZZ_ROOT
             "/tests/bad/_fixtures/chapter.md '%s/chapter.md'",
             fz_case, fz_case, fz_case, fz_case, fz_case);
    if (system(path) != 0) {
        fprintf(stderr, "fuzz: cannot populate %s\n", fz_case);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/_fixtures", fz_scratch);
    fz_link(RC_FUZZ_ROOT "/tests/bad/_fixtures", path);
    snprintf(path, sizeof path, "%s/iuc-lac-2019", fz_case);
    fz_link(RC_FUZZ_ROOT "/config/iuc-lac-2019", path);
    fz_write("table.md", "| Kind | Number |\n|:-----|-----:|\n| Research | 12 |\n| Policy | 3 |\n");
    fz_write("box.md", "A pilot between *two* regions.\n\n- meetings\n- workshops\n");
    return fz_case;
}

/* Every diagnostic must print as file:line:col and have a file. */
static void fz_check_diags(const rc_diag *d)
{
    static int verbose = -1; /* RC_FUZZ_VERBOSE=1 prints the diagnostics of each run */
    if (verbose < 0) verbose = getenv("RC_FUZZ_VERBOSE") != NULL;
    if (verbose) rc_diag_print(d, stderr);
    char buf[1024];
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        const rc_diag_entry *e = rc_diag_get(d, i);
        if (!e || !e->msg || !e->msg[0]) abort();
        if (rc_diag_format(e, buf, sizeof buf) == 0) abort();
    }
}

#endif
