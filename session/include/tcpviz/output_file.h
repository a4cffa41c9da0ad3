// Outputs that never destroy inputs.
//
// Every file a command writes goes to a temporary file in the same
// directory, renamed over its target only once everything is written: a run
// that fails (bad input, full disk, Ctrl-C) leaves what was there. Before
// anything is opened, outputs that are an input or another output are
// refused, whatever links lead to them (`analyze c.pcap -o c.pcap`,
// `-o x --html x`, a symbolic or hard link to the capture).
//
//   if (auto clash = find_output_clash({capture}, {{"-o", out}, {"--html", html}})) return fail(...);
//   std::unique_ptr<OutputFile> f = OutputFile::open(out, error);
//   ... write to f->file() ...
//   if (!f->commit(error)) ...   // renamed into place; without commit() the target is untouched
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz {

struct NamedOutput {
    std::string option;  // how the user named it: "-o", "--html"
    std::string path;    // "-" is standard output; "" is no output
};

struct OutputClash {
    std::string path;    // the output refused
    std::string reason;  // "is the input capture", "is also the --html output"
};

// The first output that is the same file as an input or as an earlier
// output: same device and inode when it exists (through symbolic and hard
// links), same directory and name when it does not yet. "-" as an input is
// standard input and as an output standard output, compared by what they are
// open on. Only regular files and files still to be created are compared, so
// /dev/null may be named twice.
std::optional<OutputClash> find_output_clash(const std::vector<std::string>& inputs,
                                             const std::vector<NamedOutput>& outputs);

class OutputFile {
public:
    // Opens a temporary file beside `path` (after following symbolic links to
    // their target). "-", and a target that exists and is not a regular file
    // (/dev/null, a pipe), are written directly. nullptr and `error` set on failure.
    static std::unique_ptr<OutputFile> open(const std::string& path, std::string& error);
    ~OutputFile();  // without commit(): closes and removes the temporary file
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::FILE* file() const { return file_; }
    // The file being written, for a library that opens it by name (libpcap).
    const std::string& writing_path() const { return writing_; }
    // Flushes, closes and renames into place. False and `error` set when any
    // write failed; the target is then left as it was.
    bool commit(std::string& error);

private:
    OutputFile() = default;
    std::FILE* file_ = nullptr;
    std::string target_;   // where the file ends up
    std::string writing_;  // the temporary file, or target_ when written directly
    bool direct_ = false;  // standard output or a special file: no rename
    bool committed_ = false;
};

}  // namespace tcpviz
