/* The PDF written once (pdf.c, rc_out_tmpfor in util.h): given the build's
 * temporary (registered by rc_out_tmpname), the PDF is saved to it
 * directly and left for the build to rename, the same bytes as through a
 * temporary of its own; given a real file, it is saved beside it and
 * renamed (a reader's hard link to the old file keeps the old bytes); a
 * save that fails removes its file either way. */
#define _GNU_SOURCE /* pdf_fixture_one_cpu */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/pdf.h"
#include "rc/util.h"

#include "pdf_fixture.h"

typedef pdf_fx fixture;

static int setup(void **state)
{
    fixture *fx = pdf_fx_open(state, "/tmp/rc-test-pdfout-XXXXXX", "Written once", "2019");
    fx->lay = pdf_fixture_document(fx->a, 3, 1, 99, NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    return pdf_fx_close(state);
}

static size_t entries(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dp));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(dp);
    return n;
}

static rc_status write_pdf(fixture *fx, const char *path)
{
    return rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, path, fx->d);
}

static void test_direct_and_atomic(void **state)
{
    fixture *fx = *state;
    char *target = rc_arena_printf(fx->a, "%s/report.pdf", fx->dir);
    assert_int_equal(write_pdf(fx, target), RC_OK);
    char *want, *got;
    size_t nwant, ngot;
    assert_int_equal(rc_read_file(fx->a, target, &want, &nwant), RC_OK);

    /* the build's temporary: the only new name, the same bytes, still
     * registered for the build to rename */
    char *tmp = rc_out_tmpname(fx->a, target);
    assert_int_equal(write_pdf(fx, tmp), RC_OK);
    assert_int_equal(entries(fx->dir), 2);
    assert_true(rc_tmp_registered(tmp));
    assert_int_equal(rc_read_file(fx->a, tmp, &got, &ngot), RC_OK);
    assert_int_equal(ngot, nwant);
    assert_memory_equal(got, want, nwant);
    rc_out_discard(tmp);

    /* a real file, and one only named like a temporary: never rewritten
     * in place (the hard link would see it) */
    const char *names[] = {"report.pdf", ".report.pdf.999999.7.tmp"};
    for (size_t i = 0; i < 2; i++) {
        char *real = rc_arena_printf(fx->a, "%s/%s", fx->dir, names[i]);
        char *old = rc_arena_printf(fx->a, "%s/old.pdf", fx->dir);
        FILE *f = fopen(real, "wb");
        assert_non_null(f);
        fputs("OLD", f);
        assert_int_equal(fclose(f), 0);
        assert_int_equal(link(real, old), 0);
        assert_int_equal(write_pdf(fx, real), RC_OK);
        struct stat st;
        assert_int_equal(stat(old, &st), 0);
        assert_int_equal(st.st_size, 3);
        assert_int_equal(st.st_nlink, 1);
        unlink(old);
        if (i) unlink(real);
    }
    assert_int_equal(entries(fx->dir), 1);
    assert_int_equal(rc_diag_errors(fx->d), 0);
}

/* A save that fails half-way (the file size limit below the PDF: EFBIG)
 * leaves nothing, whether it wrote the build's temporary or its own. */
static void test_failed_save_leaves_nothing(void **state)
{
    fixture *fx = *state;
    for (int direct = 0; direct < 2; direct++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            cpu_set_t old;
            pdf_fixture_one_cpu(&old); /* no helper thread */
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {.rlim_cur = 2000, .rlim_max = RLIM_INFINITY};
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(99);
            char *target = rc_arena_printf(fx->a, "%s/report.pdf", fx->dir);
            char *path = direct ? rc_out_tmpname(fx->a, target) : target;
            rc_status st = write_pdf(fx, path);
            if (st != RC_ERR_IO) _exit(10 + (int)st);
            if (direct && !rc_tmp_registered(path)) _exit(2); /* the build's to discard */
            _exit(rc_diag_errors(fx->d) == 1 ? 0 : 3);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(entries(fx->dir), 0);
    }
}

/* A signal stopping the build (rc_tmp_begin says no): the PDF creates no
 * file (the sweep of the temporaries may have run already), and fails. */
static void test_no_file_once_stopping(void **state)
{
    fixture *fx = *state;
    char *tmp = rc_out_tmpname(fx->a, rc_arena_printf(fx->a, "%s/report.pdf", fx->dir));
    rc_tmp_test_stopping(true);
    rc_status st = write_pdf(fx, tmp);
    rc_tmp_test_stopping(false);
    assert_int_equal(st, RC_ERR_IO);
    assert_int_equal(entries(fx->dir), 0);
    rc_out_discard(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_direct_and_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_save_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_file_once_stopping, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
