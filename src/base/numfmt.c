/* numfmt: %.Nf and %.Ng of a double without printf (rc/numfmt.h says why).
 *
 * How: a finite double is m * 2^e exactly (m < 2^53). printf prints the
 * exact value rounded to the digits asked for, half to even (glibc, in the
 * default rounding mode). For %.Nf that is round(m * 2^e * 10^N); for %.Pg,
 * round(m * 2^e * 10^(P-1-X)) where X is the decimal exponent of the value
 * (10^X <= |v| < 10^(X+1)), one more when the rounding carries to 10^P.
 * Both are a quotient of integers that fit 128 bits for every number whose
 * digits those formats can show (|v| below about 10^19, above 10^-20 for
 * %g): one multiplication, one shift or division, and the remainder decides
 * the rounding exactly. Numbers outside that range, NaN and infinities go
 * to snprintf. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rc/numfmt.h"

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_64[20] = {1ull,
                                      10ull,
                                      100ull,
                                      1000ull,
                                      10000ull,
                                      100000ull,
                                      1000000ull,
                                      10000000ull,
                                      100000000ull,
                                      1000000000ull,
                                      10000000000ull,
                                      100000000000ull,
                                      1000000000000ull,
                                      10000000000000ull,
                                      100000000000000ull,
                                      1000000000000000ull,
                                      10000000000000000ull,
                                      100000000000000000ull,
                                      1000000000000000000ull,
                                      10000000000000000000ull};

/* 10^k, 0 <= k <= 38 (10^38 < 2^127). */
static u128 p10(int k)
{
    return k < 20 ? pow10_64[k] : (u128)pow10_64[19] * pow10_64[k - 19];
}

static int nbits(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    if (hi) return 128 - __builtin_clzll(hi);
    return lo ? 64 - __builtin_clzll(lo) : 0;
}

/* m * 2^e * 10^k: its floor into *fl and its rounding (half to even) into
 * *r; false when the arithmetic would not fit 128 bits. */
static bool scaled(uint64_t m, int e, int k, u128 *fl, u128 *r)
{
    if (k > 38 || k < -38) return false;
    u128 num = m, den = 1;
    if (k >= 0) {
        u128 t = p10(k);
        if (nbits(num) + nbits(t) > 127) return false;
        num *= t;
    } else {
        den = p10(-k);
    }
    if (e >= 0) {
        if (nbits(num) + e > 127) return false;
        num <<= e;
    } else {
        int s = -e;
        if (nbits(den) + s > 126) {
            /* below half of the smallest unit: rounds to 0 */
            if (nbits(num) > s - 1) return false;
            *fl = *r = 0;
            return true;
        }
        den <<= s;
    }
    u128 q = num / den, rem = num - q * den;
    *fl = q;
    u128 twice = rem << 1;
    if (twice > den || (twice == den && (q & 1))) q++;
    *r = q;
    return true;
}

/* v as m * 2^e; false for NaN and infinities. */
static bool parts(double v, uint64_t *m, int *e)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    int ex = (int)((b >> 52) & 0x7ff);
    uint64_t fr = b & ((1ull << 52) - 1);
    if (ex == 0x7ff) return false;
    if (ex == 0) {
        *m = fr;
        *e = -1074;
    } else {
        *m = fr | 1ull << 52;
        *e = ex - 1075;
    }
    return true;
}

/* The decimal digits of q (at most 39) into out; returns how many. */
static size_t digits(u128 q, char *out)
{
    char t[48];
    size_t n = 0;
    while (q >> 64) {
        uint64_t lo = (uint64_t)(q % pow10_64[19]);
        q /= pow10_64[19];
        for (int i = 0; i < 19; i++, lo /= 10)
            t[n++] = (char)('0' + lo % 10);
    }
    uint64_t x = (uint64_t)q;
    do {
        t[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    return n;
}

static size_t fallback(char *out, int k)
{
    if (k < 0) {
        out[0] = 0;
        return 0;
    }
    return (size_t)k < RC_FMT_CAP ? (size_t)k : RC_FMT_CAP - 1;
}

size_t rc_fmt_f(double v, int prec, char out[RC_FMT_CAP])
{
    uint64_t m;
    int e;
    u128 fl, q;
    if (prec < 0 || prec > 17 || !parts(v, &m, &e) || !scaled(m, e, prec, &fl, &q))
        return fallback(out, snprintf(out, RC_FMT_CAP, "%.*f", prec, v));
    char d[48];
    size_t nd = digits(q, d), p = (size_t)prec, n = 0;
    if (signbit(v)) out[n++] = '-';
    if (nd <= p) { /* 0.0ddd */
        out[n++] = '0';
        if (p) out[n++] = '.';
        memset(out + n, '0', p - nd);
        n += p - nd;
        memcpy(out + n, d, nd);
        n += nd;
    } else {
        memcpy(out + n, d, nd - p);
        n += nd - p;
        if (p) {
            out[n++] = '.';
            memcpy(out + n, d + nd - p, p);
            n += p;
        }
    }
    out[n] = 0;
    return n;
}

size_t rc_fmt_g(double v, int prec, bool upper, char out[RC_FMT_CAP])
{
    int P = prec == 0 ? 1 : prec;
    uint64_t m;
    int e;
    if (prec < 0 || prec > 17 || !parts(v, &m, &e)) goto slow;
    size_t n = 0;
    if (signbit(v)) out[n++] = '-';
    if (m == 0) {
        out[n++] = '0';
        out[n] = 0;
        return n;
    }
    double a = fabs(v);
    if (a < 1e15 && a == floor(a) && (uint64_t)a < pow10_64[P]) { /* counts, codes */
        n += digits((uint64_t)a, out + n);
        out[n] = 0;
        return n;
    }
    /* X from log10, made exact: floor(|v| * 10^(P-1-X)) has P digits */
    int X = (int)floor(log10(a));
    u128 lo = p10(P - 1), hi = p10(P), fl, q;
    for (int tries = 0;; tries++) {
        if (tries == 3 || !scaled(m, e, P - 1 - X, &fl, &q)) goto slow;
        if (fl >= hi)
            X++;
        else if (fl < lo)
            X--;
        else
            break;
    }
    if (q == hi) { /* 9.99... rounded up to 10.0... */
        q = lo;
        X++;
    }
    char d[48];
    digits(q, d); /* P digits */
    size_t nd = (size_t)P;
    while (nd > 1 && d[nd - 1] == '0') /* what %g drops */
        nd--;
    if (X < -4 || X >= P) { /* style e: d.ddde+XX */
        out[n++] = d[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, d + 1, nd - 1);
            n += nd - 1;
        }
        out[n++] = upper ? 'E' : 'e';
        out[n++] = X < 0 ? '-' : '+';
        unsigned ax = (unsigned)(X < 0 ? -X : X);
        if (ax >= 100) out[n++] = (char)('0' + ax / 100);
        out[n++] = (char)('0' + ax / 10 % 10);
        out[n++] = (char)('0' + ax % 10);
    } else if (X >= 0) { /* ddd.ddd */
        size_t ni = (size_t)X + 1;
        memcpy(out + n, d, ni);
        n += ni;
        if (nd > ni) {
            out[n++] = '.';
            memcpy(out + n, d + ni, nd - ni);
            n += nd - ni;
        }
    } else { /* 0.000ddd */
        out[n++] = '0';
        out[n++] = '.';
        for (int z = 0; z < -X - 1; z++)
            out[n++] = '0';
        memcpy(out + n, d, nd);
        n += nd;
    }
    out[n] = 0;
    return n;
slow:
    return fallback(out, snprintf(out, RC_FMT_CAP, upper ? "%.*G" : "%.*g", prec, v));
}
