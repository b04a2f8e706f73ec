// MyNumber: the public check-digit rule of the 個人番号, used only to detect and refuse it.
#include "codecs/MyNumber.h"

namespace chukan {

int MyNumber::checkDigit(const std::string& firstEleven)
{
    int sum = 0;
    for (int n = 1; n <= 11; ++n)
    {
        int p = firstEleven[11 - n] - '0';
        int q = n <= 6 ? n + 1 : n - 5;
        sum += p * q;
    }
    int r = sum % 11;
    return r <= 1 ? 0 : 11 - r;
}

bool MyNumber::isValid(const std::string& text)
{
    if (text.size() != 12)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return text[11] - '0' == checkDigit(text.substr(0, 11));
}

bool MyNumber::containsCandidate(const std::string& text)
{
    std::size_t i = 0;
    while (i < text.size())
    {
        if (text[i] < '0' || text[i] > '9')
        {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9')
            ++j;
        // Twelve zeros pass the check digit but are a zero-filled field, never an issued number.
        if (j - i == 12 && text.compare(i, 12, "000000000000") != 0 && isValid(text.substr(i, 12)))
            return true;
        i = j;
    }
    return false;
}

} // namespace chukan
