// IpnMessage: one message of the network protocol (urn:chukan:ipn:1) as a value, to and from XML.
#pragma once

#include "codecs/IpnErrorCode.h"
#include "codecs/IpnHeader.h"
#include "codecs/Result.h"
#include "codecs/SecureXmlParser.h"

#include <string>
#include <vector>

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
///   Batch             items: 1..MAX_BATCH requests of one kind (PermitRequest, Inquiry or
///                     ProvisionResponse), each a whole message with its own Header
///   BatchReply        items: item n answers item n of the Batch (PermitResponse, Ack or Error)
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
        Error,
        Batch,
        BatchReply
    };

    /// Items a Batch may carry (ipn.xsd says the same).
    static constexpr std::size_t MAX_BATCH = 1000;

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
    std::vector<IpnMessage> items;                   ///< Batch, BatchReply

    static const char* kindName(Kind kind);
    static Result<Kind> kindFromName(const std::string& name);

    /// The XML document; INVALID_ARGUMENT when a value holds characters XML cannot carry.
    Result<std::string> toXml() const;
    /// A Batch or BatchReply (`kind`) of messages already serialised by toXml(), which are copied
    /// in unchanged (an outbox message is sent as the bytes that were stored).
    static std::string batchXml(Kind kind, const IpnHeader& header, const std::vector<std::string>& items);
    /// Parses and validates `bytes`; INVALID_ARGUMENT with the parser's issues otherwise (the
    /// network answers that with INVALID_MESSAGE).
    static Result<IpnMessage> parse(const std::string& bytes, const SecureXmlParser& parser);

    /// The message of one (already validated) element; a Batch or BatchReply only when
    /// `batchAllowed` (never inside a batch).
    static Result<IpnMessage> fromElement(const XmlElement& element, bool batchAllowed);

    /// An Ack replying to `request`.
    static IpnMessage ack(const IpnHeader& request, bool duplicate, const Poco::Timestamp& now);
    /// An Error replying to `request`.
    static IpnMessage error(const IpnHeader& request, IpnErrorCode code, std::string message,
                            const Poco::Timestamp& now);

    static bool isBatch(Kind kind) { return kind == Kind::Batch || kind == Kind::BatchReply; }
    bool isError(IpnErrorCode code) const { return kind == Kind::Error && errorCode == code; }

    bool operator==(const IpnMessage& o) const;
    bool operator!=(const IpnMessage& o) const { return !(*this == o); }
};

} // namespace chukan
