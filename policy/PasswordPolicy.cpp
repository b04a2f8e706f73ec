// PasswordPolicy: rule checks over the UTF-8 code points of a candidate password.
#include "policy/PasswordPolicy.h"

#include <algorithm>
#include <cctype>

namespace chukan
{

namespace
{

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// Counts code points; false for malformed UTF-8.
bool utf8Length(const std::string& s, int& length)
{
    length = 0;
    for (std::size_t i = 0; i < s.size();)
    {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size())
            return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        i += n;
        ++length;
    }
    return true;
}

} // namespace

Status PasswordPolicy::check(const std::string& password, const std::string& loginId, int minLength,
                             const std::string& current)
{
    int min = std::max(minLength, MIN_LENGTH);
    int length = 0;
    if (!utf8Length(password, length))
        return Status::invalid("password: must be valid UTF-8");
    if (length < min)
        return Status::invalid("password: must be at least " + std::to_string(min) +
                               " characters, got " + std::to_string(length));
    if (length > MAX_LENGTH)
        return Status::invalid("password: must be at most " + std::to_string(MAX_LENGTH) +
                               " characters");
    bool upper = false, lowerCase = false, digit = false, other = false;
    for (unsigned char c : password)
    {
        if (c < 0x20 || c == 0x7F)
            return Status::invalid("password: must not contain control characters");
        if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= 'a' && c <= 'z')
            lowerCase = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else
            other = true;
    }
    int classes = upper + lowerCase + digit + other;
    if (classes < 3)
        return Status::invalid("password: must mix at least three of upper-case letters, "
                               "lower-case letters, digits and other characters, got " +
                               std::to_string(classes));
    if (!loginId.empty() && lower(password).find(lower(loginId)) != std::string::npos)
        return Status::invalid("password: must not contain the login id");
    if (!current.empty() && password == current)
        return Status::invalid("password: must differ from the current password");
    return Status::ok();
}

} // namespace chukan
