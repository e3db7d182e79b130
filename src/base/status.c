/* status: messages and exit codes for rc_status, both made from the one
 * list in status.h (RC_STATUS_LIST), so neither table can fall out of step
 * with the enumeration. */
#include "rc/status.h"

#define RC_STATUS_MESSAGE(id, exit_code, message) [RC_##id] = message,
static const char *const messages[RC_STATUS_COUNT] = {RC_STATUS_LIST(RC_STATUS_MESSAGE)};
#undef RC_STATUS_MESSAGE

#define RC_STATUS_EXIT(id, exit_code, message) [RC_##id] = exit_code,
static const int exit_codes[RC_STATUS_COUNT] = {RC_STATUS_LIST(RC_STATUS_EXIT)};
#undef RC_STATUS_EXIT

const char *rc_strerror(rc_status s)
{
    if ((unsigned)s >= RC_STATUS_COUNT) return "unknown status";
    return messages[s];
}

int rc_status_exit_code(rc_status s)
{
    if ((unsigned)s >= RC_STATUS_COUNT) return 3;
    return exit_codes[s];
}
