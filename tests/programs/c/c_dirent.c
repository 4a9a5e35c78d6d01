/* Directories through <dirent.h> and friends with wasi-libc: opendir,
 * readdir (names and d_type), rewinddir, telldir/seekdir, scandir,
 * fdopendir, mkdir and rmdir, listings of a directory of a few hundred
 * entries, and the errors of each. Listings are printed sorted.
 *
 * Expects the case's tree at /sandbox. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define AT(path) "/sandbox/" path

static const char *type_name(unsigned char type) {
    switch (type) {
    case DT_DIR: return "dir";
    case DT_REG: return "file";
    case DT_LNK: return "link";
    case DT_UNKNOWN: return "unknown";
    default: return "other";
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of `dir` as "name type", sorted; returns the count. */
static size_t collect(DIR *dir, char ***out) {
    size_t count = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (count == cap) names = realloc(names, (cap *= 2) * sizeof *names);
        size_t len = strlen(entry->d_name) + 16;
        names[count] = malloc(len);
        snprintf(names[count], len, "%s %s", entry->d_name, type_name(entry->d_type));
        count++;
    }
    if (errno) report("readdir", 1);
    qsort(names, count, sizeof *names, by_name);
    *out = names;
    return count;
}

static void free_names(char **names, size_t count) {
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}

static void list(const char *label, const char *path) {
    errno = 0;
    DIR *dir = opendir(path);
    if (!dir) {
        report(label, 1);
        return;
    }
    char **names;
    size_t count = collect(dir, &names);
    printf("%s: %zu entries:", label, count);
    for (size_t i = 0; i < count; i++) printf(" [%s]", names[i]);
    printf("\n");
    free_names(names, count);
    closedir(dir);
}

static void listings(void) {
    printf("-- listings\n");
    list("/sandbox", "/sandbox");
    list("dir", AT("dir"));
    list("dir/sub", AT("dir/sub"));
    list("empty_dir", AT("empty_dir"));
    list("through link_dir", AT("link_dir"));
    list("a file", AT("hello.txt"));
    list("missing", AT("missing"));
    list("a symlink loop", AT("loop_a"));
    list("outside via ..", AT(".."));
    list("outside via a symlink", AT("link_abs"));
}

static void positions(void) {
    printf("-- rewinddir, telldir, seekdir\n");
    DIR *dir = opendir("/sandbox");
    size_t first = 0;
    while (readdir(dir)) first++;
    rewinddir(dir);
    size_t again = 0;
    while (readdir(dir)) again++;
    printf("entries before and after rewinddir: %zu %zu\n", first, again);
    rewinddir(dir);
    readdir(dir);
    readdir(dir);
    long mark = telldir(dir);
    char name[256];
    struct dirent *entry = readdir(dir);
    snprintf(name, sizeof name, "%s", entry->d_name);
    size_t rest = 0;
    while (readdir(dir)) rest++;
    seekdir(dir, mark);
    entry = readdir(dir);
    printf("seekdir to the third entry gives it again: %d; %zu entries followed it\n",
           strcmp(entry->d_name, name) == 0, rest);
    closedir(dir);
}

static void scan(void) {
    printf("-- scandir, fdopendir\n");
    struct dirent **entries;
    int n = scandir(AT("dir"), &entries, NULL, alphasort);
    printf("scandir dir:");
    for (int i = 0; i < n; i++) {
        printf(" %s", entries[i]->d_name);
        free(entries[i]);
    }
    printf(" (%d)\n", n);
    free(entries);
    errno = 0;
    n = scandir(AT("missing"), &entries, NULL, alphasort);
    report("scandir missing", n < 0);

    int fd = open(AT("full_dir"), O_RDONLY | O_DIRECTORY);
    DIR *dir = fdopendir(fd);
    char **names;
    size_t count = collect(dir, &names);
    printf("fdopendir full_dir: %zu entries, dirfd is the fd %d\n", count, dirfd(dir) == fd);
    free_names(names, count);
    closedir(dir);
    int file = open(AT("hello.txt"), O_RDONLY);
    errno = 0;
    dir = fdopendir(file);
    report("fdopendir on a file", dir == NULL);
    close(file);
}

static void make_and_remove(void) {
    printf("-- mkdir, rmdir\n");
    CHECK("mkdir made", mkdir(AT("made"), 0755));
    CHECK("mkdir made again", mkdir(AT("made"), 0755));
    CHECK("mkdir made/a/b", mkdir(AT("made/a/b"), 0755));
    CHECK("mkdir below a file", mkdir(AT("hello.txt/x"), 0755));
    CHECK("mkdir over a dangling symlink", mkdir(AT("link_dangling"), 0755));
    CHECK("mkdir outside", mkdir(AT("../made"), 0755));
    CHECK("mkdir made/inner/", mkdir(AT("made/inner/"), 0755));
    CHECK("rmdir made/inner", rmdir(AT("made/inner")));
    CHECK("rmdir empty_dir", rmdir(AT("empty_dir")));
    CHECK("rmdir empty_dir again", rmdir(AT("empty_dir")));
    CHECK("rmdir full_dir", rmdir(AT("full_dir")));
    CHECK("rmdir a file", rmdir(AT("hello.txt")));
    CHECK("rmdir a symlink to a dir", rmdir(AT("link_dir")));
    CHECK("rmdir .", rmdir(AT(".")));
    list("/sandbox after", "/sandbox");
}

static void many(void) {
    printf("-- a directory of 300 entries\n");
    mkdir(AT("many"), 0755);
    for (int i = 0; i < 300; i++) {
        char path[64];
        snprintf(path, sizeof path, AT("many/entry_with_a_longer_name_%03d"), i);
        if (i % 10 == 0) {
            mkdir(path, 0755);
        } else {
            FILE *f = fopen(path, "w");
            fclose(f);
        }
    }
    DIR *dir = opendir(AT("many"));
    char **names;
    size_t count = collect(dir, &names);
    closedir(dir);
    unsigned long long hash = 0;
    for (size_t i = 0; i < count; i++) hash ^= fnv1a((const unsigned char *)names[i], strlen(names[i])) + i;
    printf("%zu entries, first [%s], last [%s], fingerprint %016llx\n", count, names[0], names[count - 1], hash);
    free_names(names, count);
}

int main(void) {
    /* Line by line, so a run that dies midway still shows how far it got. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    listings();
    positions();
    scan();
    make_and_remove();
    many();
    return 0;
}
