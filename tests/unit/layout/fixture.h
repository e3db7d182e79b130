/* fixture: what several unit tests of the layout stage need alike,
 * once: the repository's Lato faces, a locale's hyphenation dictionary, a
 * word with its break points written out ("be-yond"), and an empty English
 * document ready to lay out. Header-only (each test is one executable);
 * include after <cmocka.h>. */
#ifndef RC_TEST_FIXTURE_H
#define RC_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/locale.h"

/* The five faces of fonts/ (relative to the source tree, the tests' working
 * directory), in rc_font_id order. */
static const char *const RC_TEST_FACES[RC_FONT_COUNT] = {
    "fonts/Lato-Regular.ttf", "fonts/Lato-Italic.ttf", "fonts/Lato-Bold.ttf",
    "fonts/Lato-BoldItalic.ttf", "fonts/Lato-Light.ttf"};

static inline rc_status rc_test_fonts(rc_arena *a, rc_diag *d, rc_fonts *out)
{
    return rc_fonts_load(a, RC_TEST_FACES, NULL, d, out);
}

/* The first of the locale's dictionaries that is installed, loaded (NULL:
 * none; the caller skips). A dictionary that loads with a diagnostic fails
 * the test. */
static inline rc_hyph *rc_test_hyph(const char *lang)
{
    const rc_locale *l = rc_locale_get(lang);
    for (size_t i = 0; l->hyph_dicts[i]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/usr/share/hyphen/%s", l->hyph_dicts[i]);
        if (access(path, R_OK) != 0) continue;
        rc_diag *d = rc_diag_new();
        rc_hyph *h = rc_hyph_load(path, (rc_loc){"r.ini", 1, 1}, d);
        assert_int_equal(rc_diag_count(d), 0);
        rc_diag_free(d);
        return h;
    }
    return NULL;
}

/* The points of word (the dictionary's, then the rules e's if any) written
 * into out as "be-yond"; returns out. */
static inline const char *rc_test_split(const rc_hyph *h, const rc_hyph_exc *e, const char *word,
                                        char *out)
{
    size_t pos[32], len = strlen(word);
    size_t n = rc_hyph_points(h, word, len, pos, 32);
    if (e) n = rc_hyph_exc_apply(e, word, len, pos, n, 32);
    size_t o = 0, k = 0;
    for (size_t i = 0; i < len; i++) {
        if (k < n && pos[k] == i) {
            out[o++] = '-';
            k++;
        }
        out[o++] = word[i];
    }
    out[o] = '\0';
    return out;
}

/* word splits as want (see rc_test_split); a macro, so that a failure
 * names the test's line. */
#define RC_ASSERT_SPLIT(h, e, word, want)                                                          \
    do {                                                                                           \
        char split_[96];                                                                           \
        assert_string_equal(rc_test_split((h), (e), (word), split_), (want));                      \
    } while (0)

/* An empty English document (10 pt, a title, no hyphenation) with the
 * fonts loaded, and the layout it will be laid out into. hyph is the test's
 * to load (NULL: none); rc_test_doc_free frees it. */
typedef struct rc_test_doc {
    rc_arena *a;
    rc_diag *d;
    rc_fonts fonts;
    rc_hyph *hyph;
    rc_config cfg;
    rc_doc doc;
    rc_layout lay;
} rc_test_doc;

static inline void rc_test_doc_free(rc_test_doc *f)
{
    rc_hyph_free(f->hyph);
    rc_diag_free(f->d);
    rc_arena_free(f->a);
    free(f);
}

/* NULL when the fonts do not load. */
static inline rc_test_doc *rc_test_doc_new(void)
{
    rc_test_doc *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    if (rc_test_fonts(f->a, f->d, &f->fonts) != RC_OK) {
        rc_test_doc_free(f);
        return NULL;
    }
    f->cfg.style.font_size = 10;
    f->cfg.report.title.s = "A report on regional pairings";
    f->doc.cfg = &f->cfg;
    f->doc.locale = rc_locale_get("en");
    f->doc.root = rc_node_new(f->a, RC_NODE_DOCUMENT, (rc_loc){0});
    return f;
}

/* cmocka's teardown for a test whose state is an rc_test_doc. */
static inline int rc_test_teardown(void **state)
{
    rc_test_doc_free(*state);
    return 0;
}

#endif
