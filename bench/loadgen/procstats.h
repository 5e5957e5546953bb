#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace tktalk::bench {

/// Resident memory of process @p pid in KiB (VmRSS), or 0 when it cannot be read.
inline uint64_t residentKib(int pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoull(line.substr(6));
    }
    return 0;
}

/// CPU time (user + system) of process @p pid in nanoseconds, or 0 when it cannot be read.
inline uint64_t processCpuNsOf(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const size_t paren = text.rfind(')');
    if (paren == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(paren + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) // fields 3..13: state .. cmajflt
        fields >> skip;
    uint64_t user = 0, system = 0;
    fields >> user >> system;
    return (user + system) * (1'000'000'000u / uint64_t(::sysconf(_SC_CLK_TCK)));
}

} // namespace tktalk::bench
