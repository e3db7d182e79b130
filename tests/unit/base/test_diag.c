/* Diagnostics in colour: the exact escapes GCC uses, only on a terminal and
 * never with NO_COLOR set. */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/diag.h"

static char *print_to_string(const rc_diag *d, bool colour)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    rc_diag_print_styled(d, f, colour);
    fclose(f);
    return buf;
}

static void test_colour_escapes(void **state)
{
    (void)state;
    rc_diag *d = rc_diag_new();
    rc_diag_error(d, (rc_loc){"a.ini", 14, 9}, "unknown column '%s'", "Contnent");
    rc_diag_warning(d, (rc_loc){"b.csv", 3, 0}, "empty column");
    rc_diag_note(d, (rc_loc){0}, "see here");
    char *plain = print_to_string(d, false);
    assert_string_equal(plain, "a.ini:14:9: error: unknown column 'Contnent'\n"
                               "b.csv:3: warning: empty column\n"
                               "reportc: note: see here\n");
    char *col = print_to_string(d, true);
    assert_string_equal(col, "\033[01ma.ini:14:9:\033[m \033[01;31merror:\033[m unknown column "
                             "'Contnent'\n"
                             "\033[01mb.csv:3:\033[m \033[01;35mwarning:\033[m empty column\n"
                             "\033[01mreportc:\033[m \033[01;36mnote:\033[m see here\n");
    free(plain);
    free(col);
    rc_diag_free(d);
}

static void test_colour_only_on_a_terminal(void **state)
{
    (void)state;
    unsetenv("NO_COLOR");
    setenv("TERM", "xterm", 1);
    /* a pipe is not a terminal */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    FILE *pf = fdopen(fds[1], "w");
    assert_false(rc_diag_colour_wanted(pf));
    fclose(pf);
    close(fds[0]);
    /* a pseudo-terminal is */
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) {
        skip();
        return;
    }
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    assert_true(s >= 0);
    FILE *tf = fdopen(s, "w");
    assert_true(rc_diag_colour_wanted(tf));
    setenv("NO_COLOR", "1", 1);
    assert_false(rc_diag_colour_wanted(tf));
    setenv("NO_COLOR", "", 1); /* empty: as if unset (no-color.org) */
    assert_true(rc_diag_colour_wanted(tf));
    setenv("TERM", "dumb", 1);
    assert_false(rc_diag_colour_wanted(tf));
    unsetenv("NO_COLOR");
    fclose(tf);
    close(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colour_escapes),
        cmocka_unit_test(test_colour_only_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
