// IpnMessage: one message of the network protocol (urn:chukan:ipn:1) as a value, to and from XML.
#pragma once

#include "codecs/IpnErrorCode.h"
#include "codecs/IpnHeader.h"
#include "codecs/Result.h"
#include "codecs/SecureXmlParser.h"

#include <string>

namespace chukan
{

/// A flat value holding the fields of every kind; only those of `kind` are written and read:
///   FugoRequest       juminhyoCode
///   FugoResponse      fugo
///   PermitRequest     provider, jimuCode, procedureCode, dataItemCode, requesterFugo
///   PermitResponse    permitId, signedPermit
///   Inquiry           serial, permitId, signedPermit, [providerFugo, route]
///   ProvisionResponse serial, permitId, outcome, [reasonCode, payload, route]
///   Ack               duplicate
///   Error             errorCode, errorMessage
/// parse() validates against conf/schemas/ipn.xsd (the parser's schema) with every guard of
/// SecureXmlParser (no DOCTYPE, no entities, limits), so a parsed message has the shapes the
/// schema states (16-character codes, MessageId pattern, …). Thread-safety: a value type.
struct IpnMessage
{
    static constexpr const char* NAMESPACE = "urn:chukan:ipn:1";
    static constexpr const char* SCHEMA_NAME = "ipn";

    enum class Kind
    {
        FugoRequest,
        FugoResponse,
        PermitRequest,
        PermitResponse,
        Inquiry,
        ProvisionResponse,
        Ack,
        Error
    };

    Kind kind = Kind::Ack;
    IpnHeader header;

    std::string juminhyoCode;  ///< FugoRequest: 住民票コード (11 digits) — never logged
    std::string fugo;          ///< FugoResponse: the caller's 符号
    std::string provider;      ///< PermitRequest: provider 機関コード
    std::string jimuCode;      ///< PermitRequest: 事務コード
    std::string procedureCode; ///< PermitRequest: 事務手続きコード
    std::string dataItemCode;  ///< PermitRequest: 特定個人情報名コード
    std::string requesterFugo; ///< PermitRequest: the subject's 符号 at the requester
    std::string permitId;      ///< PermitResponse, Inquiry, ProvisionResponse
    std::string signedPermit;  ///< PermitResponse, Inquiry: SignedEnvelope JSON
    std::string serial;        ///< Inquiry, ProvisionResponse: 処理通番
    std::string providerFugo;  ///< Inquiry (network -> provider only)
    std::string route;         ///< Inquiry (network -> provider), echoed on ProvisionResponse
    std::string outcome;       ///< ProvisionResponse: provided | no_data | refused | nondisclosure
    std::string reasonCode;    ///< ProvisionResponse, optional
    std::string payload;       ///< ProvisionResponse: CMS bytes (base64 on the wire)
    bool hasPayload = false;
    bool duplicate = false; ///< Ack
    IpnErrorCode errorCode = IpnErrorCode::INTERNAL; ///< Error
    std::string errorMessage;                        ///< Error

    static const char* kindName(Kind kind);
    static Result<Kind> kindFromName(const std::string& name);

    /// The XML document; INVALID_ARGUMENT when a value holds characters XML cannot carry.
    Result<std::string> toXml() const;
    /// Parses and validates `bytes`; INVALID_ARGUMENT with the parser's issues otherwise (the
    /// network answers that with INVALID_MESSAGE).
    static Result<IpnMessage> parse(const std::string& bytes, const SecureXmlParser& parser);

    /// An Ack replying to `request`.
    static IpnMessage ack(const IpnHeader& request, bool duplicate, const Poco::Timestamp& now);
    /// An Error replying to `request`.
    static IpnMessage error(const IpnHeader& request, IpnErrorCode code, std::string message,
                            const Poco::Timestamp& now);

    bool isError(IpnErrorCode code) const { return kind == Kind::Error && errorCode == code; }

    bool operator==(const IpnMessage& o) const;
    bool operator!=(const IpnMessage& o) const { return !(*this == o); }
};

} // namespace chukan
