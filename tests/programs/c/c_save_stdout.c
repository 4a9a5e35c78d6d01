// What a C or C++ program does to capture its own output for a while: it
// "saves" stdout by renumbering it to a free descriptor, swaps a temporary
// file in as fd 1, and later tries to restore the saved one. Under native
// preview1 the save fails (EBADF: fd_renumber needs an open target), so
// everything from the swap on, the "restored" output included, lands in the
// file; the errnos go to stderr.
//
// Expects /sandbox (writable, may be empty).

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    printf("before the redirect\n");
    fflush(stdout);

    __wasi_errno_t saved = __wasi_fd_renumber(1, 100);
    fprintf(stderr, "save stdout at 100: errno %d\n", saved);

    int capture = open("/sandbox/capture.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (capture < 0) {
        perror("open /sandbox/capture.txt");
        return 1;
    }
    __wasi_errno_t swapped = __wasi_fd_renumber(capture, 1);
    fprintf(stderr, "swap the file in as fd 1: errno %d\n", swapped);
    printf("while redirected\n");
    fflush(stdout);

    __wasi_errno_t restored = __wasi_fd_renumber(100, 1);
    fprintf(stderr, "restore from 100: errno %d\n", restored);
    printf("after the restore\n");
    fflush(stdout);

    __wasi_fdstat_t stat;
    fprintf(stderr, "fd 100 afterwards: errno %d\n", __wasi_fd_fdstat_get(100, &stat));
    return 0;
}
