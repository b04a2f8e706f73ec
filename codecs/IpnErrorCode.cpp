// IpnErrorCode: wire names of the network's typed errors.
#include "codecs/IpnErrorCode.h"

namespace chukan
{

namespace
{
const IpnErrorCode ALL[] = {IpnErrorCode::INVALID_MESSAGE,      IpnErrorCode::UNKNOWN_INSTITUTION,
                            IpnErrorCode::NOT_PERMITTED,        IpnErrorCode::NO_FUGO,
                            IpnErrorCode::BAD_PERMIT,           IpnErrorCode::PERMIT_EXPIRED,
                            IpnErrorCode::PERMIT_NOT_YET_VALID, IpnErrorCode::PERMIT_MISADDRESSED,
                            IpnErrorCode::PERMIT_REPLAYED,      IpnErrorCode::UNAVAILABLE,
                            IpnErrorCode::INTERNAL};
}

const char* IpnErrorCodes::name(IpnErrorCode code)
{
    switch (code)
    {
    case IpnErrorCode::INVALID_MESSAGE: return "INVALID_MESSAGE";
    case IpnErrorCode::UNKNOWN_INSTITUTION: return "UNKNOWN_INSTITUTION";
    case IpnErrorCode::NOT_PERMITTED: return "NOT_PERMITTED";
    case IpnErrorCode::NO_FUGO: return "NO_FUGO";
    case IpnErrorCode::BAD_PERMIT: return "BAD_PERMIT";
    case IpnErrorCode::PERMIT_EXPIRED: return "PERMIT_EXPIRED";
    case IpnErrorCode::PERMIT_NOT_YET_VALID: return "PERMIT_NOT_YET_VALID";
    case IpnErrorCode::PERMIT_MISADDRESSED: return "PERMIT_MISADDRESSED";
    case IpnErrorCode::PERMIT_REPLAYED: return "PERMIT_REPLAYED";
    case IpnErrorCode::UNAVAILABLE: return "UNAVAILABLE";
    case IpnErrorCode::INTERNAL: return "INTERNAL";
    }
    return "INTERNAL";
}

int IpnErrorCodes::httpStatus(IpnErrorCode code)
{
    switch (code)
    {
    case IpnErrorCode::INVALID_MESSAGE: return 400;
    case IpnErrorCode::NO_FUGO: return 404;
    case IpnErrorCode::PERMIT_REPLAYED: return 409;
    case IpnErrorCode::UNAVAILABLE: return 503;
    case IpnErrorCode::INTERNAL: return 500;
    default: return 403;
    }
}

Result<IpnErrorCode> IpnErrorCodes::parse(const std::string& text)
{
    for (IpnErrorCode c : ALL)
        if (text == name(c))
            return c;
    return Status::invalid("ipn error code '" + text + "' is not one of docs/protocol.md's codes");
}

} // namespace chukan
