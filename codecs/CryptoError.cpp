// CryptoError: collects ERR_get_error() reasons so a failed OpenSSL call reads as one message.
#include "codecs/CryptoError.h"

#include <openssl/err.h>

namespace chukan {

std::string CryptoError::drain()
{
    std::string out;
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
    {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty())
            out += "; ";
        out += buf;
    }
    return out;
}

void CryptoError::clear()
{
    ERR_clear_error();
}

Status CryptoError::status(Status::Code code, const std::string& what)
{
    std::string reasons = drain();
    return Status(code, reasons.empty() ? what : what + ": " + reasons);
}

} // namespace chukan
