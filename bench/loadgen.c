/* loadgen.c - fixed-rate HTTP load for `make bench` (bench_loadgen): sends
 * the same POST at a steady rate over keep-alive connections and reports
 * latency percentiles measured from when each request was *due*, not from
 * when it was sent.
 *
 *   bench_loadgen --port N --path /v1/assist --body FILE [--key KEY]
 *                 [--rate 5000] [--seconds 10] [--warmup 1] [--conns 64]
 *
 * Why not wrk: wrk has no fixed-rate mode. Its paced runs (a Lua delay()
 * after every answer) offer a rate that depends on the latency measured,
 * run Lua per request, and time a request from the moment it is written, so
 * a request that waited for a free connection is not counted as late. Here
 * request i is due at start + i / rate whatever happened before (open loop,
 * as wrk2 does); when no connection is free it waits in a queue, and that
 * wait is part of its latency. One thread, epoll, no Lua: the client's own
 * cost is small next to the server's.
 *
 * Prints one line of key=value pairs, as bench/wrk/common.lua does:
 * rps= p50_us= p90_us= p99_us= max_us= requests= non2xx= errors= conns=
 * (requests counts the answers of the measured period, after the warm-up). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

typedef struct conn {
    int fd;
    int busy;          /* a request is in flight */
    uint64_t due_ns;   /* when the request in flight was due */
    size_t sent;       /* bytes of the request written so far */
    char in[65536];    /* the answer so far */
    size_t in_len;
} conn;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Length of a complete answer at the start of c->in, 0 while incomplete,
 * -1 when it cannot be parsed (no Content-Length). */
static long answer_len(const conn *c, int *status)
{
    const char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    size_t head = (size_t)(end - c->in) + 4;
    *status = c->in_len > 12 ? atoi(c->in + 9) : 0;
    const char *p = c->in;
    long body = -1;
    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
        if (!eol)
            break;
        if ((size_t)(eol - p) > 15 && strncasecmp(p, "content-length:", 15) == 0)
            body = strtol(p + 15, NULL, 10);
        p = eol + 2;
    }
    if (body < 0)
        return -1;
    return c->in_len >= head + (size_t)body ? (long)(head + (size_t)body) : 0;
}

static int send_some(conn *c, const char *req, size_t len)
{
    while (c->sent < len) {
        ssize_t k = send(c->fd, req + c->sent, len - c->sent, MSG_NOSIGNAL);
        if (k < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        c->sent += (size_t)k;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int port = 0, conns_n = 64;
    const char *path = "/v1/assist", *body_file = NULL, *key = "";
    double rate = 5000, seconds = 10, warmup = 1;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_loadgen: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--port"))
            port = atoi(v);
        else if (!strcmp(a, "--path"))
            path = v;
        else if (!strcmp(a, "--body"))
            body_file = v;
        else if (!strcmp(a, "--key"))
            key = v;
        else if (!strcmp(a, "--rate"))
            rate = atof(v);
        else if (!strcmp(a, "--seconds"))
            seconds = atof(v);
        else if (!strcmp(a, "--warmup"))
            warmup = atof(v);
        else if (!strcmp(a, "--conns"))
            conns_n = atoi(v);
        else {
            fprintf(stderr, "bench_loadgen: unknown option %s\n", a);
            return 2;
        }
    }
    if (port <= 0 || !body_file || rate <= 0 || seconds <= 0 || conns_n <= 0 || conns_n > 4096) {
        fprintf(stderr, "usage: bench_loadgen --port N --path P --body FILE [--key K] [--rate R] "
                        "[--seconds S] [--warmup S] [--conns N]\n");
        return 2;
    }
    FILE *f = fopen(body_file, "rb");
    if (!f) {
        perror(body_file);
        return 1;
    }
    struct stat st;
    fstat(fileno(f), &st);
    size_t blen = (size_t)st.st_size;
    char *body = malloc(blen + 1);
    if (!body || fread(body, 1, blen, f) != blen) {
        fprintf(stderr, "bench_loadgen: cannot read %s\n", body_file);
        return 1;
    }
    fclose(f);
    while (blen && (body[blen - 1] == '\n' || body[blen - 1] == ' '))
        blen--;
    size_t rcap = blen + strlen(path) + strlen(key) + 256;
    char *req = malloc(rcap);
    if (!req) {
        fprintf(stderr, "bench_loadgen: out of memory\n");
        return 1;
    }
    int hl = snprintf(req, rcap,
                      "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                      "Authorization: Bearer %s\r\nContent-Length: %zu\r\n\r\n",
                      path, port, key, blen);
    memcpy(req + hl, body, blen);
    size_t rlen = (size_t)hl + blen;

    int ep = epoll_create1(EPOLL_CLOEXEC);
    /* wakes epoll_wait when the next request is due (epoll_wait alone
     * counts in milliseconds, 5 requests at 5,000/s) */
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (ep < 0 || tfd < 0) {
        perror("bench_loadgen: epoll/timerfd");
        return 1;
    }
    struct epoll_event tev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &tev);
    conn *cs = calloc((size_t)conns_n, sizeof *cs);
    int *idle = malloc((size_t)conns_n * sizeof *idle), n_idle = 0;
    if (!cs || !idle) {
        fprintf(stderr, "bench_loadgen: out of memory\n");
        return 1;
    }
    for (int i = 0; i < conns_n; i++) {
        cs[i].fd = connect_to(port);
        if (cs[i].fd < 0) {
            perror("bench_loadgen: connect");
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
        idle[n_idle++] = i;
    }

    uint64_t total = (uint64_t)((warmup + seconds) * rate);
    uint32_t *lat = malloc(total * sizeof *lat);
    size_t n_lat = 0;
    uint64_t start = now_ns() + 50000000u; /* connections settle for 50 ms */
    uint64_t measure_from = start + (uint64_t)(warmup * 1e9);
    uint64_t period = (uint64_t)(1e9 / rate);
    uint64_t next = 0, done = 0, non2xx = 0, errors = 0, last_answer = 0;
    /* due requests that found no free connection, oldest first */
    uint64_t *queue = malloc(total * sizeof *queue);
    if (!lat || !queue) {
        fprintf(stderr, "bench_loadgen: out of memory for %llu requests\n",
                (unsigned long long)total);
        return 1;
    }
    size_t q_head = 0, q_tail = 0;
    struct epoll_event evs[256];

    while (done + errors < total) {
        uint64_t t = now_ns();
        while (next < total && start + next * period <= t)
            queue[q_tail++] = start + next++ * period;
        while (q_head < q_tail && n_idle > 0) {
            conn *c = &cs[idle[--n_idle]];
            c->busy = 1;
            c->due_ns = queue[q_head++];
            c->sent = 0;
            c->in_len = 0;
            if (send_some(c, req, rlen) != 0) {
                errors++;
                c->busy = 0;
            }
        }
        if (next < total) {
            uint64_t wake = start + next * period;
            struct itimerspec its = {.it_value = {(time_t)(wake / 1000000000u),
                                                  (long)(wake % 1000000000u)}};
            timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
        }
        int n = epoll_wait(ep, evs, 256, next < total ? -1 : 100);
        if (n < 0 && errno != EINTR) {
            perror("bench_loadgen: epoll");
            return 1;
        }
        for (int k = 0; k < n; k++) {
            if (evs[k].data.u32 == UINT32_MAX) {
                uint64_t ticks;
                if (read(tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
                    perror("bench_loadgen: timerfd");
                continue;
            }
            int i = (int)evs[k].data.u32;
            conn *c = &cs[i];
            if (!c->busy)
                continue;
            if ((evs[k].events & EPOLLOUT) && send_some(c, req, rlen) != 0) {
                errors++;
                c->busy = 0;
                continue;
            }
            for (;;) {
                ssize_t r = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
                if (r > 0) {
                    c->in_len += (size_t)r;
                    if (c->in_len == sizeof c->in)
                        break;
                    continue;
                }
                if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    fprintf(stderr, "bench_loadgen: connection closed by the server\n");
                    return 1;
                }
                break;
            }
            int status = 0;
            long alen = answer_len(c, &status);
            if (alen < 0 || (alen == 0 && c->in_len == sizeof c->in)) {
                fprintf(stderr, "bench_loadgen: cannot parse an answer\n");
                return 1;
            }
            if (alen == 0)
                continue;
            uint64_t t1 = now_ns();
            if (c->due_ns >= measure_from) {
                uint64_t us = (t1 - c->due_ns) / 1000u;
                lat[n_lat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
                last_answer = t1;
                if (status < 200 || status > 299)
                    non2xx++;
            }
            done++;
            c->busy = 0;
            idle[n_idle++] = i;
        }
    }
    if (n_lat == 0) {
        fprintf(stderr, "bench_loadgen: no answers measured\n");
        return 1;
    }
    qsort(lat, n_lat, sizeof *lat, cmp_u32);
    /* answers per second over the measured period; below the offered rate
     * when the server fell behind and the last answers came late */
    double span = (double)(last_answer - measure_from) / 1e9;
    if (span < seconds)
        span = seconds;
#define PCT(p) lat[(size_t)((double)(n_lat - 1) * (p))]
    printf("rps=%.1f p50_us=%u p90_us=%u p99_us=%u max_us=%u requests=%zu non2xx=%llu errors=%llu "
           "conns=%d offered=%.0f\n",
           (double)n_lat / span, PCT(0.50), PCT(0.90), PCT(0.99), lat[n_lat - 1], n_lat,
           (unsigned long long)non2xx, (unsigned long long)errors, conns_n, rate);
#undef PCT
    return 0;
}
