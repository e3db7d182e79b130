/* Hyphenation of the Spanish and Portuguese editions: the dictionaries the
 * locale names (Debian's hyphen-es is UTF-8, hyphen-pt-pt ISO8859-1, which
 * hyph.c feeds with Latin-1 words). Points are byte offsets into the UTF-8
 * word; each expected break is a syllable boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/diag.h"
#include "rc/layout.h"
#include "rc/locale.h"

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

static void spanish(void **state)
{
    (void)state;
    rc_hyph *h = rc_test_hyph("es");
    if (!h) skip(); /* scripts/deps.sh build installs hyphen-es */
    expect(h, "especialización", (size_t[]){2, 4, 7, 9, 11}, 5);      /* es-pe-cia-li-za-ción */
    expect(h, "latinoamericanas", (size_t[]){2, 4, 7, 9, 11, 13}, 6); /* la-ti-noa-me-ri-ca-nas */
    expect(h, "cooperación", (size_t[]){2, 5, 7}, 3);                 /* co-ope-ra-ción */
    rc_hyph_free(h);
}

static void portuguese(void **state)
{
    (void)state;
    rc_hyph *h = rc_test_hyph("pt");
    if (!h) skip(); /* hyphen-pt-pt */
    /* words with ç, ã, é: only found when the word reaches a Latin-1
     * dictionary in Latin-1 */
    expect(h, "informação", (size_t[]){2, 5, 7}, 3);               /* in-for-ma-ção */
    expect(h, "especialização", (size_t[]){2, 4, 6, 7, 9, 11}, 6); /* es-pe-ci-a-li-za-ção */
    expect(h, "cooperação", (size_t[]){2, 3, 5, 7}, 4);            /* co-o-pe-ra-ção */
    expect(h, "Eslovénia", (size_t[]){2, 4, 7}, 3); /* Es-lo-vé-nia: a break after é */
    rc_hyph_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(spanish), cmocka_unit_test(portuguese)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
