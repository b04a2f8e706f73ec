// Permit: the 情報提供許可証 (provision permit) the network issues for one inquiry, as a signed JSON payload.
#pragma once

#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>

namespace chukan {

/// Payload members (all strings; codes are 16 capital letters or digits):
///   type "provision-permit", permitId, requesterInstitution, providerInstitution,
///   jimuCode (事務コード), procedureCode (事務手続きコード), dataItemCode (特定個人情報名コード),
///   issuedAt, notBefore, expiry (ISO 8601 UTC), nonce.
/// The provider-side 符号 is deliberately NOT a member: the network sends it to the provider
/// only, and parse() refuses any member not listed here.
struct Permit
{
    static constexpr const char* TYPE = "provision-permit";

    std::string permitId;             ///< 1–64 of [A-Za-z0-9._-]
    std::string requesterInstitution; ///< 情報照会者機関コード
    std::string providerInstitution;  ///< 情報提供者機関コード
    std::string jimuCode;             ///< 事務コード
    std::string procedureCode;        ///< 事務手続きコード
    std::string dataItemCode;         ///< 特定個人情報名コード
    Poco::Timestamp issuedAt;
    Poco::Timestamp notBefore;        ///< valid from this instant (inclusive)
    Poco::Timestamp expiry;           ///< invalid from this instant (exclusive end)
    std::string nonce;                ///< 16–128 of [A-Za-z0-9_-]; unique per permit

    /// Sorted-member JSON, ready to be signed (times in whole seconds).
    std::string toJson() const;
    /// Parses and validates every member; INVALID_ARGUMENT names the member and the reason.
    static Result<Permit> parse(const std::string& payload);
};

} // namespace chukan
