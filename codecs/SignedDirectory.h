// SignedDirectory: the network's signed directory of institutions, their endpoints and encryption certificates.
#pragma once

#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>
#include <vector>

namespace chukan {

/// Payload: {"type":"directory","directoryId":…,"issuedAt":…,"institutions":[{institution}, …]}
/// with institution members code (16-character 機関コード), name, endpoint (https URL) and
/// encryptionCertificate (PEM; the certificate inquiry results are sealed to, see CmsEnvelope).
struct SignedDirectory
{
    static constexpr const char* TYPE = "directory";

    struct Institution
    {
        std::string code;
        std::string name;
        std::string endpoint;
        std::string encryptionCertificate;
    };

    std::string directoryId;
    Poco::Timestamp issuedAt;
    std::vector<Institution> institutions;

    std::string toJson() const;
    /// Also checks that every encryptionCertificate parses and codes are unique.
    static Result<SignedDirectory> parse(const std::string& payload);

    /// The institution with this code, or null.
    const Institution* find(const std::string& code) const;
};

} // namespace chukan
