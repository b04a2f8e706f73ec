// OneTimePassword: rejection-sampled random characters until PasswordPolicy accepts the result.
#include "adapters/OneTimePassword.h"

#include "policy/PasswordPolicy.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace chukan
{

std::string OneTimePassword::generate(const std::string& loginId)
{
    static const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (int attempt = 0; attempt < 100; ++attempt)
    {
        std::string out;
        while (out.size() < 23)
        {
            if (out.size() % 6 == 5)
            {
                out += '-';
                continue;
            }
            unsigned char b = 0;
            if (RAND_bytes(&b, 1) != 1)
                throw std::runtime_error("one-time password: the random source failed");
            // Rejection sampling keeps every character equally likely.
            if (b >= 256 - 256 % alphabet.size())
                continue;
            out += alphabet[b % alphabet.size()];
        }
        if (PasswordPolicy::check(out, loginId, PasswordPolicy::MIN_LENGTH).isOk() &&
            out.find_first_of("ABCDEFGHJKLMNPQRSTUVWXYZ") != std::string::npos &&
            out.find_first_of("abcdefghijkmnopqrstuvwxyz") != std::string::npos &&
            out.find_first_of("23456789") != std::string::npos)
            return out;
    }
    throw std::runtime_error("one-time password: no acceptable password in 100 attempts");
}

} // namespace chukan
