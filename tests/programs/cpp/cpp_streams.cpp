// C++ with Zig's libc++ on wasi-libc: static constructors running before
// main, iostreams to stdout and stderr, std::string, containers and
// algorithms, arguments and the environment, and an exit code from argv[1].
#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

extern char **environ;

namespace {

std::vector<std::string> &construction_log() {
    static std::vector<std::string> log;
    return log;
}

// Globals whose constructors must have run (in order) before main.
struct Registered {
    explicit Registered(const char *name) : name(name) { construction_log().push_back(name); }
    std::string name;
};
Registered first_global("first");
Registered second_global("second");
const std::map<std::string, int> table = {{"one", 1}, {"two", 2}, {"three", 3}};

}  // namespace

int main(int argc, char **argv) {
    std::cout << "static constructors ran:";
    for (const auto &name : construction_log()) std::cout << ' ' << name;
    std::cout << "; table has " << table.size() << " entries, two -> " << table.at("two") << '\n';

    std::cout << "argc " << argc << '\n';
    for (int i = 0; i < argc; i++) std::cout << "arg " << i << ": " << std::quoted(argv[i]) << '\n';

    std::vector<std::string> env;
    for (char **var = environ; *var; var++) env.emplace_back(*var);
    std::sort(env.begin(), env.end());
    std::cout << "env count " << env.size() << '\n';
    for (const auto &var : env) std::cout << "env " << var << '\n';
    const char *probe = std::getenv("CPP_PROBE");
    std::cout << "getenv CPP_PROBE: " << (probe ? probe : "(unset)") << '\n';

    // Strings and streams.
    std::ostringstream formatted;
    formatted << std::setw(8) << std::setfill('*') << 42 << '|' << std::hex << 255 << '|' << std::fixed
              << std::setprecision(3) << 3.14159;
    std::cout << "formatted: " << formatted.str() << '\n';
    std::istringstream words("the quick brown fox jumps over the lazy dog the end");
    std::unordered_map<std::string, int> counts;
    for (std::string word; words >> word;) counts[word]++;
    std::set<std::string> distinct;
    for (const auto &[word, count] : counts) distinct.insert(word);
    std::cout << "words: " << distinct.size() << " distinct, \"the\" " << counts["the"] << " times\n";

    // Containers under some load.
    std::vector<std::unique_ptr<std::vector<int>>> rows;
    for (int i = 0; i < 2000; i++) {
        auto row = std::make_unique<std::vector<int>>(i % 500 + 1);
        std::iota(row->begin(), row->end(), i);
        rows.push_back(std::move(row));
    }
    long long sum = 0;
    for (const auto &row : rows) sum = std::accumulate(row->begin(), row->end(), sum);
    std::cout << "rows: " << rows.size() << ", sum " << sum << '\n';
    std::string big;
    for (int i = 0; i < 100000; i++) big += std::to_string(i);
    std::cout << "big string: " << big.size() << " chars, ends " << big.substr(big.size() - 5) << '\n';

    std::cerr << "to std::cerr" << std::endl;
    std::clog << "to std::clog\n";

    int code = argc > 1 ? std::atoi(argv[1]) : 0;
    std::cout << "exiting with " << code << std::endl;
    return code;
}
