/* csv: RFC 4180 reader. Streams records to a callback without holding the
 * file's rows: quoted fields, doubled quotes, delimiters and newlines inside
 * quotes, CRLF or LF, optional UTF-8 BOM, last line with or without newline.
 * Invalid UTF-8, a BOM after the start, unterminated quotes, ragged rows and
 * empty files are reported with file:line:col. Field pointers passed to the
 * callback are valid only during the call. */
#ifndef RC_CSV_H
#define RC_CSV_H

#include <stddef.h>
#include "rc/diag.h"
#include "rc/status.h"

#define RC_CSV_MAX_COLUMNS 4096           /* documented limit */
#define RC_CSV_MAX_CELL (1u << 20)        /* 1 MiB per cell */
#define RC_CSV_MAX_FILE ((size_t)4 << 30) /* 4 GiB per file */

typedef struct rc_csv_field {
    const char *s; /* not NUL-terminated in general; use len. Never holds a NUL
                    * byte: a text with one is rejected before any record. */
    size_t len;
    unsigned col;         /* 1-based column (bytes, UTF-8) where the field starts */
    unsigned line;        /* line where the field starts (> record line after a
                           * newline inside an earlier quoted field) */
    unsigned char quoted; /* 1 when the field was in quotes (its text starts at col + 1) */
} rc_csv_field;

/* Called once per record. line is the 1-based line on which the record
 * starts. Return 0 to continue, non-zero to stop reading (that value is
 * returned by rc_csv_read as RC_ERR_DATA). */
typedef int (*rc_csv_record_fn)(void *user, const rc_csv_field *fields, size_t n, unsigned line);

typedef struct rc_csv_opts {
    char delimiter;      /* ',' ';' '\t' */
    const char *file;    /* for diagnostics */
    unsigned header_row; /* 1-based record holding the header (0 = 1): later
                          * records must have as many fields; earlier ones
                          * are passed through unchecked. Blank lines are
                          * skipped and not counted. */
    /* Optional: rc_csv_read passes every block it reads, in file order, so a
     * caller can hash the file (provenance) without reading it twice. */
    void (*on_bytes)(void *ctx, const char *data, size_t n);
    void *bytes_ctx;
} rc_csv_opts;

/* Parses a buffer. Checks UTF-8 of every field, that every record has the
 * same number of fields as the first one, and that the buffer is not empty.
 * Reports problems to d (stops at the first structural error; continues past
 * ragged rows to report up to 20 of them). */
rc_status rc_csv_parse(const char *data, size_t len, const rc_csv_opts *o, rc_csv_record_fn fn,
                       void *user, rc_diag *d);

/* Reads a file in blocks and parses it (memory bounded by the longest record).
 * The callback may read RC_CSV_PAD bytes past the end of any field it is
 * given (their values are unspecified): word-sized loads need no bounds. */
#define RC_CSV_PAD 16
rc_status rc_csv_read(const char *path, const rc_csv_opts *o, rc_csv_record_fn fn, void *user,
                      rc_diag *d);

#endif
