// What a C program can do with the preopened directories by fd number alone,
// without opening or listing anything (no `path_open`, no `fd_readdir`): it
// gets the adapter's preopens build, which must answer exactly as the full
// one.
// Each call is made on stdio (0-2), the two preopens (3, 4) and an fd that
// is not open (5), and its errno and results are printed.
//
// Expects /a holding the file `f` ("x") and an empty /b.

#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static void fdstat(__wasi_fd_t fd) {
    __wasi_fdstat_t stat;
    memset(&stat, 0, sizeof stat);
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &stat);
    printf("fd_fdstat_get  fd %u: errno %d, type %u, flags %u, rights %llx/%llx\n", fd, e,
           stat.fs_filetype, stat.fs_flags, (unsigned long long)stat.fs_rights_base,
           (unsigned long long)stat.fs_rights_inheriting);
}

static void seek_and_tell(__wasi_fd_t fd) {
    __wasi_filesize_t position = 7;
    __wasi_errno_t e = __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &position);
    printf("fd_seek        fd %u: errno %d, position %llu\n", fd, e,
           (unsigned long long)position);
    position = 7;
    e = __wasi_fd_tell(fd, &position);
    printf("fd_tell        fd %u: errno %d, position %llu\n", fd, e,
           (unsigned long long)position);
}

static void prestat(__wasi_fd_t fd) {
    __wasi_prestat_t prestat;
    memset(&prestat, 0, sizeof prestat);
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &prestat);
    printf("fd_prestat_get fd %u: errno %d, tag %u, name length %zu\n", fd, e, prestat.tag,
           prestat.u.dir.pr_name_len);
    char name[16] = {0};
    e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, sizeof name - 1);
    printf("fd_prestat_dir_name fd %u: errno %d, name \"%s\"\n", fd, e, name);
}

static void filestat(__wasi_fd_t fd) {
    __wasi_filestat_t stat;
    memset(&stat, 0, sizeof stat);
    __wasi_errno_t e = __wasi_fd_filestat_get(fd, &stat);
    printf("fd_filestat_get fd %u: errno %d, type %u\n", fd, e, stat.filetype);
    memset(&stat, 0, sizeof stat);
    e = __wasi_path_filestat_get(fd, 0, "f", &stat);
    printf("path_filestat_get f in fd %u: errno %d, type %u, size %llu\n", fd, e, stat.filetype,
           (unsigned long long)stat.size);
}

static void every_call(void) {
    for (__wasi_fd_t fd = 0; fd <= 5; fd++) {
        fdstat(fd);
        seek_and_tell(fd);
        prestat(fd);
        filestat(fd);
    }
}

int main(void) {
    every_call();

    printf("-- a directory made and removed in fd 4\n");
    printf("path_create_directory: errno %d\n", __wasi_path_create_directory(4, "d"));
    printf("path_remove_directory: errno %d\n", __wasi_path_remove_directory(4, "d"));
    printf("path_remove_directory again: errno %d\n", __wasi_path_remove_directory(4, "d"));

    printf("-- fd 4 renumbered onto 3, stdin closed\n");
    printf("fd_renumber(4, 3): errno %d\n", __wasi_fd_renumber(4, 3));
    printf("fd_close(0): errno %d\n", __wasi_fd_close(0));
    every_call();

    printf("-- every fd closed but stdout\n");
    for (__wasi_fd_t fd = 0; fd <= 5; fd++) {
        if (fd != 1)
            printf("fd_close(%u): errno %d\n", fd, __wasi_fd_close(fd));
    }
    every_call();
    return 0;
}
