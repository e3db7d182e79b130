/* rc_arena_drop_spares: the blocks freed arenas leave for the next ones
 * are unmapped on request (a build does it beside its last unlinks, so
 * that its exit does not), and arenas made afterwards still work. Blocks
 * of ordinary pages; those of huge pages: test_arena_huge.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "rc/arena.h"

/* An arena spanning a few head blocks (256 KiB each), freed. */
static void leave_spares(void)
{
    rc_arena *a = rc_arena_new();
    for (int i = 0; i < 12; i++)
        memset(rc_arena_alloc(a, 60000), 0xCD, 60000);
    rc_arena_free(a);
}

static void test_drop_returns_what_was_kept_then_nothing(void **state)
{
    (void)state;
    rc_arena_drop_spares(); /* whatever earlier tests left */
    leave_spares();
    size_t n = rc_arena_drop_spares();
    assert_true(n >= 2); /* 720 KB in 256 KiB blocks: at least three */
    assert_int_equal(rc_arena_drop_spares(), 0);
}

static void test_arenas_after_a_drop_are_zeroed_and_usable(void **state)
{
    (void)state;
    leave_spares();
    rc_arena_drop_spares();
    rc_arena *a = rc_arena_new();
    unsigned char *p = rc_arena_alloc(a, 100000);
    for (size_t i = 0; i < 100000; i++)
        assert_int_equal(p[i], 0);
    assert_string_equal(rc_arena_printf(a, "%s-%d", "es", 2019), "es-2019");
    rc_arena_free(a);
    /* its blocks are spares again, and a drop finds them */
    assert_true(rc_arena_drop_spares() >= 1);
}

int main(void)
{
    /* ordinary mappings, which a drop unmaps (huge pages stay spare:
     * test_arena_huge.c) */
    rc_arena_huge_pages(false);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_returns_what_was_kept_then_nothing),
        cmocka_unit_test(test_arenas_after_a_drop_are_zeroed_and_usable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
