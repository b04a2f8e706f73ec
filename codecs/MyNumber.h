// MyNumber: recognises a 個人番号 (12 digits with check digit) so that every input carrying one is refused.
#pragma once

#include <string>

namespace chukan {

class MyNumber
{
public:
    /// True when text is exactly 12 ASCII digits whose last digit is the 個人番号 check digit.
    static bool isValid(const std::string& text);

    /// The check digit for the first eleven digits (REQUIRES: eleven ASCII digits).
    static int checkDigit(const std::string& firstEleven);

    /// True when text contains a run of exactly 12 digits (not part of a longer digit run)
    /// that is a valid 個人番号 — twelve zeros (a zero-filled field) excepted. Used to refuse
    /// inputs before anything is stored or logged.
    static bool containsCandidate(const std::string& text);
};

} // namespace chukan
