/* fuzz_csv: rc_csv_parse on arbitrary bytes, once with each delimiter.
 * Checks, beyond what ASan/UBSan see, the callback contract: every field
 * is readable for its length, positions are 1-based, a record never has
 * more than RC_CSV_MAX_COLUMNS fields, and a failed parse reported a
 * diagnostic (never a silent error). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rc/csv.h"
#include "rc/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    size_t records;
    size_t width; /* fields in the header record */
    unsigned sum; /* touches every byte so ASan checks the spans */
} seen;

static int on_record(void *user, const rc_csv_field *f, size_t n, unsigned line)
{
    seen *s = user;
    if (n == 0 || n > RC_CSV_MAX_COLUMNS || line == 0) abort();
    for (size_t i = 0; i < n; i++) {
        if (f[i].line < line || f[i].col == 0) abort();
        if (f[i].len > RC_CSV_MAX_CELL) abort();
        for (size_t k = 0; k < f[i].len; k++)
            s->sum += (unsigned char)f[i].s[k];
    }
    if (s->records++ == 0) s->width = n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t'};
    /* A heap copy of exactly size bytes: reads past the end are caught. */
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    for (size_t k = 0; k < sizeof delims; k++) {
        rc_diag *d = rc_diag_new();
        rc_csv_opts o = {
            .delimiter = delims[k], .file = "fuzz.csv", .header_row = (unsigned)k % 2 + 1};
        seen s = {0};
        rc_status st = rc_csv_parse(buf, size, &o, on_record, &s, d);
        if (st != RC_OK && rc_diag_errors(d) == 0) abort(); /* silent failure */
        if (st == RC_OK && rc_diag_errors(d) != 0) abort(); /* error reported, success returned */
        if (st == RC_OK && size == 0) abort();              /* empty input must be refused */
        rc_diag_free(d);
    }
    free(buf);
    return 0;
}
