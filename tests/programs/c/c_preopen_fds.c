// What a C program can do with the preopened directories by fd number alone,
// without opening or listing anything (no `path_open`, no `fd_readdir`): it
// gets the adapter's preopens build, which must answer exactly as the full
// one.
// Each fd call is made on stdio (0-2), the two preopens (3, 4) and an fd
// that is not open (5), and its errno and results are printed; each path
// call (links, renames, directories) within and between the preopens.
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

// The calls that read, write, sync, resize or poll an fd, on fds 3-5 only
// (stdin would wait and stdout would print): for a directory, each answers
// as native's host does.
static void stream_calls(__wasi_fd_t fd) {
    uint8_t byte = 0;
    __wasi_iovec_t iov = {&byte, 1};
    __wasi_ciovec_t ciov = {&byte, 1};
    __wasi_size_t n = 7;
    printf("fd_read        fd %u: errno %d\n", fd, __wasi_fd_read(fd, &iov, 1, &n));
    printf("fd_write       fd %u: errno %d\n", fd, __wasi_fd_write(fd, &ciov, 1, &n));
    printf("fd_pread       fd %u: errno %d\n", fd, __wasi_fd_pread(fd, &iov, 1, 0, &n));
    printf("fd_pwrite      fd %u: errno %d\n", fd, __wasi_fd_pwrite(fd, &ciov, 1, 0, &n));
    printf("fd_advise      fd %u: errno %d\n", fd,
           __wasi_fd_advise(fd, 0, 1, __WASI_ADVICE_NORMAL));
    printf("fd_allocate    fd %u: errno %d\n", fd, __wasi_fd_allocate(fd, 0, 1));
    printf("fd_datasync    fd %u: errno %d\n", fd, __wasi_fd_datasync(fd));
    printf("fd_sync        fd %u: errno %d\n", fd, __wasi_fd_sync(fd));
    printf("fd_filestat_set_size fd %u: errno %d\n", fd, __wasi_fd_filestat_set_size(fd, 0));
    printf("fd_filestat_set_times fd %u, no change: errno %d\n", fd,
           __wasi_fd_filestat_set_times(fd, 0, 0, 0));
    printf("fd_fdstat_set_flags fd %u: errno %d\n", fd, __wasi_fd_fdstat_set_flags(fd, 0));
    printf("fd_fdstat_set_rights fd %u: errno %d\n", fd,
           __wasi_fd_fdstat_set_rights(fd, 0, 0));
    __wasi_subscription_t subscription;
    memset(&subscription, 0, sizeof subscription);
    subscription.userdata = 42;
    subscription.u.tag = __WASI_EVENTTYPE_FD_READ;
    subscription.u.u.fd_read.file_descriptor = fd;
    __wasi_event_t event;
    memset(&event, 0, sizeof event);
    __wasi_size_t events = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(&subscription, &event, 1, &events);
    printf("poll_oneoff read fd %u: errno %d, %lu event(s), error %u\n", fd, e, (unsigned long)events,
           event.error);
}

static void every_call(void) {
    for (__wasi_fd_t fd = 0; fd <= 5; fd++) {
        fdstat(fd);
        seek_and_tell(fd);
        prestat(fd);
        filestat(fd);
        if (fd >= 3)
            stream_calls(fd);
    }
}

int main(void) {
    every_call();

    printf("-- a directory made and removed in fd 4\n");
    printf("path_create_directory: errno %d\n", __wasi_path_create_directory(4, "d"));
    printf("path_remove_directory: errno %d\n", __wasi_path_remove_directory(4, "d"));
    printf("path_remove_directory again: errno %d\n", __wasi_path_remove_directory(4, "d"));

    printf("-- links, renames and unlinks between fds 3 and 4\n");
    printf("path_symlink: errno %d\n", __wasi_path_symlink("f", 4, "l"));
    char target[8] = {0};
    __wasi_size_t target_len = 0;
    __wasi_errno_t e = __wasi_path_readlink(4, "l", (uint8_t *)target, sizeof target - 1,
                                            &target_len);
    printf("path_readlink: errno %d, \"%s\"\n", e, target);
    printf("path_unlink_file: errno %d\n", __wasi_path_unlink_file(4, "l"));
    printf("path_link: errno %d\n", __wasi_path_link(3, 0, "f", 4, "hard"));
    printf("path_unlink_file: errno %d\n", __wasi_path_unlink_file(4, "hard"));
    printf("path_rename: errno %d\n", __wasi_path_rename(3, "f", 4, "g"));
    printf("path_rename back: errno %d\n", __wasi_path_rename(4, "g", 3, "f"));
    printf("path_unlink_file missing: errno %d\n", __wasi_path_unlink_file(3, "missing"));

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
