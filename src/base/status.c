/* status: messages and exit codes for rc_status (kept in sync by test_status). */
#include "rc/status.h"

static const char *const messages[RC_STATUS_COUNT] = {
    [RC_OK] = "success",
    [RC_ERR_DATA] = "error in the data or content",
    [RC_ERR_CONFIG] = "error in the configuration",
    [RC_ERR_USAGE] = "invalid command line",
    [RC_ERR_IO] = "an output could not be written",
    [RC_ERR_NOMEM] = "out of memory",
    [RC_ERR_LIBRARY] = "a library reported a failure",
    [RC_ERR_LIMIT] = "a resource limit was exceeded",
};

static const int exit_codes[RC_STATUS_COUNT] = {
    [RC_OK] = 0,     [RC_ERR_DATA] = 1,  [RC_ERR_CONFIG] = 2,  [RC_ERR_USAGE] = 2,
    [RC_ERR_IO] = 3, [RC_ERR_NOMEM] = 3, [RC_ERR_LIBRARY] = 3, [RC_ERR_LIMIT] = 1,
};

const char *rc_strerror(rc_status s)
{
    if ((unsigned)s >= RC_STATUS_COUNT || !messages[s]) return "unknown status";
    return messages[s];
}

int rc_status_exit_code(rc_status s)
{
    if ((unsigned)s >= RC_STATUS_COUNT) return 3;
    return exit_codes[s];
}
