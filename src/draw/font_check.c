/* font_check: a font file is checked as a file before any face is loaded,
 * so that a damaged or truncated file is a located error naming that file
 * (at its INI key), and not a wrong face blamed later, a crash in the
 * subsetter, or libharu's unlocated "internal error" after the layout.
 *
 * Checked (OpenType spec, "The OpenType font file"): the sfnt header and
 * its table directory; every table lies inside the file; the tables the
 * layout, the subsetter and the PDF need are present (head, hhea, maxp,
 * hmtx, cmap, loca, glyf); head's magic number and loca format; hmtx and
 * loca are as long as maxp's glyph count says; loca's offsets never go
 * back and stay inside glyf; every table but head matches its checksum
 * (head holds the whole file's adjustment). Collections, CFF-based
 * OpenType and web fonts get a message saying what they are. */
#include "rc/font_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/cache.h"
#include "rc/util.h"

/* The memo's name for this check (rc/cache.h): bump the number with any
 * change to what rc_font_check_data accepts, so that files remembered by
 * the old check are checked again. */
#define CHECK_NAME "font_check 1"

typedef struct tab {
    char tag[5];
    uint32_t sum, off, len;
} tab;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* The sum of the table's big-endian 32-bit words, the last one padded
 * with zeros. Eight bytes at a time, as two words (read byte-swapped in
 * one load): the five Lato faces are 3.4 MB, and a word at a time was 6.1 M
 * instructions of every build. */
static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint64_t hi = 0, lo = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        w = __builtin_bswap64(w); /* now the first word is the high half */
#endif
        hi += w >> 32;
        lo += w & 0xFFFFFFFFu;
    }
    uint32_t s = (uint32_t)(hi + lo);
    for (; i + 4 <= len; i += 4)
        s += be32(p + i);
    if (i < len) {
        unsigned char last[4] = {0};
        memcpy(last, p + i, len - i);
        s += be32(last);
    }
    return s;
}

static const tab *find(const tab *t, size_t n, const char *tag)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(t[i].tag, tag, 4) == 0) return &t[i];
    return NULL;
}

bool rc_font_check_data(const char *name, const unsigned char *p, size_t len, rc_loc loc,
                        rc_diag *d)
{
    if (len < 12) {
        rc_diag_error(d, loc, "'%s' is not a TrueType font (%zu bytes)", name, len);
        return false;
    }
    uint32_t ver = be32(p);
    const char *other = ver == 0x4F54544Fu   ? "an OpenType font with CFF outlines ('OTTO')"
                        : ver == 0x74746366u ? "a font collection ('ttcf')"
                        : ver == 0x774F4646u ? "a WOFF web font"
                        : ver == 0x774F4632u ? "a WOFF2 web font"
                                             : NULL;
    if (other) {
        rc_diag_error(d, loc, "'%s' is %s; reportc needs a TrueType font (.ttf)", name, other);
        return false;
    }
    if (ver != 0x00010000u && ver != 0x74727565u) {
        rc_diag_error(d, loc, "'%s' is not a TrueType font", name);
        return false;
    }
    size_t n = be16(p + 4);
    if (n == 0 || n > 512 || 12 + 16 * n > len) {
        rc_diag_error(d, loc,
                      "'%s' is damaged: its table directory (%zu tables) does not fit in the "
                      "file",
                      name, n);
        return false;
    }
    tab t[512];
    for (size_t i = 0; i < n; i++) {
        const unsigned char *r = p + 12 + 16 * i;
        memcpy(t[i].tag, r, 4);
        t[i].tag[4] = 0;
        for (int k = 0; k < 4; k++)
            if (t[i].tag[k] < 0x20 || t[i].tag[k] > 0x7E) t[i].tag[k] = '?';
        t[i].sum = be32(r + 4);
        t[i].off = be32(r + 8);
        t[i].len = be32(r + 12);
        if ((uint64_t)t[i].off + t[i].len > len) {
            rc_diag_error(d, loc,
                          "'%s' is damaged or truncated: table '%s' (%u bytes at %u) runs past the "
                          "end of the file (%zu bytes)",
                          name, t[i].tag, t[i].len, t[i].off, len);
            return false;
        }
    }
    static const char *const need[] = {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!find(t, n, need[i])) {
            rc_diag_error(d, loc, "'%s' has no '%s' table; it cannot be used", name, need[i]);
            return false;
        }
    for (size_t i = 0; i < n; i++) {
        if (memcmp(t[i].tag, "head", 4) == 0) continue;
        if (checksum(p + t[i].off, t[i].len) != t[i].sum) {
            rc_diag_error(d, loc, "'%s' is damaged: table '%s' does not match its checksum", name,
                          t[i].tag);
            return false;
        }
    }
    const tab *head = find(t, n, "head"), *maxp = find(t, n, "maxp"), *hhea = find(t, n, "hhea"),
              *hmtx = find(t, n, "hmtx"), *loca = find(t, n, "loca"), *glyf = find(t, n, "glyf");
    if (head->len < 54 || be32(p + head->off + 12) != 0x5F0F3CF5u || maxp->len < 6 ||
        hhea->len < 36) {
        rc_diag_error(d, loc, "'%s' is damaged: its 'head', 'hhea' or 'maxp' table is not valid",
                      name);
        return false;
    }
    unsigned long_loca = be16(p + head->off + 50);
    size_t nglyphs = be16(p + maxp->off + 4), nh = be16(p + hhea->off + 34);
    if (long_loca > 1 || nglyphs == 0 || nh == 0 || nh > nglyphs) {
        rc_diag_error(d, loc, "'%s' is damaged: glyph counts or loca format are not valid", name);
        return false;
    }
    if (hmtx->len < 4 * nh + 2 * (nglyphs - nh)) {
        rc_diag_error(d, loc, "'%s' is damaged: table 'hmtx' is shorter than its %zu glyphs need",
                      name, nglyphs);
        return false;
    }
    size_t w = long_loca ? 4 : 2;
    if (loca->len < w * (nglyphs + 1)) {
        rc_diag_error(d, loc, "'%s' is damaged: table 'loca' is shorter than its %zu glyphs need",
                      name, nglyphs);
        return false;
    }
    const unsigned char *l = p + loca->off;
    size_t prev = 0;
    for (size_t g = 0; g <= nglyphs; g++) {
        size_t o = long_loca ? be32(l + 4 * g) : 2 * (size_t)be16(l + 2 * g);
        if (o < prev || o > glyf->len) {
            rc_diag_error(d, loc,
                          "'%s' is damaged: glyph %zu lies outside table 'glyf' (loca offset %zu, "
                          "glyf has %u bytes)",
                          name, g, o, glyf->len);
            return false;
        }
        prev = o;
    }
    return true;
}

/* A file this check has found good before, unchanged since (rc/cache.h),
 * is not read again: the checksums read all 3.4 MB of the five Lato faces,
 * 4.9 M instructions of every build. Else the file is mapped, not read (a
 * copy cost page faults and a memcpy); one that cannot be mapped (a pipe)
 * is read. */
bool rc_font_check(rc_arena *a, const char *path, rc_loc loc, rc_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if (rc_checked_before(CHECK_NAME, &st)) {
            close(fd);
            return true;
        }
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m != MAP_FAILED) {
            bool ok = rc_font_check_data(path, m, (size_t)st.st_size, loc, d);
            munmap(m, (size_t)st.st_size);
            if (ok) rc_checked_remember(CHECK_NAME, &st);
            return ok;
        }
    } else if (fd >= 0) {
        close(fd);
    }
    char *data;
    size_t len;
    if (rc_read_file(a, path, &data, &len) != RC_OK) {
        rc_diag_error(d, loc, "cannot read font file '%s': %s", path, rc_read_error(errno));
        return false;
    }
    return rc_font_check_data(path, (const unsigned char *)data, len, loc, d);
}
