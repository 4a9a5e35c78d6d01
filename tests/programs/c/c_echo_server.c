/* A TCP echo server in C on the listener at fd 3 (the preview1 convention),
 * through wasi-libc's fcntl, poll, accept, recv/send, read/write and
 * shutdown. It
 * serves the number of connections given as its argument, one after
 * another, echoing in 5-byte pieces, then exits with status 4. Prints only
 * what does not depend on timing. */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define LISTENER 3

static void wait_for_connection(void) {
    struct pollfd listener = {.fd = LISTENER, .events = POLLIN};
    int ready = poll(&listener, 1, 60000);
    if (ready != 1 || !(listener.revents & POLLIN)) {
        report("poll on the listener", 1);
        exit(1);
    }
}

static int accept_one(void) {
    wait_for_connection();
    int fd = accept(LISTENER, NULL, NULL);
    if (fd < 0) {
        report("accept", 1);
        exit(1);
    }
    return fd;
}

/* Echoes until the peer stops sending; even connections use recv/send,
 * odd ones read/write. */
static long echo(int fd, int with_socket_calls) {
    char piece[5];
    long total = 0;
    for (;;) {
        ssize_t n = with_socket_calls ? recv(fd, piece, sizeof piece, 0) : read(fd, piece, sizeof piece);
        if (n < 0) {
            report("receiving", 1);
            exit(1);
        }
        if (n == 0)
            break;
        for (ssize_t sent = 0; sent < n;) {
            ssize_t m = with_socket_calls ? send(fd, piece + sent, n - sent, 0) : write(fd, piece + sent, n - sent);
            if (m < 0) {
                report("sending", 1);
                exit(1);
            }
            sent += m;
        }
        total += n;
    }
    report("shutdown(SHUT_WR)", shutdown(fd, SHUT_WR) != 0);
    return total;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: c_echo_server CONNECTIONS\n");
        return 2;
    }
    int connections = atoi(argv[1]);
    struct stat listener_stat;
    report("fstat(3)", fstat(LISTENER, &listener_stat) != 0);
    printf("fd 3 is a socket: %d\n", S_ISSOCK(listener_stat.st_mode));
    report("accept on stdout", accept(1, NULL, NULL) < 0);
    report("shutdown on the listener", shutdown(LISTENER, SHUT_RDWR) != 0);
    /* The listener starts non-blocking; this server waits in poll() and
     * then accepts in blocking mode. */
    int flags = fcntl(LISTENER, F_GETFL);
    printf("O_NONBLOCK at start: %d\n", (flags & O_NONBLOCK) != 0);
    report("fcntl(F_SETFL, blocking)", fcntl(LISTENER, F_SETFL, flags & ~O_NONBLOCK) != 0);
    printf("O_NONBLOCK now set: %d\n", (fcntl(LISTENER, F_GETFL) & O_NONBLOCK) != 0);

    long total = 0;
    for (int index = 0; index < connections; index++) {
        int fd = accept_one();
        long echoed = echo(fd, index % 2 == 0);
        report("close", close(fd) != 0);
        printf("connection %d: echoed %ld bytes\n", index, echoed);
        total += echoed;
    }
    printf("served %d connections, %ld bytes\n", connections, total);
    fflush(stdout);
    return 4;
}
