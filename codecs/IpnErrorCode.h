// IpnErrorCode: the typed error codes of the network protocol (docs/protocol.md) and their wire names.
#pragma once

#include "codecs/Result.h"

#include <string>

namespace chukan
{

/// Every code of ipn.xsd's ErrorCode. Only UNAVAILABLE is retried; the others are final.
enum class IpnErrorCode
{
    INVALID_MESSAGE,
    UNKNOWN_INSTITUTION,
    NOT_PERMITTED,
    NO_FUGO,
    BAD_PERMIT,
    PERMIT_EXPIRED,
    PERMIT_NOT_YET_VALID,
    PERMIT_MISADDRESSED,
    PERMIT_REPLAYED,
    UNAVAILABLE,
    INTERNAL
};

class IpnErrorCodes
{
public:
    /// The wire name, e.g. "NOT_PERMITTED".
    static const char* name(IpnErrorCode code);
    /// The code with this wire name; INVALID_ARGUMENT for anything else.
    static Result<IpnErrorCode> parse(const std::string& name);
    /// True when a sender should not retry (every code but UNAVAILABLE).
    static bool isFinal(IpnErrorCode code) { return code != IpnErrorCode::UNAVAILABLE; }
    /// The HTTP status an Error of this code is sent with: 400 INVALID_MESSAGE, 404 NO_FUGO,
    /// 409 PERMIT_REPLAYED, 503 UNAVAILABLE, 500 INTERNAL, 403 every other refusal.
    static int httpStatus(IpnErrorCode code);
};

/// Shorthand for IpnErrorCodes::name.
inline const char* ipnErrorCodeName(IpnErrorCode code) { return IpnErrorCodes::name(code); }

} // namespace chukan
