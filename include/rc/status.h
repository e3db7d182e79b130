/* status: internal failure codes (I/O, allocation, library errors) and the
 * process exit status each maps to. Problems in the user's input are
 * diagnostics (diag.h); a stage that reported them returns RC_ERR_DATA or
 * RC_ERR_CONFIG so the caller knows which exit status to use. */
#ifndef RC_STATUS_H
#define RC_STATUS_H

typedef enum rc_status {
    RC_OK = 0,
    RC_ERR_DATA,    /* bad data or content (CSV, Markdown, metrics): exit 1 */
    RC_ERR_CONFIG,  /* bad configuration (INI, missing inputs): exit 2 */
    RC_ERR_USAGE,   /* bad command line: exit 2 */
    RC_ERR_IO,      /* an output could not be written: exit 3 */
    RC_ERR_NOMEM,   /* allocation failed: exit 3 */
    RC_ERR_LIBRARY, /* libharu / libxlsxwriter / cmark reported a failure: exit 3 */
    RC_ERR_LIMIT,   /* a documented resource limit was exceeded: exit 1 */
    RC_STATUS_COUNT
} rc_status;

/* A short English description; never NULL. */
const char *rc_strerror(rc_status s);

/* Process exit status for a result: 0, 1, 2 or 3 (see README). */
int rc_status_exit_code(rc_status s);

#endif
