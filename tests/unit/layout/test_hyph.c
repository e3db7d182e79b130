/* Tests for hyphenation points (libhyphen with the en_GB patterns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hyphen.h>

#include "../../../src/layout/hyph_pat.h"
#include "rc/diag.h"
#include "rc/layout.h"

#define GB "/usr/share/hyphen/hyph_en_GB.dic"

static char cache_dir[] = "/tmp/rc-hyph-cache-XXXXXX";

static int setup(void **state)
{
    /* The pattern cache goes to a directory of this test's own. */
    if (!mkdtemp(cache_dir)) return -1;
    setenv("REPORTC_CACHE_DIR", cache_dir, 1);
    rc_diag *d = rc_diag_new();
    rc_hyph *h = rc_hyph_load(GB, (rc_loc){"r.ini", 7, 1}, d);
    assert_int_equal(rc_diag_count(d), 0);
    rc_diag_free(d);
    if (!h) return -1;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    rc_hyph_free(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache_dir);
    if (system(cmd) != 0) return -1;
    return 0;
}

/* Asserts the points of word equal want (n of them). */
static void expect(const rc_hyph *h, const char *word, const size_t *want, size_t n)
{
    size_t pos[32];
    size_t got = rc_hyph_points(h, word, strlen(word), pos, 32);
    if (got != n) {
        print_error("%s: %zu points, expected %zu:", word, got, n);
        for (size_t i = 0; i < got; i++)
            print_error(" %zu", pos[i]);
        print_error("\n");
    }
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pos[i], want[i]);
}

static void test_known_words(void **state)
{
    const rc_hyph *h = *state;
    expect(h, "specialisation", (size_t[]){3, 7, 10}, 3); /* spe-cial-isa-tion */
    expect(h, "international", (size_t[]){2, 5, 7}, 3);   /* in-ter-na-tional */
    expect(h, "cooperation", (size_t[]){2, 6, 7}, 3);     /* co-oper-a-tion */
    expect(h, "universities", (size_t[]){3, 6, 9}, 3);    /* uni-ver-sit-ies */
    expect(h, "internationalisation", (size_t[]){2, 5, 7, 11, 13, 16}, 6);
}

static void test_case_is_folded(void **state)
{
    const rc_hyph *h = *state;
    expect(h, "Specialisation", (size_t[]){3, 7, 10}, 3);
    expect(h, "Operation", (size_t[]){2, 4, 5}, 3); /* op-er-a-tion */
}

static void test_min_fragments(void **state)
{
    const rc_hyph *h = *state;
    /* "hyphenation": patterns allow hy-phen-a-tion; 'hy' (2 letters) is kept,
     * and nothing leaves fewer than 3 letters at the end. */
    size_t pos[16];
    size_t n = rc_hyph_points(h, "hyphenation", 11, pos, 16);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(pos[i] >= 2);
        assert_true(11 - pos[i] >= 3);
    }
    assert_int_equal(pos[0], 2);
    /* "universities" has a pattern break 3 letters from the end (sit-ies):
     * allowed; "regional" re-gional: allowed at 2. */
    expect(h, "regional", (size_t[]){2}, 1);
}

static void test_not_hyphenated(void **state)
{
    const rc_hyph *h = *state;
    size_t pos[8];
    assert_int_equal(rc_hyph_points(h, "data", 4, pos, 8), 0);               /* < 5 letters */
    assert_int_equal(rc_hyph_points(h, "COVID", 5, pos, 8), 0);              /* acronym */
    assert_int_equal(rc_hyph_points(h, "UNIVERSITIES", 12, pos, 8), 0);      /* all caps */
    assert_int_equal(rc_hyph_points(h, "2019international", 17, pos, 8), 0); /* digits */
    assert_int_equal(rc_hyph_points(h, "H2020", 5, pos, 8), 0);
    assert_int_equal(rc_hyph_points(NULL, "international", 13, pos, 8), 0);
    assert_int_equal(rc_hyph_points(h, "", 0, pos, 8), 0);
}

static void test_utf8(void **state)
{
    const rc_hyph *h = *state;
    /* r é s e r v a t i o n: the patterns break after "réser" and "va";
     * é is two bytes, so the byte offsets are 6 and 8. */
    expect(h, "r\xC3\xA9servation", (size_t[]){6, 8}, 2);
    /* Upper-case accented initial is folded too: "Réservation". */
    expect(h, "R\xC3\xA9servation", (size_t[]){6, 8}, 2);
    /* Invalid UTF-8 gives no points rather than garbage. */
    size_t pos[8];
    assert_int_equal(rc_hyph_points(h, "inter\xFFnational", 14, pos, 8), 0);
}

static void test_compounds(void **state)
{
    const rc_hyph *h = *state;
    /* Each part is hyphenated on its own; no point next to the explicit hyphen. */
    expect(h, "co-operation", (size_t[]){5, 7, 8}, 3); /* co-op-er-a-tion after "co-" */
    expect(h, "EU-specialisation", (size_t[]){6, 10, 13}, 3);
    /* Trailing punctuation is not a letter and does not shift offsets. */
    expect(h, "specialisation,", (size_t[]){3, 7, 10}, 3);
    expect(h, "\xE2\x80\x9Cinternational\xE2\x80\x9D", (size_t[]){5, 8, 10}, 3);
}

static void test_cap_respected(void **state)
{
    const rc_hyph *h = *state;
    size_t pos[2];
    assert_int_equal(rc_hyph_points(h, "internationalisation", 20, pos, 2), 2);
    assert_int_equal(pos[0], 2);
    assert_int_equal(pos[1], 5);
}

/* rc_hyph_points takes a faster libhyphen path for ASCII words; it must
 * agree with hnj_hyphen_hyphenate2 (minus the 2/3 fragment minimums). */
static void test_fast_path_agrees(void **state)
{
    const rc_hyph *h = *state;
    static const char *const words[] = {
        "abbreviations",   "accompanied",      "administrative",       "agricultural",
        "approximately",   "beneficiaries",    "collaboration",        "competitiveness",
        "complementarity", "decentralised",    "development",          "entrepreneurship",
        "environmental",   "establishment",    "heterogeneous",        "implementation",
        "infrastructure",  "institutional",    "methodology",          "municipalities",
        "participation",   "partnerships",     "questionnaire",        "recommendations",
        "representatives", "responsibilities", "stakeholders",         "sustainability",
        "technological",   "transformation",   "understanding",        "opportunities",
        "territorial",     "characteristics",  "internationalisation", "specialisation",
        "programme",       "pairings"};
    HyphenDict *dict = hnj_hyphen_load(GB);
    assert_non_null(dict);
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        const char *word = words[w];
        int n = (int)strlen(word);
        char hy[64] = {0};
        char **rep = NULL;
        int *rpos = NULL, *cut = NULL;
        assert_int_equal(hnj_hyphen_hyphenate2(dict, word, n, hy, NULL, &rep, &rpos, &cut), 0);
        size_t want[32], nw = 0;
        for (int i = 1; i + 3 < n; i++)
            if ((hy[i] - '0') & 1) want[nw++] = (size_t)i + 1;
        size_t got[32];
        size_t ng = rc_hyph_points(h, word, (size_t)n, got, 32);
        assert_int_equal(ng, nw);
        for (size_t k = 0; k < nw; k++)
            assert_int_equal(got[k], want[k]);
        assert_true(nw > 0);
    }
    hnj_hyphen_free(dict);
}

/* hyph_pat reads the pattern file itself instead of hnj_hyphen_load; on
 * every letter run of the sample report's chapters (and accented words) its
 * values must give libhyphen's points, for the British and American patterns.
 * Returns the number of words compared. */
static size_t compare_file(const char *dic, const char *path, const rc_hyph_pat *pat,
                           HyphenDict *dict)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char text[1 << 17];
    size_t tn = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[tn] = 0;
    size_t words = 0;
    for (size_t i = 0; i < tn;) {
        /* A run of ASCII letters and two-byte Latin letters, lower-cased. */
        char w[256];
        size_t wl = 0, cp = 0, last[64];
        while (i < tn && wl < 240 && cp < 60) {
            unsigned char c = (unsigned char)text[i];
            if ((c | 32) >= 'a' && (c | 32) <= 'z') {
                w[wl++] = (char)(c | 32);
                i++;
            } else if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < tn) {
                unsigned char c2 = (unsigned char)text[i + 1];
                if (c == 0xC3 && c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97) c2 += 0x20;
                w[wl++] = (char)c;
                w[wl++] = (char)c2;
                i += 2;
            } else {
                break;
            }
            last[cp++] = wl - 1;
        }
        if (cp == 0) {
            i++;
            continue;
        }
        if (cp < 5) continue;
        unsigned char v[256];
        rc_hyph_pat_values(pat, w, wl, v);
        char hy[300] = {0};
        char **rep = NULL;
        int *rpos = NULL, *cut = NULL;
        assert_int_equal(hnj_hyphen_hyphenate2(dict, w, (int)wl, hy, NULL, &rep, &rpos, &cut), 0);
        assert_null(rep);
        for (size_t k = 1; k + 3 < cp; k++)
            if (((hy[k] - '0') & 1) != (v[last[k]] & 1)) {
                print_error("%s: '%.*s' at %zu: libhyphen %c, hyph_pat %d\n", dic, (int)wl, w, k,
                            hy[k], v[last[k]]);
                fail();
            }
        words++;
    }
    return words;
}

static void test_patterns_agree_with_libhyphen(void **state)
{
    (void)state;
    static const char *const dics[] = {GB, "/usr/share/hyphen/hyph_en_US.dic"};
    static const char *const files[] = {
        "config/iuc-lac-2019/chapters/01-introduction.md",
        "config/iuc-lac-2019/chapters/02-historical-ties.md",
        "config/iuc-lac-2019/chapters/03-survey-lessons.md",
        "config/iuc-lac-2019/chapters/04-way-forward.md",
        "config/iuc-lac-2019/chapters/05-conclusions.md",
        "config/iuc-lac-2019/chapters/abbreviations.md",
        "config/iuc-lac-2019/chapters/abstract.md",
        "config/iuc-lac-2019/chapters/acknowledgements.md",
        "config/iuc-lac-2019/chapters/annex-pairings.md",
        "config/iuc-lac-2019/chapters/authors.md",
        "config/iuc-lac-2019/chapters/executive-summary.md",
        "config/iuc-lac-2019/chapters/foreword.md",
        "config/iuc-lac-2019/chapters/references.md",
        "tests/unit/layout/hyph_words.txt",
    };
    for (size_t d = 0; d < 2; d++) {
        rc_hyph_pat *pat = rc_hyph_pat_load(dics[d]);
        assert_non_null(pat);
        HyphenDict *dict = hnj_hyphen_load(dics[d]);
        assert_non_null(dict);
        size_t words = 0;
        for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
            words += compare_file(dics[d], files[k], pat, dict);
        assert_true(words > 3000); /* the comparison really ran */
        hnj_hyphen_free(dict);
        rc_hyph_pat_free(pat);
    }
}

/* The second load of a dictionary maps the cache the first one wrote and
 * gives the same values; a damaged cache file is ignored and rewritten; an
 * empty REPORTC_CACHE_DIR turns the cache off. */
static void test_pattern_cache(void **state)
{
    (void)state;
    static const char *const words[] = {"internationalisation", "r\xC3\xA9servation",
                                        "universities", "hyphenation", "cooperation"};
    char sub[256];
    snprintf(sub, sizeof sub, "%s/c", cache_dir);
    setenv("REPORTC_CACHE_DIR", sub, 1);
    rc_hyph_pat *parsed = rc_hyph_pat_load(GB);
    assert_non_null(parsed);
    assert_false(rc_hyph_pat_cached(parsed));
    rc_hyph_pat *mapped = rc_hyph_pat_load(GB);
    assert_non_null(mapped);
    assert_true(rc_hyph_pat_cached(mapped));
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        unsigned char a[64], b[64];
        size_t n = strlen(words[k]);
        rc_hyph_pat_values(parsed, words[k], n, a);
        rc_hyph_pat_values(mapped, words[k], n, b);
        assert_memory_equal(a, b, n);
    }
    rc_hyph_pat_free(mapped);
    /* Cut every cache file in half: the next load parses again. */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "for f in '%s'/hyph-*; do truncate -s 1000 \"$f\"; done", sub);
    assert_int_equal(system(cmd), 0);
    rc_hyph_pat *again = rc_hyph_pat_load(GB);
    assert_non_null(again);
    assert_false(rc_hyph_pat_cached(again));
    rc_hyph_pat_free(again);
    again = rc_hyph_pat_load(GB); /* and it was written afresh */
    assert_true(rc_hyph_pat_cached(again));
    rc_hyph_pat_free(again);
    setenv("REPORTC_CACHE_DIR", "", 1);
    again = rc_hyph_pat_load(GB);
    assert_false(rc_hyph_pat_cached(again));
    rc_hyph_pat_free(again);
    rc_hyph_pat_free(parsed);
    setenv("REPORTC_CACHE_DIR", cache_dir, 1);
}

/* What hyph_pat does not model is refused, so hyph.c hands it to libhyphen. */
static void test_pattern_features_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "KOI8-R\n1ab\n",                /* another charset */
        "UTF-8\n1ab\nNEXTLEVEL\n1cd\n", /* compound levels */
        "UTF-8\nsz1sz/sz=sz,2,3\n",     /* non-standard hyphenation */
        "UTF-8\n^^e9"
        "1ab\n", /* hex escapes */
    };
    char path[] = "/tmp/rc-hyph-XXXXXX";
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(bad[k], f);
        fclose(f);
        assert_null(rc_hyph_pat_load(path));
        remove(path);
        strcpy(path, "/tmp/rc-hyph-XXXXXX");
    }
    /* A Latin-1 file is read as its UTF-8 equivalent. */
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("ISO8859-1\n% comment\nLEFTHYPHENMIN 2\n\xE9"
          "1r\n",
          f);
    fclose(f);
    rc_hyph_pat *pat = rc_hyph_pat_load(path);
    remove(path);
    assert_non_null(pat);
    unsigned char v[8];
    rc_hyph_pat_values(pat, "a\xC3\xA9rb", 5, v); /* "aérb": 1 between é and r */
    assert_int_equal(v[2], 1);
    assert_int_equal(v[0] + v[1] + v[3], 0);
    rc_hyph_pat_free(pat);
}

static void test_missing_dictionary(void **state)
{
    (void)state;
    rc_diag *d = rc_diag_new();
    assert_null(rc_hyph_load("/x.dic", (rc_loc){"r.ini", 9, 13}, d));
    assert_int_equal(rc_diag_errors(d), 1);
    const rc_diag_entry *e = rc_diag_get(d, 0);
    assert_string_equal(e->msg, "hyphenation dictionary '/x.dic' not found");
    assert_int_equal(e->loc.line, 9);
    assert_int_equal(e->loc.col, 13);
    rc_diag_free(d);
    rc_hyph_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_words),
        cmocka_unit_test(test_case_is_folded),
        cmocka_unit_test(test_min_fragments),
        cmocka_unit_test(test_not_hyphenated),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_compounds),
        cmocka_unit_test(test_cap_respected),
        cmocka_unit_test(test_fast_path_agrees),
        cmocka_unit_test(test_patterns_agree_with_libhyphen),
        cmocka_unit_test(test_pattern_features_refused),
        cmocka_unit_test(test_pattern_cache),
        cmocka_unit_test(test_missing_dictionary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
