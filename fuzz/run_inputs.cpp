// Runs a fuzz target once on each given file (directories: every file in
// them), without libFuzzer: how the normal and the sanitizer builds replay
// the seed corpora and every input that once crashed a target.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        if (!std::filesystem::exists(arg)) {
            std::fprintf(stderr, "run_inputs: %s: no such file or directory\n", argv[i]);
            return 2;
        }
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
                if (!entry.is_regular_file()) continue;
                run_file(entry.path());
                ++count;
            }
        } else {
            run_file(arg);
            ++count;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "run_inputs: no inputs given\n");
        return 2;
    }
    std::printf("run_inputs: %zu inputs ran clean\n", count);
    return 0;
}
