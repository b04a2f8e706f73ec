// PasswordPolicy: the minimum rules a staff password must meet (length, character classes, not the login id).
#pragma once

#include "codecs/Status.h"

#include <string>

namespace chukan
{

/// Pure and thread-safe.
class PasswordPolicy
{
public:
    static constexpr int MIN_LENGTH = 12;   ///< the floor; configuration may only raise it
    static constexpr int MAX_LENGTH = 256;  ///< characters (bounds the KDF input)

    /// OK, or INVALID_ARGUMENT saying which rule failed (never echoing the password):
    ///  - at least minLength (>= MIN_LENGTH) and at most MAX_LENGTH characters (UTF-8 code points);
    ///  - valid UTF-8 without control characters;
    ///  - at least three of: upper-case A-Z, lower-case a-z, digits 0-9, anything else;
    ///  - does not contain the login id (case-insensitive);
    ///  - differs from `current` when given (a password change).
    static Status check(const std::string& password, const std::string& loginId, int minLength,
                        const std::string& current = "");
};

} // namespace chukan
