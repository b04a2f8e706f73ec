// InquiryMessageCodec: InquiryRequest / InquiryResponse <-> XML (urn:chukan:inquiry:1), decoding through schema validation.
#pragma once

#include "codecs/InquiryRequest.h"
#include "codecs/InquiryResponse.h"
#include "codecs/Result.h"
#include "codecs/SecureXmlParser.h"

#include <memory>
#include <string>

namespace chukan {

/// Both messages share conf/schemas/online-inquiry.xsd. Decoding refuses a document whose root
/// is the other message. Thread-safety: const methods; share one codec between threads.
class InquiryMessageCodec
{
public:
    static constexpr const char* NAMESPACE = "urn:chukan:inquiry:1";
    static constexpr const char* SCHEMA_NAME = "online-inquiry";

    explicit InquiryMessageCodec(std::shared_ptr<const XmlSchema> schema)
        : InquiryMessageCodec(std::move(schema), SecureXmlParser::Limits())
    {
    }
    InquiryMessageCodec(std::shared_ptr<const XmlSchema> schema, SecureXmlParser::Limits limits)
        : _parser(std::move(schema), limits)
    {
    }

    static Result<std::string> encodeRequest(const InquiryRequest& request);
    static Result<std::string> encodeResponse(const InquiryResponse& response);

    Result<InquiryRequest> decodeRequest(const std::string& xml) const;
    Result<InquiryResponse> decodeResponse(const std::string& xml) const;

private:
    Result<XmlElement> parseRoot(const std::string& xml, const char* expected) const;

    SecureXmlParser _parser;
};

} // namespace chukan
