/* Sleeping and polling through wasi-libc: nanosleep, usleep, sleep(0),
 * clock_nanosleep and poll() with a timeout, each checked against
 * CLOCK_MONOTONIC; then poll() on stdin and on a bad fd. Prints
 * only properties that hold on any correct host, never timings. */
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static long long now_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0)
        return -1;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    long long start = now_ns(CLOCK_MONOTONIC);
    struct timespec twenty_ms = {.tv_sec = 0, .tv_nsec = 20000000};
    report("nanosleep(20ms)", nanosleep(&twenty_ms, NULL) != 0);
    printf("  slept at least 20ms: %d\n", now_ns(CLOCK_MONOTONIC) - start >= 20000000);

    start = now_ns(CLOCK_MONOTONIC);
    report("usleep(15000)", usleep(15000) != 0);
    printf("  slept at least 15ms: %d\n", now_ns(CLOCK_MONOTONIC) - start >= 15000000);

    printf("sleep(0) returns %u\n", sleep(0));

    start = now_ns(CLOCK_MONOTONIC);
    int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &twenty_ms, NULL);
    printf("clock_nanosleep(MONOTONIC, 20ms): %s\n", rc == 0 ? "ok" : errno_name(rc));
    printf("  slept at least 20ms: %d\n", now_ns(CLOCK_MONOTONIC) - start >= 20000000);

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 10000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
    }
    rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &deadline, NULL);
    printf("clock_nanosleep(REALTIME, absolute +10ms): %s\n", rc == 0 ? "ok" : errno_name(rc));
    printf("  reached the deadline: %d\n", now_ns(CLOCK_REALTIME) >= deadline.tv_sec * 1000000000LL + deadline.tv_nsec);

    start = now_ns(CLOCK_MONOTONIC);
    int ready = poll(NULL, 0, 12);
    printf("poll(no fds, 12ms): %d\n", ready);
    printf("  waited at least 12ms: %d\n", now_ns(CLOCK_MONOTONIC) - start >= 12000000);

    struct pollfd in = {.fd = 0, .events = POLLIN};
    ready = poll(&in, 1, 60000);
    printf("poll(stdin, 60s): %d, POLLIN %d\n", ready, (in.revents & POLLIN) != 0);
    char line[64];
    ssize_t n = read(0, line, sizeof line);
    printf("then read %zd bytes\n", n);

    struct pollfd bad[2] = {{.fd = 1, .events = POLLOUT}, {.fd = 55, .events = POLLIN}};
    ready = poll(bad, 2, 1000);
    if (ready < 0)
        report("poll(stdout, fd 55)", 1);
    else
        printf("poll(stdout, fd 55): %d, stdout POLLOUT %d, fd 55 POLLNVAL %d\n", ready,
               (bad[0].revents & POLLOUT) != 0, (bad[1].revents & POLLNVAL) != 0);

    return 0;
}
