/* date.c: civil dates from and to days since 1970 (H. Hinnant, "chrono-
 * compatible low-level date algorithms"), and the report's date rule. Hand-
 * written because the C library's gmtime/timegm depend on time_t's range and
 * the TZ environment, and outputs must be the same bytes everywhere. */
#include <stdlib.h>

#include "rc/date.h"
#include "rc/util.h"

int64_t rc_date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

rc_date rc_date_from_epoch(int64_t t)
{
    if (t < 0) t = 0;
    int64_t z = t / 86400 + 719468, secs = t % 86400;
    int64_t era = z / 146097; /* z >= 0 */
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    rc_date r;
    r.day = doy - (153 * mp + 2) / 5 + 1;
    r.month = mp < 10 ? mp + 3 : mp - 9;
    r.year = (int)((int64_t)yoe + era * 400 + (r.month <= 2));
    r.hour = (unsigned)(secs / 3600);
    r.minute = (unsigned)(secs / 60 % 60);
    r.second = (unsigned)(secs % 60);
    return r;
}

int64_t rc_date_report_epoch(const char *year)
{
    long y = 1970;
    if (year && year[0]) {
        char *end;
        long v = strtol(year, &end, 10);
        if (*end == 0 && v >= 1970 && v <= 9999) y = v;
    }
    return rc_build_epoch(rc_date_days_from_civil(y, 1, 1) * 86400);
}
