/* date: the one place where reportc turns seconds into calendar dates and
 * back (UTC, proleptic Gregorian, Howard Hinnant's civil-date algorithms).
 * Every output (PDF Info, XMP, .tex \pdfinfo, workbook properties and About
 * sheet) takes its date from rc_date_report_epoch, so they agree and never
 * depend on the clock or the C library's time zone. Nothing allocates. */
#ifndef RC_DATE_H
#define RC_DATE_H

#include <stdint.h>

typedef struct rc_date {
    int year;
    unsigned month, day;           /* 1..12, 1..31 */
    unsigned hour, minute, second; /* UTC */
} rc_date;

/* Days since 1970-01-01 of a civil date (negative before it). */
int64_t rc_date_days_from_civil(int64_t year, unsigned month, unsigned day);
/* The UTC date and time of t seconds since 1970-01-01 (t < 0 is taken as 0). */
rc_date rc_date_from_epoch(int64_t t);
/* The date written into every output: SOURCE_DATE_EPOCH when it is set and
 * valid, else 1 January of the report's year (a string of 4 digits from
 * 1970 to 9999), else 1 January 1970 (0). One rule for every back end. */
int64_t rc_date_report_epoch(const char *year);

#endif
