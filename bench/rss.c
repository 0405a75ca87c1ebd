/* rss.c - runs a command and reports its wall time, CPU time and peak
 * resident set size (from wait4's rusage), so `make bench` does not depend on
 * GNU time being installed. Standard streams are inherited, so the caller
 * redirects them as for the command itself.
 *
 *   bench_rss REPORT_FILE cmd [args...]
 *
 * REPORT_FILE gets one line: wall_s=.. user_s=.. sys_s=.. maxrss_kb=.. status=..
 * The exit status is the command's. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_rss REPORT_FILE cmd [args...]\n");
        return 2;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "bench_rss: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("wait4");
            return 2;
        }
    }
    double wall = now() - t0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fprintf(f, "wall_s=%.4f user_s=%.4f sys_s=%.4f maxrss_kb=%ld status=%d\n", wall, tv_s(ru.ru_utime),
            tv_s(ru.ru_stime), ru.ru_maxrss, code);
    fclose(f);
    return code;
}
