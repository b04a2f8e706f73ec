// OneTimePassword: random initial / reset passwords that meet PasswordPolicy and are easy to read out.
#pragma once

#include <string>

namespace chukan
{

/// Thread-safe.
class OneTimePassword
{
public:
    /// Four groups of five characters from an alphabet without look-alikes (0/O, 1/l/I),
    /// joined by '-', e.g. "kX7mq-4TzpR-w9cHe-3NbaV" (~110 bits); always upper, lower, digit
    /// and '-', never containing loginId. Throws std::runtime_error when the random source
    /// fails.
    static std::string generate(const std::string& loginId);
};

} // namespace chukan
