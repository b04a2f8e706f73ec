// ReplicaRegistrationCodec: replica registration message <-> XML (urn:chukan:replica:1), decoding through schema validation.
#pragma once

#include "codecs/ReplicaRegistration.h"
#include "codecs/Result.h"
#include "codecs/SecureXmlParser.h"

#include <memory>
#include <string>

namespace chukan {

/// decode() parses with SecureXmlParser against conf/schemas/replica-registration.xsd, then
/// checks what the schema cannot say: xsi:nil Data needs a NilReason (and a NilReason needs
/// xsi:nil), and non-nil Data must itself be well-formed XML (parsed with the same guards, no
/// schema). Errors name the record (number, RecordID, line) and carry line:col.
/// Thread-safety: const methods; share one codec between threads.
class ReplicaRegistrationCodec
{
public:
    static constexpr const char* NAMESPACE = "urn:chukan:replica:1";
    static constexpr const char* SCHEMA_NAME = "replica-registration";
    static constexpr const char* MESSAGE_TYPE = "ReplicaRegistration";

    explicit ReplicaRegistrationCodec(std::shared_ptr<const XmlSchema> schema)
        : ReplicaRegistrationCodec(std::move(schema), SecureXmlParser::Limits())
    {
    }
    ReplicaRegistrationCodec(std::shared_ptr<const XmlSchema> schema, SecureXmlParser::Limits limits);

    /// The XML document; INVALID_ARGUMENT when a value holds characters XML cannot carry.
    static Result<std::string> encode(const ReplicaRegistration& message);

    Result<ReplicaRegistration> decode(const std::string& xml) const;

private:
    SecureXmlParser _parser;
    SecureXmlParser _dataParser;
};

} // namespace chukan
