// Saves stdout, runs a "child task" whose stdout goes to a temporary file,
// then restores stdout and reports what the child wrote, as build tools do
// around a step whose output they capture. WASI has no dup, so stdout is
// saved by renumbering it away: first onto an unused high number, which
// preview1 refuses with EBADF (only an open fd can be a target), then onto
// the fd of a freshly opened placeholder file. freopen puts the temporary
// file at fd 1, and a renumber back restores the saved stdout.
//
// Expects a preopen at /sandbox.
#include <wasi/api.h>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::vector<std::string> steps;

std::string errno_text(__wasi_errno_t error) {
    return error == __WASI_ERRNO_SUCCESS ? "ok" : error == __WASI_ERRNO_BADF ? "EBADF" : "errno " + std::to_string(error);
}

// Moves stdout to another fd and returns it.
__wasi_fd_t save_stdout() {
    const __wasi_fd_t unused = 100;
    __wasi_errno_t error = __wasi_fd_renumber(1, unused);
    steps.push_back("renumber stdout onto unused fd " + std::to_string(unused) + ": " + errno_text(error));
    if (error == __WASI_ERRNO_SUCCESS) return unused;
    int placeholder = open("/sandbox/placeholder", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    error = __wasi_fd_renumber(1, placeholder);
    steps.push_back("renumber stdout onto the placeholder's fd: " + errno_text(error));
    unlink("/sandbox/placeholder");
    return placeholder;
}

void child_task(int step) {
    std::cout << "child step " << step << " through std::cout" << std::endl;
    std::printf("child step %d through printf\n", step);
    std::cerr << "child step " << step << " on stderr, not captured\n";
}

std::string read_file(const char *path) {
    FILE *file = std::fopen(path, "r");
    if (!file) return std::string("cannot open: ") + std::strerror(errno);
    std::string contents;
    for (int c; (c = std::fgetc(file)) != EOF;) contents += static_cast<char>(c);
    std::fclose(file);
    return contents;
}

}  // namespace

int main() {
    std::cout << "before the child" << std::endl;
    for (int step = 1; step <= 2; step++) {
        std::fflush(stdout);
        __wasi_fd_t saved = save_stdout();
        if (!std::freopen("/sandbox/child.steps", "w", stdout)) {
            steps.push_back(std::string("freopen: ") + std::strerror(errno));
        } else {
            steps.push_back("temporary file at fd " + std::to_string(fileno(stdout)));
        }
        child_task(step);
        std::fflush(stdout);
        steps.push_back("restore stdout: " + errno_text(__wasi_fd_renumber(saved, 1)));
        std::cout << "after child " << step << ", it wrote:\n" << read_file("/sandbox/child.steps");
        for (const auto &line : steps) std::cout << "  " << line << '\n';
        steps.clear();
    }
    std::cout << "stdout is the terminal stream again" << std::endl;
    return 0;
}
