// PasswordHasher: staff password hashing with OpenSSL scrypt or PBKDF2-SHA256, per-user salt, self-describing parameters.
#pragma once

#include "codecs/Result.h"

#include <string>

namespace chukan
{

/// The KDF and its cost (chukan.console.kdf, scryptLogN, pbkdf2Iterations).
struct KdfParams
{
    enum Kind
    {
        SCRYPT,       ///< memory-hard: N = 2^logN, r, p (RFC 7914)
        PBKDF2_SHA256 ///< iterated HMAC-SHA-256 (RFC 8018)
    };
    Kind kind = SCRYPT;
    int scryptLogN = 15; ///< N = 32768: 32 MiB with r = 8
    int scryptR = 8;
    int scryptP = 1;
    int pbkdf2Iterations = 600000;

    /// The parameter field of a stored hash: "ln=15,r=8,p=1" or "i=600000".
    std::string parameterString() const;
};

/// Stored form (one string, no secrets but the hash):
///   scrypt$ln=<logN>,r=<r>,p=<p>$<salt>$<hash>
///   pbkdf2-sha256$i=<iterations>$<salt>$<hash>
/// salt: 16 random bytes, hash: 32 bytes, both standard base64. Because the parameters travel
/// with each hash, raising them later only changes new hashes; needsRehash() tells the caller
/// to re-hash at the next successful login. Thread-safe (no state beyond the parameters).
class PasswordHasher
{
public:
    explicit PasswordHasher(KdfParams params) : _params(params) {}

    /// A new hash with a fresh random salt. INTERNAL when OpenSSL fails.
    Result<std::string> hash(const std::string& password) const;
    /// Recomputes with the stored parameters and salt and compares in constant time.
    /// INVALID_ARGUMENT for a malformed stored hash (or parameters outside sane bounds).
    Result<bool> verify(const std::string& password, const std::string& stored) const;
    /// True when stored was made with another KDF or other parameters than this hasher's.
    bool needsRehash(const std::string& stored) const;
    /// Spends the time of one verification without a stored hash (login of an unknown id), so
    /// the reply time does not tell which login ids exist.
    void burn(const std::string& password) const;

    const KdfParams& params() const { return _params; }

private:
    KdfParams _params;
};

} // namespace chukan
