/* numfmt: printf's %.Nf and %.NG / %.Ng of a double, byte for byte what
 * glibc prints in the C locale, without printf.
 *
 * Why: the back ends print many numbers in these fixed forms (the .tex's
 * chart coordinates "%.1f", "%.2f", "%g"; libxlsxwriter's "%.16G" of a
 * workbook's column widths, margins and numbers). glibc's printf converts
 * every double through multi-precision arithmetic (__printf_fp: 2,000 to
 * 3,000 instructions a number); these functions use one 128-bit division
 * for the numbers reports hold and fall back to snprintf for the others,
 * so the bytes never depend on which path ran (test_numfmt compares both
 * on millions of values, ties and edge cases included). Locale-free: the
 * decimal point is always '.', as in the C locale reportc runs in. */
#ifndef RC_NUMFMT_H
#define RC_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes a buffer for rc_fmt_f / rc_fmt_g must hold: the longest %.17f of
 * a double (309 integer digits) and its NUL. */
#define RC_FMT_CAP 352

/* "%.<prec>f" of v (prec 0..17) into out, NUL-terminated; returns the
 * length. */
size_t rc_fmt_f(double v, int prec, char out[RC_FMT_CAP]);
/* "%.<prec>g" (upper: "%.<prec>G") of v (prec 0..17; 0 counts as 1, as in
 * printf) into out, NUL-terminated; returns the length. */
size_t rc_fmt_g(double v, int prec, bool upper, char out[RC_FMT_CAP]);

#endif
