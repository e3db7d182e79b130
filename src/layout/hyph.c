/* hyph: hyphenation points from libhyphen (Liang's patterns, as used by
 * LibreOffice), with TeX's conventions on top: at least 2 letters before and
 * 3 after a break (lefthyphenmin/righthyphenmin), no hyphenation of words
 * with digits, of all-capital acronyms or of words shorter than 5 letters.
 * A word is split into its letter runs ("co-operation", "pairing’s") and each
 * run is hyphenated on its own, so an explicit hyphen is never doubled: the
 * break after an explicit hyphen is the paragraph builder's business. */
#include "rc/layout.h"

#include <fcntl.h>
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hyph_pat.h"
#include "rc/hash.h"
#include "rc/unicode.h"
#include "rc/util.h"
#include "rc/zmemo.h"

enum { LEFT_MIN = 2, RIGHT_MIN = 3, MIN_LETTERS = 5, MAX_LETTERS = 60 };

/* The patterns in hyph_pat's trie (read in a fraction of libhyphen's load
 * time), or, for a dictionary hyph_pat does not take, libhyphen's. */
struct rc_hyph {
    rc_hyph_pat *pat;
    HyphenDict *dict;
    bool latin1;     /* libhyphen with an ISO8859-1 dictionary (Debian's hyph_pt_PT.dic):
                      * words go in as Latin-1 */
    uint64_t digest; /* rc_hyph_digest */
};

/* A hash of the file's bytes and size (hyph_pat's gives its own); 0 when
 * it cannot be read. */
static uint64_t file_digest(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return 0;
    size_t size = (size_t)st.st_size;
    uint64_t h = rc_hash_bytes(&size, sizeof size, rc_hash_bytes(m, size, 0x6879706870617431u));
    munmap(m, size);
    /* and libhyphen's file, which reads it */
    uint64_t lib = rc_zmemo_lib_sig((rc_zmemo_fn)hnj_hyphen_hyphenate2);
    return rc_hash_bytes(&lib, sizeof lib, h) | 1;
}

rc_hyph *rc_hyph_load(const char *dic_path, rc_loc loc, rc_diag *d)
{
    if (!dic_path) return NULL;
    if (access(dic_path, R_OK) != 0) {
        rc_diag_error(d, loc, "hyphenation dictionary '%s' not found", dic_path);
        return NULL;
    }
    rc_hyph_pat *pat = rc_hyph_pat_load(dic_path);
    HyphenDict *dict = pat ? NULL : hnj_hyphen_load(dic_path);
    if (!pat && !dict) {
        rc_diag_error(d, loc, "'%s' is not a hyphenation dictionary", dic_path);
        return NULL;
    }
    rc_hyph *h = malloc(sizeof *h);
    if (!h) {
        rc_hyph_pat_free(pat);
        if (dict) hnj_hyphen_free(dict);
        rc_diag_error(d, loc, "out of memory loading hyphenation dictionary '%s'", dic_path);
        return NULL;
    }
    h->pat = pat;
    h->dict = dict;
    /* hyph_pat turns Latin-1 patterns into UTF-8; libhyphen keeps them */
    h->latin1 =
        dict && (strcmp(dict->cset, "ISO8859-1") == 0 || strcmp(dict->cset, "ISO-8859-1") == 0);
    h->digest = pat ? rc_hyph_pat_digest(pat) : file_digest(dic_path);
    return h;
}

uint64_t rc_hyph_digest(const rc_hyph *h)
{
    return h ? h->digest : 0;
}

void rc_hyph_free(rc_hyph *h)
{
    if (!h) return;
    rc_hyph_pat_free(h->pat);
    if (h->dict) hnj_hyphen_free(h->dict);
    free(h);
}

/* Case and letters from Unicode's tables (utf8proc), for every script a
 * dictionary may cover. */
static uint32_t lower(uint32_t c)
{
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c; /* most letters */
    return rc_unicode_lower(c);
}

/* The code point at word[i] (at most len - i bytes) into *c; its length,
 * 0 when invalid. ASCII without the call: most of any text. */
static size_t decode(const char *word, size_t i, size_t len, uint32_t *c)
{
    if ((unsigned char)word[i] < 0x80) {
        *c = (unsigned char)word[i];
        return 1;
    }
    return rc_utf8_decode(word + i, len - i, c);
}

static bool is_upper(uint32_t c)
{
    return c < 0x80 ? c >= 'A' && c <= 'Z' : rc_unicode_is_upper(c);
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Letters as far as hyphenation is concerned: any letter, and a combining
 * mark that NFC could not compose with the letter before it stays in the word. */
static bool is_letter(uint32_t c)
{
    if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
    return rc_unicode_is_letter(c) || rc_unicode_is_mark(c);
}

/* Hyphenates one letter run (n code points starting at byte off of word,
 * with byte offsets of each code point in cps). */
static size_t run_points(const rc_hyph *h, const char *word, const size_t *cps, size_t n,
                         size_t end, size_t *pos, size_t cap, size_t count)
{
    if (n < MIN_LETTERS || n > MAX_LETTERS) return count;
    char buf[4 * MAX_LETTERS + 8];
    char hy[4 * MAX_LETTERS + 8];
    unsigned char last[MAX_LETTERS]; /* byte of buf ending each code point */
    size_t bl = 0;
    bool ascii = true;
    for (size_t i = 0; i < n; i++) {
        size_t next = i + 1 < n ? cps[i + 1] : end;
        uint32_t c;
        if (decode(word, cps[i], next, &c) == 0) return count;
        ascii &= c < 0x80;
        uint32_t lc = lower(c);
        if (h->latin1) {
            if (lc > 0xFF) return count; /* not in the dictionary's alphabet */
            buf[bl++] = (char)lc;
            continue;
        }
        if (lc < 0x80)
            buf[bl++] = (char)lc;
        else
            bl += rc_utf8_encode(lc, buf + bl);
        last[i] = (unsigned char)(bl - 1);
    }
    buf[bl] = '\0';
    memset(hy, 0, bl + 5);
    if (h->pat) {
        /* hyph_pat gives a value per byte; keep those at code point ends,
         * as libhyphen does for a UTF-8 dictionary. */
        unsigned char v[4 * MAX_LETTERS + 8];
        rc_hyph_pat_values(h->pat, buf, bl, v);
        for (size_t i = 0; i < n; i++)
            hy[i] = (char)('0' + v[last[i]]);
    } else if (ascii && h->dict->nextlevel) {
        /* libhyphen keeps a file's patterns in the second level of the
         * dictionary (the first holds the implicit compound rules for '-'
         * and apostrophes, which never occur in a letter run). On a plain
         * ASCII word the single-level call gives the same points as
         * hnj_hyphen_hyphenate2 (checked on every word of the sample
         * report) at under half the cost: no allocation, no UTF-8 pass. */
        if (hnj_hyphen_hyphenate(h->dict->nextlevel, buf, (int)bl, hy) != 0) return count;
    } else {
        char **rep = NULL;
        int *rpos = NULL, *cut = NULL;
        if (hnj_hyphen_hyphenate2(h->dict, buf, (int)bl, hy, NULL, &rep, &rpos, &cut) != 0)
            return count;
        if (rep) { /* non-standard hyphenation (not in the English patterns): ignore */
            for (size_t i = 0; i < bl; i++)
                free(rep[i]);
            free(rep);
            free(rpos);
            free(cut);
            return count;
        }
    }
    /* hy is indexed by code point: UTF-8 dictionaries normalise it, and an
     * ASCII or Latin-1 word has one byte per code point. */
    for (size_t i = LEFT_MIN - 1; i + RIGHT_MIN < n; i++)
        if ((hy[i] - '0') & 1) {
            if (count < cap) pos[count] = cps[i + 1];
            count++;
        }
    return count;
}

size_t rc_hyph_points(const rc_hyph *h, const char *word, size_t len, size_t *pos, size_t cap)
{
    if (!h || !word || len == 0) return 0;
    size_t cps[MAX_LETTERS + 1];
    size_t n = 0, letters = 0, count = 0;
    bool lowercase_seen = false;
    size_t i = 0;
    /* First pass: reject digits and acronyms. */
    while (i < len) {
        uint32_t c;
        size_t k = decode(word, i, len, &c);
        if (k == 0) return 0;
        if (is_digit(c)) return 0;
        if (is_letter(c)) {
            letters++;
            if (!is_upper(c)) lowercase_seen = true;
        }
        i += k;
    }
    if (letters < MIN_LETTERS || !lowercase_seen) return 0;
    /* Second pass: hyphenate each maximal letter run. */
    i = 0;
    while (i < len) {
        uint32_t c;
        size_t k = decode(word, i, len, &c);
        if (is_letter(c)) {
            if (n <= MAX_LETTERS) cps[n] = i;
            n++;
        } else {
            if (n) count = run_points(h, word, cps, n, i, pos, cap, count);
            n = 0;
        }
        i += k;
    }
    if (n) count = run_points(h, word, cps, n, len, pos, cap, count);
    return count < cap ? count : cap;
}
