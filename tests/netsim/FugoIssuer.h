// FugoIssuer: the network's 符号 scheme (docs/protocol.md) — per-institution AES-256-ECB of an HMAC-derived internal ID.
#pragma once

#include "codecs/Result.h"

#include <string>

namespace chukan
{

/// idc   = HMAC-SHA256(K_net, "idc" ‖ 住民票コード)[0..16)
/// K_inst = HMAC-SHA256(K_net, "inst" ‖ 機関コード)
/// 符号  = base64url(AES-256-ECB(K_inst, idc)), no padding (22 characters)
/// Deterministic: stable per person and institution, different per institution, and only a
/// holder of K_net can compute or translate one. Thread-safety: immutable.
class FugoIssuer
{
public:
    static constexpr std::size_t KEY_BYTES = 32;
    static constexpr std::size_t IDC_BYTES = 16;

    /// REQUIRES: key is KEY_BYTES bytes.
    explicit FugoIssuer(std::string key);

    /// Reads K_net (64 hex digits) from `path`, or creates the file (mode 0600) with a random
    /// key when it does not exist. INVALID_ARGUMENT for a malformed file.
    static Result<FugoIssuer> fromKeyFile(const std::string& path);

    /// The internal ID code of a person (16 raw bytes).
    std::string idc(const std::string& juminhyoCode) const;
    /// The 符号 of the person with this internal ID at this institution.
    std::string fugoOfIdc(const std::string& idc, const std::string& institution) const;
    std::string fugo(const std::string& juminhyoCode, const std::string& institution) const
    {
        return fugoOfIdc(idc(juminhyoCode), institution);
    }
    /// Decrypts an institution's 符号 back to the idc; INVALID_ARGUMENT when it is not
    /// 22 base64url characters of one block. (Whether the idc was ever issued is the caller's
    /// registry to say: any block decrypts to something.)
    Result<std::string> idcOf(const std::string& fugo, const std::string& institution) const;

private:
    std::string institutionKey(const std::string& institution) const;
    std::string _key;
};

} // namespace chukan
