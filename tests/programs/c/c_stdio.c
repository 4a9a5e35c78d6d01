/* Files through <stdio.h> with wasi-libc: fopen in every mode, formatted
 * and binary reads and writes, fseek/ftell, append mode, ungetc, large
 * buffered writes, rename and remove, and the errors of each.
 *
 * Expects the case's tree at /sandbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define AT(path) "/sandbox/" path

static void show_file(const char *label, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(label, 1);
        return;
    }
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    printf("%s: %zu bytes \"", label, n);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') printf("\\n");
        else if (buf[i] == 0) printf("\\0");
        else putchar(buf[i]);
    }
    printf("\"\n");
    fclose(f);
}

static void reading(void) {
    printf("-- reading\n");
    FILE *f = fopen(AT("hello.txt"), "r");
    char line[64];
    printf("fgets: %s", fgets(line, sizeof line, f));
    printf("fgets at the end: %s, feof %d, ferror %d\n", fgets(line, sizeof line, f) ? "line" : "NULL",
           feof(f) != 0, ferror(f) != 0);
    rewind(f);
    int c = fgetc(f);
    printf("fgetc after rewind: '%c'\n", c);
    ungetc('J', f);
    char word[16];
    if (fscanf(f, "%15[^,]", word) == 1) printf("fscanf after ungetc: %s\n", word);
    fclose(f);

    f = fopen(AT("digits.txt"), "r");
    fseek(f, 3, SEEK_SET);
    printf("fseek 3 SET: ftell %ld, fgetc '%c'\n", ftell(f), fgetc(f));
    fseek(f, 2, SEEK_CUR);
    printf("fseek 2 CUR: ftell %ld, fgetc '%c'\n", ftell(f), fgetc(f));
    fseek(f, -1, SEEK_END);
    printf("fseek -1 END: ftell %ld, fgetc '%c'\n", ftell(f), fgetc(f));
    errno = 0;
    report("fseek -100 SET", fseek(f, -100, SEEK_SET) != 0);
    printf("ftell after the failed fseek: %ld\n", ftell(f));
    fseek(f, 20, SEEK_SET);
    printf("fseek past the end: ftell %ld, fgetc is EOF %d\n", ftell(f), fgetc(f) == EOF);
    fclose(f);
}

static void writing(void) {
    printf("-- writing\n");
    FILE *f = fopen(AT("out.txt"), "w");
    fprintf(f, "%s %d %.2f\n", "formatted", 42, 3.5);
    fputs("fputs line\n", f);
    fputc('!', f);
    printf("ftell before fclose: %ld\n", ftell(f));
    printf("fclose: %d\n", fclose(f));
    show_file("out.txt", AT("out.txt"));

    f = fopen(AT("out.txt"), "r+");
    fseek(f, 0, SEEK_SET);
    fwrite("FORMATTED", 1, 9, f);
    fseek(f, 0, SEEK_END);
    fputs("\nend\n", f);
    fclose(f);
    show_file("out.txt after r+", AT("out.txt"));

    f = fopen(AT("out.txt"), "w+");
    fputs("replaced", f);
    rewind(f);
    char back[16] = {0};
    fread(back, 1, sizeof back - 1, f);
    printf("w+ reads back: %s\n", back);
    fclose(f);

    f = fopen(AT("hole.bin"), "wb");
    fseek(f, 6, SEEK_SET);
    fwrite("x", 1, 1, f);
    fclose(f);
    show_file("hole.bin", AT("hole.bin"));
}

static void appending(void) {
    printf("-- appending\n");
    FILE *f = fopen(AT("log.txt"), "a");
    fputs("one\n", f);
    fclose(f);
    f = fopen(AT("log.txt"), "a");
    fseek(f, 0, SEEK_SET);
    fputs("two\n", f);
    printf("ftell after an append: %ld\n", ftell(f));
    fclose(f);
    f = fopen(AT("log.txt"), "a+");
    fputs("three\n", f);
    rewind(f);
    char line[16];
    printf("a+ reads from the start: %s", fgets(line, sizeof line, f));
    fclose(f);
    show_file("log.txt", AT("log.txt"));
}

static void large(void) {
    printf("-- large buffered transfer\n");
    size_t len = 2 * 1024 * 1024 + 3;
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++) data[i] = (unsigned char)(i * 31 + 7);
    FILE *f = fopen(AT("large.bin"), "wb");
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    size_t written = 0;
    for (size_t at = 0; at < len; at += 1000) {
        size_t n = len - at < 1000 ? len - at : 1000;
        written += fwrite(data + at, 1, n, f);
    }
    fclose(f);
    unsigned char *back = calloc(len, 1);
    f = fopen(AT("large.bin"), "rb");
    size_t got = fread(back, 1, len, f);
    fclose(f);
    printf("wrote %zu, read %zu, identical %d, fnv1a %016llx\n", written, got,
           memcmp(data, back, len) == 0, fnv1a(back, got));
    free(data);
    free(back);
}

static void rename_and_remove(void) {
    printf("-- rename and remove\n");
    CHECK("rename out.txt to dir/out.txt", rename(AT("out.txt"), AT("dir/out.txt")));
    CHECK("rename it again", rename(AT("out.txt"), AT("dir/out.txt")));
    CHECK("rename a file over a dir", rename(AT("hello.txt"), AT("full_dir")));
    CHECK("rename a dir over a file", rename(AT("full_dir"), AT("hello.txt")));
    CHECK("rename a dir into itself", rename(AT("dir"), AT("dir/sub/inner")));
    CHECK("rename empty_dir over full_dir", rename(AT("empty_dir"), AT("full_dir")));
    CHECK("rename outside the preopen", rename(AT("digits.txt"), AT("../digits.txt")));
    CHECK("remove a file", remove(AT("hole.bin")));
    CHECK("remove it again", remove(AT("hole.bin")));
    CHECK("remove an empty dir", remove(AT("empty_dir")));
    CHECK("remove a non-empty dir", remove(AT("full_dir")));
    CHECK("remove a symlink", remove(AT("link_dir")));
    CHECK("remove a symlink loop", remove(AT("loop_a")));
}

static void open_errors(void) {
    printf("-- fopen errors\n");
    const struct { const char *label, *path, *mode; } cases[] = {
        {"missing file", AT("missing.txt"), "r"},
        {"missing dir", AT("missing/x.txt"), "w"},
        {"a dir for writing", AT("dir"), "w"},
        {"a dir for reading", AT("dir"), "r"},
        {"below a file", AT("hello.txt/x"), "r"},
        {"a symlink loop", AT("loop_b"), "r"},
        {"a dangling symlink for writing", AT("link_dangling"), "w"},
        {"outside via ..", AT("../x"), "r"},
        {"outside via a symlink", AT("link_abs/passwd"), "r"},
        {"outside every preopen", "/etc/passwd", "r"},
        {"exclusive on an existing file", AT("digits.txt"), "wx"},
        {"an invalid mode", AT("digits.txt"), "q"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errno = 0;
        FILE *f = fopen(cases[i].path, cases[i].mode);
        report(cases[i].label, f == NULL);
        if (f) fclose(f);
    }
    FILE *f = fopen(AT("digits.txt"), "r");
    errno = 0;
    size_t n = fwrite("x", 1, 1, f);
    printf("fwrite to a read-only stream: %zu, ferror %d\n", n, ferror(f) != 0);
    fclose(f);
}

int main(void) {
    /* Line by line, so a run that dies midway still shows how far it got. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    reading();
    writing();
    appending();
    large();
    open_errors();
    rename_and_remove();
    return 0;
}
