/* Tests for the shaper's memo kept between builds (src/draw/shape_disk.c):
 * a shaper started from the file gives, for every word of the sample's
 * chapters in all three languages (and each word followed by a space, as
 * the PDF shows it), bit for bit the widths, kerning and ligature codes of
 * a shaper without it, in the four faces the sample sets text in; a file
 * of another font file (signature), another feature set or version, a
 * damaged or truncated file is not used; a font file changed less than two
 * seconds before is not kept; REPORTC_CACHE_DIR="" turns it off. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <hb.h>

#include "../../../src/draw/shape_int.h" /* the memo is internal to the draw stage */
#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"

static char cachedir[64];

typedef struct span {
    const char *p;
    size_t n;
} span;

/* The words of the chapters of one language (dir), and each followed by
 * its space; the text is kept in *buf. */
static size_t words_of(const char *dir, char **buf, span **out)
{
    size_t cap = 1 << 20, len = 0;
    char *b = malloc(cap);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        for (size_t k; (k = fread(b + len, 1, cap - len - 1, fp)) > 0;) {
            len += k;
            if (cap - len < 4096) b = realloc(b, cap *= 2);
        }
        fclose(fp);
        b[len++] = '\n';
    }
    closedir(d);
    span *w = malloc(sizeof *w * (len + 1));
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (b[i] == ' ' || b[i] == '\n'))
            i++;
        size_t s = i;
        while (i < len && b[i] != ' ' && b[i] != '\n')
            i++;
        if (i > s && i - s <= 64) w[n++] = (span){b + s, i - s};
        if (i > s && i - s < 64 && b[i] == ' ') w[n++] = (span){b + s, i - s + 1};
    }
    *buf = b;
    *out = w;
    return n;
}

typedef struct res {
    float w;
    float k[65];
    uint8_t l[65];
    bool hk, hl;
} res;

static double adv_of(const void *font, uint32_t cp)
{
    return rc_font_advance(font, cp);
}

typedef struct face {
    rc_arena *a;
    rc_font *f; /* nominal advances */
    hb_font_t *hb;
    rc_shaper *s;
} face;

/* A shaper of the font file at path, started from the memo keyed by st
 * (NULL: none). */
static void open_face(face *x, const char *path, const struct stat *st)
{
    x->a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    x->f = rc_font_load(x->a, path, (rc_loc){NULL, 0, 0}, d);
    rc_diag_free(d);
    assert_non_null(x->f);
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *hf = hb_face_create(blob, 0);
    x->hb = hb_font_create(hf);
    unsigned upem = hb_face_get_upem(hf);
    hb_font_set_scale(x->hb, (int)upem, (int)upem);
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
    x->s = rc_shaper_new(x->a, x->hb, upem);
    assert_non_null(x->s);
    if (st) rc_shape_disk_open(x->s, st);
}

/* Writes the memo (when open) and releases the face. */
static void close_face(face *x)
{
    rc_shape_disk_close(x->s);
    rc_arena_free(x->a);
    hb_font_destroy(x->hb);
}

static void shape_all(face *x, const span *w, size_t n, res *out)
{
    for (size_t i = 0; i < n; i++) {
        res *r = &out[i];
        memset(r, 0, sizeof *r);
        r->w = (float)rc_shaper_width(x->s, w[i].p, w[i].n, adv_of, x->f);
        const float *k;
        const uint8_t *l;
        rc_shaper_run(x->s, w[i].p, w[i].n, adv_of, x->f, &k, &l);
        r->hk = k != NULL;
        r->hl = l != NULL;
        for (size_t b = 0; b < w[i].n; b++) {
            r->k[b] = k ? k[b] : 0;
            r->l[b] = l ? l[b] : 0;
        }
    }
}

/* The stat of the font file as the key sees it, its times moved back (the
 * checkout may be younger than two seconds). */
static struct stat old_stat(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    st.st_mtim.tv_sec -= 10;
    st.st_ctim.tv_sec -= 10;
    return st;
}

static void check_same(const char *path, const span *w, size_t n, const res *want,
                       const struct stat *st, bool hit)
{
    face x;
    open_face(&x, path, st);
    if (hit)
        assert_true(rc_shape_disk_loaded(x.s) > 0);
    else
        assert_int_equal(rc_shape_disk_loaded(x.s), 0);
    res *got = malloc(n * sizeof *got);
    shape_all(&x, w, n, got);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&got[i], &want[i], sizeof *got) != 0)
            fail_msg("%s: '%.*s' differs from shaping", path, (int)w[i].n, w[i].p);
    /* the ligature codes' glyphs and characters, as without the file */
    free(got);
    close_face(&x);
}

static void clear_dir(void);

static void test_identical(void **state)
{
    (void)state;
    static const char *const langs[] = {"config/iuc-lac-2019/chapters",
                                        "config/iuc-lac-2019/chapters/es",
                                        "config/iuc-lac-2019/chapters/pt"};
    static const char *const faces[] = {"fonts/Lato-Regular.ttf", "fonts/Lato-Italic.ttf",
                                        "fonts/Lato-Bold.ttf", "fonts/Lato-Light.ttf"};
    for (size_t l = 0; l < 3; l++) {
        char *buf;
        span *w;
        size_t n = words_of(langs[l], &buf, &w);
        assert_true(n > 10000);
        res *want = malloc(n * sizeof *want);
        for (size_t f = 0; f < 4; f++) {
            struct stat st = old_stat(faces[f]);
            face x; /* without the file (none yet), then written */
            clear_dir();
            open_face(&x, faces[f], &st);
            assert_int_equal(rc_shape_disk_loaded(x.s), 0);
            shape_all(&x, w, n, want);
            uint16_t g0[RC_FONT_MAXLIG + 1] = {0};
            const char *t0[RC_FONT_MAXLIG + 1] = {0};
            for (unsigned c = 1; c <= RC_FONT_MAXLIG; c++)
                rc_shaper_ligature(x.s, c, &g0[c], &t0[c]);
            char *tcopy[RC_FONT_MAXLIG + 1] = {0};
            for (unsigned c = 1; c <= RC_FONT_MAXLIG; c++)
                tcopy[c] = t0[c] ? strdup(t0[c]) : NULL;
            close_face(&x);
            check_same(faces[f], w, n, want, &st, true);
            /* in the reverse order, from the file: the same ligature table */
            open_face(&x, faces[f], &st);
            assert_true(rc_shape_disk_loaded(x.s) > 0);
            res r;
            for (size_t i = n; i-- > 0;) {
                shape_all(&x, &w[i], 1, &r);
                assert_memory_equal(&r, &want[i], sizeof r);
            }
            for (unsigned c = 1; c <= RC_FONT_MAXLIG; c++) {
                uint16_t g = 0;
                const char *t = NULL;
                bool has = rc_shaper_ligature(x.s, c, &g, &t);
                assert_int_equal(has, tcopy[c] != NULL);
                if (has) {
                    assert_int_equal(g, g0[c]);
                    assert_string_equal(t, tcopy[c]);
                }
                free(tcopy[c]);
            }
            close_face(&x);
        }
        free(want);
        free(w);
        free(buf);
    }
}

/* The one file in CACHEDIR/shape (the tests write one key at a time). */
static void the_file(char *out, size_t cap)
{
    char dir[96];
    snprintf(dir, sizeof dir, "%s/shape", cachedir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(out, cap, "%s/%.64s", dir, e->d_name);
            found++;
        }
    closedir(d);
    assert_int_equal(found, 1);
}

static void clear_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s/shape", cachedir);
    assert_int_equal(system(cmd), 0);
}

static const char *const few[] = {"AVATAR", "Tower", "To",  "Yes,",   "Wave.",
                                  "office", "first", "año", "índice", "Yes, "};
enum { NFEW = sizeof few / sizeof few[0] };

static void few_words(span *w)
{
    for (size_t i = 0; i < NFEW; i++)
        w[i] = (span){few[i], strlen(few[i])};
}

/* Writes the file of the regular face keyed by st; returns what shaping
 * gave. */
static void write_file(const struct stat *st, res *want)
{
    span w[NFEW];
    few_words(w);
    face x;
    open_face(&x, "fonts/Lato-Regular.ttf", st);
    shape_all(&x, w, NFEW, want);
    close_face(&x);
}

static void test_keys(void **state)
{
    (void)state;
    clear_dir();
    span w[NFEW];
    few_words(w);
    res want[NFEW];
    struct stat st = old_stat("fonts/Lato-Regular.ttf");
    write_file(&st, want);
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, true);
    /* another font file: a changed size, modification or change time, inode */
    struct stat o = st;
    o.st_size++;
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &o, false);
    o = st;
    o.st_mtim.tv_nsec ^= 1;
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &o, false);
    o = st;
    o.st_ctim.tv_sec--;
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &o, false);
    o = st;
    o.st_ino++;
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &o, false);
    /* another version or feature set (what the salt stands for) */
    rc_shape_disk_set_salt("other");
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, false);
    rc_shape_disk_set_salt(NULL);
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, true);
}

static void test_damaged(void **state)
{
    (void)state;
    span w[NFEW];
    few_words(w);
    res want[NFEW];
    struct stat st = old_stat("fonts/Lato-Regular.ttf");
    char path[256];
    for (int kind = 0; kind < 4; kind++) {
        clear_dir();
        write_file(&st, want);
        the_file(path, sizeof path);
        struct stat fs;
        assert_int_equal(stat(path, &fs), 0);
        FILE *fp = fopen(path, "r+b");
        assert_non_null(fp);
        long at = kind == 0 ? 3 : kind == 1 ? 70 : (long)fs.st_size - 1;
        if (kind == 3) { /* truncated */
            assert_int_equal(ftruncate(fileno(fp), fs.st_size - 4), 0);
        } else { /* one byte changed: header, a record, the last byte */
            fseek(fp, at, SEEK_SET);
            int c = fgetc(fp);
            fseek(fp, at, SEEK_SET);
            fputc(c ^ 0x20, fp);
        }
        fclose(fp);
        check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, false);
    }
}

/* A font file changed less than two seconds before is not kept. */
static void test_young(void **state)
{
    (void)state;
    clear_dir();
    res want[NFEW];
    struct stat st = old_stat("fonts/Lato-Regular.ttf");
    st.st_mtim.tv_sec = time(NULL);
    write_file(&st, want);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/shape", cachedir);
    struct stat ds;
    if (stat(dir, &ds) == 0) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while ((e = readdir(d)))
            assert_true(e->d_name[0] == '.');
        closedir(d);
    }
}

/* REPORTC_CACHE_DIR="": nothing read or written. */
static void test_off(void **state)
{
    (void)state;
    clear_dir();
    res want[NFEW];
    struct stat st = old_stat("fonts/Lato-Regular.ttf");
    write_file(&st, want);
    /* "" is off, not unset: the cache under $XDG_CACHE_HOME is not used */
    char xdg[96];
    snprintf(xdg, sizeof xdg, "%s/xdg", cachedir);
    setenv("XDG_CACHE_HOME", xdg, 1);
    setenv("REPORTC_CACHE_DIR", "", 1);
    span w[NFEW];
    few_words(w);
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, false);
    clear_dir();
    write_file(&st, want);
    setenv("REPORTC_CACHE_DIR", cachedir, 1);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/shape", cachedir);
    struct stat ds;
    assert_int_not_equal(stat(dir, &ds), 0);
    snprintf(dir, sizeof dir, "%s/reportc/shape", xdg);
    assert_int_not_equal(stat(dir, &ds), 0);
    check_same("fonts/Lato-Regular.ttf", w, NFEW, want, &st, false);
}

/* Through the font (what a build does): the second load measures from the
 * file, with the same widths. */
static void test_font_path(void **state)
{
    (void)state;
    clear_dir();
    static const char *const ws[] = {"AVATAR", "office", "Tower", "año"};
    double first[4];
    for (int round = 0; round < 2; round++) {
        rc_arena *a = rc_arena_new();
        rc_diag *d = rc_diag_new();
        rc_font *f = rc_font_load(a, "fonts/Lato-Regular.ttf", (rc_loc){NULL, 0, 0}, d);
        assert_non_null(f);
        for (int i = 0; i < 4; i++) {
            double v = rc_font_text_width(f, ws[i], strlen(ws[i]), 10);
            if (round == 0)
                first[i] = v;
            else
                assert_true(v == first[i]);
        }
        rc_diag_free(d);
        rc_arena_free(a);
    }
    char path[256];
    the_file(path, sizeof path); /* written by the first round */
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(cachedir, "/tmp/rc-shape-disk-XXXXXX");
    if (!mkdtemp(cachedir)) return -1;
    setenv("REPORTC_CACHE_DIR", cachedir, 1);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cachedir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),      cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_young),     cmocka_unit_test(test_off),
        cmocka_unit_test(test_font_path), cmocka_unit_test(test_identical),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
