/* Tests of the RFC 4180 reader: every syntax case, every diagnostic with its
 * exact position, and streaming across block boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/csv.h"
#include "rc/diag.h"

/* Records rendered as "line:f1|f2|...\n", field columns as "@col". */
typedef struct sink {
    char *buf;
    size_t len, cap;
    bool cols;
    size_t nrec;
    int stop_after;
    uint64_t hash;
} sink;

static void put(sink *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        assert_non_null(s->buf);
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = 0;
}

static int collect(void *user, const rc_csv_field *f, size_t n, unsigned line)
{
    sink *s = user;
    char tmp[64];
    s->nrec++;
    int k = snprintf(tmp, sizeof tmp, "%u:", line);
    put(s, tmp, (size_t)k);
    for (size_t i = 0; i < n; i++) {
        if (i) put(s, "|", 1);
        put(s, f[i].s, f[i].len);
        if (s->cols) {
            k = snprintf(tmp, sizeof tmp, "@%u.%u%s", f[i].line, f[i].col, f[i].quoted ? "q" : "");
            put(s, tmp, (size_t)k);
        }
    }
    put(s, "\n", 1);
    if (s->stop_after && (int)s->nrec >= s->stop_after) return 1;
    return 0;
}

/* Order-sensitive hash of every record (for comparing parse and read). */
static int hashing(void *user, const rc_csv_field *f, size_t n, unsigned line)
{
    sink *s = user;
    uint64_t h = s->hash ^ line;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < f[i].len; j++)
            h = (h ^ (unsigned char)f[i].s[j]) * 1099511628211ull;
        h = (h ^ 0x1f ^ f[i].col) * 1099511628211ull;
    }
    s->hash = h * 31 + n;
    s->nrec++;
    return 0;
}

static char *diags(rc_diag *d)
{
    static char out[4096];
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        n += rc_diag_format(rc_diag_get(d, i), out + n, sizeof out - n);
        if (n + 1 < sizeof out) out[n++] = '\n';
        out[n] = 0;
    }
    return out;
}

static rc_status parse(const char *text, size_t len, char delim, sink *s, rc_diag *d)
{
    rc_csv_opts o = {.delimiter = delim, .file = "t.csv"};
    return rc_csv_parse(text, len, &o, collect, s, d);
}

/* Parses text; asserts the status, the records and the diagnostics. */
static void check(const char *text, rc_status want_st, const char *want_rec, const char *want_diag)
{
    sink s = {0};
    rc_diag *d = rc_diag_new();
    rc_status st = parse(text, strlen(text), ',', &s, d);
    assert_string_equal(s.buf ? s.buf : "", want_rec);
    assert_string_equal(diags(d), want_diag);
    assert_int_equal(st, want_st);
    rc_diag_free(d);
    free(s.buf);
}

static void test_basic_lf_crlf(void **state)
{
    (void)state;
    check("a,b\n1,2\n", RC_OK, "1:a|b\n2:1|2\n", "");
    check("a,b\r\n1,2\r\n", RC_OK, "1:a|b\n2:1|2\n", "");
    check("a,b\n1,2", RC_OK, "1:a|b\n2:1|2\n", ""); /* no final newline */
    check("a,b\r\n1,2", RC_OK, "1:a|b\n2:1|2\n", "");
    check("a,b,c\n,,\n", RC_OK, "1:a|b|c\n2:||\n", "");         /* empty fields */
    check("a,b\n1,", RC_OK, "1:a|b\n2:1|\n", "");               /* empty last field at EOF */
    check("a\n\n1\r\n\r\n2\n\n", RC_OK, "1:a\n3:1\n5:2\n", ""); /* blank lines skipped */
    check("h\n  x  \n", RC_OK, "1:h\n2:  x  \n", "");           /* spaces are data */
}

static void test_quoted(void **state)
{
    (void)state;
    check("a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", RC_OK, "1:a|b\n2:x,y|he said \"hi\"\n", "");
    check("a,b\n\"\",\"\"\"\"\n", RC_OK, "1:a|b\n2:|\"\n", "");
    /* newline inside quotes: the record starts on line 2, the next on line 4 */
    check("a,b\n\"l1\nl2\",z\n3,4\n", RC_OK, "1:a|b\n2:l1\nl2|z\n4:3|4\n", "");
    /* CRLF inside quotes is kept as data */
    check("a\r\n\"x\r\ny\"\r\n", RC_OK, "1:a\n2:x\r\ny\n", "");
    check("a,b\n\"q\"", RC_ERR_DATA, "1:a|b\n",
          "t.csv:2:4: error: row has 1 field, header has 2\n");
    check("a\n\"x\"\n", RC_OK, "1:a\n2:x\n", "");
    check("a\n\"é,ü\"\n", RC_OK, "1:a\n2:é,ü\n", "");
}

static void test_columns(void **state)
{
    (void)state;
    sink s = {.cols = true};
    rc_diag *d = rc_diag_new();
    const char *t = "\xEF\xBB\xBF"
                    "id,name\n7,\"a\nb\",x\n";
    rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
    rc_status st = rc_csv_parse(t, strlen(t), &o, collect, &s, d);
    assert_int_equal(st, RC_ERR_DATA);
    /* the BOM is not a column: "id" is at 1.1 */
    assert_string_equal(s.buf, "1:id@1.1|name@1.4\n");
    /* the third field starts on line 3, after the newline inside quotes */
    assert_string_equal(diags(d), "t.csv:3:4: error: row has 3 fields, header has 2\n");
    rc_diag_free(d);
    free(s.buf);

    memset(&s, 0, sizeof s);
    s.cols = true;
    d = rc_diag_new();
    t = "a,b,c\n\"x\ny\",\"p\",é\n";
    st = rc_csv_parse(t, strlen(t), &o, collect, &s, d);
    assert_int_equal(st, RC_OK);
    assert_string_equal(s.buf, "1:a@1.1|b@1.3|c@1.5\n2:x\ny@2.1q|p@3.4q|é@3.8\n");
    rc_diag_free(d);
    free(s.buf);
}

static void test_delimiters_and_bom(void **state)
{
    (void)state;
    sink s = {0};
    rc_diag *d = rc_diag_new();
    const char *t = "a\tb\n1\t\"2\t3\"\n";
    assert_int_equal(parse(t, strlen(t), '\t', &s, d), RC_OK);
    assert_string_equal(s.buf, "1:a|b\n2:1|2\t3\n");
    assert_int_equal(rc_diag_count(d), 0);
    free(s.buf);
    rc_diag_free(d);
    check("\xEF\xBB\xBF"
          "a,b\n1,2\n",
          RC_OK, "1:a|b\n2:1|2\n", "");
    check("\xEF\xBB\xBF", RC_ERR_DATA, "", "t.csv:1:1: error: file is empty\n");
}

static void test_semicolon_fields(void **state)
{
    (void)state;
    sink s = {0};
    rc_diag *d = rc_diag_new();
    const char *t = "a;b\n1,5;\"x;y\"\n";
    assert_int_equal(parse(t, strlen(t), ';', &s, d), RC_OK);
    /* the sink joins with '|', so the ';' inside the quoted field stays data */
    assert_string_equal(s.buf, "1:a|b\n2:1,5|x;y\n");
    free(s.buf);
    rc_diag_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    check("a,b\n1,x\xff\n", RC_ERR_DATA, "1:a|b\n",
          "t.csv:2:4: error: invalid UTF-8 byte 0xFF (save the file as UTF-8)\n");
    /* Latin-1 'é' after a valid UTF-8 'é': exact byte column 3 */
    check("a\n\xC3\xA9\xE9t\xC3\n", RC_ERR_DATA, "1:a\n",
          "t.csv:2:3: error: invalid UTF-8 byte 0xE9 (save the file as UTF-8)\n");
    /* truncated sequence at the end of the file */
    check("a\nx\xC3", RC_ERR_DATA, "1:a\n",
          "t.csv:2:2: error: invalid UTF-8 byte 0xC3 (save the file as UTF-8)\n");
    check("a\n\"ok\xC0\x80\"\n", RC_ERR_DATA, "1:a\n",
          "t.csv:2:4: error: invalid UTF-8 byte 0xC0 (save the file as UTF-8)\n");
    check("a,b\n1,\xEF\xBB\xBF"
          "2\n",
          RC_ERR_DATA, "1:a|b\n",
          "t.csv:2:3: error: byte order mark (U+FEFF) is only allowed at the start of the file\n");
    check("a,b\n1,\"abc\n2,3\n", RC_ERR_DATA, "1:a|b\n",
          "t.csv:2:3: error: unterminated quoted field (this quote is never closed)\n");
    check("a,b\n\"x\"y,2\n", RC_ERR_DATA, "1:a|b\n",
          "t.csv:2:4: error: characters after a closing quote (write a quote inside a quoted "
          "field as \"\")\n");
    check("a\nx\"y\n", RC_ERR_DATA, "1:a\n",
          "t.csv:2:2: error: quote inside an unquoted field (quote the whole field and write "
          "the quote as \"\")\n");
    check("a,b,c\n1,2\n1,2,3,4\n5,6,7\n", RC_ERR_DATA, "1:a|b|c\n",
          "t.csv:2:4: error: row has 2 fields, header has 3\n"
          "t.csv:3:7: error: row has 4 fields, header has 3\n");
    check("", RC_ERR_DATA, "", "t.csv:1:1: error: file is empty\n");
    check("\n\r\n", RC_ERR_DATA, "", "t.csv:1:1: error: file is empty\n");
    check("a,b\n", RC_OK, "1:a|b\n", "t.csv:1:1: warning: no data rows after the header\n");
    check("a,b\n\n", RC_OK, "1:a|b\n", "t.csv:1:1: warning: no data rows after the header\n");
}

static void test_ragged_limit(void **state)
{
    (void)state;
    char t[4096] = "a,b\n";
    for (int i = 0; i < 30; i++)
        strcat(t, "1\n");
    sink s = {0};
    rc_diag *d = rc_diag_new();
    assert_int_equal(parse(t, strlen(t), ',', &s, d), RC_ERR_DATA);
    assert_int_equal(rc_diag_errors(d), 20); /* then a note, and reading stops */
    assert_int_equal(rc_diag_count(d), 21);
    assert_int_equal(rc_diag_get(d, 20)->level, RC_DIAG_NOTE);
    rc_diag_free(d);
    free(s.buf);
}

static void test_limits(void **state)
{
    (void)state;
    /* a cell one byte over the limit, unquoted and quoted */
    size_t n = RC_CSV_MAX_CELL + 1;
    char *t = malloc(n + 16);
    memcpy(t, "a\n", 2);
    memset(t + 2, 'x', n);
    t[2 + n] = '\n';
    rc_diag *d = rc_diag_new();
    sink s = {0};
    assert_int_equal(parse(t, n + 3, ',', &s, d), RC_ERR_LIMIT);
    assert_string_equal(diags(d), "t.csv:2:1: error: cell is longer than 1048576 bytes\n");
    rc_diag_free(d);
    t[2] = '"';
    t[2 + n] = 'x';
    memcpy(t + 3 + n, "\"\n", 2);
    d = rc_diag_new();
    assert_int_equal(parse(t, n + 5, ',', &s, d), RC_ERR_LIMIT);
    assert_string_equal(diags(d), "t.csv:2:1: error: cell is longer than 1048576 bytes\n");
    rc_diag_free(d);
    /* exactly at the limit is fine */
    memset(t + 2, 'x', RC_CSV_MAX_CELL);
    t[2 + RC_CSV_MAX_CELL] = '\n';
    d = rc_diag_new();
    free(s.buf);
    memset(&s, 0, sizeof s);
    assert_int_equal(parse(t, RC_CSV_MAX_CELL + 3, ',', &s, d), RC_OK);
    assert_int_equal(s.nrec, 2);
    rc_diag_free(d);
    free(t);
    free(s.buf);

    /* 4097 columns */
    size_t cols = RC_CSV_MAX_COLUMNS + 1;
    t = malloc(cols * 2 + 4);
    for (size_t i = 0; i < cols; i++) {
        t[2 * i] = 'c';
        t[2 * i + 1] = ',';
    }
    t[2 * cols - 1] = '\n';
    d = rc_diag_new();
    memset(&s, 0, sizeof s);
    assert_int_equal(parse(t, 2 * cols, ',', &s, d), RC_ERR_LIMIT);
    assert_string_equal(diags(d), "t.csv:1:8193: error: more than 4096 columns\n");
    rc_diag_free(d);
    /* 4096 columns are fine */
    t[2 * RC_CSV_MAX_COLUMNS - 1] = '\n';
    d = rc_diag_new();
    assert_int_equal(parse(t, 2 * RC_CSV_MAX_COLUMNS, ',', &s, d), RC_OK);
    rc_diag_free(d);
    free(t);
    free(s.buf);

    /* a buffer over the file limit is refused before it is read */
    d = rc_diag_new();
    rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
    assert_int_equal(rc_csv_parse("", RC_CSV_MAX_FILE + 1, &o, collect, &s, d), RC_ERR_LIMIT);
    assert_string_equal(diags(d), "t.csv: error: file is larger than 4 GiB\n");
    rc_diag_free(d);
}

static void test_header_row_and_stop(void **state)
{
    (void)state;
    sink s = {0};
    rc_diag *d = rc_diag_new();
    const char *t = "Survey 2019\na,b\n1,2\n3,4\n";
    rc_csv_opts o = {.delimiter = ',', .file = "t.csv", .header_row = 2};
    assert_int_equal(rc_csv_parse(t, strlen(t), &o, collect, &s, d), RC_OK);
    assert_string_equal(s.buf, "1:Survey 2019\n2:a|b\n3:1|2\n4:3|4\n");
    assert_int_equal(rc_diag_count(d), 0);
    free(s.buf);
    memset(&s, 0, sizeof s);
    /* header row beyond the file */
    o.header_row = 5;
    assert_int_equal(rc_csv_parse(t, strlen(t), &o, collect, &s, d), RC_ERR_DATA);
    assert_string_equal(
        diags(d), "t.csv:4:1: error: the header should be on row 5 but the file has only 4 rows\n");
    free(s.buf);
    rc_diag_free(d);
    /* callback asks to stop */
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    d = rc_diag_new();
    o.header_row = 0;
    t = "a\n1\n2\n3\n";
    assert_int_equal(rc_csv_parse(t, strlen(t), &o, collect, &s, d), RC_ERR_DATA);
    assert_string_equal(s.buf, "1:a\n2:1\n");
    assert_int_equal(rc_diag_count(d), 0);
    rc_diag_free(d);
    free(s.buf);
}

static char *write_temp(const char *data, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/rc_test_csv_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

typedef struct bytes_seen {
    const char *want;
    size_t n;
    bool same;
} bytes_seen;

static void on_bytes(void *ctx, const char *data, size_t n)
{
    bytes_seen *b = ctx;
    b->same = b->same && memcmp(b->want + b->n, data, n) == 0;
    b->n += n;
}

/* The same bytes read as one buffer and streamed in 1 MiB blocks give the
 * same records, wherever the block boundary falls: inside a CRLF, a UTF-8
 * sequence, a doubled quote, a quoted newline, or a record longer than the
 * block. */
static void test_streaming(void **state)
{
    (void)state;
    const size_t block = (size_t)1 << 20;
    const char *tail[] = {"\r\nz,\"tail\"\r\n", "é,ü\r\n", "\"a\"\"b\",c\n", "\"x\ny\",2\n",
                          "q,\"\xF0\x9F\x98\x80\"\n"};
    for (size_t pad = 0; pad < 8; pad++) {
        for (size_t ti = 0; ti < sizeof tail / sizeof tail[0]; ti++) {
            size_t cap = 3 * block;
            char *t = malloc(cap);
            size_t n = 0;
            n += (size_t)sprintf(t, "\xEF\xBB\xBFk,v\r\n");
            while (n < block - 40)
                n += (size_t)sprintf(t + n, "%zu,row\r\n", n);
            while (n < block - 4 - pad) {
                t[n] = (n % 2) ? 'a' : 'b';
                n++;
            }
            /* close the filler line as a 2-field record */
            n += (size_t)sprintf(t + n, ",x\n");
            size_t tl = strlen(tail[ti]);
            memcpy(t + n, tail[ti], tl);
            n += tl;
            /* a record longer than one block: three 400 KiB quoted cells */
            t[n++] = '"';
            for (size_t i = 0; i < 400 * 1024; i++)
                t[n++] = i % 1000 == 999 ? '\n' : 'c';
            memcpy(t + n, "\",\"", 3);
            n += 3;
            for (size_t i = 0; i < 400 * 1024; i++) {
                if (i % 500 == 1) {
                    t[n++] = '"';
                    t[n++] = '"';
                } else {
                    t[n++] = 'd';
                }
            }
            memcpy(t + n, "\"\nlast,1", 8);
            n += 8;

            sink a = {0}, b = {0};
            rc_diag *d1 = rc_diag_new(), *d2 = rc_diag_new();
            rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
            assert_int_equal(rc_csv_parse(t, n, &o, hashing, &a, d1), RC_OK);
            char *path = write_temp(t, n);
            bytes_seen seen = {t, 0, true};
            o.on_bytes = on_bytes;
            o.bytes_ctx = &seen;
            assert_int_equal(rc_csv_read(path, &o, hashing, &b, d2), RC_OK);
            assert_int_equal(seen.n, n); /* every byte once, in order */
            assert_true(seen.same);
            unlink(path);
            assert_int_equal(rc_diag_count(d1), 0);
            assert_int_equal(rc_diag_count(d2), 0);
            assert_true(a.nrec > 1000);
            assert_int_equal(a.nrec, b.nrec);
            assert_true(a.hash == b.hash);
            rc_diag_free(d1);
            rc_diag_free(d2);
            free(t);
        }
    }
}

/* Random well-formed files (short and long cells, cells across the
 * scanner's 64-byte chunks, quotes, doubled quotes, delimiters and newlines
 * inside quotes, UTF-8, LF and CRLF) read as the generator wrote them, with
 * every field's line and column, by rc_csv_parse and rc_csv_read alike. */
typedef struct gen {
    char *t, *want;
    size_t n, wn;
    unsigned line, col;
    uint64_t seed;
} gen;

static unsigned rnd(gen *g, unsigned n)
{
    g->seed = g->seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(g->seed >> 33) % n;
}

static void emit(gen *g, const char *s, size_t n)
{
    memcpy(g->t + g->n, s, n);
    g->n += n;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            g->line++;
            g->col = 1;
        } else {
            g->col++;
        }
    }
}

static void want(gen *g, const char *s, size_t n)
{
    memcpy(g->want + g->wn, s, n);
    g->wn += n;
}

static void gen_field(gen *g)
{
    static const char *const pieces[] = {"a",  "bc",      "Ro",        " ", "é", "\xF0\x9F\x98\x80",
                                         "x1", "Córdoba", "0123456789"};
    char val[600];
    size_t vn = 0;
    unsigned kind = rnd(g, 10), len = kind < 2 ? 0 : kind < 7 ? rnd(g, 6) : 20 + rnd(g, 120);
    bool quoted = rnd(g, 5) == 0;
    for (unsigned i = 0; i < len && vn < 400; i++) {
        unsigned k = rnd(g, quoted ? 12 : 9);
        const char *p = k < 9 ? pieces[k] : k == 9 ? "," : k == 10 ? "\n" : "\"";
        memcpy(val + vn, p, strlen(p));
        vn += strlen(p);
    }
    char tmp[64];
    unsigned line = g->line, col = g->col;
    if (quoted) {
        emit(g, "\"", 1);
        for (size_t i = 0; i < vn; i++)
            emit(g, val[i] == '"' ? "\"\"" : &val[i], val[i] == '"' ? 2 : 1);
        emit(g, "\"", 1);
    } else {
        emit(g, val, vn);
    }
    want(g, val, vn);
    int k = snprintf(tmp, sizeof tmp, "@%u.%u%s", line, col, quoted ? "q" : "");
    want(g, tmp, (size_t)k);
}

static void test_random_files(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        gen g = {malloc(32 << 20), malloc(32 << 20), 0, 0, 1, 1, seed};
        unsigned nf = 2 + rnd(&g, 29); /* one empty field would be a blank line */
        for (unsigned r = 0; r < 2000; r++) {
            char tmp[32];
            int k = snprintf(tmp, sizeof tmp, "%u:", g.line);
            want(&g, tmp, (size_t)k);
            for (unsigned f = 0; f < nf; f++) {
                if (f) {
                    emit(&g, ",", 1);
                    want(&g, "|", 1);
                }
                gen_field(&g);
            }
            want(&g, "\n", 1);
            if (r + 1 < 2000 || seed % 2) /* the last line may lack its newline */
            {
                bool crlf = rnd(&g, 4) == 0;
                emit(&g, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
            }
        }
        g.want[g.wn] = 0;
        sink a = {.cols = true}, b = {0}, c = {0};
        rc_diag *d = rc_diag_new();
        rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
        rc_status st = rc_csv_parse(g.t, g.n, &o, collect, &a, d);
        assert_string_equal(diags(d), "");
        assert_int_equal(st, RC_OK);
        assert_int_equal(a.nrec, 2000);
        assert_string_equal(a.buf, g.want);
        assert_int_equal(rc_csv_parse(g.t, g.n, &o, hashing, &b, d), RC_OK);
        char *path = write_temp(g.t, g.n);
        assert_int_equal(rc_csv_read(path, &o, hashing, &c, d), RC_OK);
        unlink(path);
        assert_int_equal(b.nrec, c.nrec);
        assert_true(b.hash == c.hash);
        rc_diag_free(d);
        free(a.buf);
        free(g.t);
        free(g.want);
    }
}

/* Errors found while streaming carry the same positions as in a buffer. */
/* NUL bytes and UTF-16 byte order marks: the file is not UTF-8 text. */
static void test_not_utf8_text(void **state)
{
    (void)state;
    static const char nul[] = "a,b\n1,2\nxy,z\0w\n";
    sink s = {0};
    rc_diag *d = rc_diag_new();
    assert_int_equal(parse(nul, sizeof nul - 1, ',', &s, d), RC_ERR_DATA);
    assert_string_equal(diags(d), "t.csv:3:5: error: NUL byte (0x00): this is not UTF-8 text (a "
                                  "UTF-16 or binary file?); save it as UTF-8 CSV\n");
    assert_int_equal(s.nrec, 0); /* refused before any record is handed out */
    rc_diag_free(d);
    static const char *const boms[] = {"\xFF\xFE"
                                       "a\0",
                                       "\xFE\xFF"
                                       "\0a"};
    for (size_t i = 0; i < 2; i++) {
        d = rc_diag_new();
        assert_int_equal(parse(boms[i], 4, ',', &s, d), RC_ERR_DATA);
        assert_string_equal(diags(d), "t.csv:1:1: error: the file is UTF-16 (it starts with a "
                                      "UTF-16 byte order mark); save it as UTF-8\n");
        rc_diag_free(d);
    }
    free(s.buf);

    /* Streaming: a NUL two blocks in is located by counting the lines the
     * reader has already parsed and dropped. */
    const size_t big = ((size_t)5 << 19) + 7; /* 2.5 MiB */
    char *t = malloc(big + 64);
    size_t n = (size_t)sprintf(t, "k,v\n");
    unsigned lines = 1;
    while (n < big) {
        n += (size_t)sprintf(t + n, "%u,x\n", lines);
        lines++;
    }
    memcpy(t + n, "9,ab\0\n", 6);
    n += 6;
    char *path = write_temp(t, n);
    d = rc_diag_new();
    sink s2 = {0};
    rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
    assert_int_equal(rc_csv_read(path, &o, hashing, &s2, d), RC_ERR_DATA);
    char want[160];
    snprintf(want, sizeof want,
             "t.csv:%u:5: error: NUL byte (0x00): this is not UTF-8 text (a UTF-16 or binary "
             "file?); save it as UTF-8 CSV\n",
             lines + 1);
    assert_string_equal(diags(d), want);
    rc_diag_free(d);
    unlink(path);
    free(t);
}

static void test_streaming_errors(void **state)
{
    (void)state;
    const size_t block = (size_t)1 << 20;
    char *t = malloc(block + 64);
    size_t n = (size_t)sprintf(t, "k\n");
    unsigned lines = 1;
    while (n < block - 1) {
        t[n++] = 'x';
        t[n++] = '\n';
        lines++;
    }
    /* the invalid byte sits just after the block boundary */
    n += (size_t)sprintf(t + n, "ab\xFF\n");
    char *path = write_temp(t, n);
    rc_diag *d = rc_diag_new();
    sink s = {0};
    rc_csv_opts o = {.delimiter = ',', .file = "t.csv"};
    assert_int_equal(rc_csv_read(path, &o, hashing, &s, d), RC_ERR_DATA);
    char want[128];
    snprintf(want, sizeof want,
             "t.csv:%u:3: error: invalid UTF-8 byte 0xFF (save the file as UTF-8)\n", lines + 1);
    assert_string_equal(diags(d), want);
    rc_diag_free(d);
    unlink(path);
    free(t);

    d = rc_diag_new();
    assert_int_equal(rc_csv_read("/nonexistent/x.csv", &o, hashing, &s, d), RC_ERR_IO);
    assert_string_equal(
        diags(d), "t.csv: error: cannot open '/nonexistent/x.csv': No such file or directory\n");
    rc_diag_free(d);

    /* empty file on disk */
    path = write_temp("", 0);
    d = rc_diag_new();
    assert_int_equal(rc_csv_read(path, &o, hashing, &s, d), RC_ERR_DATA);
    assert_string_equal(diags(d), "t.csv:1:1: error: file is empty\n");
    rc_diag_free(d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_lf_crlf),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_delimiters_and_bom),
        cmocka_unit_test(test_semicolon_fields),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ragged_limit),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_header_row_and_stop),
        cmocka_unit_test(test_streaming),
        cmocka_unit_test(test_random_files),
        cmocka_unit_test(test_streaming_errors),
        cmocka_unit_test(test_not_utf8_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
