/* Files through <unistd.h>, <fcntl.h> and <sys/stat.h> with wasi-libc:
 * open with each flag, read/write/lseek/pread/pwrite, ftruncate, fstat,
 * stat and lstat, access, fcntl flags, times, fsync, posix_fadvise and
 * posix_fallocate, link/symlink/readlink/unlink, the *at variants, and
 * renumbering with __wasilibc_fd_renumber; the errno name and message of
 * each failure.
 *
 * With the argument `times`, only futimens is tried: some hosts store a
 * descriptor's times wrongly, a case of its own so that it hides nothing
 * else.
 *
 * Expects the case's tree at /sandbox. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/libc.h>

#include "report.h"

#define AT(path) "/sandbox/" path

static const char *kind(mode_t mode) {
    if (S_ISREG(mode)) return "file";
    if (S_ISDIR(mode)) return "dir";
    if (S_ISLNK(mode)) return "link";
    return "other";
}

/* The parts of a stat any host reports identically for the corpus tree. */
static void show_stat(const char *label, int failed, const struct stat *st) {
    if (failed) {
        report(label, 1);
    } else if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode)) {
        printf("%s: %s size %lld nlink %llu\n", label, kind(st->st_mode), (long long)st->st_size,
               (unsigned long long)st->st_nlink);
    } else {
        printf("%s: %s\n", label, kind(st->st_mode));
    }
}

static void show_contents(const char *label, const char *path) {
    int fd = open(path, O_RDONLY);
    char buf[128];
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    if (n < 0) {
        report(label, 1);
    } else {
        printf("%s: \"", label);
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') printf("\\n");
            else if (buf[i] == 0) printf("\\0");
            else putchar(buf[i]);
        }
        printf("\"\n");
    }
    if (fd >= 0) close(fd);
}

static void open_flags(void) {
    printf("-- open\n");
    const struct { const char *label, *path; int flags; } cases[] = {
        {"O_RDONLY", AT("hello.txt"), O_RDONLY},
        {"O_WRONLY", AT("hello.txt"), O_WRONLY},
        {"O_RDWR", AT("hello.txt"), O_RDWR},
        {"O_CREAT new", AT("created.txt"), O_WRONLY | O_CREAT},
        {"O_CREAT|O_EXCL existing", AT("created.txt"), O_WRONLY | O_CREAT | O_EXCL},
        {"O_TRUNC", AT("created.txt"), O_WRONLY | O_TRUNC},
        {"O_DIRECTORY on a dir", AT("dir"), O_RDONLY | O_DIRECTORY},
        {"O_DIRECTORY on a file", AT("hello.txt"), O_RDONLY | O_DIRECTORY},
        {"O_WRONLY on a dir", AT("dir"), O_WRONLY},
        {"O_NOFOLLOW on a symlink", AT("link_hello"), O_RDONLY | O_NOFOLLOW},
        {"a symlink followed", AT("link_hello"), O_RDONLY},
        {"a symlink loop", AT("loop_a"), O_RDONLY},
        {"missing", AT("missing.txt"), O_RDONLY},
        {"below a file", AT("hello.txt/x"), O_RDONLY},
        {"outside via ..", AT("dir/../../x"), O_RDONLY},
        {"outside via an absolute symlink", AT("link_abs/passwd"), O_RDONLY},
        {"outside via a relative symlink", AT("link_up"), O_RDONLY},
        {"outside every preopen", "/etc/passwd", O_RDONLY},
        {"O_DSYNC", AT("hello.txt"), O_WRONLY | O_DSYNC},
        {"O_SYNC", AT("hello.txt"), O_WRONLY | O_SYNC},
        {"O_APPEND|O_NONBLOCK", AT("hello.txt"), O_WRONLY | O_APPEND | O_NONBLOCK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errno = 0;
        int fd = open(cases[i].path, cases[i].flags, 0644);
        report(cases[i].label, fd < 0);
        if (fd >= 0) close(fd);
    }
}

static void read_write_seek(void) {
    printf("-- read, write, lseek, pread, pwrite, ftruncate\n");
    int fd = open(AT("rw.txt"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("write: %zd\n", write(fd, "0123456789", 10));
    printf("lseek 2 SEEK_SET: %lld\n", (long long)lseek(fd, 2, SEEK_SET));
    char buf[16] = {0};
    printf("read 3: %zd \"%.3s\"\n", read(fd, buf, 3), buf);
    printf("lseek 0 SEEK_CUR: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek -2 SEEK_END: %lld\n", (long long)lseek(fd, -2, SEEK_END));
    errno = 0;
    report("lseek -20 SEEK_CUR", lseek(fd, -20, SEEK_CUR) < 0);
    memset(buf, 0, sizeof buf);
    printf("pread 4 at 5: %zd \"%.4s\"\n", pread(fd, buf, 4, 5), buf);
    printf("pwrite \"AB\" at 1: %zd\n", pwrite(fd, "AB", 2, 1));
    printf("position unchanged: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("pread at 100: %zd\n", pread(fd, buf, 4, 100));
    CHECK("ftruncate 4", ftruncate(fd, 4));
    CHECK("ftruncate 6", ftruncate(fd, 6));
    errno = 0;
    report("ftruncate -1", ftruncate(fd, -1) < 0);
    printf("lseek 20 SEEK_SET then write: %lld %zd\n", (long long)lseek(fd, 20, SEEK_SET), write(fd, "z", 1));
    close(fd);
    show_contents("rw.txt", AT("rw.txt"));

    fd = open(AT("rw.txt"), O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "<end>", 5);
    printf("after an O_APPEND write the position is %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    show_contents("rw.txt after O_APPEND", AT("rw.txt"));

    fd = open(AT("hello.txt"), O_RDONLY);
    errno = 0;
    report("write to O_RDONLY", write(fd, "x", 1) < 0);
    errno = 0;
    report("ftruncate on O_RDONLY", ftruncate(fd, 0) < 0);
    close(fd);
    errno = 0;
    report("read a closed fd", read(fd, buf, 1) < 0);
    errno = 0;
    report("close a closed fd", close(fd) < 0);
    int dir = open(AT("dir"), O_RDONLY | O_DIRECTORY);
    errno = 0;
    report("read a dir", read(dir, buf, 1) < 0);
    errno = 0;
    report("lseek a dir", lseek(dir, 0, SEEK_SET) < 0);
    close(dir);
    errno = 0;
    report("lseek stdout", lseek(1, 0, SEEK_SET) < 0);
    errno = 0;
    report("pwrite stdout", pwrite(1, "x", 1, 0) < 0);
}

static void stats(void) {
    printf("-- stat, lstat, fstat, access\n");
    struct stat st;
    const char *paths[] = {"hello.txt", "dir", "link_hello", "link_dir", "link_dangling", "loop_a",
                           "missing", "hello.txt/", "link_abs", "link_abs/passwd"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char path[128], label[160];
        snprintf(path, sizeof path, AT("%s"), paths[i]);
        errno = 0;
        snprintf(label, sizeof label, "stat %s", paths[i]);
        show_stat(label, stat(path, &st) != 0, &st);
        errno = 0;
        snprintf(label, sizeof label, "lstat %s", paths[i]);
        show_stat(label, lstat(path, &st) != 0, &st);
    }
    int fd = open(AT("digits.txt"), O_RDONLY);
    show_stat("fstat digits.txt", fstat(fd, &st) != 0, &st);
    struct stat by_path;
    stat(AT("digits.txt"), &by_path);
    printf("fstat and stat agree on st_ino: %d\n", st.st_ino == by_path.st_ino);
    close(fd);
    errno = 0;
    show_stat("fstat a closed fd", fstat(fd, &st) != 0, &st);
    CHECK("access hello.txt F_OK", access(AT("hello.txt"), F_OK));
    CHECK("access hello.txt R_OK|W_OK", access(AT("hello.txt"), R_OK | W_OK));
    CHECK("access missing F_OK", access(AT("missing"), F_OK));
    CHECK("access dir X_OK", access(AT("dir"), X_OK));
    CHECK("access link_dangling F_OK", access(AT("link_dangling"), F_OK));
}

static void flags_times_sync(void) {
    printf("-- fcntl, times, sync, advise, allocate\n");
    int fd = open(AT("flags.txt"), O_RDWR | O_CREAT, 0644);
    write(fd, "base\n", 5);
    printf("F_GETFL access mode is O_RDWR: %d, O_APPEND %d\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR,
           (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    printf("F_GETFL O_APPEND now %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    lseek(fd, 0, SEEK_SET);
    write(fd, "appended\n", 9);
    CHECK("F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
    printf("F_GETFL O_NONBLOCK %d O_APPEND %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK("fsync", fsync(fd));
    CHECK("fdatasync", fdatasync(fd));
    errno = posix_fadvise(fd, 0, 4, POSIX_FADV_SEQUENTIAL);
    report("posix_fadvise", errno != 0);
    errno = posix_fallocate(fd, 0, 100);
    report("posix_fallocate", errno != 0);
    struct timespec bad[2] = {{0, 2000000000}, {0, 0}};
    CHECK("futimens with tv_nsec out of range", futimens(fd, bad));
    close(fd);
    show_contents("flags.txt", AT("flags.txt"));
    struct timespec times[2] = {{1500000000, 5}, {1234567890, 123456789}};
    CHECK("utimensat on a symlink, no follow", utimensat(AT_FDCWD, AT("link_hello"), times, AT_SYMLINK_NOFOLLOW));
    CHECK("utimensat missing", utimensat(AT_FDCWD, AT("missing"), times, 0));
    struct stat link;
    lstat(AT("link_hello"), &link);
    printf("link mtime %lld\n", (long long)link.st_mtim.tv_sec);
    int dir = open(AT("dir"), O_RDONLY | O_DIRECTORY);
    CHECK("fsync a dir", fsync(dir));
    close(dir);
}

static void links(void) {
    printf("-- link, symlink, readlink, unlink\n");
    CHECK("link hello.txt hard.txt", link(AT("hello.txt"), AT("hard.txt")));
    CHECK("link again", link(AT("hello.txt"), AT("hard.txt")));
    CHECK("link a dir", link(AT("dir"), AT("dir_hard")));
    CHECK("link missing", link(AT("missing"), AT("x")));
    struct stat st;
    stat(AT("hard.txt"), &st);
    printf("nlink of hard.txt: %llu\n", (unsigned long long)st.st_nlink);
    CHECK("symlink sym -> hello.txt", symlink("hello.txt", AT("sym")));
    CHECK("symlink over an existing name", symlink("hello.txt", AT("sym")));
    CHECK("symlink with an absolute target", symlink("/etc/passwd", AT("sym_abs")));
    CHECK("symlink dangling", symlink("nowhere", AT("sym_dangling")));
    char buf[64];
    ssize_t n = readlink(AT("sym"), buf, sizeof buf);
    printf("readlink sym: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink(AT("sym"), buf, 3);
    printf("readlink into 3 bytes: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    errno = 0;
    report("readlink a file", readlink(AT("hello.txt"), buf, sizeof buf) < 0);
    errno = 0;
    report("readlink missing", readlink(AT("missing"), buf, sizeof buf) < 0);
    errno = 0;
    report("readlink link_abs", readlink(AT("link_abs"), buf, sizeof buf) < 0);
    n = readlink(AT("link_up"), buf, sizeof buf);
    printf("readlink link_up: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
    CHECK("unlink sym", unlink(AT("sym")));
    CHECK("unlink sym again", unlink(AT("sym")));
    CHECK("unlink a dir", unlink(AT("dir")));
    CHECK("unlink link_dir", unlink(AT("link_dir")));
    CHECK("unlink outside", unlink(AT("../x")));
    stat(AT("hello.txt"), &st);
    printf("hello.txt still there: %d\n", S_ISREG(st.st_mode));
}

static void at_functions(void) {
    printf("-- *at functions\n");
    int dir = open(AT("dir"), O_RDONLY | O_DIRECTORY);
    int fd = openat(dir, "nested.txt", O_RDONLY);
    char buf[16] = {0};
    printf("openat nested.txt reads: %zd\n", read(fd, buf, sizeof buf - 1));
    close(fd);
    CHECK("mkdirat made", mkdirat(dir, "made", 0755));
    CHECK("symlinkat", symlinkat("nested.txt", dir, "nested_link"));
    ssize_t n = readlinkat(dir, "nested_link", buf, sizeof buf);
    printf("readlinkat: %zd\n", n);
    struct stat st;
    errno = 0;
    show_stat("fstatat nested_link nofollow", fstatat(dir, "nested_link", &st, AT_SYMLINK_NOFOLLOW) != 0, &st);
    show_stat("fstatat nested_link", fstatat(dir, "nested_link", &st, 0) != 0, &st);
    CHECK("faccessat", faccessat(dir, "nested.txt", R_OK, 0));
    CHECK("linkat", linkat(dir, "nested.txt", dir, "nested_hard", 0));
    CHECK("renameat", renameat(dir, "nested_hard", dir, "made/nested_moved"));
    CHECK("unlinkat AT_REMOVEDIR on a non-empty dir", unlinkat(dir, "made", AT_REMOVEDIR));
    CHECK("unlinkat a file", unlinkat(dir, "made/nested_moved", 0));
    CHECK("unlinkat AT_REMOVEDIR", unlinkat(dir, "made", AT_REMOVEDIR));
    CHECK("unlinkat a file with AT_REMOVEDIR", unlinkat(dir, "nested_link", AT_REMOVEDIR));
    CHECK("openat .. outside", openat(dir, "../../x", O_RDONLY));
    int file = open(AT("hello.txt"), O_RDONLY);
    CHECK("openat below a file fd", openat(file, "x", O_RDONLY));
    close(file);
    CHECK("openat below a closed fd", openat(file, "x", O_RDONLY));
    close(dir);
}

static void renumbering(void) {
    printf("-- __wasilibc_fd_renumber\n");
    int a = open(AT("hello.txt"), O_RDONLY);
    int b = open(AT("digits.txt"), O_RDONLY);
    CHECK("renumber a file onto another", __wasilibc_fd_renumber(a, b));
    char buf[8] = {0};
    lseek(b, 0, SEEK_SET);
    printf("the target reads \"%.5s\"\n", read(b, buf, 5) == 5 ? buf : "?");
    struct stat st;
    CHECK("fstat the source", fstat(a, &st));
    CHECK("renumber a closed fd", __wasilibc_fd_renumber(a, b));
    CHECK("renumber stdin onto the file", __wasilibc_fd_renumber(0, b));
    memset(buf, 0, sizeof buf);
    printf("it reads stdin: \"%.7s\"\n", read(b, buf, 7) > 0 ? buf : "?");
    close(b);
}

/* Times of a few seconds after 1970: a host that stores them 1000 or a
 * million times too large still stays inside what every file system keeps
 * exactly (32-bit seconds), so what it shows does not depend on the file
 * system the tests run on. */
static void fd_times(void) {
    printf("-- futimens\n");
    int fd = open(AT("times.txt"), O_RDWR | O_CREAT, 0644);
    struct timespec times[2] = {{1, 5}, {2, 123456789}};
    CHECK("futimens", futimens(fd, times));
    struct stat st;
    fstat(fd, &st);
    printf("times now %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    CHECK("futimens UTIME_OMIT, UTIME_NOW", futimens(fd, omit));
    fstat(fd, &st);
    printf("atime kept %d, mtime moved on %d\n", st.st_atim.tv_sec == 1 && st.st_atim.tv_nsec == 5,
           st.st_mtim.tv_sec > 2);
    close(fd);
}

int main(int argc, char **argv) {
    /* Line by line, so a run that dies midway still shows how far it got. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "times") == 0) {
        fd_times();
        return 0;
    }
    open_flags();
    read_write_seek();
    stats();
    flags_times_sync();
    links();
    at_functions();
    renumbering();
    return 0;
}
