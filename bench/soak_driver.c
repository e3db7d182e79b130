/* soak_driver: calls rc_build() on one config N times in ONE process and
 * checks that nothing accumulates across builds:
 *   - open file descriptors (/proc/self/fd) return to the same count after
 *     every build;
 *   - resident memory (/proc/self/statm) stops growing after warm-up: the
 *     RSS of the last build must stay within a small slack of the largest
 *     RSS seen during warm-up;
 *   - the output directory holds exactly the four outputs (no temporary
 *     files left behind), and their bytes are the same in every build.
 * Usage: soak_driver CONFIG OUTDIR [N] [WARMUP]
 * Prints one line per 100 builds and a summary; exit 0 when every check
 * held, 1 otherwise. Built and run by bench/soak.sh. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rc/build.h"
#include "rc/diag.h"
#include "rc/status.h"

static long count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the directory stream itself */
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    long size = 0, res = 0;
    int ok = fscanf(f, "%ld %ld", &size, &res);
    fclose(f);
    return ok == 2 ? res * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

/* FNV-1a over the names and bytes of every file in dir (sorted by name
 * through scandir); *nfiles gets the number of entries. */
static uint64_t hash_dir(const char *dir, int *nfiles, char *names, size_t cap, int *hidden)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    uint64_t h = 1469598103934665603ull;
    *nfiles = 0;
    *hidden = 0;
    names[0] = '\0';
    if (n < 0) return 0;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        if (strcmp(nm, ".") && strcmp(nm, "..")) {
            (*nfiles)++;
            if (nm[0] == '.') (*hidden)++; /* a temporary (.NAME.PID.N.tmp) left behind */
            if (strlen(names) + strlen(nm) + 2 < cap) {
                strcat(names, nm);
                strcat(names, " ");
            }
            for (const char *p = nm; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, nm);
            FILE *f = fopen(path, "rb");
            if (f) {
                unsigned char buf[65536];
                size_t got;
                while ((got = fread(buf, 1, sizeof buf, f)) > 0)
                    for (size_t k = 0; k < got; k++)
                        h = (h ^ buf[k]) * 1099511628211ull;
                fclose(f);
            }
        }
        free(list[i]);
    }
    free(list);
    return h;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: soak_driver CONFIG OUTDIR [N] [WARMUP]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 1000;
    int warm = argc > 4 ? atoi(argv[4]) : 20;
    if (n <= warm) warm = n / 2;
    FILE *devnull = fopen("/dev/null", "w");
    if (!devnull) return 2;
    rc_options o = {.command = RC_CMD_BUILD,
                    .config = argv[1],
                    .outdir = argv[2],
                    .quiet = true,
                    .out = devnull};
    long fd0 = count_fds(), warm_rss = 0, mid_rss = 0, rss = 0, max_rss = 0, first_rss = rss_kb();
    uint64_t first_hash = 0;
    int bad = 0, differing = 0, first_files = 0, done = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1; i <= n; i++) {
        rc_diag *d = rc_diag_new();
        rc_status st = rc_build(&o, d);
        if (st != RC_OK) {
            fprintf(stderr, "build %d failed: %s\n", i, rc_strerror(st));
            rc_diag_print(d, stderr);
            bad++;
        }
        rc_diag_free(d);
        long fds = count_fds();
        rss = rss_kb();
        if (rss > max_rss) max_rss = rss;
        if (i <= warm && rss > warm_rss) warm_rss = rss;
        if (i == n / 2) mid_rss = rss;
        if (fds != fd0) {
            fprintf(stderr, "build %d: %ld open descriptors, %ld before the first build\n", i, fds,
                    fd0);
            bad++;
        }
        int nfiles, hidden;
        char names[1024];
        uint64_t h = hash_dir(argv[2], &nfiles, names, sizeof names, &hidden);
        /* the outputs the first build left (4 per edition: the sample's
         * three editions make 12), and no temporary */
        if (i == 1) first_files = nfiles;
        if (nfiles != first_files || hidden || nfiles == 0) {
            fprintf(stderr, "build %d: %d files in %s (the first build left %d): %s\n", i, nfiles,
                    argv[2], first_files, names);
            bad++;
        }
        done = i;
        if (i == 1)
            first_hash = h;
        else if (h != first_hash)
            differing++;
        if (i % 100 == 0 || i == n)
            printf("build %4d: rss %ld KB (max %ld KB), %ld fds\n", i, rss, max_rss, fds);
        if (bad > 20) break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* A leak grows with every build; the allocator settles in steps over
     * the first few hundred (its per-thread arenas: steps of 0.65-2.4 MB
     * measured, then flat for 1,200 builds). So the end is compared with
     * the middle, with 1 MiB of slack (a leak of 2 KB a build over 500
     * builds shows). */
    long slack = 1024;
    bool grew = done > warm && rss > mid_rss + slack;
    printf("soak: %d builds in %.1f s (%.1f ms each); rss before %ld KB, warm-up peak %ld KB, "
           "after build %d %ld KB, final %ld KB, max %ld KB; fds %ld -> %ld; outputs differing "
           "from build 1: %d\n",
           done, secs, 1000 * secs / (done ? done : 1), first_rss, warm_rss, n / 2, mid_rss, rss,
           max_rss, fd0, count_fds(), differing);
    if (grew)
        printf("soak: FAIL resident memory grew by %ld KB in the second half\n", rss - mid_rss);
    if (differing) printf("soak: FAIL outputs are not byte-identical across builds\n");
    fclose(devnull);
    return bad || grew || differing ? 1 : 0;
}
