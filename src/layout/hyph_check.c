/* hyph_check: a hyphenation dictionary checked as a file before libhyphen
 * loads it. libhyphen reads any file: an empty one, a gzip archive or a
 * binary gives a dictionary with no or garbage patterns, and hyphenation
 * then silently does nothing (or breaks words in odd places). A libhyphen
 * dictionary (hnj_hyphen_load; the hyph_*.dic files of Debian's
 * hyphen-* packages) is text: a first line naming its character set
 * ("UTF-8", "ISO8859-1", "microsoft-cp1251", "KOI8-R", ...), optional
 * LEFTHYPHENMIN-style settings, then patterns such as ".ach4" or "a1b". */
#include "rc/hyph_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rc/cache.h"
#include "rc/util.h"

/* The memo's name for this check (rc/cache.h): bump the number with any
 * change to what rc_hyph_check_data accepts. */
#define CHECK_NAME "hyph_check 1"

#define MAX_DIC (64u << 20) /* far above any real dictionary (en_US: 0.2 MB) */

static bool known_charset(const char *s, size_t n)
{
    static const char *const prefixes[] = {"UTF-8",        "ISO8859-", "ISO-8859-", "KOI8-",
                                           "microsoft-cp", "CP125",    "TIS620",    "ISCII"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t k = strlen(prefixes[i]);
        if (n >= k && strncasecmp(s, prefixes[i], k) == 0) return true;
    }
    return false;
}

static const char *compressed(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B) return "gzip";
    if (n >= 3 && memcmp(p, "BZh", 3) == 0) return "bzip2";
    if (n >= 6 && memcmp(p,
                         "\xFD"
                         "7zXZ\0",
                         6) == 0)
        return "xz";
    if (n >= 4 && memcmp(p, "\x28\xB5\x2F\xFD", 4) == 0) return "zstd";
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) return "zip";
    return NULL;
}

bool rc_hyph_check_data(const char *name, const char *data, size_t len, rc_loc loc, rc_diag *d)
{
    const unsigned char *p = (const unsigned char *)data;
    if (len == 0) {
        rc_diag_error(d, loc, "hyphenation dictionary '%s' is empty", name);
        return false;
    }
    const char *z = compressed(p, len);
    if (z) {
        rc_diag_error(d, loc,
                      "hyphenation dictionary '%s' is a %s archive; libhyphen reads the "
                      "uncompressed .dic file",
                      name, z);
        return false;
    }
    const char *nul = memchr(data, 0, len);
    if (nul) {
        rc_diag_error(d, loc,
                      "hyphenation dictionary '%s' is a binary file (a NUL byte at offset %zu), "
                      "not a libhyphen dictionary",
                      name, (size_t)(nul - data));
        return false;
    }
    size_t eol = 0;
    while (eol < len && data[eol] != '\n' && data[eol] != '\r')
        eol++;
    if (!known_charset(data, eol)) {
        rc_diag_error(d, loc,
                      "hyphenation dictionary '%s' does not start with its character set (a first "
                      "line such as 'UTF-8' or 'ISO8859-1'); it is not a libhyphen dictionary",
                      name);
        return false;
    }
    bool utf8 = eol >= 5 && strncasecmp(data, "UTF-8", 5) == 0;
    if (utf8) {
        size_t bad = rc_utf8_validate(data, len);
        if (bad < len) {
            unsigned line = 1;
            for (size_t i = 0; i < bad; i++)
                line += data[i] == '\n';
            rc_diag_error(d, loc,
                          "hyphenation dictionary '%s' declares UTF-8 but line %u is not valid "
                          "UTF-8",
                          name, line);
            return false;
        }
    }
    /* at least one pattern: a line with a digit (a break weight) */
    size_t patterns = 0;
    for (size_t i = eol; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        bool digit = false, upper_key = i < len && data[i] >= 'A' && data[i] <= 'Z';
        for (size_t k = i; k < e && !digit; k++)
            digit = data[k] >= '0' && data[k] <= '9';
        if (digit && !upper_key) patterns++;
        i = e + 1;
    }
    if (!patterns) {
        rc_diag_error(d, loc, "hyphenation dictionary '%s' holds no hyphenation patterns", name);
        return false;
    }
    return true;
}

/* A dictionary this check has found good before, unchanged since
 * (rc/cache.h), is not read again (1.9 M instructions for en_GB). */
bool rc_hyph_check(rc_arena *a, const char *path, rc_loc loc, rc_diag *d)
{
    struct stat st;
    bool known = stat(path, &st) == 0;
    if (known && rc_checked_before(CHECK_NAME, &st)) return true;
    char *data;
    size_t len;
    if (rc_read_file(a, path, &data, &len) != RC_OK) {
        rc_diag_error(d, loc, "cannot read hyphenation dictionary '%s': %s", path,
                      rc_read_error(errno));
        return false;
    }
    if (len > MAX_DIC) {
        rc_diag_error(d, loc, "hyphenation dictionary '%s' is larger than 64 MiB", path);
        return false;
    }
    bool ok = rc_hyph_check_data(path, data, len, loc, d);
    /* st is from before the read: a change since has a later ctime */
    if (ok && known && (size_t)st.st_size == len) rc_checked_remember(CHECK_NAME, &st);
    return ok;
}
