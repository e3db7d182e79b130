/* data: loads every source once. The header row maps declared fields to CSV
 * columns; rows are typed into batches of up to RC_BATCH, stored by column
 * (data_int.h), and handed to the accumulators of aggregate.c, so nothing
 * but the aggregates stays in memory unless rows are kept (RC_DATA_KEEP_ROWS
 * or a 'rows' aggregate). The common cells (a declared code, a one-digit
 * answer, a list of codes, empty or missing) are typed here straight into
 * the batch's bit sets; every other cell, and every cell when rows are kept,
 * goes through rc_value_fast / rc_value_parse_rt (value.c), which report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data_int.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "rc/csv.h"
#include "rc/data.h"
#include "rc/util.h"

#define MAX_ERRORS_PER_SOURCE 50

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- loading a source ---- */

typedef struct loader {
    rc_arena *a;
    rc_diag *d;
    const rc_source_cfg *src;
    size_t si;
    rc_accs *acc;
    const char *file; /* for diagnostics */
    rc_field_rt *rt;
    size_t nf;
    size_t *csvcol; /* per field */
    size_t rec;     /* records seen */
    size_t nerr;
    bool config_err;
    bool keep;
    bool dirty;     /* the batch's next row holds a row that was not kept */
    rc_value *rows; /* kept rows */
    unsigned *lines;
    size_t nrows, rowcap;
    rc_batch b;      /* the batch by column */
    rc_value *batch; /* the batch's rows when rows are kept (at most bmax) */
    unsigned blines[RC_BATCH];
    size_t bmax;
    char *kbuf; /* arena chunk for texts of kept rows */
    size_t kleft;
    char **tbuf; /* chunks for texts of the batch when rows are not kept */
    size_t ntbuf, tcap, tused;
    rc_keys keys;
    size_t keyfield; /* SIZE_MAX when no key */
} loader;

static inline const char *trimmed(const rc_csv_field *c, size_t *off, size_t *len)
{
    size_t s = 0, n = c->len;
    /* ' ' and '\t' are both <= ' ': one test per end in the usual case */
    if (n && ((unsigned char)c->s[0] <= ' ' || (unsigned char)c->s[n - 1] <= ' ')) {
        while (s < n && is_space(c->s[s]))
            s++;
        while (n > s && is_space(c->s[n - 1]))
            n--;
    }
    *off = s;
    *len = n - s;
    return c->s + s;
}

static bool map_header(loader *ld, const rc_csv_field *fs, size_t n, unsigned line)
{
    rc_strset names;
    rc_strset_init(&names, ld->a);
    const char **cands = rc_arena_array(ld->a, n ? n : 1, sizeof *cands);
    size_t *dupof = rc_arena_array(ld->a, n ? n : 1, sizeof *dupof);
    for (size_t i = 0; i < n; i++) {
        size_t off, len;
        const char *s = trimmed(&fs[i], &off, &len);
        bool added;
        rc_strset_ent *e = rc_strset_add(&names, s, len, (unsigned)i, &added);
        cands[i] = e->s;
        dupof[i] = added ? SIZE_MAX : e->val;
    }
    bool ok = true;
    for (size_t k = 0; k < ld->nf; k++) {
        const rc_field_cfg *f = &ld->src->fields[k];
        const char *col = f->column.s ? f->column.s : f->name.s;
        rc_loc loc = f->column.s ? f->column.loc : f->loc;
        const rc_strset_ent *e = rc_strset_find(&names, col, strlen(col));
        if (!e) {
            const char *sug = rc_diag_suggest(col, cands, n);
            if (sug)
                rc_diag_error(ld->d, loc, "unknown column '%s' in source '%s' (did you mean '%s'?)",
                              col, ld->src->name.s, sug);
            else
                rc_diag_error(ld->d, loc, "unknown column '%s' in source '%s'", col,
                              ld->src->name.s);
            ok = false;
            continue;
        }
        ld->csvcol[k] = ld->rt[k].csvcol = e->val;
        for (size_t i = e->val + 1; i < n; i++)
            if (dupof[i] == e->val) {
                rc_loc l = {ld->file, fs[i].line ? fs[i].line : line, fs[i].col};
                rc_diag_error(ld->d, l,
                              "column '%s' appears twice in the header (columns %u and %zu)", col,
                              e->val + 1, i + 1);
                ok = false;
            }
    }
    if (!ok && n == 1) {
        /* One header column holding another delimiter: the usual cause is a
         * file saved with ';' or tabs (spreadsheets in many locales). */
        size_t off, len;
        const char *h = trimmed(&fs[0], &off, &len);
        static const struct {
            char c;
            const char *key;
        } alt[] = {{';', ";"}, {'\t', "tab"}, {',', ","}};
        char delim = ld->src->delimiter ? ld->src->delimiter : ',';
        for (size_t i = 0; i < sizeof alt / sizeof alt[0]; i++)
            if (alt[i].c != delim && memchr(h, alt[i].c, len)) {
                rc_loc l = {ld->file, fs[0].line ? fs[0].line : line, fs[0].col ? fs[0].col : 1};
                rc_diag_note(ld->d, l,
                             "the header is a single column that contains '%s'; if that is the "
                             "delimiter, write 'delimiter = %s' in [source %s]",
                             alt[i].c == '\t' ? "\\t" : alt[i].key, alt[i].key, ld->src->name.s);
                break;
            }
    }
    if (!ok) ld->config_err = true;
    return ok;
}

/* Hands the typed batch to the accumulators (and keeps its rows if asked). */
static void flush(loader *ld)
{
    size_t n = ld->b.n;
    if (!n) return;
    if (ld->keep) {
        if (ld->nrows + n > ld->rowcap) {
            size_t nc = ld->rowcap ? ld->rowcap * 2 : 1024;
            while (nc < ld->nrows + n)
                nc *= 2;
            ld->rows =
                rc_arena_grow(ld->a, ld->rows, ld->rowcap * ld->nf, nc * ld->nf, sizeof *ld->rows);
            ld->lines = rc_arena_grow(ld->a, ld->lines, ld->rowcap, nc, sizeof *ld->lines);
            ld->rowcap = nc;
        }
        memcpy(ld->rows + ld->nrows * ld->nf, ld->batch, n * ld->nf * sizeof *ld->batch);
        memcpy(ld->lines + ld->nrows, ld->blines, n * sizeof *ld->lines);
    }
    ld->nrows += n;
    /* values per field (for the warning about empty columns) */
    for (size_t k = 0; k < ld->nf; k++) {
        size_t miss = 0;
        for (size_t i = 0; i < RC_BW; i++)
            miss += rc_popcount64(ld->b.cols[k].miss[i]);
        ld->rt[k].nonmissing += n - miss;
    }
    ld->b.rows = ld->keep ? ld->batch : NULL;
    ld->b.lines = ld->blines;
    if (ld->acc) rc_accs_rows(ld->acc, ld->si, &ld->b);
    rc_batch_clear(&ld->b);
    ld->dirty = false;
    /* the batch's texts are no longer needed: keep the last (largest,
     * tcap-sized) chunk only */
    if (ld->ntbuf > 1) {
        for (size_t i = 0; i + 1 < ld->ntbuf; i++)
            free(ld->tbuf[i]);
        ld->tbuf[0] = ld->tbuf[ld->ntbuf - 1];
        ld->ntbuf = 1;
    }
    ld->tused = 0;
}

/* Room for `need` bytes of a row's texts (fill_room says how many were
 * used). Texts of kept rows live in arena chunks, the others in chunks that
 * stay until the batch is flushed. */
static char *text_room(loader *ld, size_t need)
{
    if (ld->keep) {
        if (need > ld->kleft) {
            size_t n = need > ((size_t)64 << 10) ? need : (size_t)64 << 10;
            ld->kbuf = rc_arena_alloc(ld->a, n);
            ld->kleft = n;
        }
        return ld->kbuf;
    }
    if (!ld->ntbuf || ld->tused + need > ld->tcap) {
        size_t nc = (size_t)256 << 10;
        while (nc < need)
            nc *= 2;
        char **v = realloc(ld->tbuf, (ld->ntbuf + 1) * sizeof *v);
        if (!v) return NULL;
        ld->tbuf = v;
        if (!(v[ld->ntbuf] = malloc(nc))) return NULL;
        ld->ntbuf++;
        ld->tcap = nc;
        ld->tused = 0;
    }
    return ld->tbuf[ld->ntbuf - 1] + ld->tused;
}

static void fill_room(loader *ld, size_t used)
{
    if (ld->keep) {
        ld->kbuf += used;
        ld->kleft -= used;
    } else {
        ld->tused += used;
    }
}

/* Bit i set when s[i] == sep, for i < len <= 64 (s padded: see RC_CSV_PAD). */
static inline uint64_t sep_mask(const char *s, size_t len, char sep)
{
    uint64_t m = 0;
#if defined(__SSE2__)
    __m128i v = _mm_set1_epi8(sep);
    for (size_t q = 0; q < len; q += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + q));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)) << q;
    }
#else
    for (size_t i = 0; i < len; i++)
        m |= (uint64_t)(s[i] == sep) << i;
#endif
    return len < 64 ? m & (((uint64_t)1 << len) - 1) : m;
}

/* Types the common cells straight into the batch's bit sets (when neither
 * rows nor this column's texts are kept): empty or missing, a declared
 * category code, a Likert answer on the scale, a list of declared codes,
 * free text. Returns 1 for a value, 0 for a missing one, -1 when the cell
 * needs rc_value_parse_rt (which may report it). Agrees with rc_value_fast
 * and rc_value_parse_rt, including their order: a missing code wins over a
 * declared code with the same text. */
/* One item s[i..t) of a multi cell, blanks trimmed: its code's bit is added
 * to *mask. False for an undeclared code (rc_value_parse_rt reports it).
 * Forced inline: on the hot path a call cost 2% more instructions. */
__attribute__((always_inline)) static inline bool multi_item(const rc_field_rt *rt, const char *s,
                                                             size_t i, size_t t, uint64_t *mask)
{
    while (i < t && is_space(s[i]))
        i++;
    while (t > i && is_space(s[t - 1]))
        t--;
    if (t == i) return true;
    const rc_code_slot *e = rc_find_padded(rt, s + i, t - i);
    if (!e || e->idx1 > 64) return false;
    *mask |= (uint64_t)1 << (e->idx1 - 1);
    return true;
}

static inline int fast_cell(const rc_field_rt *rt, rc_col *col, const rc_csv_field *c, size_t w,
                            uint64_t bit)
{
    /* The usual cells first, untrimmed: a declared code (no code begins or
     * ends with a space when rt->raw) or a one-digit answer. */
    const char *s = c->s;
    size_t len = c->len, off;
    if (rt->type == RC_FIELD_CATEGORY && rt->raw && len) {
        const rc_code_slot *e = rc_find_padded(rt, s, len);
        if (e && !e->missing) {
            col->bits[(size_t)(e->idx1 - 1) * RC_BW + w] |= bit;
            return 1;
        }
    } else if (rt->type == RC_FIELD_LIKERT && len == 1 && rt->level1[(unsigned char)s[0]]) {
        col->bits[(size_t)(rt->level1[(unsigned char)s[0]] - 1) * RC_BW + w] |= bit;
        return 1;
    }
    s = trimmed(c, &off, &len);
    if (rt->type == RC_FIELD_CATEGORY && len && (!rt->raw || len != c->len)) {
        const rc_code_slot *e = rc_find_padded(rt, s, len);
        if (e && !e->missing) {
            col->bits[(size_t)(e->idx1 - 1) * RC_BW + w] |= bit;
            return 1;
        }
    }
    if (len == 0 || rc_missing_code(rt, s, len)) {
        col->miss[w] |= bit;
        return 0;
    }
    switch (rt->type) {
    case RC_FIELD_LIKERT: {
        if (!rt->likert_direct || len > 4) return -1;
        int v = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        if (v < rt->smin || v > rt->smax || rt->codelen[v - rt->smin] != len) return -1;
        col->bits[(size_t)(v - rt->smin) * RC_BW + w] |= bit;
        return 1;
    }
    case RC_FIELD_MULTI: {
        if (!rt->sep) return -1;
        uint64_t mask = 0;
        if (len <= 64) { /* the separators' positions at once, then item by item */
            uint64_t seps = sep_mask(s, len, rt->sep);
            for (size_t i = 0;;) {
                size_t j = seps ? (size_t)__builtin_ctzll(seps) : len;
                if (!multi_item(rt, s, i, j, &mask)) return -1;
                if (!seps) break;
                i = j + 1;
                seps &= seps - 1;
            }
        } else {
            for (size_t i = 0; i <= len;) {
                size_t j = i;
                while (j < len && s[j] != rt->sep)
                    j++;
                if (!multi_item(rt, s, i, j, &mask)) return -1;
                i = j + 1;
            }
        }
        if (!mask) {
            col->miss[w] |= bit;
            return 0;
        }
        for (; mask; mask &= mask - 1)
            col->bits[(size_t)__builtin_ctzll(mask) * RC_BW + w] |= bit;
        return 1;
    }
    case RC_FIELD_TEXT:
        return 1;
    default: /* an undeclared category code, a number */
        return -1;
    }
}

/* Clears row r of every column (after a row that was typed but not kept). */
static void clear_row(rc_batch *b, size_t r)
{
    uint64_t keep = ~((uint64_t)1 << (r % 64));
    for (size_t k = 0; k < b->ncols; k++) {
        rc_col *c = &b->cols[k];
        c->miss[r / 64] &= keep;
        for (size_t i = 0; i < c->nlevels; i++)
            c->bits[i * RC_BW + r / 64] &= keep;
    }
}

static int on_record(void *user, const rc_csv_field *fs, size_t n, unsigned line)
{
    loader *ld = user;
    ld->rec++;
    unsigned hdr = ld->src->header_row ? ld->src->header_row : 1;
    if (ld->rec < hdr) return 0;
    if (ld->rec == hdr) return map_header(ld, fs, n, line) ? 0 : 1;

    size_t r = ld->b.n, w = r / 64;
    uint64_t bit = (uint64_t)1 << (r % 64);
    if (ld->dirty) clear_row(&ld->b, r);
    rc_value *row = ld->keep ? ld->batch + r * ld->nf : NULL;
    bool bad = false;
    for (size_t k = 0; k < ld->nf; k++) {
        rc_field_rt *rt = &ld->rt[k];
        const rc_csv_field *c = &fs[rt->csvcol];
        if (!rt->slow && fast_cell(rt, rt->col, c, w, bit) >= 0) continue;
        size_t off, len;
        const char *s = trimmed(c, &off, &len);
        rc_value tmp, *v = row ? &row[k] : &tmp;
        if (!rc_value_fast(rt, s, len, v)) {
            char *tb = text_room(ld, len + 1), *tb0 = tb;
            if (!tb) return 1;
            rc_loc loc = {ld->file, c->line ? c->line : line, c->col + c->quoted + (unsigned)off};
            if (!rc_value_parse_rt(rt, ld->a, rt->f, s, len, loc, ld->d, v, &tb)) {
                bad = true;
                if (++ld->nerr == MAX_ERRORS_PER_SOURCE) {
                    rc_diag_note(ld->d, loc, "too many errors in '%s'; stopped reading", ld->file);
                    return 1;
                }
            }
            fill_room(ld, (size_t)(tb - tb0));
        }
        rc_batch_put(&ld->b, k, r, v);
    }
    if (ld->keyfield != SIZE_MAX && !(ld->b.cols[ld->keyfield].miss[w] & bit)) {
        /* a key's text is its trimmed cell whatever the field's type */
        const rc_csv_field *c = &fs[ld->csvcol[ld->keyfield]];
        size_t off, len;
        /* (no NUL byte in it: the reader rejects a text with one, csv.h; a
         * memchr per key was 1.2 % of `metrics` on a 1M-row survey) */
        const char *s = trimmed(c, &off, &len);
        if (!rc_keys_add(&ld->keys, s, len, c->line ? c->line : line, c->col + c->quoted)) return 1;
    }
    if (bad || ld->nerr) { /* results would be wrong: keep reading only to report more */
        ld->dirty = true;
        return 0;
    }
    ld->dirty = false;
    ld->blines[ld->b.n++] = line;
    if (ld->b.n == ld->bmax) flush(ld);
    return 0;
}

/* The second pass for key candidates: the texts of the keys that share a
 * hash, found by their cell's position (the same as on_record's). */
typedef struct rereader {
    loader *ld;
    size_t rec;
} rereader;

static int on_key_record(void *user, const rc_csv_field *fs, size_t n, unsigned line)
{
    rereader *rr = user;
    loader *ld = rr->ld;
    unsigned hdr = ld->src->header_row ? ld->src->header_row : 1;
    if (++rr->rec <= hdr) return 0;
    size_t col = ld->csvcol[ld->keyfield];
    if (col >= n) return 0;
    const rc_csv_field *c = &fs[col];
    if (!rc_keys_want(&ld->keys, c->line ? c->line : line, c->col + c->quoted)) return 0;
    size_t off, len;
    const char *s = trimmed(c, &off, &len); /* no NUL byte in it (csv.h) */
    if (!rc_keys_set_text(&ld->keys, s, len)) return 1;
    return ld->keys.next >= ld->keys.ncand; /* stop once every candidate is read */
}

static void reread_keys(loader *ld, const char *path, const rc_csv_opts *o)
{
    rereader rr = {ld, 0};
    rc_diag *quiet = rc_diag_new(); /* the first pass reported the file's problems */
    rc_csv_read(path, o, on_key_record, &rr, quiet);
    rc_diag_free(quiet);
}

static bool check_fields(const rc_source_cfg *src, rc_diag *d)
{
    bool ok = true;
    for (size_t k = 0; k < src->nfields; k++) {
        const rc_field_cfg *f = &src->fields[k];
        if (f->type == RC_FIELD_MULTI && f->ncodes > 64) {
            rc_diag_error(d, f->type_loc,
                          "multi field '%s' declares %zu codes; at most 64 are supported",
                          f->name.s, f->ncodes);
            ok = false;
        }
    }
    return ok;
}

/* Loads one source; returns the status of this source. */
/* A pairings diagram draws one line per row of its source, so that
 * source's rows are kept (pairing lists are small). */
static bool drawn_row_by_row(const rc_config *cfg, const rc_source_cfg *src)
{
    for (size_t i = 0; i < cfg->nfigures; i++) {
        const rc_figure_cfg *f = &cfg->figures[i];
        if (f->type == RC_CHART_PAIRINGS && f->data.s && src->name.s &&
            strcmp(f->data.s, src->name.s) == 0)
            return true;
    }
    return false;
}

static rc_status load_source(rc_arena *a, const rc_config *cfg, size_t si, rc_accs *acc,
                             unsigned flags, rc_diag *d, rc_source_data *sd)
{
    const rc_source_cfg *src = &cfg->sources[si];
    sd->cfg = src;
    sd->ncols = src->nfields;
    const char *path = src->path;
    if (!path && src->file.s)
        path = cfg->dir ? rc_path_join(a, cfg->dir, src->file.s) : src->file.s;
    if (!path) {
        rc_diag_error(d, src->loc, "source '%s' needs a 'file'", src->name.s);
        return RC_ERR_CONFIG;
    }
    struct stat sb;
    FILE *fp = fopen(path, "rb");
    if (!fp || fstat(fileno(fp), &sb) != 0 || S_ISDIR(sb.st_mode)) {
        int e = fp ? (S_ISDIR(sb.st_mode) ? EISDIR : errno) : errno;
        if (fp) fclose(fp);
        rc_diag_error(d, src->file.s ? src->file.loc : src->loc, "cannot open '%s': %s",
                      src->file.s ? src->file.s : path, strerror(e));
        return RC_ERR_IO;
    }
    fclose(fp);
    sd->bytes = (size_t)sb.st_size;
    if (!check_fields(src, d)) return RC_ERR_CONFIG;

    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.a = a;
    ld.d = d;
    ld.src = src;
    ld.si = si;
    ld.acc = acc;
    ld.file = path;
    ld.nf = src->nfields;
    ld.rt = rc_arena_array(a, ld.nf ? ld.nf : 1, sizeof *ld.rt);
    ld.csvcol = rc_arena_array(a, ld.nf ? ld.nf : 1, sizeof *ld.csvcol);
    /* a batch of about 1 MiB of values at most (wide sources get fewer rows) */
    ld.bmax = ((size_t)1 << 20) / (sizeof(rc_value) * (ld.nf ? ld.nf : 1));
    ld.bmax = ld.bmax < 1 ? 1 : ld.bmax > RC_BATCH ? RC_BATCH : ld.bmax;
    for (size_t k = 0; k < ld.nf; k++)
        rc_field_rt_init(&ld.rt[k], a, &src->fields[k]);
    ld.keep = (flags & RC_DATA_KEEP_ROWS) || (acc && rc_accs_wants_rows(acc, si)) ||
              drawn_row_by_row(cfg, src);
    if (ld.keep) ld.batch = rc_arena_array(a, ld.bmax * (ld.nf ? ld.nf : 1), sizeof *ld.batch);
    bool *want = rc_arena_array(a, ld.nf ? ld.nf : 1, sizeof *want);
    for (size_t k = 0; k < ld.nf; k++)
        want[k] = ld.keep;
    if (acc) rc_accs_text_cols(acc, si, want);
    rc_batch_init(&ld.b, a, src, want);
    for (size_t k = 0; k < ld.nf; k++) {
        ld.rt[k].col = &ld.b.cols[k];
        ld.rt[k].slow = ld.keep || ld.b.cols[k].text; /* every cell through rc_value */
    }
    rc_keys_init(&ld.keys);
    ld.keyfield = SIZE_MAX;
    if (src->key.s) {
        for (size_t k = 0; k < ld.nf; k++)
            if (strcmp(src->fields[k].name.s, src->key.s) == 0) ld.keyfield = k;
        if (ld.keyfield == SIZE_MAX) {
            rc_diag_error(d, src->key.loc, "key '%s' is not a field of source '%s'", src->key.s,
                          src->name.s);
            return RC_ERR_CONFIG;
        }
    }

    rc_csv_opts o = {.delimiter = src->delimiter ? src->delimiter : ',',
                     .file = path,
                     .header_row = src->header_row};
    rc_status st = rc_csv_read(path, &o, on_record, &ld, d);
    if (st == RC_OK && !ld.nerr && !ld.config_err) flush(&ld);
    for (size_t i = 0; i < ld.ntbuf; i++)
        free(ld.tbuf[i]);
    free(ld.tbuf);
    if (ld.keyfield != SIZE_MAX && !ld.config_err && rc_keys_candidates(&ld.keys) > 0) {
        reread_keys(&ld, path, &o);
        if (rc_keys_check(&ld.keys, d, path, src->fields[ld.keyfield].name.s) > 0 && st == RC_OK)
            st = RC_ERR_DATA;
    }
    rc_keys_free(&ld.keys);
    if (ld.config_err) return RC_ERR_CONFIG;
    /* Values read as missing are counted and reported once per field and
     * reason, also when errors stop the build (they may explain them). */
    sd->quality = rc_arena_array(a, ld.nf ? ld.nf : 1, sizeof *sd->quality);
    for (size_t k = 0; k < ld.nf; k++)
        rc_drop_report(&ld.rt[k], a, d, ld.nrows, &sd->quality[k]);
    if (st == RC_OK && ld.nerr) st = RC_ERR_DATA;
    if (st != RC_OK) return st;

    sd->nrows = ld.nrows;
    if (ld.keep) {
        sd->rows = ld.rows;
        sd->row_line = ld.lines;
    }
    for (size_t k = 0; k < ld.nf && ld.nrows; k++)
        if (ld.rt[k].nonmissing == 0) {
            const rc_field_cfg *f = &src->fields[k];
            rc_diag_warning(d, f->column.s ? f->column.loc : f->loc,
                            "column '%s' of source '%s' has no values (every cell is empty or "
                            "missing)",
                            f->column.s ? f->column.s : f->name.s, src->name.s);
        }
    /* Provenance: a second read of the file, which is in the page cache by now. */
    if (!(flags & RC_DATA_NO_HASH) && rc_sha256_file(path, sd->sha256) != RC_OK) {
        rc_diag_error(d, src->file.loc, "cannot read '%s': %s", src->file.s, strerror(errno));
        return RC_ERR_IO;
    }
    return RC_OK;
}

rc_status rc_data_build(rc_arena *a, const rc_config *cfg, unsigned flags, rc_diag *d, rc_data *out)
{
    memset(out, 0, sizeof *out);
    out->cfg = cfg;
    size_t cfg_errors = 0;
    rc_accs *acc = rc_accs_new(a, cfg, d, &cfg_errors);
    out->nsources = cfg->nsources;
    out->sources = rc_arena_array(a, cfg->nsources ? cfg->nsources : 1, sizeof *out->sources);
    bool io = false, data = false, limit = false, conf = cfg_errors > 0;
    for (size_t i = 0; i < cfg->nsources; i++) {
        rc_status st = load_source(a, cfg, i, acc, flags, d, &out->sources[i]);
        if (st == RC_ERR_IO)
            io = true;
        else if (st == RC_ERR_CONFIG)
            conf = true;
        else if (st == RC_ERR_LIMIT)
            limit = true;
        else if (st != RC_OK)
            data = true;
    }
    rc_accs_finish(acc, cfg, out);
    if (conf) return RC_ERR_CONFIG;
    if (io) return RC_ERR_IO;
    if (limit) return RC_ERR_LIMIT;
    if (data) return RC_ERR_DATA;
    return RC_OK;
}

const rc_metric_value *rc_data_metric(const rc_data *data, const char *name)
{
    for (size_t i = 0; i < data->nmetrics; i++)
        if (data->metrics[i].name && strcmp(data->metrics[i].name, name) == 0)
            return &data->metrics[i];
    return NULL;
}

const rc_agg *rc_data_agg(const rc_data *data, const char *name)
{
    for (size_t i = 0; i < data->naggs; i++)
        if (data->aggs[i].name && strcmp(data->aggs[i].name, name) == 0) return &data->aggs[i];
    return NULL;
}

const rc_source_data *rc_data_source(const rc_data *data, const char *name)
{
    for (size_t i = 0; i < data->nsources; i++)
        if (data->sources[i].cfg && strcmp(data->sources[i].cfg->name.s, name) == 0)
            return &data->sources[i];
    return NULL;
}
