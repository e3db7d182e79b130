/* xlsx_fixture: what the workbook unit tests share: a private directory
 * with the fixture inputs, a small survey config built into an rc_doc, and
 * zip reading (members found by their local headers, inflated with zlib).
 * Header-only (each test is one executable); include after <cmocka.h>.
 * A test may set ini_extra to append [field] sections to the config. */
#ifndef RC_TEST_XLSX_FIXTURE_H
#define RC_TEST_XLSX_FIXTURE_H

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "rc/config.h"
#include "rc/data.h"
#include "rc/doc.h"
#include "rc/locale.h"
#include "rc/util.h"
#include "rc/xlsx.h"

static char dir[64];

static inline char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static inline void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path_in(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* A CSV input with the fixture's columns (id,cont,ex,n), its header
 * written, open for the test's generated rows (the caller closes it). */
static inline FILE *begin_csv(const char *name)
{
    FILE *w = fopen(path_in(name), "wb");
    assert_non_null(w);
    fputs("id,cont,ex,n\n", w);
    return w;
}

/* memmem is not POSIX. */
static inline const void *find_bytes(const char *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0) return hay + i;
    return NULL;
}

/* The inflated bytes (NUL-terminated) of the member `name` of a workbook,
 * found by its local header; NULL when absent. libxlsxwriter deflates every
 * member; the sizes may be in a data descriptor, so inflate runs to the end
 * of the deflate stream. */
static size_t last_deflated_len; /* compressed length of the last member inflated */
static const char *last_deflated;

static inline char *zip_member(rc_arena *a, const char *zip, size_t n, const char *name,
                               size_t *len)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + 30 + nl <= n; i++) {
        const unsigned char *p = (const unsigned char *)zip + i;
        if (memcmp(p, "PK\x03\x04", 4) != 0) continue;
        size_t fnl = (size_t)p[26] | (size_t)p[27] << 8, xl = (size_t)p[28] | (size_t)p[29] << 8;
        if (fnl != nl || memcmp(p + 30, name, nl) != 0) continue;
        assert_int_equal(p[8], 8); /* deflated */
        size_t off = i + 30 + fnl + xl, cap = 1 << 16, have = 0;
        char *out = rc_arena_alloc(a, cap);
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
        zs.next_in = (Bytef *)(uintptr_t)(zip + off);
        zs.avail_in = (uInt)(n - off);
        int rc;
        do {
            if (cap - have < 2) {
                out = rc_arena_grow(a, out, cap, cap * 2, 1);
                cap *= 2;
            }
            zs.next_out = (Bytef *)(out + have);
            zs.avail_out = (uInt)(cap - have - 1);
            rc = inflate(&zs, Z_NO_FLUSH);
            have = cap - 1 - zs.avail_out;
        } while (rc == Z_OK);
        last_deflated = zip + off;
        last_deflated_len = zs.total_in;
        inflateEnd(&zs);
        assert_int_equal(rc, Z_STREAM_END);
        out[have] = 0;
        if (len) *len = have;
        return out;
    }
    return NULL;
}

/* The text of a member of the workbook at path (which must exist). */
static inline const char *member_text(rc_arena *a, const char *path, const char *name)
{
    char *x;
    size_t n;
    assert_int_equal(rc_read_file(a, path, &x, &n), RC_OK);
    const char *t = zip_member(a, x, n, name, NULL);
    if (!t) fail_msg("%s has no member %s", path, name);
    return t;
}

static inline bool same_file(rc_arena *a, const char *p1, const char *p2)
{
    char *x1, *x2;
    size_t n1, n2;
    assert_int_equal(rc_read_file(a, p1, &x1, &n1), RC_OK);
    assert_int_equal(rc_read_file(a, p2, &x2, &n2), RC_OK);
    return n1 == n2 && memcmp(x1, x2, n1) == 0;
}

static inline long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The fixture inputs (and "." and ".."). */
static inline bool is_input(const char *s)
{
    static const char *const inputs[] = {".",       "..",    "s.csv", "c.md",
                                         "big.csv", "w.csv", "m.csv", "r.csv"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        if (strcmp(s, inputs[i]) == 0) return true;
    return false;
}

/* Entries of dir other than the fixture inputs. */
static inline int count_outputs(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (!is_input(e->d_name)) n++;
    }
    closedir(dp);
    return n;
}

static inline void clean_outputs(void)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (!is_input(e->d_name)) unlink(path_in(e->d_name));
    }
    closedir(dp);
}

static const char *ini_extra = ""; /* more [field] sections */

static const char *INI = "[report]\n"
                         "title = Tést report\n"
                         "year = 2020\n"
                         "publisher = European Commission, Joint Research Centre\n"
                         "\n"
                         "[document]\n"
                         "chapters = c.md\n"
                         "\n"
                         "[source s]\n"
                         "file = ";
static const char *INI_TAIL = "\n"
                              "missing = NA\n"
                              "\n"
                              "[field s.id]\n"
                              "type = text\n"
                              "\n"
                              "[field s.cont]\n"
                              "type = category\n"
                              "values = EU: Europe | LA: Latin America\n"
                              "\n"
                              "[field s.ex]\n"
                              "type = multi\n"
                              "values = meetings: Meetings | virtual: Virtual dialogue\n"
                              "\n"
                              "[field s.n]\n"
                              "type = integer\n"
                              "\n"
                              "[metric total]\n"
                              "source = s\n";

typedef struct fx {
    rc_arena *a;
    rc_diag *d;
    rc_config *cfg;
    rc_data data;
    rc_doc doc;
} fx;

/* The two workbooks of f's document: the data workbook into data (with
 * o) and the figures workbook into figures, both in the test's folder. */
static inline void write_both(fx *f, const char *data, const char *figures,
                              const rc_xlsx_data_opts *o)
{
    assert_int_equal(rc_xlsx_write_data_opt(f->a, &f->doc, path_in(data), 9, o, f->d), RC_OK);
    assert_int_equal(rc_xlsx_write_figures(f->a, &f->doc, path_in(figures), 9, f->d), RC_OK);
}

/* An interposer's switch of libxlsxwriter's (rc_xlsx_memory_tmpfiles,
 * rc_xlsx_libdeflate_members, rc_xlsx_own_xml): what it says on a thread
 * started now. A new thread must start with the interposer on, whatever
 * its creator asked for itself. */
typedef struct switch_probe {
    bool (*sw)(bool);
    bool was_on;
} switch_probe;

static inline void *probe_thread(void *arg)
{
    switch_probe *p = arg;
    p->was_on = p->sw(true);
    return NULL;
}

static inline bool on_in_new_thread(bool (*sw)(bool))
{
    switch_probe p = {sw, false};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, probe_thread, &p), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    return p.was_on;
}

static inline void setup_doc_lang(fx *f, const char *csvname, unsigned flags, const char *lang)
{
    char ini[4096];
    snprintf(ini, sizeof ini, "%s%s%s%s", INI, csvname, INI_TAIL, ini_extra);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    if (rc_config_parse(f->a, "t.ini", dir, ini, strlen(ini), f->d, &f->cfg) != RC_OK) {
        rc_diag_print(f->d, stderr);
        fail_msg("config does not parse");
    }
    if (rc_data_build(f->a, f->cfg, flags, f->d, &f->data) != RC_OK) {
        rc_diag_print(f->d, stderr);
        fail_msg("data does not build");
    }
    /* The Cover sheet hashes the INI file: give the parsed text a real file,
     * beside the output directory so the outputs there stay countable. */
    char *ini_path = rc_arena_printf(f->a, "%s.ini", dir);
    FILE *fp = fopen(ini_path, "w");
    assert_non_null(fp);
    fputs(ini, fp);
    fclose(fp);
    f->cfg->path = ini_path;
    memset(&f->doc, 0, sizeof f->doc);
    f->doc.cfg = f->cfg;
    f->doc.data = &f->data;
    f->doc.locale = rc_locale_get(lang);
}

static inline void setup_doc(fx *f, const char *csvname)
{
    setup_doc_lang(f, csvname, RC_DATA_KEEP_ROWS, "en");
}

static inline void teardown_doc(fx *f)
{
    unlink(f->cfg->path);
    rc_diag_free(f->d);
    rc_arena_free(f->a);
}

static inline int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rc-xlsx-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    /* No cache: every workbook is made by the library, which is what the
     * tests look at (one kept from an earlier write of the same path would
     * be written as it is; test_xlsx_memo sets a cache of its own). */
    setenv("REPORTC_CACHE_DIR", "", 1);
    write_file("c.md", "# C\n");
    write_file("s.csv", "id,cont,ex,n\n"
                        "R1,EU,meetings;virtual,3\n"
                        "R2,LA,virtual,NA\n"
                        "R3,NA,NA,7\n");
    return 0;
}

static inline int group_teardown(void **state)
{
    (void)state;
    clean_outputs();
    unlink(path_in("s.csv"));
    unlink(path_in("c.md"));
    unlink(path_in("big.csv"));
    unlink(path_in("w.csv"));
    unlink(path_in("m.csv"));
    unlink(path_in("r.csv"));
    rmdir(dir);
    return 0;
}

#endif
