/* status: internal failure codes (I/O, allocation, library errors) and the
 * process exit status each maps to. Problems in the user's input are
 * diagnostics (diag.h); a stage that reported them returns RC_ERR_DATA or
 * RC_ERR_CONFIG so the caller knows which exit status to use. */
#ifndef RC_STATUS_H
#define RC_STATUS_H

/* Every status as X(enumerator suffix, exit status, message): one list makes
 * the enumeration, rc_strerror's messages and rc_status_exit_code's table,
 * so a new status cannot be added without its message and exit status. */
#define RC_STATUS_LIST(X)                                                                          \
    X(OK, 0, "success")                                                                            \
    X(ERR_DATA, 1, "error in the data or content") /* CSV, Markdown, metrics */                    \
    X(ERR_CONFIG, 2, "error in the configuration") /* INI, missing inputs */                       \
    X(ERR_USAGE, 2, "invalid command line")                                                        \
    X(ERR_IO, 3, "an output could not be written")                                                 \
    X(ERR_NOMEM, 3, "out of memory")                                                               \
    X(ERR_LIBRARY, 3, "a library reported a failure") /* libharu, libxlsxwriter, cmark */          \
    X(ERR_LIMIT, 1, "a resource limit was exceeded")  /* a documented limit */

/* clang-format off */
typedef enum rc_status {
#define RC_STATUS_ENUM(id, exit_code, message) RC_##id,
    RC_STATUS_LIST(RC_STATUS_ENUM)
#undef RC_STATUS_ENUM
    RC_STATUS_COUNT
} rc_status;
/* clang-format on */

/* A short English description; never NULL. */
const char *rc_strerror(rc_status s);

/* Process exit status for a result: 0, 1, 2 or 3 (see README). */
int rc_status_exit_code(rc_status s);

#endif
