// TenantCode: a validated 地方公共団体コード (6 digits, last a check digit), the tenant key of every row.
#pragma once

#include "codecs/Result.h"

#include <string>

namespace chukan {

class TenantCode
{
public:
    /// Parses and validates a 6-digit code: weights 6,5,4,3,2 on the first five digits,
    /// check = last digit of (11 - sum mod 11). 千葉市 121002, 防府市 352063.
    static Result<TenantCode> parse(const std::string& text);

    /// The check digit for the first five digits (REQUIRES: five ASCII digits).
    static int checkDigit(const std::string& firstFive);

    const std::string& str() const { return _code; }
    bool operator==(const TenantCode& other) const { return _code == other._code; }
    bool operator!=(const TenantCode& other) const { return _code != other._code; }
    bool operator<(const TenantCode& other) const { return _code < other._code; }

private:
    explicit TenantCode(std::string code) : _code(std::move(code)) {}
    std::string _code;
};

} // namespace chukan
