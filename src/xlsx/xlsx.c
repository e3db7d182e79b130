/* xlsx: what both workbooks share: the life cycle of a libxlsxwriter
 * workbook written safely (private temporary file, every return value
 * checked, zip verified, renamed into place), sheet names, column widths,
 * and number formats.
 *
 * Why so careful: libxlsxwriter 1.1.4 truncates its target when it opens it
 * and workbook_close can return LXW_NO_ERROR for a truncated file when its
 * temporary directory fills up. So it never writes to the caller's path: it
 * writes to a fresh name beside it (tmpdir = the same directory, so "disk
 * full" hits both alike), and only a file whose zip directory is complete is
 * renamed over the path. The exception is a path that is itself the
 * build's registered temporary (rc_out_tmpfor): no one's real file, it is
 * written directly and left for the build to rename. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc/unicode.h"
#include "rc/util.h"
#include "xlsx_int.h"

/* ---- sheet names ---------------------------------------------------------- */

/* Case folding as Excel compares sheet names (simple lower-case mapping). */
static uint32_t fold(uint32_t cp)
{
    return rc_unicode_lower(cp);
}

static bool same_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la && lb) {
        uint32_t ca, cb;
        size_t na = rc_utf8_decode(a, la, &ca), nb = rc_utf8_decode(b, lb, &cb);
        if (!na || !nb) return la == lb && memcmp(a, b, la) == 0;
        if (fold(ca) != fold(cb)) return false;
        a += na, la -= na, b += nb, lb -= nb;
    }
    return la == 0 && lb == 0;
}

static bool name_taken(const char *s, const char *const *taken, size_t n)
{
    if (same_name(s, "History")) /* reserved by Excel */
        return true;
    for (size_t i = 0; i < n; i++)
        if (taken[i] && same_name(s, taken[i])) return true;
    return false;
}

/* Cuts s to at most max bytes at a code point boundary, then drops trailing
 * apostrophes and spaces (Excel refuses a trailing apostrophe). */
static void cut(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        s[n] = 0;
    }
    while (n && (s[n - 1] == '\'' || s[n - 1] == ' '))
        s[--n] = 0;
}

void rc_xlsx_sheet_name(const char *want, const char *const *taken, size_t ntaken, char out[32])
{
    char base[32];
    size_t n = 0;
    const char *p = want ? want : "";
    size_t left = strlen(p);
    while (left && n < 31) {
        uint32_t cp;
        size_t k = rc_utf8_decode(p, left, &cp);
        if (!k) { /* invalid byte: skip it */
            p++, left--;
            continue;
        }
        bool drop = cp < 0x20 || cp == 0x7F || (cp < 0x80 && strchr("[]:*?/\\", (int)cp));
        if (cp == '\'' && n == 0) drop = true; /* no leading apostrophe */
        if (!drop) {
            if (n + k > 31) break;
            memcpy(base + n, p, k);
            n += k;
        }
        p += k, left -= k;
    }
    base[n] = 0;
    cut(base, 31);
    while (base[0] == ' ' || base[0] == '\'')
        memmove(base, base + 1, strlen(base));
    if (!base[0]) strcpy(base, "Sheet");
    if (!name_taken(base, taken, ntaken)) {
        memcpy(out, base, strlen(base) + 1);
        return;
    }
    for (unsigned k = 2;; k++) {
        char suf[16];
        int sl = snprintf(suf, sizeof suf, " (%u)", k);
        char cand[32];
        memcpy(cand, base, strlen(base) + 1);
        cut(cand, 31 - (size_t)sl);
        strcat(cand, suf);
        if (!name_taken(cand, taken, ntaken)) {
            memcpy(out, cand, strlen(cand) + 1);
            return;
        }
    }
}

/* ---- widths --------------------------------------------------------------- */

static double cp_width(uint32_t cp)
{
    int w = rc_unicode_width(cp); /* marks and zero-width characters 0, East Asian 2 */
    if (w != 1) return (double)w;
    cp = rc_unicode_base(cp); /* accented letters measure as their base letter */
    if (cp < 0x80) {
        if (strchr("iljI.,:;'|!` ", (int)cp) && cp) return 0.5;
        if (strchr("frt()[]{}\"-", (int)cp) && cp) return 0.7;
        if (cp == 'W' || cp == 'M' || cp == 'm' || cp == 'w' || cp == '@' || cp == '%') return 1.4;
        if (cp >= 'A' && cp <= 'Z') return 1.2;
        return 1.0;
    }
    return 1.0;
}

/* cp_width of the ASCII characters, looked up: most text of the sample's
 * workbooks is ASCII, and measuring column widths was 7 M instructions
 * (6 % of writing the two workbooks) in cp_width's Unicode tables. */
static double ascii_width[128];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void ascii_init(void)
{
    for (uint32_t cp = 0; cp < 128; cp++)
        ascii_width[cp] = cp_width(cp);
}

double rc_xlsx_text_width(const char *s)
{
    if (!s) return 0.0;
    pthread_once(&ascii_once, ascii_init);
    size_t left = strlen(s);
    double w = 0.0, line = 0.0;
    while (left) {
        unsigned char b = (unsigned char)*s;
        if (b < 0x80 && b != '\n') {
            line += ascii_width[b];
            s++, left--;
            continue;
        }
        uint32_t cp;
        size_t k = rc_utf8_decode(s, left, &cp);
        if (!k) {
            k = 1;
            cp = '?';
        }
        if (cp == '\n') {
            w = line > w ? line : w;
            line = 0.0;
        } else {
            line += cp_width(cp);
        }
        s += k, left -= k;
    }
    return line > w ? line : w;
}

/* No character measures more than 1.4 per byte of its UTF-8 (ASCII at most
 * 1.4, two bytes at most 2, three or four at most 2; a byte that is not
 * UTF-8 1), so a text that cannot widen the column is not measured: most
 * cells of a column of codes or numbers (the data workbook measured 3,200
 * texts an edition, 1 M instructions). The result is the same. */
double rc_xw_fit(double current, const char *s)
{
    if (current >= RC_XLSX_WIDTH_MAX || (s && 1.5 * (double)strlen(s) + 2.0 <= current))
        return current;
    double w = rc_xlsx_text_width(s) + 2.0;
    if (w > RC_XLSX_WIDTH_MAX) w = RC_XLSX_WIDTH_MAX;
    return w > current ? w : current;
}

/* ---- zip check ------------------------------------------------------------ */

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* pread of exactly n bytes. The check reads a few small pieces: through a
 * FILE each was a seek, a 4 KiB buffer and a refill, and the 64 KiB tail
 * it read in one malloc, after libxlsxwriter had freed the workbook, was
 * where malloc consolidated the thread's free chunks (2.1 M instructions
 * for three editions' six workbooks, callgrind). */
static bool read_at(int fd, uint64_t off, void *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t k = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        got += (size_t)k;
    }
    return true;
}

/* The zip's end: the last EOCD record whose comment runs exactly to the end
 * of the file, and the central directory and first local header it leads
 * to. The EOCD of a zip without a comment (every workbook reportc writes)
 * is the file's last 22 bytes: read alone; else the last 64 KiB + 22 are
 * searched, from the end, as before. */
static bool check_eocd(uint64_t size, const unsigned char *e, uint64_t eocd)
{
    unsigned comment = (unsigned)e[20] | (unsigned)e[21] << 8;
    if (memcmp(e, "PK\x05\x06", 4) != 0 || eocd + 22 + comment != size) return false;
    return true;
}

static bool check_directory(int fd, const unsigned char *e, uint64_t eocd)
{
    uint64_t cd_size = le32(e + 12), cd_off = le32(e + 16);
    uint64_t cd_end = eocd;
    if (cd_off == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu) {
        /* ZIP64: locator (20 bytes) just before the EOCD, then the record. */
        unsigned char loc[20], rec[56];
        if (eocd < 20 || !read_at(fd, eocd - 20, loc, sizeof loc) ||
            memcmp(loc, "PK\x06\x07", 4) != 0)
            return false;
        uint64_t rec_off = le64(loc + 8);
        if (rec_off + 56 > eocd - 20 || !read_at(fd, rec_off, rec, sizeof rec) ||
            memcmp(rec, "PK\x06\x06", 4) != 0)
            return false;
        cd_size = le64(rec + 40);
        cd_off = le64(rec + 48);
        cd_end = rec_off;
    }
    if (cd_off > cd_end || cd_end - cd_off != cd_size || cd_size < 46) return false;
    unsigned char sig[4];
    if (!read_at(fd, cd_off, sig, 4) || memcmp(sig, "PK\x01\x02", 4) != 0) return false;
    unsigned char first[4];
    return read_at(fd, 0, first, 4) && memcmp(first, "PK\x03\x04", 4) == 0;
}

bool rc_xlsx_verify_zip(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = false;
    unsigned char *tail = NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 22) goto done;
    uint64_t size = (uint64_t)st.st_size;
    unsigned char last[22];
    if (!read_at(fd, size - 22, last, sizeof last)) goto done;
    if (check_eocd(size, last, size - 22)) {
        ok = check_directory(fd, last, size - 22);
        goto done;
    }
    size_t want = 65536 + 22;
    size_t n = size < want ? (size_t)size : want;
    uint64_t base = size - n;
    tail = malloc(n);
    if (!tail || !read_at(fd, base, tail, n)) goto done;
    for (size_t i = n - 22 + 1; i-- > 0;) {
        if (!check_eocd(size, tail + i, base + i)) continue;
        ok = check_directory(fd, tail + i, base + i);
        goto done;
    }
done:
    free(tail);
    close(fd);
    return ok;
}

/* ---- workbook life cycle ---------------------------------------------------- */

void rc_xw_check(rc_xw *x, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
        x->err = e;
        x->err_what = what;
    }
}

static lxw_format *fmt_new(rc_xw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) rc_xw_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
    return f;
}

static void make_formats(rc_xw *x)
{
    x->bold = fmt_new(x);
    x->title = fmt_new(x);
    x->header = fmt_new(x);
    x->wrap = fmt_new(x);
    x->small = fmt_new(x);
    if (x->err) return;
    format_set_bold(x->bold);
    format_set_bold(x->title);
    format_set_font_size(x->title, 13);
    format_set_bold(x->header);
    format_set_bg_color(x->header, 0xDCE6F1);
    format_set_bottom(x->header, LXW_BORDER_THIN);
    format_set_text_wrap(x->header);
    format_set_align(x->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->wrap);
    format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_italic(x->small);
    format_set_font_size(x->small, 9);
    x->pct0 = rc_xw_format_for(x, "percent", false);
    x->pct1 = rc_xw_format_for(x, "percent:1", false);
    x->int0 = rc_xw_format_for(x, "integer", true);
    x->num2 = rc_xw_format_for(x, "number:2", false);
    x->url = workbook_get_default_url_format(x->wb);
}

static bool dir_writable(const char *dir, int *err)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        *err = errno;
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        *err = ENOTDIR;
        return false;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        *err = errno;
        return false;
    }
    return true;
}

/* What every open sets first: the document's, the path's. */
static void init(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path, rc_diag *d)
{
    memset(x, 0, sizeof *x);
    x->a = a;
    x->d = d;
    x->loc = doc->locale ? doc->locale : rc_locale_get("en");
    x->path = rc_out_shown(a, path);
    x->file = path;
    const rc_config *cfg = doc->cfg;
    x->where = cfg && cfg->output.directory.s ? cfg->output.directory.loc
               : cfg                          ? cfg->output.loc
                                              : (rc_loc){path, 0, 0};
    if (!x->where.file) x->where = (rc_loc){path, 0, 0};
}

/* The workbook's options: constant memory as x says, temporary files in
 * x->tmpdir (none when its calls are only recorded). */
static lxw_workbook_options options(const rc_xw *x, bool zip64)
{
    return (lxw_workbook_options){.constant_memory = x->cm ? LXW_TRUE : LXW_FALSE,
                                  .tmpdir = (char *)x->tmpdir,
                                  .use_zip64 = zip64 ? LXW_TRUE : LXW_FALSE};
}

void rc_xw_open_recorded(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                         bool constant_memory, bool zip64, rc_diag *d)
{
    init(x, a, doc, path, d);
    x->cm = constant_memory;
    lxw_workbook_options opt = options(x, zip64);
    x->wb = workbook_new_opt(path, &opt);
    make_formats(x);
}

rc_status rc_xw_open_file(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                          bool constant_memory, rc_diag *d)
{
    init(x, a, doc, path, d);
    /* libxlsxwriter is loaded by the first workbook (xlsx_lib.h): a build
     * that writes none never loads it. */
    const char *why = NULL;
    if (!rc_xw_lib_load(&why)) {
        rc_diag_error(d, x->where, "cannot write workbook '%s': libxlsxwriter cannot be loaded: %s",
                      x->path, why);
        if (*rc_xw_lib_package())
            rc_diag_note(d, x->where, "workbooks need the Debian package %s installed",
                         rc_xw_lib_package());
        return RC_ERR_LIBRARY;
    }
    const char *dir = rc_path_dir(a, path);
    int e = 0;
    /* path is the build's temporary (direct) or gets one of its own; never
     * a real output, as libxlsxwriter truncates its file when it opens it */
    x->tmp = rc_out_tmpfor(a, path, &x->direct);
    /* The build checked and locked this directory before it named its
     * temporary (build_write.c): asked again only for other callers, so
     * that theirs get a message naming the directory. */
    if (!x->direct && !dir_writable(dir, &e)) {
        rc_diag_error(d, x->where, "cannot write workbook '%s': directory '%s': %s", x->path, dir,
                      strerror(e));
        rc_out_drop(x->tmp, false); /* (only a name: never created) */
        return RC_ERR_IO;
    }
    x->cm = constant_memory;
    /* a directory the build owns and removes (outdir.c) */
    const char *work = rc_out_workdir(dir);
    x->tmpdir = work ? work : dir;
    return RC_OK;
}

bool rc_xw_start(rc_xw *x, bool zip64)
{
    lxw_workbook_options opt = options(x, zip64);
    /* Naming xlsx_tmpfile.c, xlsx_deflate.c, xlsx_xml.c, xlsx_elems.c and
     * xlsx_cells.c here links them, and so their lxw_tmpfile, minizip, XML
     * writer and cell functions (which nothing calls by name), into every
     * program that writes workbooks. */
    (void)rc_xlsx_memory_tmpfiles_made();
    (void)rc_xlsx_libdeflate_members_made();
    (void)rc_xlsx_own_xml_tags();
    (void)rc_xlsx_own_xml_elements();
    (void)rc_xlsx_cell_slab_made();
    x->wb = workbook_new_opt(x->tmp, &opt);
    /* Constant-memory sheets free each row's cells once written: they keep
     * the library's allocation (xlsx_cells.c). */
    if (x->wb && !x->cm) {
        rc_xw_cells_begin();
        x->slab = true;
    }
    return x->wb != NULL;
}

rc_status rc_xw_open(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                     bool constant_memory, bool zip64, rc_diag *d)
{
    rc_status st = rc_xw_open_file(x, a, doc, path, constant_memory, d);
    if (st != RC_OK) return st;
    if (!rc_xw_start(x, zip64)) {
        rc_out_drop(x->tmp, x->direct); /* (nothing made: the name is forgotten) */
        rc_diag_error(d, x->where, "cannot write workbook '%s': libxlsxwriter could not start",
                      x->path);
        return RC_ERR_LIBRARY;
    }
    make_formats(x);
    return RC_OK;
}

static char *join(rc_arena *a, const rc_strlist *l, const char *sep)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += (l->v[i].s ? strlen(l->v[i].s) : 0) + strlen(sep);
    char *s = rc_arena_alloc(a, n + 1);
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].s) continue;
        if (*s) strcat(s, sep);
        strcat(s, l->v[i].s);
    }
    return s;
}

void rc_xw_properties(rc_xw *x, const rc_doc *doc, int64_t epoch, const char *subject)
{
    const rc_report_cfg *r = doc->cfg ? &doc->cfg->report : NULL;
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    if (r) {
        p.title = (char *)r->title.s;
        p.subject = (char *)(subject ? subject : r->subtitle.s);
        p.author = join(x->a, &r->authors, ", ");
        p.company = (char *)r->publisher.s;
        p.keywords = join(x->a, &r->keywords, ", ");
        p.category = (char *)r->series.s;
        p.comments = (char *)r->doi.s;
    }
    /* A fixed creation time makes the files byte-identical between builds
     * (libxlsxwriter would otherwise use the current time). libxlsxwriter
     * reads 0 as "not set", so SOURCE_DATE_EPOCH=0 is written as one second
     * later: still reproducible. */
    p.created = epoch ? (time_t)epoch : (time_t)1;
    rc_xw_check(x, workbook_set_properties(x->wb, &p), "document properties");
}

rc_status rc_xw_close(rc_xw *x)
{
    errno = 0;
    lxw_error e = workbook_close(x->wb);
    int sys = errno; /* the system error behind a ZIP_ERRNO, e.g. ENOSPC */
    x->wb = NULL;
    if (x->slab) rc_xw_cells_end(); /* the workbook's cells are freed: the slab goes */
    x->slab = false;
    rc_status st = RC_OK;
    /* The rows reportc wrote itself go in now (xlsx_rows.c). */
    bool rows_ok = true;
    if (x->spool && !x->abandoned && x->err == LXW_NO_ERROR && e == LXW_NO_ERROR) {
        errno = 0;
        rows_ok = rc_xw_rows_splice(x) == RC_OK;
        if (!rows_ok) sys = errno ? errno : EIO;
    }
    rc_xw_rows_free(x);
    if (x->abandoned) {
        st = RC_ERR_DATA;
    } else if (x->err != LXW_NO_ERROR) {
        rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s (%s)", x->path,
                      lxw_strerror(x->err), x->err_what ? x->err_what : "?");
        st = RC_ERR_LIBRARY;
    } else if (e != LXW_NO_ERROR) {
        if (e == LXW_ERROR_ZIP_FILE_OPERATION && sys)
            rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path, strerror(sys));
        else
            rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path,
                          lxw_strerror(e));
        st = e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
                     e == LXW_ERROR_ZIP_FILE_OPERATION || e == LXW_ERROR_ZIP_CLOSE
                 ? RC_ERR_IO
                 : RC_ERR_LIBRARY;
    } else if (!rows_ok) {
        rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path, strerror(sys));
        st = RC_ERR_IO;
    } else if (!rc_xlsx_verify_zip(x->tmp)) {
        rc_diag_error(x->d, x->where,
                      "cannot write workbook '%s': the file written is incomplete (is the disk "
                      "full?)",
                      x->path);
        st = RC_ERR_IO;
    }
    if (st != RC_OK) {
        rc_out_drop(x->tmp, x->direct);
        return st;
    }
    if (x->direct) return RC_OK;                   /* the build's temporary: it renames it */
    if (rc_out_rename(x->tmp, x->file) != RC_OK) { /* (which removes tmp) */
        rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path, strerror(errno));
        return RC_ERR_IO;
    }
    return RC_OK;
}

lxw_worksheet *rc_xw_sheet(rc_xw *x, const char *want, const char **name)
{
    char buf[32];
    rc_xlsx_sheet_name(want, x->names.v, x->names.n, buf);
    const char *s = rc_arena_strdup(x->a, buf);
    lxw_error e = workbook_validate_sheet_name(x->wb, s);
    if (e != LXW_NO_ERROR) {
        rc_xw_check(x, e, s);
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, s);
    if (!ws) {
        rc_xw_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, s);
        return NULL;
    }
    RC_PUSH(x->a, x->names, s);
    if (name) *name = s;
    return ws;
}

/* ---- cells ----------------------------------------------------------------- */

void rc_xw_num(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, double v, lxw_format *f)
{
    if (!ws || !isfinite(v)) return;
    rc_xw_check(x, worksheet_write_number(ws, r, (lxw_col_t)c, v, f), "a number cell");
}

/* Cuts s to Excel's 32,767 characters (UTF-16 units, counted here as code
 * points above U+FFFF taking two). */
const char *rc_xw_fit_string(rc_xw *x, const char *s)
{
    size_t len = strlen(s);
    if (len <= RC_XLSX_MAX_STRING) return s;
    size_t units = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (!k) k = 1, cp = 0;
        size_t u = cp > 0xFFFF ? 2 : 1;
        if (units + u > RC_XLSX_MAX_STRING) break;
        units += u;
        i += k;
    }
    if (i == len) return s;
    if (!x->warned_long) {
        rc_diag_warning(x->d, x->where,
                        "workbook '%s': a text longer than 32,767 characters was cut to fit "
                        "an Excel cell",
                        x->path);
        x->warned_long = true;
    }
    return rc_arena_strndup(x->scratch ? x->scratch : x->a, s, i);
}

void rc_xw_str(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, const char *s, lxw_format *f)
{
    if (!ws) return;
    if (!s || !*s) {
        if (f) rc_xw_check(x, worksheet_write_blank(ws, r, (lxw_col_t)c, f), "a blank cell");
        return;
    }
    rc_xw_check(x, worksheet_write_string(ws, r, (lxw_col_t)c, rc_xw_fit_string(x, s), f),
                "a text cell");
}

void rc_xw_link(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, const char *url,
                const char *text)
{
    if (!ws) return;
    rc_xw_check(x, worksheet_write_url_opt(ws, r, (lxw_col_t)c, url, x->url, text, NULL),
                "a hyperlink");
}

void rc_xw_width(rc_xw *x, lxw_worksheet *ws, uint32_t c, double chars)
{
    if (!ws) return;
    rc_xw_check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, chars, NULL),
                "a column width");
}

/* ---- number formats ------------------------------------------------------------ */

const char *rc_xlsx_num_format(const char *spec, bool integral)
{
    static const char *const pct[] = {"0%", "0.0%", "0.00%", "0.000%", "0.0000%"};
    static const char *const num[] = {"0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000"};
    if (!spec || !*spec || strcmp(spec, "auto") == 0) return integral ? "0" : NULL;
    if (strcmp(spec, "integer") == 0 || strncmp(spec, "floor:", 6) == 0 ||
        strncmp(spec, "ceil:", 5) == 0)
        return "0";
    if (strcmp(spec, "percent") == 0) return pct[0];
    if (strncmp(spec, "percent:", 8) == 0) {
        long n = strtol(spec + 8, NULL, 10);
        return pct[n < 0 ? 0 : n > 4 ? 4 : n];
    }
    if (strncmp(spec, "number:", 7) == 0) {
        long n = strtol(spec + 7, NULL, 10);
        return num[n < 0 ? 0 : n > 6 ? 6 : n];
    }
    return integral ? "0" : NULL;
}

lxw_format *rc_xw_format_for(rc_xw *x, const char *spec, bool integral)
{
    const char *nf = rc_xlsx_num_format(spec, integral);
    if (!nf) return NULL;
    for (size_t i = 0; i < x->fmts.n; i++)
        if (strcmp(x->fmts.v[i].numfmt, nf) == 0) return x->fmts.v[i].f;
    lxw_format *f = fmt_new(x);
    if (!f) return NULL;
    format_set_num_format(f, nf);
    RC_PUSH(x->a, x->fmts, ((rc_xw_fmt){nf, f}));
    return f;
}
