#include "tcpviz/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcpviz {
namespace {

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The file a path ends at after its symbolic links (as many as the kernel
// follows), so the rename replaces the target and not the link.
std::string follow_links(std::string path) {
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
        std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
        const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0) break;
        target.resize(static_cast<std::size_t>(n));
        path = target.starts_with('/') ? target : directory_of(path) + "/" + target;
    }
    return path;
}

// What makes two names one file: its device and inode, or, for a file still
// to be created, its directory's and its name.
struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    std::string name;  // empty for an existing file
    bool operator==(const Identity&) const = default;
};

std::optional<Identity> identity_of(const std::string& path, int standard_fd) {
    struct stat st {};
    const bool exists = path == "-" ? ::fstat(standard_fd, &st) == 0 : ::stat(path.c_str(), &st) == 0;
    if (exists) {
        if (!S_ISREG(st.st_mode)) return std::nullopt;  // /dev/null, a pipe, a terminal
        return Identity{st.st_dev, st.st_ino, {}};
    }
    if (path == "-") return std::nullopt;
    const std::string target = follow_links(path);
    if (::stat(directory_of(target).c_str(), &st) != 0) return std::nullopt;  // opening it fails anyway
    return Identity{st.st_dev, st.st_ino, name_of(target)};
}

mode_t creation_mode() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

}  // namespace

std::optional<OutputClash> find_output_clash(const std::vector<std::string>& inputs,
                                             const std::vector<NamedOutput>& outputs) {
    std::vector<std::pair<std::optional<Identity>, std::string>> seen;  // identity, what it is
    for (const std::string& in : inputs) {
        if (!in.empty()) seen.emplace_back(identity_of(in, STDIN_FILENO), "is the input " + in);
    }
    for (const NamedOutput& out : outputs) {
        if (out.path.empty()) continue;
        const std::optional<Identity> id = identity_of(out.path, STDOUT_FILENO);
        for (const auto& [other, what] : seen) {
            if (id && other && *id == *other) {
                return OutputClash{out.path == "-" ? "standard output" : out.path,
                                   what + "; refusing to write over it"};
            }
        }
        seen.emplace_back(id, "is also the " + out.option + " output");
    }
    return std::nullopt;
}

std::unique_ptr<OutputFile> OutputFile::open(const std::string& path, std::string& error) {
    std::unique_ptr<OutputFile> f(new OutputFile);
    if (path == "-") {
        f->file_ = stdout;
        f->direct_ = true;
        f->target_ = f->writing_ = path;
        return f;
    }
    f->target_ = follow_links(path);
    struct stat st {};
    const bool exists = ::stat(f->target_.c_str(), &st) == 0;
    f->direct_ = exists && !S_ISREG(st.st_mode);
    if (f->direct_) {
        f->writing_ = f->target_;
        f->file_ = std::fopen(f->writing_.c_str(), "wb");
        if (f->file_ == nullptr) error = std::strerror(errno);
        return f->file_ ? std::move(f) : nullptr;
    }
    // A hidden name beside the target: the same file system, so rename() is atomic.
    f->writing_ = directory_of(f->target_) + "/." + name_of(f->target_) + ".tcpviz-XXXXXX";
    const int fd = ::mkstemp(f->writing_.data());
    if (fd < 0) {
        error = std::strerror(errno);
        return nullptr;
    }
    // The permissions the file would have had: its old ones, or the umask's.
    ::fchmod(fd, exists ? (st.st_mode & 07777) : creation_mode());
    f->file_ = ::fdopen(fd, "wb");
    if (f->file_ == nullptr) {
        error = std::strerror(errno);
        ::close(fd);
        ::unlink(f->writing_.c_str());
        return nullptr;
    }
    return f;
}

bool OutputFile::commit(std::string& error) {
    committed_ = true;
    bool ok = std::fflush(file_) == 0 && std::ferror(file_) == 0;
    int saved = errno;
    if (file_ != stdout) {
        ok = std::fclose(file_) == 0 && ok;
        if (!ok && saved == 0) saved = errno;
    }
    file_ = nullptr;
    if (ok && !direct_ && ::rename(writing_.c_str(), target_.c_str()) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        error = std::strerror(saved != 0 ? saved : EIO);
        if (!direct_) ::unlink(writing_.c_str());
    }
    return ok;
}

OutputFile::~OutputFile() {
    if (committed_) return;
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
    if (!direct_) ::unlink(writing_.c_str());
}

}  // namespace tcpviz
