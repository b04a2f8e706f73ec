// CryptoInput: whole-file and whole-stream reads with a size cap and messages that name the input.
#include "gateway/CryptoInput.h"

#include <fstream>
#include <iterator>

namespace chukan {

Result<std::string> CryptoInput::stream(std::istream& in, const std::string& what)
{
    std::string out;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
    {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > MAX_BYTES)
            return Status::invalid(what + ": larger than " + std::to_string(MAX_BYTES) + " bytes");
    }
    if (in.bad())
        return Status::unavailable(what + ": read error");
    return out;
}

Result<std::string> CryptoInput::file(const std::string& path, const std::string& what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::notFound(what + " '" + path + "': cannot open");
    return stream(in, what + " '" + path + "'");
}

} // namespace chukan
