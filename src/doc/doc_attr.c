/* doc_attr: settings of one part (one Markdown file), written as attributes
 * at the end of its level-1 heading, in Pandoc's heading-attribute syntax:
 *
 *     # Historical ties between the EU and Latin America {short_title="Historical ties"}
 *     # Authors {share_page=yes}
 *
 * They live in the Markdown file, next to the title they qualify, because a
 * part has no section of its own in the INI file (the [document] lists only
 * name files) and because an edition in another language replaces the files:
 * the translated short title travels with the translated title.
 *
 * Keys: short_title (text, quoted: the running heads use it instead of the
 * title, which stays in the contents, the outline and the chapter opening)
 * and share_page (bool: the part starts below the previous part, on its
 * page, when it fits there whole). The block is read from the heading's
 * source line, so positions in diagnostics are exact, and removed from the
 * heading's last text node. A brace group that does not start with
 * `key=` is ordinary text. */
#include <string.h>

#include "doc_int.h"
#include "rc/util.h"

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_';
}

/* Offset of the '{' opening an attribute block that ends the line
 * [s, s+n) (after trailing blanks and an ATX closing sequence), and its
 * length up to and including '}'. */
static bool find_block(const char *s, size_t n, size_t *open, size_t *blen)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    size_t k = n;
    while (k > 0 && s[k - 1] == '#')
        k--;
    if (k < n && k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) { /* "# Title {..} ##" */
        n = k;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
    }
    if (n == 0 || s[n - 1] != '}') return false;
    size_t o = n - 1;
    bool quoted = false;
    /* the opening brace: scan back over the block, skipping quoted text */
    while (o > 0) {
        o--;
        if (s[o] == '"') quoted = !quoted;
        if (!quoted && s[o] == '{') break;
    }
    if (s[o] != '{' || o == 0 || (s[o - 1] != ' ' && s[o - 1] != '\t')) return false;
    size_t p = o + 1;
    while (p < n && (s[p] == ' ' || s[p] == '\t'))
        p++;
    size_t q = p;
    while (q < n && is_key_char(s[q]))
        q++;
    if (q == p || q >= n || s[q] != '=') return false;
    *open = o;
    *blen = n - o;
    return true;
}

static bool same_word(const char *v, size_t n, const char *w)
{
    if (strlen(w) != n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] - 'A' + 'a') : v[i];
        if (c != w[i]) return false;
    }
    return true;
}

static bool parse_bool(const char *v, size_t n, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
                                                                                "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (same_word(v, n, yes[i])) return *out = true, true;
        if (same_word(v, n, no[i])) return *out = false, true;
    }
    return false;
}

/* Parses the block's pairs into h; every problem is reported at its column. */
static void parse_pairs(rc_md *m, rc_node *h, const char *s, size_t n, rc_loc at)
{
    rc_arena *a = m->st->a;
    size_t p = 1; /* after '{' */
    while (p < n - 1) {
        if (s[p] == ' ' || s[p] == '\t') {
            p++;
            continue;
        }
        rc_loc kl = {at.file, at.line, at.col + (unsigned)p};
        size_t k0 = p;
        while (p < n - 1 && is_key_char(s[p]))
            p++;
        if (p == k0 || p >= n - 1 || s[p] != '=') {
            rc_diag_error(m->st->d, kl, "expected key=value in the heading's attributes");
            return;
        }
        const char *key = s + k0;
        size_t klen = p - k0;
        p++;
        rc_loc vl = {at.file, at.line, at.col + (unsigned)p};
        const char *v = s + p;
        size_t vlen;
        if (p < n - 1 && s[p] == '"') {
            const char *e = memchr(s + p + 1, '"', n - 1 - (p + 1));
            if (!e) {
                rc_diag_error(m->st->d, vl,
                              "unterminated quoted value in the heading's attributes");
                return;
            }
            v = s + p + 1;
            vlen = (size_t)(e - v);
            p = (size_t)(e - s) + 1;
        } else {
            while (p < n - 1 && s[p] != ' ' && s[p] != '\t')
                p++;
            vlen = (size_t)(s + p - v);
        }
        if (klen == 11 && memcmp(key, "short_title", 11) == 0) {
            size_t b = 0, e = vlen;
            while (b < e && (v[b] == ' ' || v[b] == '\t'))
                b++;
            while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t'))
                e--;
            if (e == b)
                rc_diag_error(m->st->d, vl, "short_title is empty");
            else
                h->short_title = rc_arena_strndup(a, v + b, e - b);
        } else if (klen == 10 && memcmp(key, "share_page", 10) == 0) {
            if (!parse_bool(v, vlen, &h->share_page))
                rc_diag_error(m->st->d, vl, "share_page must be yes or no, not '%.*s'", (int)vlen,
                              v);
        } else {
            rc_diag_error(m->st->d, kl,
                          "unknown heading attribute '%.*s' (known: short_title, share_page)",
                          (int)klen, key);
        }
    }
}

/* Removes the block's text from the end of the heading's inline content. */
static bool strip_block(rc_arena *a, rc_node *h, const char *block, size_t blen)
{
    rc_node *t = h->last;
    if (!t || t->type != RC_NODE_TEXT || t->len < blen) return false;
    size_t n = t->len;
    while (n > 0 && (t->text[n - 1] == ' ' || t->text[n - 1] == '\t'))
        n--;
    if (n < blen || memcmp(t->text + n - blen, block, blen) != 0) return false;
    n -= blen;
    while (n > 0 && (t->text[n - 1] == ' ' || t->text[n - 1] == '\t'))
        n--;
    t->text = rc_arena_strndup(a, t->text, n);
    t->len = n;
    if (n == 0) {
        h->last = t->prev;
        if (t->prev)
            t->prev->next = NULL;
        else
            h->first = NULL;
    }
    return true;
}

void rc_md_heading_attrs(rc_md *m, rc_node *h, bool part_title)
{
    if (h->loc.line < 1 || h->loc.line > m->nlines) return;
    size_t ls = m->line_start[h->loc.line - 1];
    const char *nl = memchr(m->text + ls, '\n', m->len - ls);
    size_t n = nl ? (size_t)(nl - (m->text + ls)) : m->len - ls;
    size_t open, blen;
    if (!find_block(m->text + ls, n, &open, &blen)) return;
    rc_loc at = {m->file, h->loc.line, (unsigned)open + 1};
    if (!part_title) {
        rc_diag_error(m->st->d, at,
                      "heading attributes are read only on the level-1 heading that opens a "
                      "Markdown file");
        return;
    }
    if (!strip_block(m->st->a, h, m->text + ls + open, blen)) {
        rc_diag_error(m->st->d, at,
                      "the heading's attributes must be plain text at the end of the heading");
        return;
    }
    parse_pairs(m, h, m->text + ls + open, blen, at);
}
