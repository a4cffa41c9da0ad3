#include "tcpviz/pcap_file.h"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cstring>

#include "tcpviz/filter_length.h"

namespace tcpviz {

std::unique_ptr<PcapFile> PcapFile::open(const std::string& path, std::string& error) {
    if (path != "-") {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            error = std::strerror(errno);
            return nullptr;
        }
        if (S_ISDIR(st.st_mode)) {
            error = "is a directory";
            return nullptr;
        }
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // Nanosecond precision: libpcap scales microsecond files up, so times are
    // exact whichever kind the file is.
    pcap_t* handle = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle == nullptr) {
        error = errbuf;
        if (error.find("unknown file format") != std::string::npos) {
            error = "not a pcap or pcapng capture file";
        } else if (error.find("truncated dump file") != std::string::npos ||
                   error.find("truncated pcapng") != std::string::npos) {
            error = "file too short to be a capture (" + std::string(errbuf) + ")";
        }
        return nullptr;
    }
    std::unique_ptr<PcapFile> file(new PcapFile());
    file->handle_ = handle;
    file->link_type_ = pcap_datalink(handle);
    if (path != "-") {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) file->size_ = static_cast<std::uint64_t>(st.st_size);
    }
    return file;
}

std::unique_ptr<PcapFile> PcapFile::open_stream(std::FILE* stream, std::string& error) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* handle = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle == nullptr) {
        std::fclose(stream);
        error = errbuf;
        return nullptr;
    }
    std::unique_ptr<PcapFile> file(new PcapFile());
    file->handle_ = handle;
    file->link_type_ = pcap_datalink(handle);
    return file;
}

PcapFile::~PcapFile() {
    if (filter_) pcap_freecode(filter_.get());
    if (handle_) pcap_close(handle_);
}

bool PcapFile::set_filter(const std::string& expression, std::string& error) {
    if (error = filter_length_problem(expression); !error.empty()) return false;
    auto program = std::make_unique<bpf_program>();
    if (pcap_compile(handle_, program.get(), expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error = std::string("bad filter \"") + expression + "\": " + pcap_geterr(handle_);
        return false;
    }
    filter_ = std::move(program);
    return true;
}

bool PcapFile::matches(const PacketRecord& record) const {
    if (!filter_) return true;
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(record.data.size());
    header.len = record.wire_length;
    return pcap_offline_filter(filter_.get(), &header, reinterpret_cast<const u_char*>(record.data.data())) != 0;
}

PcapFile::Status PcapFile::next(PacketRecord& record, std::string& message) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_, &header, &data);
    if (rc == 1) {
        record.ts_sec = header->ts.tv_sec;
        record.ts_nsec = static_cast<std::int32_t>(header->ts.tv_usec);  // nanoseconds: opened with NANO precision
        // Capture files store unsigned times (32-bit seconds in pcap, 64-bit
        // units in pcapng). libpcap turns a pcapng timestamp near 2^64 units
        // into seconds as it can: with if_tsresol 0 every unit is a second,
        // and the seconds run past 2262 or wrap to negative. Either way the
        // time was far in the future: clamp it to the last time tcpviz can
        // count and count it, so the caller warns and nothing downstream
        // sees an impossible time.
        if (record.ts_sec < 0 || record.ts_sec > max_record_seconds) {
            record.ts_sec = max_record_seconds;
            ++clamped_timestamps_;
        }
        record.wire_length = header->len;
        record.data = Bytes(reinterpret_cast<const std::byte*>(data), header->caplen);
        return Status::packet;
    }
    if (rc == PCAP_ERROR_BREAK) return Status::end;
    message = pcap_geterr(handle_);
    if (message.find("truncated") != std::string::npos) return Status::cut_off;
    return Status::damaged;
}

std::string PcapFile::timestamp_warning() const {
    if (clamped_timestamps_ == 0) return {};
    const std::uint64_t n = clamped_timestamps_;
    return std::to_string(n) + " packet" + (n == 1 ? " has a time" : "s have times") +
           " before 1970 or after 2262 (a damaged timestamp or if_tsresol in the file); shown clamped to that range";
}

std::uint64_t PcapFile::position() const {
    std::FILE* f = pcap_file(handle_);
    if (f == nullptr) return 0;
    const long at = std::ftell(f);
    return at < 0 ? 0 : static_cast<std::uint64_t>(at);
}

bool PcapFile::seek(std::uint64_t offset) {
    std::FILE* f = pcap_file(handle_);
    if (f == nullptr || size_ == 0 || offset > size_) return false;
    return std::fseek(f, static_cast<long>(offset), SEEK_SET) == 0;
}

}  // namespace tcpviz
