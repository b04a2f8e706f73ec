// SessionToken: 256-bit random session and CSRF tokens (hex) and the SHA-256 under which a session is stored.
#pragma once

#include <string>

namespace chukan
{

/// Thread-safe (OpenSSL's RAND_bytes).
class SessionToken
{
public:
    static constexpr std::size_t BYTES = 32; ///< 256 bits; 64 hex digits

    /// A fresh token: 64 lowercase hex digits. Throws std::runtime_error when the system's
    /// random source fails (never hand out a predictable token).
    static std::string generate();
    /// Lowercase hex SHA-256 of the token: what the store keeps instead of the token.
    static std::string hash(const std::string& token);
    /// 64 lowercase hex digits.
    static bool isWellFormed(const std::string& token);
    /// Constant-time comparison of two strings of the same length (false otherwise).
    static bool equal(const std::string& a, const std::string& b);
};

} // namespace chukan
