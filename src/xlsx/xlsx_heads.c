/* xlsx_heads: what the numbers of a figure's table count, for its column
 * headers ("Share of respondents (%)", "Respondents (number)",
 * "Regions (number)"), in the edition's language.
 *
 * The noun comes from the definitions, never from a list of the sample's
 * figures: a distribution or Likert aggregate counts rows of its source,
 * and a source names its rows by its key field ([source survey] key =
 * respondent_id, whose label is "Respondent"); a distinct count counts
 * values of its field ("Latin American region"). Labels are singular, so
 * the noun is put in the plural with the regular rules of the edition's
 * language (en, es, pt) for its head word(s): enough for the nouns a
 * report's definitions use (the rules and their limits are in plural()).
 * Without a key (or a label) the headers stay generic ("Share (%)"). */
#include <stdio.h>
#include <string.h>

#include "xlsx_int.h"

static bool ends(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

static bool vowel_end(const char *w, size_t n)
{
    if (!n) return false;
    char c = w[n - 1];
    if (strchr("aeiouAEIOU", c)) return true;
    /* á é í ó ú (U+00E1...) end in a two-byte sequence */
    return n >= 2 && (unsigned char)w[n - 2] == 0xC3 &&
           strchr("\xA1\xA9\xAD\xB3\xBA", w[n - 1]) != NULL;
}

/* One word in the plural, after the language's regular rules:
 *   en  -y after a consonant -> -ies; -s -x -z -ch -sh -> +es; else +s
 *   es  vowel -> +s; -ón -án -én -ún -ós... -> -ones...; -z -> -ces;
 *       other consonant -> +es
 *   pt  -ão -> -ões; vowel -> +s; -m -> -ns; -r -z -s -> +es;
 *       -al -el -ol -ul -> -ais -eis -óis -uis; -il -> -is
 * Irregular nouns (en "person", es "país" in pt...) are not known. */
static char *plural_word(rc_arena *a, const char *lang, const char *w, size_t n)
{
    if (strncmp(lang, "es", 2) == 0) {
        /* a stressed last syllable loses its accent: región -> regiones,
         * inglés -> ingleses (not í: país -> países) */
        if (n >= 3 && (unsigned char)w[n - 3] == 0xC3 && (w[n - 1] == 'n' || w[n - 1] == 's')) {
            const char *acc = "\xA1\xA9\xB3\xBA", *plain = "aeou";
            const char *k = strchr(acc, w[n - 2]);
            if (k && *k)
                return rc_arena_printf(a, "%.*s%c%ces", (int)(n - 3), w, plain[k - acc], w[n - 1]);
        }
        if (vowel_end(w, n)) return rc_arena_printf(a, "%.*ss", (int)n, w);
        if (ends(w, n, "z")) return rc_arena_printf(a, "%.*sces", (int)(n - 1), w);
        return rc_arena_printf(a, "%.*ses", (int)n, w);
    }
    if (strncmp(lang, "pt", 2) == 0) {
        if (ends(w, n, "ão")) return rc_arena_printf(a, "%.*sões", (int)(n - strlen("ão")), w);
        if (vowel_end(w, n)) return rc_arena_printf(a, "%.*ss", (int)n, w);
        if (ends(w, n, "m")) return rc_arena_printf(a, "%.*sns", (int)(n - 1), w);
        if (ends(w, n, "il")) return rc_arena_printf(a, "%.*ss", (int)(n - 1), w);
        if (ends(w, n, "ol")) return rc_arena_printf(a, "%.*sóis", (int)(n - 2), w);
        if (ends(w, n, "al") || ends(w, n, "el") || ends(w, n, "ul"))
            return rc_arena_printf(a, "%.*sis", (int)(n - 1), w);
        if (ends(w, n, "r") || ends(w, n, "z") || ends(w, n, "s"))
            return rc_arena_printf(a, "%.*ses", (int)n, w);
        return rc_arena_printf(a, "%.*ss", (int)n, w);
    }
    if (n >= 2 && w[n - 1] == 'y' && !strchr("aeiou", w[n - 2]))
        return rc_arena_printf(a, "%.*sies", (int)(n - 1), w);
    if (ends(w, n, "s") || ends(w, n, "x") || ends(w, n, "z") || ends(w, n, "ch") ||
        ends(w, n, "sh"))
        return rc_arena_printf(a, "%.*ses", (int)n, w);
    return rc_arena_printf(a, "%.*ss", (int)n, w);
}

/* A word that starts a complement ("de la UE", "of the region"): the words
 * from it on stay as they are. */
static bool stop_word(const char *w, size_t n)
{
    static const char *const stops[] = {"of",  "in",  "by", "per", "de",  "del", "da", "do",
                                        "das", "dos", "en", "em",  "con", "com", "por"};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        if (strlen(stops[i]) == n && memcmp(stops[i], w, n) == 0) return true;
    return false;
}

/* The label in the plural: English puts its last word (the head noun) in
 * the plural; Spanish and Portuguese every word before a complement, as
 * adjectives agree ("Región latinoamericana" -> "Regiones
 * latinoamericanas"). Words in capitals (acronyms) are kept. */
static const char *plural(rc_xw *x, const char *label)
{
    const char *lang = x->loc && x->loc->lang ? x->loc->lang : "en";
    bool en = strncmp(lang, "es", 2) != 0 && strncmp(lang, "pt", 2) != 0;
    size_t len = strlen(label), stop = len;
    for (const char *p = label; *p;) {
        const char *q = p + strcspn(p, " ");
        if (p != label && stop_word(p, (size_t)(q - p))) {
            stop = (size_t)(p - label) - 1;
            break;
        }
        p = *q ? q + 1 : q;
    }
    char *out = "";
    for (size_t i = 0; i < stop;) {
        size_t n = strcspn(label + i, " ");
        if (i + n > stop) n = stop - i;
        const char *w = label + i;
        bool last = i + n >= stop;
        bool caps = n >= 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z';
        const char *pw = !caps && (en ? last : true) ? plural_word(x->a, lang, w, n)
                                                     : rc_arena_strndup(x->a, w, n);
        out = rc_arena_printf(x->a, "%s%s%s", out, i ? " " : "", pw);
        i += n + 1;
    }
    return rc_arena_printf(x->a, "%s%s", out, label + stop);
}

/* The first letter in lower case (ASCII and the accented capitals of
 * Latin-1, as labels start) unless the word is an acronym ("EU member"). */
static const char *lower_first(rc_xw *x, const char *s)
{
    if (!s[0] || (s[1] >= 'A' && s[1] <= 'Z')) return s;
    char *t = rc_arena_strdup(x->a, s);
    if (t[0] >= 'A' && t[0] <= 'Z') {
        t[0] = (char)(t[0] - 'A' + 'a');
    } else if ((unsigned char)t[0] == 0xC3 && (unsigned char)t[1] >= 0x80 &&
               (unsigned char)t[1] <= 0x9E && (unsigned char)t[1] != 0x97) {
        t[1] = (char)(t[1] + 0x20);
    }
    return t;
}

static const char *upper_first(rc_xw *x, const char *s)
{
    char *t = rc_arena_strdup(x->a, s);
    if (t[0] >= 'a' && t[0] <= 'z') {
        t[0] = (char)(t[0] - 'a' + 'A');
    } else if ((unsigned char)t[0] == 0xC3 && (unsigned char)t[1] >= 0xA0 &&
               (unsigned char)t[1] <= 0xBE && (unsigned char)t[1] != 0xB7) {
        t[1] = (char)(t[1] - 0x20);
    }
    return t;
}

/* The label of the key field of the source f belongs to. */
static const char *row_label(const rc_field_cfg *f)
{
    const rc_source_cfg *src = f ? f->source : NULL;
    if (!src || !src->key.s) return NULL;
    const rc_field_cfg *k = rc_config_field(src, src->key.s);
    return k && k->label.s && *k->label.s ? k->label.s : NULL;
}

/* The words two labels share at their start or their end ("Latin American
 * region", "European region" -> "region"; "Región latinoamericana",
 * "Región europea" -> "Región"); NULL when none. */
static const char *common_words(rc_xw *x, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    while (i && i < la && a[i] != ' ') /* back to a word boundary */
        i--;
    if (i == la && (lb == la || b[la] == ' ')) return a;
    if (i && (a[i] == ' ') && (b[i] == ' ')) return rc_arena_strndup(x->a, a, i);
    size_t k = 0;
    while (k < la && k < lb && a[la - 1 - k] == b[lb - 1 - k])
        k++;
    while (k && k < la && a[la - k] != ' ')
        k--;
    if (k && k < la && a[la - k] == ' ' && (k == lb || b[lb - k] == ' '))
        return rc_arena_strdup(x->a, a + la - k + 1);
    return NULL;
}

const char *rc_xw_counted(rc_xw *x, const rc_agg *const *g, size_t n)
{
    const char *label = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!g[i]) return NULL;
        const char *l = NULL;
        switch (g[i]->kind) {
        case RC_AGG_DISTRIBUTION:
            l = row_label(g[i]->field);
            break;
        case RC_AGG_LIKERT:
            l = row_label(g[i]->nfields ? g[i]->fields[0] : NULL);
            break;
        case RC_AGG_DISTINCT:
            l = g[i]->field && g[i]->field->label.s && *g[i]->field->label.s ? g[i]->field->label.s
                                                                             : NULL;
            break;
        default:
            return NULL;
        }
        if (!l) return NULL;
        label = label ? common_words(x, label, l) : l;
        if (!label) return NULL;
    }
    return label ? upper_first(x, plural(x, label)) : NULL;
}

const char *rc_xw_head_share(rc_xw *x, const char *counted, const char *detail)
{
    const char *what = counted ? rc_arena_printf(x->a, "%s%s", rc_xw_word(x, RC_XW_SHARE_OF),
                                                 lower_first(x, counted))
                               : rc_locale_word(x->loc, RC_W_SHARE);
    if (detail && *detail) what = rc_arena_printf(x->a, "%s: %s", what, detail);
    return rc_arena_printf(x->a, "%s (%s)", what, rc_xw_word(x, RC_XW_UNIT_PERCENT));
}

const char *rc_xw_head_count(rc_xw *x, const char *counted, const char *detail)
{
    const char *what = counted ? counted : rc_locale_word(x->loc, RC_W_COUNT);
    if (detail && *detail) what = rc_arena_printf(x->a, "%s: %s", what, detail);
    return rc_arena_printf(x->a, "%s (%s)", what, rc_xw_word(x, RC_XW_UNIT_NUMBER));
}

const char *rc_xw_head_answered(rc_xw *x, const char *counted)
{
    const char *what = counted
                           ? rc_arena_printf(x->a, "%s%s", counted, rc_xw_word(x, RC_XW_ANSWERING))
                           : rc_locale_word(x->loc, RC_W_ANSWERED);
    return rc_arena_printf(x->a, "%s (%s)", what, rc_xw_word(x, RC_XW_UNIT_NUMBER));
}
