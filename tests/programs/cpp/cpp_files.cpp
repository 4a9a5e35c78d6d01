// Files from C++ through stdio and POSIX (there is no <fstream> or
// <filesystem> on wasm32-wasi): write and read back with FILE*, list a
// directory with <dirent.h> into a sorted std::vector, stat entries, make
// and remove directories, rename, and report errors by strerror.
//
// Expects the case's tree at /sandbox.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::string failure(const char *what) { return std::string(what) + ": " + std::strerror(errno); }

const char *kind(mode_t mode) {
    if (S_ISDIR(mode)) return "dir";
    if (S_ISREG(mode)) return "file";
    if (S_ISLNK(mode)) return "link";
    return "other";
}

// Every entry below `path`, recursively, as "relative/path kind size".
void walk(const std::string &path, const std::string &prefix, std::vector<std::string> &out) {
    DIR *dir = opendir(path.c_str());
    if (!dir) {
        out.push_back(failure(("opendir " + path).c_str()));
        return;
    }
    while (dirent *entry = readdir(dir)) {
        std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        std::string full = path + "/" + name;
        struct stat info;
        if (lstat(full.c_str(), &info) != 0) {
            out.push_back(failure(("lstat " + full).c_str()));
            continue;
        }
        std::string line = prefix + name + " " + kind(info.st_mode);
        if (S_ISREG(info.st_mode)) line += " " + std::to_string(info.st_size);
        out.push_back(line);
        if (S_ISDIR(info.st_mode)) walk(full, prefix + name + "/", out);
    }
    closedir(dir);
}

void list(const char *label) {
    std::vector<std::string> entries;
    walk("/sandbox", "", entries);
    std::sort(entries.begin(), entries.end());
    std::cout << label << ": " << entries.size() << " entries\n";
    for (const auto &entry : entries) std::cout << "  " << entry << '\n';
}

std::string read_all(const char *path) {
    FILE *file = std::fopen(path, "rb");
    if (!file) return failure(path);
    std::string contents;
    char buffer[512];
    size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) contents.append(buffer, got);
    std::fclose(file);
    return contents;
}

}  // namespace

int main() {
    list("before");

    std::cout << "hello.txt: " << read_all("/sandbox/hello.txt");
    std::cout << "missing.txt: " << read_all("/sandbox/missing.txt") << '\n';

    if (mkdir("/sandbox/out", 0755) != 0) std::cout << failure("mkdir out") << '\n';
    if (mkdir("/sandbox/out", 0755) != 0) std::cout << failure("mkdir out again") << '\n';
    FILE *file = std::fopen("/sandbox/out/numbers.txt", "w");
    for (int i = 0; i < 5000; i++) std::fprintf(file, "%d\n", i * i);
    std::fclose(file);
    std::string numbers = read_all("/sandbox/out/numbers.txt");
    std::cout << "numbers.txt: " << numbers.size() << " bytes, "
              << std::count(numbers.begin(), numbers.end(), '\n') << " lines\n";

    // POSIX descriptors: append, seek, read a range.
    int fd = open("/sandbox/out/numbers.txt", O_RDWR | O_APPEND);
    if (write(fd, "end\n", 4) != 4) std::cout << failure("append") << '\n';
    char head[8] = {};
    off_t at = lseek(fd, 2, SEEK_SET);
    ssize_t got = read(fd, head, 7);
    struct stat info;
    fstat(fd, &info);
    std::cout << "seek to " << at << ", read " << got << " bytes: " << std::string(head, got > 0 ? got : 0)
              << "| size now " << info.st_size << '\n';
    close(fd);

    if (rename("/sandbox/digits.txt", "/sandbox/out/digits.txt") != 0) std::cout << failure("rename") << '\n';
    if (rmdir("/sandbox/full_dir") != 0) std::cout << failure("rmdir full_dir") << '\n';
    if (unlink("/sandbox/empty.txt") != 0) std::cout << failure("unlink empty.txt") << '\n';
    if (stat("/sandbox/loop_a", &info) != 0) std::cout << failure("stat loop_a") << '\n';
    if (stat("/sandbox/link_hello", &info) == 0) std::cout << "stat link_hello: " << kind(info.st_mode) << ' ' << info.st_size << '\n';

    list("after");
    return 0;
}
