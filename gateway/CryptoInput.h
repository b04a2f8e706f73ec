// CryptoInput: reads the files and stdin the crypto chukanctl commands take (keys, certificates, envelopes).
#pragma once

#include "codecs/Result.h"

#include <istream>
#include <string>

namespace chukan {

class CryptoInput
{
public:
    /// Largest input accepted (files and stdin): 256 MiB.
    static constexpr std::size_t MAX_BYTES = 256u * 1024u * 1024u;

    /// The whole file, bytes unchanged. NOT_FOUND / INVALID_ARGUMENT naming `what` and the path.
    static Result<std::string> file(const std::string& path, const std::string& what);
    /// Everything until end of stream (binary-safe).
    static Result<std::string> stream(std::istream& in, const std::string& what);
};

} // namespace chukan
