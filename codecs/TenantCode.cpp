// TenantCode: validation of 地方公共団体コード with its check digit.
#include "codecs/TenantCode.h"

namespace chukan {

int TenantCode::checkDigit(const std::string& firstFive)
{
    static const int weights[5] = {6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 5; ++i)
        sum += (firstFive[i] - '0') * weights[i];
    return (11 - sum % 11) % 10;
}

Result<TenantCode> TenantCode::parse(const std::string& text)
{
    if (text.size() != 6)
        return Status::invalid("tenant code '" + text + "': must be 6 digits, got " +
                               std::to_string(text.size()) + " characters");
    for (char c : text)
        if (c < '0' || c > '9')
            return Status::invalid("tenant code '" + text + "': must be 6 digits (0-9 only)");
    int expected = checkDigit(text.substr(0, 5));
    if (text[5] - '0' != expected)
        return Status::invalid("tenant code '" + text + "': check digit is " + text.substr(5, 1) +
                               ", expected " + std::to_string(expected));
    return TenantCode(text);
}

} // namespace chukan
